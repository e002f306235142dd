"""simtool's exceptions: one tree, so callers can catch `SimtoolError` and show its message.

Each message is one line that names the file (and line) and what is wrong; the CLI prints it
as it is, without a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class SimtoolError(Exception):
    """Base class of every error simtool raises on purpose."""


class InputError(SimtoolError, ValueError):
    """A file, record or argument that simtool cannot use."""


class NoDocumentsError(InputError):
    """Nothing usable was left after loading (every path missing, empty or broken)."""


class UnknownDocumentError(SimtoolError, KeyError):
    """A document id that is not in the corpus."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownModelError(SimtoolError, KeyError):
    """A model name that is neither built in, a packaged model, a local path, nor loadable."""

    def __str__(self) -> str:
        return str(self.args[0])


# What a problem's message says happens next when the run goes on: "...: skipped, reading resumes
# on the next line", "...: record skipped", "...; row skipped (a quote inside a cell?)"
_CONSEQUENCE = re.compile(r"[:;,]\s*(?:row |record )?skipped(?:, reading resumes on the next line)?(?=$|\s\()")


@dataclass(frozen=True)
class Problem:
    """A record or file that was skipped, or (`kept`) loaded with a repair: a field dropped, an id
    renamed; in strict mode, either stops the run."""

    path: str
    message: str
    line: int | None = None
    kept: bool = False
    records: int = 1  # one line can speak for many records ("no record's date can be read")

    @property
    def where(self) -> str:
        """The file, and the line where there is one: "corpus.jsonl:12"."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def error(self) -> InputError:
        """This problem as an exception, for strict mode: the run stops here, so the message says
        nothing of skipping and reading on."""
        return InputError(f"{self.where}: {_CONSEQUENCE.sub('', self.message)} (--strict stops at the first problem)")

    @classmethod
    def at(cls, path: Path | str, message: str, line: int | None = None, kept: bool = False,
           records: int = 1) -> Problem:
        return cls(str(path), message, line, kept, records)


def records_counted(problems: Iterable[Problem], kept: bool) -> int:
    """How many records these problems skipped (`kept=False`) or loaded with a repair (`kept=True`):
    one line may speak for many ("no record's date can be read")."""
    return sum(p.records for p in problems if p.kept == kept)


class CacheReadOnly(UserWarning):
    """The vector cache cannot be written (a read-only folder, a full disk): it is read only."""


class CacheRebuilt(UserWarning):
    """The vector cache was damaged; it was moved aside and an empty one started."""


class CacheUpgraded(UserWarning):
    """The vector cache was written by an older simtool and was migrated to the current schema."""
