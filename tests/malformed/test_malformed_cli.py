"""Every broken input through the command line, in-process.

For each case (see :mod:`cases`): the command exits non-zero, prints no
traceback, prints exactly one error line, that line names the file (and the
feature or record and the field the case aims at), and no file under the
data, cache or output folders changed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mapapp.cli import main

from .cases import CASES, FILES
from .conftest import broken_copy, tree_digest


def error_lines(stderr: str) -> list[str]:
    """Our ``error: ...`` lines and argparse's ``prog: error: ...`` line."""
    return [line for line in stderr.splitlines()
            if line.startswith("error: ") or ": error: " in line]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_cli_refuses_with_one_line(case, pristine, tmp_path, capsys):
    root = broken_copy(case, pristine, tmp_path)
    before = tree_digest(root)
    try:
        status = main(case.command(root))
    except SystemExit as exit_:  # argparse refusing an option
        status = exit_.code
    out, err = capsys.readouterr()
    assert status not in (0, None), out + err
    assert "Traceback" not in out + err
    errors = error_lines(err)
    assert len(errors) == 1, err
    for word in case.words(root):
        assert word in errors[0], (word, errors[0])
    assert tree_digest(root) == before


def test_the_suite_covers_every_file_kind_and_fault():
    # At least 300 cases; every kind of file; every family of fault the issue names.
    assert len(CASES) >= 300
    kinds = Counter(case.kind for case in CASES)
    assert set(kinds) == set(FILES) | {"option"}
    breakages = {case.breakage for case in CASES}
    assert {"truncated", "wrong-type", "missing", "nan", "huge", "range", "duplicate",
            "reference", "encoding", "bom", "empty", "large", "deep", "geometry",
            "date", "text", "sides", "option"} <= breakages
    for kind in FILES:  # the byte-level faults reach every kind of file
        assert {"encoding", "bom", "empty", "large", "deep", "nan", "huge", "truncated"} <= {
            case.breakage for case in CASES if case.kind == kind}, kind


def test_a_good_copy_passes(pristine, tmp_path, capsys):
    # The harness itself: the unbroken copy checks clean, so every failure
    # above comes from the case's fault.
    root = tmp_path / "root"
    import shutil
    shutil.copytree(pristine, root)
    assert main(["check", "--data-dir", str(root / "data"),
                 "--cache-dir", str(root / "geocache")]) == 0
    assert not error_lines(capsys.readouterr().err)
    assert Path(root / "data" / "report.json").exists()
