"""The real thing: a Streamlit server, headless Chromium, no internet.

Starts ``streamlit run streamlit_app.py`` on a free local port, opens it in
Debian's Chromium through Playwright with every non-local request blocked,
and checks what a reader sees: the strikes, the front line and the control
areas drawn; a layer switched off in the sidebar disappears; clicking a
strike shows its details beside the map.  A screenshot is kept in
``test-artifacts/`` (always, and on failure).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from mapapp.sources.report_folder import load_report_map

from browser_support import app_page, launch_chromium, serve_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def app_url():
    with serve_app("streamlit-server.log") as url:
        yield url


@pytest.fixture()
def page(app_url, request):
    with app_page(request) as page:
        # Every websocket frame, to see reruns: a loop would never go quiet.
        page.ws_frames = []

        def watch(ws):
            ws.on("framesent", lambda _: page.ws_frames.append(("sent", time.monotonic())))
            ws.on("framereceived", lambda _: page.ws_frames.append(("received", time.monotonic())))

        page.on("websocket", watch)
        yield page


def map_frame(page):
    """The map's iframe, once there is exactly one: during a rerun Streamlit
    briefly keeps the old one beside the new."""
    page.wait_for_function(f"document.querySelectorAll({MAP_FRAME!r}).length === 1",
                           timeout=30_000)
    return page.frame_locator(MAP_FRAME)


def open_map(page, url):
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator(".leaflet-container").wait_for(state="attached", timeout=60_000)
    return frame


def test_map_draws_every_layer_offline(page, app_url):
    frame = open_map(page, app_url)
    frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached", timeout=30_000)
    for feature_id in ("strike-kharkiv", "strike-lviv", "explosion-przewodow",
                       "front-dnipro-2022-11-15", "area-russian-held-2022-11-15",
                       "area-returned-kherson-2022-11", "place-henichesk"):
        frame.locator(f".mapapp-f-{feature_id}").first.wait_for(state="attached",
                                                                timeout=10_000)
    # Vectors really drawn: the front line is an SVG path with a shape.
    d = frame.locator(".mapapp-f-front-dnipro-2022-11-15").first.get_attribute("d")
    assert d and len(d) > 50
    # Leaflet, its plugins and the basemap came from our own server.
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert page.outside_requests == [], page.outside_requests


def test_switching_a_layer_off_removes_it(page, app_url):
    frame = open_map(page, app_url)
    frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached", timeout=30_000)
    page.get_by_test_id("stSidebar").get_by_text("Strike points").click()
    # Read the new map's DOM directly: while Streamlit swaps the iframe, two
    # exist for a moment, and only a settled single map counts.
    page.wait_for_function(
        """() => { const fs = document.querySelectorAll('%s');
                   const d = fs.length === 1 && fs[0].contentDocument;
                   return !!(d && d.querySelector('.mapapp-f-front-dnipro-2022-11-15')
                             && d.querySelector('.mapapp-f-area-russian-held-2022-11-15')
                             && !d.querySelector('.mapapp-f-strike-kyiv')
                             && !d.querySelector('.mapapp-layer-strikes')); }""" % MAP_FRAME,
        timeout=30_000)
    page.wait_for_url(lambda url: "layers=control_areas%2Cfront_lines%2Cfighting%2Cplaces" in url
                      or "layers=control_areas,front_lines,fighting,places" in url,
                      timeout=10_000)


def frames_between(page, start, end, kind=None):
    return [t for k, t in page.ws_frames if start <= t <= end and (kind is None or k == kind)]


def test_clicking_a_strike_shows_its_details(page, app_url):
    frame = open_map(page, app_url)
    marker = frame.locator(".mapapp-f-explosion-przewodow").first
    marker.wait_for(state="visible", timeout=30_000)
    time.sleep(1.0)
    clicked_at = time.monotonic()
    marker.click()
    # Leaflet's own popup, inside the map...
    frame.locator(".leaflet-popup-content").wait_for(state="visible", timeout=10_000)
    assert "Przewod" in frame.locator(".leaflet-popup-content").inner_text()
    # ...and the full details beside it, from Python.
    page.get_by_text("Russian government (denies)").wait_for(state="visible", timeout=30_000)
    # The address follows at the end of the run, a moment after the text.
    page.wait_for_url(lambda url: "feature=explosion-przewodow" in url, timeout=10_000)
    assert page.outside_requests == []
    # No rerun loop: the click reruns the script, the popup's pan reports a
    # new extent (another rerun), then the page goes quiet.
    time.sleep(4.0)
    now = time.monotonic()
    assert len(frames_between(page, clicked_at, now, "sent")) <= 4
    assert frames_between(page, now - 2.5, now) == []



def scale_bar_km(svg: bytes) -> float:
    """The scale bar's length in km, read from the SVG's text."""
    import re
    texts = re.findall(r"<!-- ([\d.,]+) km -->|>([\d.,]+)\s*km<", svg.decode("utf-8"))
    values = [float((a or b).replace(",", "")) for a, b in texts]
    assert values, "no scale bar text in the SVG"
    return values[0]


def wait_quiet(page, seconds: float = 1.0, timeout: float = 30.0) -> None:
    """Wait until the app has sent and received nothing for ``seconds``: a
    rerun in flight re-renders widgets under the mouse."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        last = max((t for _, t in page.ws_frames), default=0.0)
        if time.monotonic() - last >= seconds:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app never went quiet")


