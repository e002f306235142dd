"""Files simtool keeps about this machine and writes for its users, each written whole or not at all."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simtool.errors import InputError

LEDGER = "outputs.json"
DEFAULT_CACHE_DIR = "embeddings"


def default_state_dir() -> Path:
    """Where facts about this machine are kept: `$SIMTOOL_STATE`, else `~/.cache/simtool`."""
    configured = os.environ.get("SIMTOOL_STATE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "simtool"


def default_cache_dir() -> Path:
    """The vector cache: `$SIMTOOL_CACHE` if set, else `embeddings/` in the per-user state folder
    (`~/.cache/simtool/embeddings`): one cache for every folder a user runs simtool from, so a
    corpus is never embedded again because the command ran elsewhere."""
    configured = os.environ.get("SIMTOOL_CACHE")
    return Path(configured).expanduser() if configured else default_state_dir() / DEFAULT_CACHE_DIR


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """`data` to `path` through a temporary file beside it and a rename: a reader, or a run
    killed mid-write, sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from `path`; empty when the file is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ledger() -> Path:
    return default_state_dir() / LEDGER


def _read_umask() -> int:
    mask = os.umask(0o022)  # reading it means setting it: done once, at import, before any thread
    os.umask(mask)
    return mask


UMASK = _read_umask()


def output_mode(path: Path) -> int:
    """The mode of a user's output file: the file's own when it replaces one (a private report stays
    private), else what any tool gives a new file under the umask (0644 under 022), not mkstemp's 0600."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~UMASK


# What each claimed output path held when it was claimed (None: nothing), so that a file that
# appears there while the job runs is not silently replaced at the end.
_claimed: dict[str, tuple[int, int, int] | None] = {}


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def claim_outputs(paths: Iterable[Path | None], force: bool = False) -> None:
    """Refuse, before any work is done, to replace a file simtool did not write.

    A file may be replaced when `force` is set, or when simtool wrote it and it is unchanged
    since (the ledger in the state folder holds the hash of what was written where). Whatever
    `force` says, only a regular file is ever replaced: not a device, a pipe or a socket, nor
    what a link points to, nor a broken link; a link to a file, or a file with other hard links, is
    replaced only with `force` (the link itself; the other names keep the old content).
    """
    written = read_json(_ledger())
    for path in paths:
        if path is None:
            continue
        path = Path(path).expanduser()
        _claimed[str(path.absolute())] = _identity(path)
        if not path.exists() and not path.is_symlink():
            continue
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name")
        if not path.exists() or not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(f"{path}: is not a regular file (a device, a pipe, a socket or a broken link); "
                             f"simtool writes only regular files")
        if not force and path.is_symlink():
            raise InputError(f"{path}: is a link; --force replaces the link itself with a file")
        if not force and os.stat(path).st_nlink > 1:
            raise InputError(f"{path}: has other hard links; --force writes a new file there (the other "
                             f"names keep the old content)")
        if force:
            continue
        recorded = written.get(str(path.resolve()))
        if recorded is None or recorded != _digest(path.read_bytes()):
            raise InputError(f"{path}: exists and was not written by simtool (or was edited since); "
                             f"use --force to replace it")


def write_output(path: Path, data: bytes | str) -> Path:
    """Write one of the user's output files atomically and note it in the ledger."""
    path = Path(path).expanduser()
    payload = data.encode("utf-8") if isinstance(data, str) else data
    key = str(path.absolute())
    if key in _claimed and _identity(path) != _claimed[key]:  # it appeared or changed while the job ran
        beside = path.with_name(f"{path.stem}.simtool-{os.getpid()}{path.suffix}")
        write_atomically(beside, payload, output_mode(beside))
        raise InputError(f"{path}: appeared or changed while simtool ran, so it was left as it is; the result "
                         f"is in {beside}")
    if path.exists() and not stat.S_ISREG(os.stat(path).st_mode):
        raise InputError(f"{path}: is not a regular file; simtool writes only regular files")
    write_atomically(path, payload, output_mode(path))
    _claimed[key] = _identity(path)
    ledger = _ledger()
    written = read_json(ledger)
    written[str(path.resolve())] = _digest(payload)
    write_atomically(ledger, json.dumps(written, indent=1, sort_keys=True).encode("utf-8"))
    return path


@contextmanager
def state_lock(directory: Path) -> Iterator[None]:
    """Hold DIR/.lock while a run updates the state kept in `directory`: a second run at the
    same time is refused in one line instead of interleaving its files with the first's."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(f"{directory}: --state needs a folder; this is a file") from None
    handle = open(directory / ".lock", "a")  # noqa: SIM115 (held open for the lock's life)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"{directory}: another simtool run is updating this state; wait for it") from None
        yield
    finally:
        handle.close()


def checked_state(path: Path, check: Callable[[Any], bool], what: str) -> Any:
    """The JSON in `path` if `check` accepts it; InputError naming the file otherwise (damaged,
    another program's, or another command's state)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        valid = check(state)
    except (ValueError, OSError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise InputError(f"{path}: cannot read the {what} state ({exc}); remove the folder to start again") from None
    if not valid:
        raise InputError(f"{path}: cannot read the {what} state (not the shape simtool writes); "
                         "remove the folder to start again")
    return state


def write_state_with_data(directory: Path, state_file: str, state: dict[str, Any], data: bytes, prefix: str,
                          suffix: str) -> None:
    """Write `data` to DIR/PREFIX-<content hash>SUFFIX, then `state` (naming it under "data") to
    DIR/`state_file`, then remove the older data files: a run killed at any point leaves a state
    whose data file is there. Call it holding `state_lock`."""
    name = f"{prefix}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    write_atomically(directory / name, data)
    write_atomically(directory / state_file, json.dumps({**state, "data": name}).encode("utf-8"))
    for old in directory.glob(f"{prefix}-*{suffix}"):
        if old.name != name:
            old.unlink(missing_ok=True)
