"""Writing files so that a crash or a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OptionError, OutputError


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder
    and :func:`os.replace`, which is atomic: readers see the old file or the
    new one.  On any failure the temporary file is removed and the old file
    is untouched; the ``OSError`` propagates for the caller to translate.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = write_atomic(pathlib.Path(d) / "a" / "b.txt", "hello")
    ...     target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('hello', ['b.txt'])
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these files are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_output(path: Path, *, overwrite: bool) -> Path:
    """OptionError if ``path`` exists and may not be replaced; OutputError
    if its folder is missing or not writable."""
    folder = path.parent
    if path.is_dir():
        raise OptionError(f"output {str(path)!r} is a folder; give a file name")
    if path.exists() and not overwrite:
        raise OptionError(f"output {str(path)!r} exists; pass --overwrite to replace it")
    if not folder.exists():
        raise OutputError(f"cannot write {path}: folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: folder {str(folder)!r} is not writable")
    return path


def write_output(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """:func:`write_atomic` for a file the user asked for: a failure is an
    :class:`OutputError` naming the path, and nothing partial is left."""
    try:
        return write_atomic(path, data)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
