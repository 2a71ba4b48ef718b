"""The "New report" page in a real browser: a report is pasted, its places
are marked in the text, previewed on a map, saved, and shown as a map of
its own; text from the report stays text.

A Streamlit server on a copy of the data folder, Debian's Chromium with
every request off this machine refused; screenshots in test-artifacts/.
"""

from __future__ import annotations

import shutil

import pytest
from browser_support import ARTIFACTS, app_page, paste_report, serve_app

from mapapp.sources.report_folder import DATA_DIR

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# How far the page is scrolled, whichever of Streamlit's containers scrolls.
SCROLLED = ("Math.max(window.scrollY, ...[...document.querySelectorAll("
            "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"]')]"
            ".map(e => e.scrollTop))")
# Markup, a template and mathtext in the report itself: all must show as typed.
TRAPS = ("<img src=x onerror=alert(1)>", "{{ 7*7 }}", "$x^2$", "</script><b>bold</b>")
REPORT = f"""Missiles Hit Ukrainian Cities After Kherson Retreat

Wednesday 16/November/2022
The Daily Example

Russian missiles struck Lviv on Tuesday, the mayor said. {TRAPS[0]}

An explosion hit the village of Przewodów in Poland, Polish authorities said. {TRAPS[1]}

Russian forces withdrew from Kherson last week, according to the Ukrainian southern command.

Officials in Kyiv said {TRAPS[2]} and {TRAPS[3]} 🚀 were nothing new.
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review") / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("sources"))
    return folder


@pytest.fixture(scope="module")
def app_url(data):
    with serve_app("streamlit-review.log", MAPAPP_DATA_DIR=str(data)) as url:
        yield url


def test_a_pasted_report_is_marked_previewed_saved_and_mapped(app_url, data, request):
    with app_page(request) as page:
        errors, dialogs = paste_report(page, app_url, REPORT)
        page.get_by_label("Publisher").first.fill("The Daily Example")
        page.get_by_label("Publisher").first.press("Tab")  # let Streamlit take the value
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Find places").click()
        page.get_by_text("Places found").wait_for(timeout=120_000)

        # The text, marked: every mark is the report's own words at its offsets.
        frame = page.frame_locator('iframe[srcdoc*="mapapp-data"]')
        frame.locator("mark").first.wait_for(timeout=30_000)
        shown = frame.locator("#text").text_content()
        assert shown == REPORT  # the traps too, as typed, and the emoji kept its place
        marks = frame.locator("mark").evaluate_all(
            "ms => ms.map(m => [m.textContent, m.dataset.kind, m.classList.contains('dropped')])")
        assert ["Lviv", "settlement", False] in marks
        assert ["Poland", "country", True] in marks  # found, not kept
        # After the emoji: offsets held.  Named only in who says so ("Officials
        # in Kyiv said"), it starts unticked.
        assert ["Kyiv", "settlement", True] in marks
        assert frame.locator("img, b, script:not([type])").count() == 1  # only our own script
        page.screenshot(path=str(ARTIFACTS / "review-marked.png"))

        # The table and the preview map.
        assert page.locator('[data-testid="stDataFrame"]').count() == 1
        preview = page.frame_locator(MAP_FRAME)
        preview.locator(".mapapp-f-missile-lviv").first.wait_for(state="attached",
                                                                 timeout=60_000)
        preview.locator(".mapapp-f-explosion-przewodow").first.wait_for(state="attached",
                                                                        timeout=10_000)

        # Saved as a new source, then shown as a map of its own.
        name = page.get_by_role("textbox", name="Source name")
        name.fill("daily-example")
        name.press("Tab")
        page.wait_for_timeout(500)
        page.get_by_role("button", name="Save as a new source").click()
        show = page.get_by_role("button", name="Show it on the map")
        show.scroll_into_view_if_needed(timeout=60_000)
        assert page.evaluate(SCROLLED) > 300  # the button is far below the page's top
        show.click()
        page.wait_for_function("location.href.includes('report=daily-example')",
                               timeout=60_000)
        page.wait_for_function(
            f"document.querySelectorAll({MAP_FRAME!r}).length === 1", timeout=60_000)
        mapped = page.frame_locator(MAP_FRAME)
        mapped.locator(".mapapp-f-missile-lviv").first.wait_for(state="attached",
                                                                timeout=60_000)
        assert page.get_by_text("Missiles Hit Ukrainian Cities After Kherson Retreat").count()
        # The new map opens at the page's top, not where the button was.
        page.wait_for_function(f"({SCROLLED}) < 5", timeout=10_000)
        assert (data / "sources" / "daily-example" / "report.txt").read_text(
            encoding="utf-8") == REPORT
        assert not dialogs and not errors and not page.outside_requests


def test_the_marked_texts_legend_stays_above_the_text_scrolled_under_it(browser, request,
                                                                         tmp_path):
    # Struck-through marks are translucent, which lifts them above an
    # unlayered sticky legend: scrolled under it, they showed through.
    from browser_support import open_offline_page

    from app.review import highlight_page
    from mapapp.geo.nameindex import load_index
    from mapapp.sources.geoparse.draft import draft_report

    text = "\n\n".join(f"Russian forces attacked Bakhmut, Ukrainian officials said ({n})."
                       for n in range(30))
    draft = draft_report(text, date="2024-02-14", index=load_index())
    page_file = tmp_path / "marked.html"
    page_file.write_text(highlight_page(draft, draft.rows), encoding="utf-8")
    page, outside, errors, _ = open_offline_page(browser, page_file.as_uri(), request,
                                                 viewport=(900, 300))
    dropped = page.locator("mark.dropped")
    assert dropped.count() > 3  # "Russian", "Ukrainian": not kept
    dropped.nth(3).evaluate("mark => mark.scrollIntoView()")
    box = page.locator("#legend").bounding_box()
    covered = page.evaluate("""([x, y, w, h]) => {
        const legend = document.getElementById('legend'), out = [];
        for (let dx = 5; dx < w; dx += 7) for (const dy of [h / 3, h / 2, 2 * h / 3]) {
            const e = document.elementFromPoint(x + dx, y + dy);
            if (e && !legend.contains(e)) out.push(e.textContent); }
        return out; }""", [box["x"], box["y"], box["width"], box["height"]])
    assert covered == [] and not errors and not outside