def choose(page, panel, label: str, option: str) -> None:
    """Pick ``option`` in the panel's select box ``label``, as a keyboard user.

    A rerun landing mid-gesture re-renders the list under the pointer, so
    each attempt is checked and repeated if it did not take.
    """
    combo = panel.get_by_role("combobox", name=label)
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(6):
        if combo.input_value() == option:
            return
        wait_quiet(page)
        try:
            combo.focus()
            page.keyboard.press("ArrowDown")
            choice.click(timeout=3_000)
            wait_quiet(page)
        except PlaywrightError:
            page.keyboard.press("Escape")
    assert combo.input_value() == option, f"could not choose {option!r} in {label!r}"


def download_export(page, fmt: str, preset: str, preset_label: str) -> bytes:
    wait_quiet(page)
    panel = page.get_by_test_id("stExpander").filter(has_text="Export a publishable image")
    make = panel.get_by_role("button", name="Make image")
    if not make.is_visible():
        panel.get_by_text("Export a publishable image").click()
        wait_quiet(page)
    choose(page, panel, "Format", fmt.upper())
    choose(page, panel, "Size", preset_label)
    button = panel.get_by_role("button", name=f"Download map-{preset}.{fmt}")
    for _ in range(3):
        # A click that lands while a rerun starts can be dropped by Streamlit:
        # try again until this image's download button shows.
        make.click()
        wait_quiet(page)
        try:
            button.wait_for(state="visible", timeout=15_000)
            break
        except PlaywrightError:
            continue
    with page.expect_download(timeout=30_000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def test_export_from_the_app_frames_the_view_on_screen(page, app_url):
    frame = open_map(page, app_url)
    frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(1500)  # the map reports its extent once drawn
    whole = download_export(page, "svg", "social", "Social media card (16:9)")
    assert b"<svg" in whole[:400] and b"Russia Strikes Ukrainian Cities" in whole
    # The whole of Ukraine needs a scale bar of hundreds of km.
    assert scale_bar_km(whole) >= 250
    # Zoom in three times: "As on screen", the exported image follows the reader's view.
    panel = page.get_by_test_id("stExpander").filter(has_text="Export a publishable image")
    panel.get_by_text("As on screen").click()
    wait_quiet(page)
    for _ in range(3):
        map_frame(page).locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(700)
    wait_quiet(page)
    zoomed = download_export(page, "svg", "square", "Square post (1:1)")
    assert scale_bar_km(zoomed) <= 100
    png = download_export(page, "png", "square", "Square post (1:1)")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1080, 1080)
    assert page.outside_requests == []


