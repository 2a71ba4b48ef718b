"""Writing files so that a crash or a reader never sees half of one."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from mapapp.errors import OptionError, OutputError


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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_folder(target: Path, fill: Callable[[Path], None], *, prefix: str = ".new-") -> Path:
    """Make the folder ``target`` whole or not at all: ``fill`` writes into a
    temporary folder beside it, which is then renamed into place.  An
    existing ``target`` is swapped out in two renames: a reader between them
    finds no folder for a moment, never half of one; if the second fails,
    the old one goes back.  Whatever ``fill`` raises cancels everything;
    an ``OSError`` propagates for the caller to translate.
    """
    base = Path(target).parent
    base.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    old = None
    try:
        os.chmod(temp, 0o755)  # mkdtemp's 0700 would hide it from an app run by another user
        fill(temp)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".old-", dir=base))
            os.replace(target, old / "x")
            os.replace(temp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, target)
    except BaseException:
        if old is not None:
            if (old / "x").exists() and not target.exists():
                os.replace(old / "x", target)
            shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _write_all(fd: int, payload: bytes) -> None:
    """Write ``payload`` to the open file ``fd`` and close it, on disk."""
    with os.fdopen(fd, "wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())


def _temp_copy(path: Path, data: bytes | str) -> str:
    """``data`` in a new temporary file beside ``path`` (named
    ``.<name>.<random>.tmp``, readable by all), ready to be moved into place;
    on any failure it is removed and the error propagates."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _write_all(fd, _bytes(data))
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; these files are meant to be shared
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def check_output(path: Path, *, overwrite: bool) -> Path:
    """OptionError if ``path`` exists and may not be replaced; OutputError
    if its folder is missing or not writable.

    A check made early, so a command fails before its slow work; the write
    itself (:func:`write_output`) stays safe if the answer changes meanwhile.
    """
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise OptionError(f"output {str(path)!r} is a folder; give a file name")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise _exists(path)
    if not folder.exists():
        raise OutputError(f"cannot write {path}: folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {str(folder)!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: folder {str(folder)!r} is not writable")
    return path


def _exists(path: Path) -> OptionError:
    return OptionError(f"output {str(path)!r} exists; pass --overwrite to replace it")


# link(2) fails with these where a filesystem has no hard links (FAT, exFAT,
# some network and FUSE filesystems); EPERM is Linux's answer for vfat.
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def write_output(path: str | os.PathLike[str], data: bytes | str, *, overwrite: bool) -> Path:
    """Write a file the user asked for, never creating folders, and return it.

    The data goes to a temporary file in the same folder first.  With
    ``overwrite`` it then replaces ``path`` (:func:`os.replace`: readers and
    concurrent writers see one whole file or the other, never a mix).
    Without it, :func:`os.link` puts it at ``path`` only if nothing is
    there, in one step, so of two writers racing for a new name exactly one
    wins and the other gets the same :class:`OptionError` as when the file
    existed from the start.  Any other failure is an :class:`OutputError`
    naming the path; nothing partial is left.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = write_output(pathlib.Path(d) / "a.txt", "one", overwrite=False)
    ...     try:
    ...         write_output(target, "two", overwrite=False)
    ...     except OptionError as err:
    ...         print("refused:", "--overwrite" in str(err))
    ...     _ = write_output(target, "three", overwrite=True)
    ...     target.read_text(), sorted(p.name for p in target.parent.iterdir())
    refused: True
    ('three', ['a.txt'])
    """
    path = check_output(Path(path), overwrite=overwrite)
    tmp: str | None = None
    try:
        tmp = _temp_copy(path, data)
        if overwrite:
            os.replace(tmp, path)
            tmp = None
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise _exists(path) from None
            except OSError as err:
                if err.errno not in _NO_HARD_LINKS:
                    raise
                _create_exclusive(path, _bytes(data))
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from err
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _create_exclusive(path: Path, payload: bytes) -> None:
    """Create ``path`` only if absent, for filesystems without hard links.

    O_EXCL keeps "only if absent" atomic, but not the content: until the
    write ends a reader may see a short file, and a crash can leave one.
    So a failed write removes the file it created (it is ours: O_EXCL
    guarantees nobody else's file was opened).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise _exists(path) from None
    try:
        _write_all(fd, payload)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) while inside.

    The lock belongs to the open file, so it is released when the process
    ends however it ends: a killed writer never leaves the lock held.  Other
    processes wait for it; readers that only read whole files replaced with
    :func:`write_atomic` need no lock.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # Windows: lock the first byte; retries for about ten seconds, then raises
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        yield
    finally:
        os.close(fd)  # closing the file releases its lock
