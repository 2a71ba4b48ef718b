"""Fixtures of the malformed-input suite: a pristine copy of the data, and
a copy per case that the case breaks."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from .cases import PROJECT, Case


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """``data/`` and ``geocache/`` as committed, copied once."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(PROJECT / "data", root / "data")
    shutil.copytree(PROJECT / "geocache", root / "geocache")
    return root


def broken_copy(case: Case, pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the data with ``case``'s fault in it, and an empty
    ``out/`` folder for outputs."""
    root = tmp_path / "root"
    shutil.copytree(pristine, root)
    (root / "out").mkdir()
    case.change(root)
    return root


def tree_digest(root: Path) -> dict[str, str]:
    """Every folder and file under ``root`` with a hash of its bytes: any
    write, new file, removal or left-over temporary file changes it."""
    digest: dict[str, str] = {}
    for folder, names, files in os.walk(root):
        for name in names:
            digest[os.path.relpath(os.path.join(folder, name), root)] = "folder"
        for name in files:
            path = os.path.join(folder, name)
            key = os.path.relpath(path, root)
            if os.path.isfile(path):  # a case may plant a pipe; it has no bytes to hash
                with open(path, "rb") as handle:
                    digest[key] = hashlib.file_digest(handle, "sha256").hexdigest()
            else:
                digest[key] = "special"
    return digest
