"""The `simtool` command line: parse, call the library, render. Errors become one line.

Exit codes: 0 success, 1 bad data (a file, record, id or model), 2 bad usage, 130 interrupted.
`SIMTOOL_DEBUG=1` shows the traceback instead.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable

import typer

from simtool.cli.output import CONTROLS, quiet_closed_pipe, set_run
from simtool.errors import SimtoolError


def _quiet_libraries() -> None:
    # The CLI owns its process, so it may silence the loaders' own progress bars and banners.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")  # model2vec's bars; simtool draws its own


HELP = {"help_option_names": ["-h", "--help"]}
# One runnable example per command, shown under its help (the seeds ship with the project).
EXAMPLES = {
    "analyze": "simtool analyze seeds/ --out report.html",
    "related": 'simtool related seeds/ --text "counter-terrorism cooperation" -k 3',
    "compare": "simtool compare seeds/000_d5a7cd97006a4cee.txt seeds/002_022b7fbaa8d3c034.txt",
    "dedup": "simtool dedup corpus/ --details --write-deduplicated unique.jsonl",
    "reuse": "simtool reuse corpus/ --details",
    "watch": "simtool watch incoming/ --state state/ --out report.html",
    "cluster": "simtool cluster corpus/ --k auto --json",
    "drift": 'simtool drift seeds/ --query "counter-terrorism cooperation" --by year',
    "bench": "simtool bench --models minilm,static,tfidf --pairs my_pairs.csv",
    "clean": "simtool clean seeds/000_d5a7cd97006a4cee.txt --diff",
    "embed": "simtool embed corpus/ --model minilm",
    "index": "simtool index corpus/ --model minilm",
}


def _show_version(value: bool) -> None:
    if value:
        from simtool._version import __version__

        print(f"simtool {__version__}")
        raise typer.Exit()


def _version_option(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                                 help="Print the version and exit.")) -> None:
    """Related articles, near-duplicates, stories and shifts in a news corpus."""


def _build_app() -> typer.Typer:
    from simtool.cli.analyze_cmd import analyze_command
    from simtool.cli.bench_cmd import bench_command
    from simtool.cli.clean_cmd import clean_command
    from simtool.cli.cluster_cmd import cluster_command
    from simtool.cli.compare_cmd import compare_command
    from simtool.cli.dedup_cmd import dedup_command
    from simtool.cli.drift_cmd import drift_command
    from simtool.cli.embed_cmd import embed_command
    from simtool.cli.index_cmd import index_command
    from simtool.cli.models_cmd import distill_command, models_command
    from simtool.cli.related_cmd import related_command
    from simtool.cli.reuse_cmd import reuse_command
    from simtool.cli.watch_cmd import watch_command

    app = typer.Typer(help="Related articles, near-duplicates, stories and shifts in a news corpus.",
                      no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                      context_settings=HELP)
    app.callback()(_version_option)
    for name, command in (("analyze", analyze_command), ("related", related_command), ("compare", compare_command),
                          ("dedup", dedup_command), ("reuse", reuse_command), ("cluster", cluster_command),
                          ("drift", drift_command), ("bench", bench_command),
                          ("clean", clean_command), ("embed", embed_command),
                          ("index", index_command), ("watch", watch_command)):
        app.command(name, epilog=f"Example: {EXAMPLES[name]}")(_reporting_errors(command))
    models = typer.Typer(help="List the models; distil a static one.", add_completion=False,
                         pretty_exceptions_enable=False, context_settings=HELP)
    models.callback(invoke_without_command=True)(_reporting_errors(models_command))
    models.command("distill")(_reporting_errors(distill_command))
    app.add_typer(models, name="models")
    return app

# Error types to (exit code, prefix); the first match wins.
ERRORS: list[tuple[type[BaseException], int, str]] = [
    (SimtoolError, 1, "error"),
    (OSError, 1, "error"),
    (KeyboardInterrupt, 130, "interrupted"),
]


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "stopped; every batch of vectors finished before it is kept in the cache"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _option_names(command: Callable[..., None]) -> dict[str, str]:
    """Each parameter's name as the user writes it ("engine" for `engine_name: ... "--engine"`)."""
    import typing

    names = {}
    for name, hint in typing.get_type_hints(command, include_extras=True).items():
        for info in getattr(hint, "__metadata__", ()):
            # with Annotated, typer keeps the first declaration as the info's `default`
            declared = [getattr(info, "default", None), *(getattr(info, "param_decls", None) or ())]
            long = [d for d in declared if isinstance(d, str) and d.startswith("--")]
            if long:
                names[name] = long[0][2:].replace("-", "_")
    return names


def _print_stage_times() -> None:
    """The line of time per stage a run of more than a few seconds ends with (stderr)."""
    from simtool.cli import output  # the module's current STAGES: each run gets its own

    line = output.STAGES.summary()
    if line:
        print(line, file=sys.stderr)


def _reporting_errors(command: Callable[..., None]) -> Callable[..., None]:
    """The command with simtool's errors turned into one line on stderr and an exit code."""

    name = command.__name__.removesuffix("_command").replace("distill", "models distill")

    @functools.wraps(command)
    def run(*args, **kwargs) -> None:
        names = _option_names(command)
        set_run(name, {names.get(key, key): value for key, value in kwargs.items()})
        try:
            command(*args, **kwargs)
            _print_stage_times()
        except BrokenPipeError:
            if not _stdout_closed():
                raise
            quiet_closed_pipe()
        except tuple(t for t, _, _ in ERRORS) as exc:
            if os.environ.get("SIMTOOL_DEBUG") == "1":
                raise
            code, prefix = next((c, p) for t, c, p in ERRORS if isinstance(exc, t))
            print(f"simtool: {prefix}: {CONTROLS.sub('?', _message(exc))}", file=sys.stderr)
            raise typer.Exit(code) from None

    return run


_library_warning = warnings.showwarning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # simtool's own warnings (a precision fallback) as one line, without the source line.
    if category.__module__.startswith("simtool"):
        print(f"simtool: warning: {CONTROLS.sub('?', str(message))}", file=sys.stderr)
    else:
        _library_warning(message, category, filename, lineno, file, line)


_quiet_libraries()
warnings.showwarning = _show_warning
app = _build_app()


def _stdout_closed() -> bool:
    """Whether the broken pipe is stdout's (`simtool ... | head`): the pipe's reader is gone. A
    broken pipe to anything else (a worker) is an error like any other."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))  # Linux and macOS: reader closed
    except (AttributeError, OSError, ValueError):  # no poll (Windows), or no real stdout
        return True


def main() -> None:
    """Console entry point."""
    try:
        app(prog_name="simtool")
    except BrokenPipeError:
        quiet_closed_pipe()
