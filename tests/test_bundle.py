"""The offline lesson bundle in a real browser: no network, steps, highlights.

The bundle is copied away from where it was written before opening, so
nothing beside it (vendor files, data) can be what makes it work.
"""

import dataclasses

import pytest
from browser_support import open_offline_page

from mapapp.classroom.bundle import write_bundle

pytestmark = pytest.mark.browser

EVIL_TITLE = "<script>alert(1)</script> lesson"





def open_page(browser, url, request):
    """Open the lesson offline and wait for it to show its first step."""
    page, outside, errors, dialogs = open_offline_page(browser, url, request)
    page.wait_for_function("window.mapappLesson && window.mapappLesson.step > 0", timeout=15_000)
    return page, outside, errors, dialogs


def wait_settled(page, n):
    page.wait_for_function(f"mapappLesson.step === {n} && !mapappLesson.moving", timeout=10_000)


def view_bounds(page):
    return page.evaluate("""() => { const b = mapappLesson.map.getBounds();
        return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]; }""")


def assert_framed(view, bounds, what):
    (s, w), (n, e) = bounds
    (vs, vw), (vn, ve) = view
    slack = 0.02
    # the whole step is in view ...
    assert vs <= s + slack and vw <= w + slack and vn >= n - slack and ve >= e - slack, \
        f"{what}: view {view} does not contain {bounds}"
    # ... and the view is not much more than the step (fitBounds fills one axis)
    assert min((vn - vs) / (n - s), (ve - vw) / (e - w)) < 1.6, f"{what}: view {view} too wide"


def assert_highlighted(page, step, report_map, what):
    lit = set(page.evaluate("""() => Array.from(document.querySelectorAll('.mapapp-highlight'))
        .flatMap(el => Array.from(el.classList).filter(c => c.startsWith('mapapp-f-'))
        .map(c => c.slice(9)))"""))
    drawn = {f.id for f in report_map.features if f.geometry is not None}
    layers = {f.id: f.layer for f in report_map.features}
    want = {f for f in step.highlight if f in drawn and layers[f] in step.layers}
    assert lit == want, f"{what}: highlighted {sorted(lit)}, expected {sorted(want)}"
    for feature_id in want:
        assert page.locator(f".mapapp-f-{feature_id}").count() > 0, f"{what}: {feature_id} not drawn"
    # Highlighted places are named on the map; no other place is.
    named = set(page.evaluate("""() => Array.from(
        document.querySelectorAll('.leaflet-tooltip-pane .mapapp-tooltip b'))
        .map(b => b.textContent)"""))
    points = {f.display_name for f in report_map.features
              if f.id in want and f.geometry is not None and f.geometry.geom_type == "Point"}
    assert named == points, f"{what}: named {sorted(named)}, expected {sorted(points)}"


def test_lesson_steps_offline(browser, lesson, story, report_map, request):
    page, outside, errors, dialogs = open_page(browser, lesson.as_uri(), request)
    page.wait_for_selector(".mapapp-marker", state="attached", timeout=10_000)
    total = len(story.steps)
    seen_views = []
    for n, step in enumerate(story.steps, start=1):
        if n > 1:
            page.keyboard.press("ArrowRight")
        wait_settled(page, n)
        what = f"step {n} ({step.id})"
        assert page.locator(".mapapp-lesson-panel .lesson-counter").inner_text() == f"Step {n} of {total}", what
        assert page.locator(".mapapp-lesson-panel .lesson-title").inner_text() == step.title, what
        assert page.locator(".mapapp-lesson-panel .lesson-question").inner_text() == step.question, what
        assert page.evaluate("location.hash") == f"#step-{n}"
        view = view_bounds(page)
        assert_framed(view, step.bounds, what)
        seen_views.append(view)
        assert_highlighted(page, step, report_map, what)
        hidden = [layer for layer in ("strikes", "front_lines", "control_areas", "places")
                  if layer not in step.layers]
        for layer in hidden:
            assert page.locator(f".mapapp-layer-{layer}").count() == 0, f"{what}: {layer} shown"
    assert len({str(v) for v in seen_views}) > 1, "the map view never changed"
    # past the end stays on the last step; Home goes back to the first
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    assert page.locator(".mapapp-lesson-panel .lesson-counter").inner_text() == f"Step {total} of {total}"
    page.keyboard.press("Home")
    wait_settled(page, 1)
    assert page.locator(".mapapp-lesson-panel .lesson-prev").is_disabled()
    page.locator(".mapapp-lesson-panel .lesson-next").click()
    wait_settled(page, 2)
    assert errors == [], errors
    assert dialogs == [], dialogs
    assert outside == [], f"the lesson asked the network for: {outside}"


def test_link_opens_step_3(browser, lesson, story, report_map, request):
    page, outside, errors, _ = open_page(browser, lesson.as_uri() + "#step-3", request)
    wait_settled(page, 3)
    step = story.steps[2]
    assert page.locator(".mapapp-lesson-panel .lesson-counter").inner_text() == f"Step 3 of {len(story.steps)}"
    assert page.locator(".mapapp-lesson-panel .lesson-title").inner_text() == step.title
    page.wait_for_timeout(300)  # let any resize re-fit run
    assert_framed(view_bounds(page), step.bounds, "step 3 by link")
    assert_highlighted(page, step, report_map, "step 3 by link")
    assert errors == [] and outside == []


def test_hostile_title_is_text(browser, story, report_map, tmp_path, request):
    evil = dataclasses.replace(
        story, title=EVIL_TITLE,
        steps=(dataclasses.replace(story.steps[0], title=EVIL_TITLE,
                                   text="<img src=x onerror=alert(2)>"),) + story.steps[1:])
    path = write_bundle(report_map, evil, tmp_path / "evil.html")
    page, outside, errors, dialogs = open_page(browser, path.as_uri(), request)
    wait_settled(page, 1)
    assert page.locator(".mapapp-lesson-panel .lesson-story").text_content() == EVIL_TITLE
    assert page.locator(".mapapp-lesson-panel .lesson-title").inner_text() == EVIL_TITLE
    assert page.locator(".mapapp-lesson-panel .lesson-text").inner_text() == "<img src=x onerror=alert(2)>"
    assert page.locator(".mapapp-lesson-panel script, .mapapp-lesson-panel img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == [], dialogs
    assert errors == [] and outside == []


def test_print_has_one_page_per_step(browser, lesson, story, request):
    page, _, _, _ = open_page(browser, lesson.as_uri(), request)
    page.emulate_media(media="print")
    sections = page.locator(".mapapp-lesson-print section")
    assert sections.count() == len(story.steps)
    assert sections.nth(4).locator("h2").inner_text() == story.steps[4].title
    # each page carries its map, under the title (the PDF itself is checked
    # in test_lesson_print_browser.py)
    assert sections.locator("h2 + figure.lesson-map img").count() == len(story.steps)
    assert sections.nth(4).locator(".lesson-map img").get_attribute("alt") == \
        f"Map for step 5: {story.steps[4].title}"
    assert page.locator(".mapapp-lesson-panel").is_hidden()
    assert page.locator(".folium-map").is_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('.mapapp-lesson-print section'))"
                         ".breakAfter") == "page"
