"""Output files: atomic, never into a missing folder, and "only if absent"
atomic too, so two writers racing for one new name cannot both win."""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat

import pytest

from mapapp.errors import OptionError, OutputError
from mapapp.files import check_output, write_output


def names(directory):
    return sorted(p.name for p in directory.iterdir())


def test_a_new_file_is_written_whole_with_shared_permissions(tmp_path):
    target = write_output(tmp_path / "out.txt", "hello", overwrite=False)
    assert target.read_text(encoding="utf-8") == "hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert names(tmp_path) == ["out.txt"]


def test_an_existing_file_needs_overwrite(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(OptionError, match="exists; pass --overwrite"):
        write_output(target, b"new", overwrite=False)
    assert target.read_bytes() == b"old" and names(tmp_path) == ["out.bin"]
    write_output(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new" and names(tmp_path) == ["out.bin"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_missing_folder_is_not_created(tmp_path, overwrite):
    with pytest.raises(OutputError, match="does not exist"):
        write_output(tmp_path / "no" / "such" / "out.txt", "x", overwrite=overwrite)
    assert names(tmp_path) == []


def test_a_folder_is_not_a_file_name(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(OptionError, match="is a folder"):
        write_output(tmp_path / "out", "x", overwrite=True)


def test_a_dangling_link_counts_as_existing(tmp_path):
    link = tmp_path / "out.txt"
    link.symlink_to(tmp_path / "elsewhere.txt")
    with pytest.raises(OptionError, match="exists"):
        write_output(link, "x", overwrite=False)
    assert names(tmp_path) == ["out.txt"]  # the link's target was not created


def test_a_file_that_appears_after_the_check_is_not_replaced(tmp_path, monkeypatch):
    # Another process writes the same name between our check and our link.
    target = tmp_path / "out.txt"
    real_link = os.link

    def link_after_another_writer(src, dst):
        target.write_text("theirs", encoding="utf-8")
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", link_after_another_writer)
    with pytest.raises(OptionError, match="exists; pass --overwrite") as info:
        write_output(target, "ours", overwrite=False)
    assert info.value.__cause__ is None  # one line, no chained FileExistsError
    assert target.read_text(encoding="utf-8") == "theirs" and names(tmp_path) == ["out.txt"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP])
def test_without_hard_links_an_exclusive_create_is_used(tmp_path, monkeypatch, code):
    def no_links(src, dst):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    target = write_output(tmp_path / "out.txt", "ours", overwrite=False)
    assert target.read_text(encoding="utf-8") == "ours" and names(tmp_path) == ["out.txt"]


def test_without_hard_links_a_file_that_appeared_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"

    def no_links(src, dst):
        target.write_text("theirs", encoding="utf-8")
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(OptionError, match="exists"):
        write_output(target, "ours", overwrite=False)
    assert target.read_text(encoding="utf-8") == "theirs" and names(tmp_path) == ["out.txt"]


def test_without_hard_links_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    real_fsync, calls = os.fsync, []

    def full_disk_on_second_file(fd):
        calls.append(fd)
        if len(calls) == 2:  # the first is the temporary file, the second the output
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk_on_second_file)
    with pytest.raises(OutputError, match="No space left"):
        write_output(tmp_path / "out.txt", "ours", overwrite=False)
    assert names(tmp_path) == []


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_failed_write_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch, overwrite):
    target = tmp_path / "out.txt"
    if overwrite:
        target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace" if overwrite else "link", broken)
    with pytest.raises(OutputError, match=f"cannot write {target}: Input/output error"):
        write_output(target, "new", overwrite=overwrite)
    assert names(tmp_path) == (["out.txt"] if overwrite else [])
    if overwrite:
        assert target.read_text(encoding="utf-8") == "old"


def test_check_output_messages(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output(tmp_path / "file" / "out.txt", overwrite=True)
    with pytest.raises(OptionError, match="exists"):
        check_output(tmp_path / "file", overwrite=False)
    assert check_output(tmp_path / "file", overwrite=True) == tmp_path / "file"


# -- racing processes -------------------------------------------------------------------------

RACERS = 6
SIZE = 2_000_000  # large enough that writers overlap


def _race(path: str, racer: int, overwrite: bool, barrier, results) -> None:
    data = bytes([65 + racer]) * SIZE
    barrier.wait()
    try:
        write_output(path, data, overwrite=overwrite)
    except OptionError as err:
        results.put((racer, str(err)))
    else:
        results.put((racer, "ok"))


@pytest.mark.parametrize("overwrite", [False, True])
def test_racing_writers_never_mix_and_only_one_creates(tmp_path, overwrite):
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    barrier, results = context.Barrier(RACERS), context.Queue()
    target = tmp_path / "same.bin"
    racers = [context.Process(target=_race, args=(str(target), n, overwrite, barrier, results))
              for n in range(RACERS)]
    for racer in racers:
        racer.start()
    outcome = dict(results.get(timeout=60) for _ in racers)
    for racer in racers:
        racer.join(timeout=60)
    winners = [n for n, said in outcome.items() if said == "ok"]
    if overwrite:
        assert len(winners) == RACERS
    else:
        assert len(winners) == 1
        assert all("exists; pass --overwrite" in said
                   for n, said in outcome.items() if n not in winners)
    data = target.read_bytes()
    assert len(data) == SIZE and len(set(data)) == 1  # one writer's bytes, whole
    if not overwrite:
        assert data[0] == 65 + winners[0]
    assert names(tmp_path) == ["same.bin"]
