"""Fixtures of the hostile-input suite: the corpus in a real data folder,
loaded once, and a twin folder with plain words in the same places."""

from __future__ import annotations

from pathlib import Path

import pytest

import hostile_data

# A payload runs `touch` on this path if a template ever evaluates it.
PWNED_MARKER = Path("/tmp/mapapp-pwned")


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    PWNED_MARKER.unlink(missing_ok=True)
    return hostile_data.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def twin(tmp_path_factory):
    """The same folder with a plain word wherever a payload went: the page
    structure must not differ."""
    plain = [{"id": p["id"], "category": "plain", "text": f"Plain {i}"}
             for i, p in enumerate(hostile_data.PAYLOADS)]
    return hostile_data.build(tmp_path_factory.mktemp("twin"), plain)


@pytest.fixture(scope="session")
def hostile_map(hostile):
    from mapapp.sources.report_folder import load_report_map
    return load_report_map(hostile.data_dir, cache_dir=hostile.cache_dir)


@pytest.fixture(scope="session")
def hostile_story(hostile, hostile_map):
    from mapapp.classroom.story import load_story
    return load_story("hostile", report_map=hostile_map, data_dir=hostile.data_dir)


@pytest.fixture(autouse=True)
def nothing_ran():
    """No template may ever run the payload's shell command."""
    yield
    assert not PWNED_MARKER.exists(), "a template evaluated data and ran a shell command"
