"""Every broken data file through the Streamlit app (AppTest).

The app must not crash (``at.exception`` empty), must show an error box
whose text names the broken file, and must not change anything on disk.
Exception: a corrupt geocache entry for a place GeoNames also knows (Kyiv)
is skipped with a warning naming the entry, and the map still loads.
Stories are read in Present mode, so story cases open ``?mode=present``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from .cases import CASES, PROJECT, STORY_ID
from .conftest import broken_copy, tree_digest

APP = str(PROJECT / "streamlit_app.py")
APP_CASES = [case for case in CASES if case.app]


def shown(elements) -> str:
    # As displayed: without the backslashes that escape Markdown.
    return " ".join(str(element.value) for element in elements).replace("\\", "")


@pytest.mark.parametrize("case", APP_CASES, ids=lambda case: case.id)
def test_app_shows_an_error_and_keeps_running(case, pristine, tmp_path, monkeypatch):
    root = broken_copy(case, pristine, tmp_path)
    before = tree_digest(root)
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("MAPAPP_GEOCACHE_DIR", str(root / "geocache"))
    at = AppTest.from_file(APP, default_timeout=60)
    if case.kind == "story":
        at.query_params.update({"mode": "present", "story": STORY_ID})
    at.run()
    assert not at.exception
    # An alert holds a short headline; the detail under it is plain text
    # (st.text): together they say what the command line says, naming the
    # file, and the record and field the case aims at.
    alert = at.warning if case.kind == "geocache" else at.error
    assert alert and not (case.kind == "geocache" and at.error)
    text = shown(alert) + " " + shown(at.text)
    for word in case.words(root):
        assert word in text, (word, text)
    assert tree_digest(root) == before


def test_every_data_file_kind_reaches_the_app():
    kinds = {case.kind for case in APP_CASES}
    assert kinds == {"report", "features", "places", "front_lines", "story", "geocache",
                     "geocache_cited"}
    assert len(APP_CASES) >= 300