def test_present_mode_steps_with_the_arrow_keys(page, app_url):
    page.goto(app_url + "/?mode=present&story=report-2022-11-16&step=2",
              wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator(".mapapp-f-explosion-przewodow.mapapp-selected").first.wait_for(
        state="attached", timeout=60_000)
    # The highlighted place is named on the map without hovering.
    frame.locator(".leaflet-tooltip", has_text="Przewodów").wait_for(state="visible",
                                                                      timeout=10_000)
    page.get_by_text("Step 2 of 6").wait_for(state="visible", timeout=10_000)
    wait_quiet(page)
    page.keyboard.press("ArrowRight")
    page.get_by_text("Step 3 of 6").wait_for(state="visible", timeout=30_000)
    page.wait_for_url(lambda url: "step=3" in url, timeout=10_000)
    page.wait_for_function(
        """() => { const fs = document.querySelectorAll('%s');
                   const d = fs.length === 1 && fs[0].contentDocument;
                   return !!(d && d.querySelector('.mapapp-f-place-kherson.mapapp-selected')
                             && !d.querySelector('.mapapp-layer-strikes')); }""" % MAP_FRAME,
        timeout=30_000)
    wait_quiet(page)
    page.keyboard.press("ArrowLeft")
    page.get_by_text("Step 2 of 6").wait_for(state="visible", timeout=30_000)
    assert page.outside_requests == []


def test_two_readers_never_see_each_others_view(app_url):
    """Two browsers on one server: what one reader does stays in their page."""
    with launch_chromium() as browser:
        first = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        second = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        for page in (first, second):
            page.goto(app_url, wait_until="domcontentloaded")
            page.frame_locator(MAP_FRAME).locator(".mapapp-f-strike-kyiv").first.wait_for(
                state="attached", timeout=60_000)
        # The first reader hides the strikes and picks a feature...
        first.get_by_test_id("stSidebar").get_by_text("Strike points").click()
        first.wait_for_url(lambda url: "layers=" in url, timeout=30_000)
        first.goto(first.url + "&feature=place-kherson", wait_until="domcontentloaded")
        first.get_by_text("Kherson", exact=False).first.wait_for(timeout=30_000)
        # ...the second, reloaded afterwards, still has the default view.
        second.reload(wait_until="domcontentloaded")
        frame = second.frame_locator(MAP_FRAME)
        frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached", timeout=60_000)
        assert "layers=" not in second.url and "feature=" not in second.url
        assert second.get_by_test_id("stSidebar").get_by_role(
            "checkbox", name="Strike points").is_checked()
        browser.close()


def test_plain_text_headings_get_their_style(page, app_url):
    # Data text is st.text (never Markdown); app/app.css makes the headline
    # a heading.  Without the stylesheet it would be body-sized.
    open_map(page, app_url)
    headline = page.locator('[class*="st-key-mapapp_h1_report"] [data-testid="stText"]')
    headline.wait_for(timeout=30_000)
    assert headline.inner_text().startswith("Russia Strikes Ukrainian Cities")
    size = headline.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body = page.locator('[data-testid="stText"]').nth(1).evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 1.8 * body


def shown_details(page) -> tuple[str, str]:
    """The details panel's heading and the feature the address names."""
    heading = page.locator('[class*="st-key-mapapp_h3_details"] [data-testid="stText"]')
    names = heading.all_inner_texts()
    feature = parse_qs(urlparse(page.url).query).get("feature", [""])[0]
    return (names[-1] if names else ""), feature


def test_clicks_and_picks_always_agree(page, app_url):
    """Each click's run races the rerun its popup's pan asks for, which
    carries the picker's old value: the panel and the address must still
    name the feature clicked last, or the one picked last."""
    report_map = load_report_map()
    frame = open_map(page, app_url)
    frame.locator(".mapapp-f-strike-kyiv").first.wait_for(state="attached", timeout=60_000)
    wait_quiet(page)
    sequence = ["strike-kyiv", "explosion-przewodow", "strike-lviv", "strike-kharkiv",
                "place-kherson", "place-henichesk"] * 2
    for n, fid in enumerate(sequence):
        if n % 4 == 3:  # now and then the reader picks one beside the map instead
            fid = "place-bucha"
            panel = page.get_by_test_id("stColumn").filter(has_text="Feature details")
            choose(page, panel, "Feature details", "Bucha (Буча) (other places)")
        else:
            # A click event on the marker itself: a popup left open may cover it.
            map_frame(page).locator(f".mapapp-f-{fid}").first.dispatch_event("click")
        expected = (report_map.by_id(fid).display_name, fid)
        deadline = time.monotonic() + 20
        while shown_details(page) != expected and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        # Then the reruns that raced the click's must not take it back.
        wait_quiet(page, 1.5)
        assert shown_details(page) == expected, f"step {n}"
    assert page.outside_requests == []


def test_a_missing_lesson_stays_reported(page, app_url):
    # The map's first report of its extent reruns the script (the link was
    # rewritten by then): the error must still be there, until dismissed.
    page.goto(app_url + "/?mode=present&story=nope", wait_until="domcontentloaded")
    map_frame(page).locator(".mapapp-f-explosion-przewodow").first.wait_for(
        state="attached", timeout=60_000)
    page.wait_for_timeout(1500)
    wait_quiet(page, 1.5)
    error = page.locator(".st-key-mapapp_error_story_link")
    assert error.get_by_test_id("stAlert").inner_text() == \
        "The link names a lesson that does not exist."
    assert "No lesson called “nope”" in error.inner_text()
    assert "story=" not in page.url
    page.get_by_role("button", name="Dismiss").click()
    error.wait_for(state="detached", timeout=30_000)
