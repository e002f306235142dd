"""Bytes to text: UTF-8 first (with or without BOM), then UTF-16/32 by BOM, then a detected
fallback (charset-normalizer), and a clear refusal for binary data."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Text may hold tabs, newlines and form feeds; other C0 controls in quantity mean binary data.
_TEXT_CONTROLS = {9, 10, 12, 13}
_SAMPLE = 8192


def looks_binary(data: bytes) -> bool:
    """True for data that is no text in any encoding we read (NUL bytes or many controls)."""
    sample = data[:_SAMPLE]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls / len(sample) > 0.05


def _as_western(data: bytes) -> str | None:
    """Windows-1252 (the web's reading of "Latin-1"), when that reading looks like Western text.

    Detectors guess badly on mostly-ASCII files with a few legacy bytes (charset-normalizer
    reads BBC's Latin-1 "\xa3" as Japanese cp932). Western text keeps accented letters a small
    minority of its letters, while Cyrillic or Greek read as cp1252 turns almost every letter
    into an accented one, so the share of non-ASCII letters tells the two apart.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return text
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return text if non_ascii / len(letters) <= 0.25 else None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode `data`, returning (text, encoding used).

    Raises ValueError when the bytes are binary or no encoding fits them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise ValueError(f"starts with a {encoding} byte-order mark but is not {encoding}") from exc
    if looks_binary(data):
        raise ValueError("binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not UTF-8 and no other text encoding fits")
    return str(best), best.encoding
