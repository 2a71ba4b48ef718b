"""Shared fixtures: the real report map, loaded once per test session."""

import pytest

from mapapp.sources.report_folder import load_report_map


@pytest.fixture(scope="session")
def report_map():
    return load_report_map()
