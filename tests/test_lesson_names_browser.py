"""Issue 11: the names a reader needs are on the lesson's maps too.

The offline lesson (``bundle``) and Present mode in the app step through
the seed lesson at a projector's 1280x720; over its steps every name the
issue lists is written inside the map, each step names the places it
highlights, and no two names overlap.  Screenshots in
``test-artifacts/lesson-names-*.png``.
"""

from __future__ import annotations

import pytest
from browser_support import ARTIFACTS, open_offline_page, serve_app
from test_labels_browser import NAMES, READ, overlap

from mapapp import cli
from mapapp.sources.report_folder import load_report_map

pytestmark = pytest.mark.browser

STORY = "report-2022-11-16"
SIZE = (1280, 720)
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'




# A step's highlighted places keep their name on show in a tooltip, not a label.
READ_TIPS = """() => Array.from(document.querySelectorAll(
    '.leaflet-tooltip-pane .mapapp-tip-name')).map((e) => e.textContent)"""


def step_names(target, story, index: int) -> set[str]:
    """The names written inside this step's map, as labels (checked for
    overlaps) or as the highlighted places' tooltips."""
    tips = set(target.evaluate(READ_TIPS))
    got = target.evaluate(READ)
    view, labels = got["view"], got["labels"]
    inside = [label for label in labels
              if view[0] - 1 <= label["box"][0] and label["box"][2] <= view[2] + 1
              and view[1] - 1 <= label["box"][1] and label["box"][3] <= view[3] + 1]
    assert len(inside) == len(labels), "a name runs off the map"
    for i, a in enumerate(inside):
        assert not any(overlap(a["box"], b["box"]) for b in inside[i + 1:]), a
    return {label["name"] for label in inside} | tips


def missing(wanted, names: set[str]) -> list[str]:
    """The names in ``wanted`` not written; a tooltip's "Kyiv (Київ)" names Kyiv."""
    return sorted(w for w in wanted
                  if not any(n == w or n.startswith(w + " (") for n in names))


def highlighted_places(report_map, step) -> set[str]:
    return {report_map.by_id(fid).name for fid in step.highlight
            if getattr(report_map.by_id(fid).geometry, "geom_type", "") == "Point"}


def test_the_offline_lesson_names_every_place_over_its_steps(browser, story, tmp_path,
                                                             request):
    path = tmp_path / "lesson.html"
    assert cli.main(["bundle", "--story", STORY, "-o", str(path)]) == 0
    page, outside, errors, _ = open_offline_page(browser, path.as_uri(), request,
                                                 viewport=SIZE)
    page.wait_for_selector(".mapapp-label", state="attached", timeout=30_000)
    report_map = load_report_map()
    seen: set[str] = set()
    for index, step in enumerate(story.steps):
        page.wait_for_timeout(2000)  # the map has glided to the step and named it
        names = step_names(page, story, index)
        page.screenshot(path=str(ARTIFACTS / f"lesson-names-bundle-step{index + 1}.png"))
        assert missing(highlighted_places(report_map, step), names) == [], index + 1
        seen |= names
        page.keyboard.press("ArrowRight")
    assert missing(NAMES, seen) == []
    assert outside == [] and errors == []


def test_present_mode_names_every_place_over_its_steps(browser, story):
    report_map = load_report_map()
    with serve_app("streamlit-lesson-names.log") as url:
        page = browser.new_page(viewport={"width": SIZE[0], "height": SIZE[1]})
        try:
            seen: set[str] = set()
            for index, step in enumerate(story.steps):
                page.goto(f"{url}/?mode=present&story={STORY}&step={index + 1}")
                page.wait_for_selector(MAP_FRAME, timeout=60_000)
                frame = page.frame_locator(MAP_FRAME)
                frame.locator(".mapapp-label").first.wait_for(state="attached",
                                                              timeout=60_000)
                page.wait_for_timeout(2500)
                names = step_names(frame.locator("body"), story, index)
                page.screenshot(
                    path=str(ARTIFACTS / f"lesson-names-present-step{index + 1}.png"))
                assert missing(highlighted_places(report_map, step), names) == [], index + 1
                seen |= names
            assert missing(NAMES, seen) == []
        finally:
            page.close()
