"""`simtool reuse`: who took which passages from whom, the lineage of each family, and per outlet
how much of its coverage is borrowed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from simtool.cli import options, session
from simtool.cli.output import print_json, stderr, stdout
from simtool.jobs.reuse import MIN_WORDS, ReuseResult, find_reuse

SUMMARY_ROWS = 15  # families and outlets in the summary; --details gives every family's tree


def reuse_command(
    paths: options.Paths,
    min_words: Annotated[int, typer.Option(
        "--min-words", min=8, help="Matching words a shared passage needs (small edits inside it allowed).")] = MIN_WORDS,
    details: Annotated[bool, typer.Option("--details", help="Every family as a tree from its origin, with the "
                                                            "passages each member took.")] = False,
    engine_name: options.EngineName = "local",
    ray_address: options.RayAddress = "auto",
    workers: options.Workers = None,
    json: options.Json = False,
    no_clean: options.NoClean = False,
    strict: options.Strict = False,
    text_field: options.TextField = None,
    id_field: options.IdField = None,
    state: Annotated[Path | None, typer.Option(
        "--state", help="Keep fingerprints and pairs in DIR: a later run fingerprints and aligns only what "
                        "involves new articles (the same pairs as a run on everything).",
        rich_help_panel="Incremental runs")] = None,
) -> None:
    """Passages articles share, which way they went, each family's lineage, and what each outlet borrowed.

    The source of a pair is the article published earlier; without dates (or on the same day),
    the one whose text the other holds plus additions, else the one marked as wire copy (a
    dateline, a wire credit); `direction_by` says which rule decided, "none" where none did.
    """
    corpus = session.load(paths, no_clean, strict, text_field, id_field)
    if len(corpus) < 2:
        stderr().print(f"note: the corpus has {len(corpus)} document; nothing to compare", markup=False)
    new_documents = None
    if state is not None:
        from simtool.jobs.reuse.updates import find_reuse_with_state

        result, new_documents = find_reuse_with_state(corpus, state.expanduser(), min_words=min_words)
    else:
        result = find_reuse(corpus, min_words=min_words, engine=session.engine(engine_name, ray_address, workers))
    if json:
        print_json({**result.to_json(), **({"changes": {"new_documents": new_documents}} if state else {})})
    else:
        _print(result, details)
        if state is not None:
            stdout().print(f"{new_documents} new documents fingerprinted and compared", markup=False)


def _print(result: ReuseResult, details: bool) -> None:
    console = stdout()
    decided = sum(e.direction_by != "none" for e in result.edges)
    console.print(f"{len(result.edges)} pairs share a passage of {result.settings.min_words}+ words ({decided} with a "
                  f"direction), in {len(result.families)} families, among {result.n_documents} documents",
                  markup=False)
    if not result.edges:
        return
    families = Table(title="families (largest first)", title_justify="left")
    for column in ("family", "members", "origin", "wire", "dates", "outlets"):
        families.add_column(column, overflow="fold")
    for number, family in enumerate(result.families[:SUMMARY_ROWS], start=1):
        span = f"{family.first_date} .. {family.last_date}" if family.first_date else "undated"
        families.add_row(str(number), str(len(family.members)), f"{family.origin}: {family.tree[0].title}",
                         family.wire or "", span, ", ".join(family.sources[:4]) + (" ..." if len(family.sources) > 4 else ""))
    console.print(families, markup=False)
    borrowers = [o for o in result.outlets if o.borrowed_words]
    if borrowers:
        outlets = Table(title="outlets (most borrowed first)", title_justify="left")
        for column in ("outlet", "articles", "words", "borrowed", "from"):
            outlets.add_column(column, overflow="fold")
        for outlet in borrowers[:SUMMARY_ROWS]:
            lenders = ", ".join(f"{name} {words}" for name, words in list(outlet.lenders.items())[:3])
            outlets.add_row(outlet.source, str(outlet.articles), str(outlet.words), f"{outlet.borrowed_share:.0%}",
                            lenders)
        console.print(outlets, markup=False)
    if not details:
        more = len(result.families) - SUMMARY_ROWS
        console.print((f"... and {more} more families. " if more > 0 else "")
                      + "--details shows each family's tree and passages; --json gives everything.", markup=False)
        return
    passages = {(e.source, e.target): e for e in result.edges}
    for number, family in enumerate(result.families, start=1):
        tree = Tree(Text(f"family {number}: origin {family.origin}" + (f" (wire: {family.wire})" if family.wire else "")))
        branches = {}
        for node in family.tree:
            when = f"{node.date}, " if node.date else ""
            if node.parent is None:
                branches[node.id] = tree.add(Text(f"{node.id} ({when}{node.source or 'no source'}) {node.title}"))
                continue
            edge = passages[(node.parent, node.id)]
            lag = f", {node.lag_days} days later" if node.lag_days is not None else ""
            label = (f"{node.id} ({when}{node.source or 'no source'}{lag}) took {node.shared_words} words "
                     f"({node.share_of_parent:.0%} of it; by {edge.direction_by}: {edge.rule}); "
                     f"+{len(node.added)} / -{len(node.dropped)} sentences")
            branch = branches[node.parent].add(Text(label))
            for passage in edge.passages[:3]:
                branch.add(Text(f'"{_clip(passage.text)}" ({passage.words} words)'))
            branches[node.id] = branch
        console.print(tree, markup=False)


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
