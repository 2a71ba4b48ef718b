"""Event sets in the running app, in Chromium: 10,000 events drawn, the
date slider followed without the map being sent again, a click on an event
showing its facts.  A synthetic set (made here) is imported into a copy of
the data folder; every outside request is refused."""

from __future__ import annotations

import shutil
import time

import pytest

from browser_support import app_page, serve_app
from mapapp.sources.report_folder import DATA_DIR
from mapapp.store.catalogue import save_source
from test_store import entry, synthetic

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
N = 10_000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("events-app") / "data"
    shutil.copytree(DATA_DIR, data)
    events = synthetic(N)
    save_source(data, entry("synthetic", events), events)
    with serve_app("streamlit-events.log", MAPAPP_DATA_DIR=str(data)) as url:
        yield url


@pytest.fixture()
def page(app_url, request):
    with app_page(request) as page:
        page.sent = []  # sizes of what the server sends
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda payload: page.sent.append(len(payload))))
        yield page


def shown_count(page) -> int:
    return int(page.frame_locator(MAP_FRAME).locator(".mapapp-map").get_attribute(
        "data-mapapp-events") or -1)


def wait_for_count(page, expected: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if shown_count(page) == expected:
                return
        except Exception:  # the frame is being replaced
            pass
        page.wait_for_timeout(200)
    raise AssertionError(f"the map shows {shown_count(page)} events, not {expected}")


def test_ten_thousand_events_are_drawn_and_follow_the_dates(page, app_url):
    start = time.monotonic()
    page.goto(app_url + "/?sources=synthetic", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".mapapp-events-ready").wait_for(state="attached", timeout=60_000)
    drawn_after = time.monotonic() - start
    wait_for_count(page, N)
    # Drawn: the canvas has painted pixels.
    painted = frame.locator("canvas.mapapp-events").evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }""")
    assert painted > 1000
    assert page.get_by_text(f"{N:,} of {N:,} events from synthetic").is_visible()
    page.wait_for_timeout(1500)

    # Narrow the range from the link's view: type new dates into the slider's keyboard.
    sent_before = sum(page.sent)
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(30):
        page.keyboard.press("ArrowRight")  # the start moves on, a day a key
    # The app may rerun on the first keys before the last: wait for the
    # last day, not for the first new URL (a caption read then is stale).
    page.wait_for_url(lambda url: "from=2022-10-31" in url, timeout=30_000)
    days = synthetic(N)["date_start"]
    expected = int((days >= "2022-10-31").sum())
    assert 0 < expected < N
    wait_for_count(page, expected)
    page.get_by_text(f"{expected:,} of {N:,} events from synthetic, ").wait_for(timeout=30_000)
    # Only the small filter went to the page, not the map or the events again.
    assert sum(page.sent) - sent_before < 2_000_000
    assert page.outside_requests == []
    print(f"first draw of {N:,} events: {drawn_after:.1f} s")  # noqa: T201 (seen with -s)


def test_a_click_on_an_event_shows_its_facts(page, app_url):
    page.goto(app_url + "/?sources=synthetic&from=2022-11-15&to=2022-11-15",
              wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".mapapp-events-ready").wait_for(state="attached", timeout=60_000)
    # Zoom in on the first event shown (points, not counted cells, are drawn
    # there), then click where it is drawn, as the browser reports a click.
    frame.locator(".mapapp-map").evaluate(
        """m => { const layer = window.mapapp.eventsLayer, map = layer._map;
                  map.setView(layer.latlng(layer.keep.indexOf(1)), 9, {animate: false}); }""")
    page.wait_for_timeout(1500)
    clicked = frame.locator(".mapapp-map").evaluate(
        """m => { const layer = window.mapapp.eventsLayer, map = layer._map;
                  const i = layer.drawn.i[0], p = map.latLngToContainerPoint(layer.latlng(i));
                  const r = m.getBoundingClientRect(), x = r.left + p.x, y = r.top + p.y;
                  document.elementFromPoint(x, y).dispatchEvent(new MouseEvent('click',
                      {bubbles: true, cancelable: true, clientX: x, clientY: y}));
                  return layer.d.id[i]; }""")
    frame.locator(".mapapp-event-popup").wait_for(timeout=10_000)
    details = page.locator('[class*="st-key-mapapp_facts_details"]')
    details.get_by_text("Event date").wait_for(timeout=30_000)
    assert "2022-11-15" in details.inner_text()
    assert f"row {int(clicked[1:]) + 2} of" in details.inner_text()  # e<i> is row i + 2
    assert page.outside_requests == []
