"""How results become JSON: every job returns a frozen dataclass whose `to_json()` gives the
shape its command prints with `--json` (and `analyze --json` embeds); `to_jsonable` turns
dataclasses, tuples, paths and non-string keys into plain JSON values."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Protocol


class Result(Protocol):
    def to_json(self) -> Any:
        """The result as plain JSON values, in its command's `--json` shape."""
        ...


def to_jsonable(value: Any) -> Any:
    """`value` with dataclasses as dicts, tuples as lists, paths as strings and dict keys as strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value
