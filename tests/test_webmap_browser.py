"""Smoke test in a real browser: the offline map draws with no network.

Runs Debian's Chromium through Playwright.  A missing browser is a
failure, not a skip.  On failure a screenshot goes to ``test-artifacts/``.
"""

import re

import pytest

from mapapp.web import map as webmap
from mapapp.web import resources as assets

from browser_support import launch_chromium, open_offline_page
from webmap_fixtures import EVIL, feature, synthetic_map

pytestmark = pytest.mark.browser

TILE_HOSTS = re.compile(r"^https://(server\.arcgisonline\.com|tile\.openstreetmap\.org|[a-d]\.basemaps\.cartocdn\.com)/")

# Elements that must be in the DOM once the map has drawn.
EXPECTED = {
    "strike marker": ".mapapp-marker.mapapp-f-kyiv-strike",
    "explosion marker": ".mapapp-marker.mapapp-f-przewodow-explosion",
    "front line": "path.mapapp-f-front-line.mapapp-layer-front_lines",
    "former front line": "path.mapapp-f-former-front-line",
    "Russian-held area": "path.mapapp-f-russian-held.mapapp-layer-control_areas",
    "returned area": "path.mapapp-f-returned-west-bank",
    "hatch pattern": "#mapapp-hatch-russian_held",
    "basemap": "path.mapapp-basemap",
    "layer control": ".leaflet-control-layers",
    "scale bar": ".leaflet-control-scale",
    "full-screen button": ".leaflet-control-zoom-fullscreen",
    "legend": ".mapapp-legend",
}


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as b:
        yield b


def open_map(browser, path, request):
    """Open ``path``; abort and record every request that is not file://."""
    return open_offline_page(browser, path.as_uri(), request, viewport=(1200, 800),
                             allow=("file://",))


def assert_drawn(page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("window.L !== undefined && L.version === '1.9.3'", timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail("Leaflet 1.9.3 never loaded (window.L undefined)")
    for what, selector in EXPECTED.items():
        try:
            page.wait_for_selector(selector, state="attached", timeout=10_000)
        except PlaywrightTimeout:
            pytest.fail(f"{what} ({selector}) never appeared in the DOM")


def test_offline_inline_map_draws_without_network(browser, tmp_path, request):
    html = webmap.save_html(webmap.build_map(synthetic_map(), inline_assets=True), tmp_path / "map.html")
    page, outside, errors, dialogs = open_map(browser, html, request)
    assert_drawn(page)
    assert page.locator(".mapapp-marker.mapapp-layer-strikes").count() == 4

    # the hostile name shows as text in its popup and runs nothing
    page.locator(".mapapp-f-evil").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(state="visible", timeout=5_000)
    assert EVIL in popup.inner_text()
    assert popup.locator("script, img").count() == 0

    page.wait_for_timeout(300)
    assert errors == [], errors
    assert dialogs == [], dialogs
    assert outside == [], f"offline page asked the network for: {outside}"


def test_served_assets_resolve_relative_images(browser, tmp_path, request):
    # The Streamlit layout: files from install_static, pages pointing at them.
    assets.install_static(tmp_path / "static")
    base = (tmp_path / "static" / "vendor").as_uri()
    html = webmap.save_html(webmap.build_map(synthetic_map(), asset_base=base), tmp_path / "map.html")
    page, outside, errors, _ = open_map(browser, html, request)
    assert_drawn(page)
    icon = page.evaluate("getComputedStyle(document.querySelector('.fullscreen-icon')).backgroundImage")
    assert "icon-fullscreen.svg" in icon
    assert errors == [] and outside == []


def test_online_basemap_only_asks_for_tiles(browser, tmp_path, request):
    html = webmap.save_html(webmap.build_map(synthetic_map(), basemap="osm", inline_assets=True),
                            tmp_path / "map.html")
    page, outside, errors, _ = open_map(browser, html, request)
    assert_drawn(page)
    page.wait_for_timeout(300)
    assert outside, "expected tile requests"
    assert all(TILE_HOSTS.match(url) for url in outside), outside
    assert errors == []


def _marker_boxes(page):
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.mapapp-marker.mapapp-layer-fighting svg')).map(n => {
          const r = n.getBoundingClientRect();
          return [r.left + r.width / 2, r.top + r.height / 2, r.width / 2];
        })""")


def test_markers_a_few_km_apart_are_moved_clear_of_each_other(browser, tmp_path, request):
    # Robotyne and Novoprokopivka, 4 km apart: one blot at the scale of a front.
    from dataclasses import replace

    from shapely.geometry import Point

    base = synthetic_map()
    villages = (feature("robotyne", "fighting", "fighting", Point(35.834, 47.446)),
                feature("novoprokopivka", "fighting", "fighting", Point(35.836, 47.411)))
    report = replace(base, features=base.features + villages)
    html = webmap.save_html(webmap.build_map(report, inline_assets=True), tmp_path / "map.html")
    page, outside, errors, _dialogs = open_map(browser, html, request)
    assert_drawn(page)
    page.wait_for_selector(".mapapp-marker-leader", state="attached", timeout=10_000)
    (x1, y1, r1), (x2, y2, r2) = _marker_boxes(page)
    assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 0.8 * (r1 + r2)
    assert page.locator(".mapapp-marker-spot").count() == 2  # each true place is marked
    # Names go beside the moved markers, one each.
    names = page.locator(".mapapp-label-place").all_inner_texts()
    assert "Robotyne" in names and "Novoprokopivka" in names

    # Close in, the villages are far apart on screen: nothing is moved.
    page.evaluate("() => { const m = Object.values(window).find(v => v instanceof L.Map);"
                  " m.setView([47.43, 35.835], 13, {animate: false}); }")
    page.wait_for_function("document.querySelectorAll('.mapapp-marker-leader').length === 0",
                           timeout=10_000)
    transforms = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.mapapp-marker.mapapp-layer-fighting svg')).map(n => n.style.translate)""")
    assert transforms == ["", ""]
    assert errors == [] and outside == []
