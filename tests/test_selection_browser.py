"""Issue 11 in a real browser: the map is the page's main element, and a
feature chosen anywhere (a shared link, the details box, a table row, the
map) is highlighted on the map and brought into view; the link keeps the
map's centre and zoom.

A Streamlit server with the seed report and Debian's Chromium, every
request off this machine refused.  Screenshots go to
``test-artifacts/selection-*.png``.
"""

from __future__ import annotations

import contextlib
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import ARTIFACTS, refuse_outside, serve_app
from test_app_browser import MAP_FRAME, choose, map_frame, wait_quiet

pytestmark = pytest.mark.browser
ROW_PX = 35  # st.dataframe's row height, header included


@pytest.fixture(scope="module")
def app_url():
    with serve_app("streamlit-selection.log") as url:
        yield url



@contextlib.contextmanager
def opened(browser, url: str, size=(1400, 900)):
    """The app at ``url`` in a fresh browser context of ``size``, once its
    map has drawn: ``(page, map frame, refused outside requests)``."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    outside = refuse_outside(context)
    page = context.new_page()
    page.ws_frames = []

    def watch(ws):
        ws.on("framesent", lambda _: page.ws_frames.append(("sent", time.monotonic())))
        ws.on("framereceived", lambda _: page.ws_frames.append(("received", time.monotonic())))

    page.on("websocket", watch)
    try:
        page.goto(url, wait_until="domcontentloaded")
        frame = map_frame(page)
        frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached",
                                                              timeout=60_000)
        page.wait_for_timeout(1500)  # the frame settles and the map reports its view
        yield page, frame, outside
    finally:
        context.close()


def map_view(page) -> dict:
    """The map's centre and zoom, read from Leaflet in the map's frame."""
    frame = page.frame_locator(MAP_FRAME).locator("body")
    return frame.evaluate("() => { const c = window.map.getCenter();"
                          " return {lat: c.lat, lng: c.lng, zoom: window.map.getZoom()}; }")


def in_map(page, frame, fid: str) -> bool:
    """Whether the feature's element lies inside the map's box."""
    box = frame.locator(f".mapapp-f-{fid}").first.bounding_box()
    area = page.locator(MAP_FRAME).bounding_box()
    if not box:
        return False
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return (area["x"] <= cx <= area["x"] + area["width"]
            and area["y"] <= cy <= area["y"] + area["height"])


def halo_on(frame, fid: str) -> bool:
    """Whether the selection halo sits on the feature (their boxes overlap)."""
    halo = frame.locator("path.mapapp-selection")
    if halo.count() != 1:
        return False
    a, b = halo.bounding_box(), frame.locator(f".mapapp-f-{fid}").first.bounding_box()
    return bool(a and b and a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def link(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_until(page, check, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        page.wait_for_timeout(250)
    return check()


@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)])
def test_the_map_is_the_main_element_on_a_wide_screen(browser, app_url, size):
    with opened(browser, app_url, size) as (page, frame, outside):
        area = page.locator(MAP_FRAME).bounding_box()
        main = page.get_by_test_id("stMain").bounding_box()
        details = page.get_by_text("Feature details").first.bounding_box()
        # Most of the page's width and of the window's height, near the top.
        assert area["width"] >= 0.6 * main["width"]
        assert area["height"] >= 0.65 * size[1]
        assert area["y"] <= 0.3 * size[1]
        assert area["y"] + area["height"] <= size[1] + 1
        # The details beside it.
        assert details["x"] >= area["x"] + area["width"]
        # Leaflet fills its frame: no strip of empty frame under the map.
        inner = frame.locator(".leaflet-container").bounding_box()
        assert abs(inner["height"] - area["height"]) <= 2
        page.screenshot(path=str(ARTIFACTS / f"selection-layout-{size[0]}x{size[1]}.png"))
        assert outside == []


def test_on_a_phone_the_details_fall_below_the_map(browser, app_url):
    with opened(browser, app_url, (390, 844)) as (page, frame, _):
        area = page.locator(MAP_FRAME).bounding_box()
        details = page.get_by_text("Feature details").first.bounding_box()
        assert area["width"] >= 0.9 * 390
        assert area["height"] >= 0.6 * 844 and area["y"] + area["height"] <= 844
        assert details["y"] >= area["y"] + area["height"]
        # The layer list is folded into a button there: it would cover the map.
        layers = frame.locator(".leaflet-control-layers").bounding_box()
        assert layers["width"] * layers["height"] < 0.03 * area["width"] * area["height"]
        page.screenshot(path=str(ARTIFACTS / "selection-layout-390x844.png"))


def test_a_shared_link_reopens_its_feature_highlighted_and_in_view(browser, app_url):
    # The link's own position looks at Kherson; its feature is Lviv, far off.
    with opened(
        browser, app_url + "/?feature=strike-lviv&at=46.6,32.6,8") as (page, frame, outside):
        assert wait_until(page, lambda: halo_on(frame, "strike-lviv"))
        assert wait_until(page, lambda: in_map(page, frame, "strike-lviv"))
        # The panel beside the map names it, and the link keeps it.
        page.locator('[class*="st-key-mapapp_h3_details"]').get_by_text("Lviv").wait_for()
        assert link(page)["feature"] == "strike-lviv"
        # The link now says where the map looks: at Lviv, not at Kherson.
        assert wait_until(page, lambda: abs(float(link(page).get("at", "0,0,0").split(",")[0])
                                            - 49.84) < 0.5)
        page.screenshot(path=str(ARTIFACTS / "selection-link.png"))
        assert outside == []


def test_a_link_holds_the_centre_and_zoom(browser, app_url):
    with opened(browser, app_url + "/?at=46.75,33.1,9") as (page, frame, _):
        view = map_view(page)
        assert abs(view["lat"] - 46.75) < 0.02 and abs(view["lng"] - 33.1) < 0.02
        assert view["zoom"] == 9
        # A reader's zoom goes into the link, which reopens there.
        frame.locator(".leaflet-control-zoom-in").click()
        assert wait_until(page, lambda: link(page).get("at", "").endswith(",10"))
        at = link(page)["at"]
        with opened(browser, f"{app_url}/?at={at}") as (page2, _, _):
            assert map_view(page2)["zoom"] == 10


def test_a_bad_position_in_a_link_is_reported_not_fatal(browser, app_url):
    with opened(browser, app_url + "/?at=95,33,9") as (page, _, _):
        note = page.locator(".st-key-mapapp_warning_link")
        note.wait_for(timeout=30_000)
        assert "Ignored a map position in the link" in note.inner_text()


def test_a_pick_beside_the_map_highlights_and_frames_it(browser, app_url):
    with opened(browser, app_url + "/?at=49.8,24.0,9") as (page, frame, _):
        assert not in_map(page, frame, "place-henichesk")
        wait_quiet(page)
        panel = page.get_by_test_id("stColumn").filter(has_text="Feature details")
        choose(page, panel, "Feature details", "Henichesk (Генічеськ) (other places)")
        assert wait_until(page, lambda: halo_on(frame, "place-henichesk"))
        assert wait_until(page, lambda: in_map(page, frame, "place-henichesk"))
        page.screenshot(path=str(ARTIFACTS / "selection-pick.png"))


def test_a_table_row_selects_its_feature_on_the_map(browser, app_url):
    with opened(browser, app_url) as (page, frame, _):
        wait_quiet(page)
        grid = page.get_by_test_id("stDataFrame").first
        grid.scroll_into_view_if_needed()
        wait_quiet(page)
        # The rows are drawn on a canvas; the grid's accessible copy says
        # which row is Przewodów's, and a click on its row marker ticks it.
        rows = grid.locator('[role="row"]')
        names = [re.sub(r"\s+", " ", rows.nth(i).inner_text()) for i in range(rows.count())]
        index = next(i for i, n in enumerate(names) if "Przewodów" in n)  # the header is row 0
        for _ in range(3):
            box = grid.bounding_box()
            page.mouse.click(box["x"] + 16, box["y"] + ROW_PX * index + ROW_PX / 2)
            if wait_until(page, lambda: link(page).get("feature") == "explosion-przewodow", 15):
                break
        assert link(page).get("feature") == "explosion-przewodow"
        assert wait_until(page, lambda: halo_on(frame, "explosion-przewodow"))
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        assert in_map(page, frame, "explosion-przewodow")
        page.screenshot(path=str(ARTIFACTS / "selection-table.png"))


def test_a_click_on_the_map_highlights_at_once(browser, app_url):
    with opened(browser, app_url) as (page, frame, _):
        frame.locator(".mapapp-f-strike-kharkiv").first.dispatch_event("click")
        # Drawn by the page itself, before the app has rerun.
        assert wait_until(page, lambda: halo_on(frame, "strike-kharkiv"), 5)
        assert wait_until(page, lambda: link(page).get("feature") == "strike-kharkiv")
