"""A report's text as the user gave it: read, checked, never changed.

Offsets everywhere are into the text exactly as decoded here (UTF-8, no
newline or whitespace normalisation), so a span found today still points at
the same words in the user's file tomorrow.
"""

from __future__ import annotations

from pathlib import Path

from mapapp.errors import DataError

# A long report is some 50 kB of text; 2 MB is a book, not an article.
MAX_TEXT_BYTES = 2 * 1024 * 1024


def _check_size(size: int, *, name: str, limit: int) -> None:
    if size > limit:
        raise DataError(f"{name}: {size:,} bytes is over the {limit:,}-byte limit "
                        f"for a report's text")


def decode_text(data: bytes, *, name: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``data`` as UTF-8 text, or a :class:`DataError` naming ``name`` and why."""
    _check_size(len(data), name=name, limit=limit)
    if b"\x00" in data[:8192]:
        raise DataError(f"{name}: looks like a binary file, not text "
                        f"(save the report as plain UTF-8 text)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{name}: not UTF-8 text (byte {err.start}: "
                        f"{data[err.start:err.start + 1]!r}); save it as UTF-8") from err


def read_text_file(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """A text file's content, decoded as :func:`decode_text` does."""
    try:
        # Refused before a large file is read into memory.
        _check_size(path.stat().st_size, name=str(path), limit=limit)
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read: {err.strerror or err}") from err
    return decode_text(data, name=str(path), limit=limit)


__all__ = ["MAX_TEXT_BYTES", "decode_text", "read_text_file"]
