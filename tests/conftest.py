"""Shared fixtures: the real report map and its lesson, loaded once per test
session, and a headless Chromium per test module (browser tests only)."""

import shutil

import pytest

from mapapp.classroom.bundle import write_bundle
from mapapp.classroom.story import load_story
from mapapp.sources.report_folder import load_report_map

SEED_STORY = "report-2022-11-16"


@pytest.fixture(scope="session")
def report_map():
    return load_report_map()


@pytest.fixture(scope="session")
def story(report_map):
    """The seed report's lesson."""
    return load_story(SEED_STORY, report_map=report_map)


@pytest.fixture(scope="module")
def lesson(report_map, story, tmp_path_factory):
    """The lesson bundle, copied away from where it was written: nothing
    beside the file can help it."""
    written = write_bundle(report_map, story, tmp_path_factory.mktemp("out") / "lesson.html")
    moved = tmp_path_factory.mktemp("elsewhere") / "copied-lesson.html"
    shutil.copyfile(written, moved)
    return moved


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless (see browser_support)."""
    from browser_support import launch_chromium

    with launch_chromium() as b:
        yield b
