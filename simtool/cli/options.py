"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# Help panels: what most runs need first, the rest grouped below it.
INPUT, OUTPUT, MODEL, ENGINE = "Input", "Output", "Model and cache", "Engine (Ray, shards)"

Paths = Annotated[list[Path], typer.Argument(help="Files or folders: .txt/.md/.html folders, .jsonl, .csv, .parquet.",
                                             show_default=False, metavar="PATHS")]
Model = Annotated[str, typer.Option("--model", "-m", rich_help_panel=MODEL, help="Encoder: minilm, static, tfidf, a folder or a hub name.")]
Json = Annotated[bool, typer.Option("--json", rich_help_panel=OUTPUT, help="Print JSON for scripts instead of a table.")]
Cache = Annotated[Path | None, typer.Option("--cache", envvar="SIMTOOL_CACHE",
                                            rich_help_panel=MODEL, help="Vector cache folder \\[default: ~/.cache/simtool/embeddings].")]
NoClean = Annotated[bool, typer.Option("--no-clean", rich_help_panel=INPUT, help="Keep web junk (skip the cleaner).")]
Strict = Annotated[bool, typer.Option("--strict", rich_help_panel=INPUT, help="Stop at the first bad file or record.")]
TextField = Annotated[str | None, typer.Option("--text-field", rich_help_panel=INPUT, help="Field holding the text in JSONL/CSV/Parquet.")]
IdField = Annotated[str | None, typer.Option("--id-field", rich_help_panel=INPUT, help="Field holding each record's id "
                                             "in JSONL/CSV/Parquet \\[default: the first of id, doc_id, story_id, ...].")]
Precision = Annotated[str, typer.Option("--precision", rich_help_panel=MODEL, help="Transformer precision: auto (fastest this "
                                        "hardware runs natively, if it passes the quality check), float32, bfloat16, int8.")]
Device = Annotated[str, typer.Option("--device", rich_help_panel=MODEL, help="cpu, cuda, cuda:N or mps.")]
EngineName = Annotated[str, typer.Option("--engine", rich_help_panel=ENGINE, help="Where encoding (and dedup's pairs and groups) run: local or ray.")]
RayAddress = Annotated[str, typer.Option("--ray-address", rich_help_panel=ENGINE, help="Ray cluster to use with --engine ray; auto: this "
                                         "machine's cluster, else a local Ray.")]
Workers = Annotated[int | None, typer.Option("--workers", min=1, rich_help_panel=ENGINE, help="Ray actors, one model each \\[default: all CPUs].")]
Force = Annotated[bool, typer.Option("--force", rich_help_panel=OUTPUT, help="Replace output files that simtool did not write.")]
Pooling = Annotated[str, typer.Option("--pooling", rich_help_panel=MODEL, help="Long texts: truncate (first 256 word pieces) or chunk (mean of windows).")]


def parse_k(value: str) -> int | str:
    """--k: a number of clusters (at least 1) or "auto"."""
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise typer.BadParameter(f"--k must be a number or 'auto'; got {value!r}") from None
    if k < 1:
        raise typer.BadParameter(f"--k must be at least 1; got {k}")
    return k
ShardsOut = Annotated[Path | None, typer.Option("--shards", rich_help_panel=ENGINE, help="Also write results as Parquet shards in this folder; "
                                               "with --engine ray the corpus is read and the shards written on the cluster.")]
SpeakerField = Annotated[str | None, typer.Option(
    "--speaker-field", help="Who speaks in each document itself (speeches, interviews): a metadata field, or file "
                            "(the file name without its date): its sentences that name no other speaker are theirs.")]
AxisFrom = Annotated[str | None, typer.Option(
    "--axis-from", help="FIELD=A,B: positions learned from two reference groups of a metadata field "
                        "(e.g. bias_text=left,right), scored out of fold, with their validity (AUC).")]
Groups = Annotated[str | None, typer.Option(
    "--groups", help="A metadata field (source, a leaning, an author), or actor (each speaker): each period "
                     "split by its values, each group's documents, terms and position (thin groups flagged).")]
