"""Browser snapshots: exact size, a real picture, no outside requests; a
publishable image (title, subtitle, legend, credits, place names, no map
controls, framed on the content); hostile titles as literal text; and a
clear error with the install hint when there is no browser.

The tests marked ``browser`` drive Debian's Chromium through Playwright; a
missing browser fails them (as in the other browser tests).  They read the
page's DOM just before the photograph (``capture(inspect=...)``) and keep
the snapshots in ``test-artifacts/``.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys

import pytest
from browser_support import ARTIFACTS, CHROMIUM
from PIL import Image, ImageStat

from mapapp.cli import main
from mapapp.errors import AssetError, OptionError
from mapapp.model import Feature, ReportMap
from mapapp.static.figure import credit_parts, default_subtitle
from mapapp.static.presets import resolve_spec
from mapapp.view import INITIAL_BOUNDS, ViewState
from mapapp.web import snapshot as snap

FRAME = ((45.5, 29.5), (48.5, 36.0))  # the lower Dnipro, Kherson to Zaporizhzhia
HOSTILE_TITLE = "<img src=x onerror=alert(1)> {{7*7}}"
HOSTILE_SUBTITLE = "{{7*7}} <script>alert(2)</script> ${7*7}"
BASEMAP_CREDIT = "Basemap: Natural Earth; rivers: GSHHG"
# Names the social card must show: the report's places, the river, the
# reservoir and both seas (issue 11).
SOCIAL_NAMES = {"Kyiv", "Kharkiv", "Lviv", "Kherson", "Bakhmut", "Melitopol", "Crimea",
                "Dnipro", "Kakhovka Reservoir", "Black Sea", "Sea of Azov"}

# The page as photographed: boxes (CSS px) and texts of what the tests check;
# ``frame`` ((south, west), (north, east)) is given the box it takes on the map.
LAYOUT_JS = """(frame) => {
  const box = (e) => {
    if (!e) { return null; }
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            shown: r.width > 0 && r.height > 0 && s.display !== 'none'
                   && s.visibility !== 'hidden'};
  };
  const all = (sel) => Array.from(document.querySelectorAll(sel));
  const one = (sel) => document.querySelector(sel);
  const tags = (sel) => all(sel + ', ' + sel + ' *').map((e) => e.tagName.toLowerCase());
  const map = Object.values(window).find((v) => v instanceof L.Map);
  const b = map.getBounds();
  const origin = map.getContainer().getBoundingClientRect();
  const at = (lat, lng) => map.latLngToContainerPoint([lat, lng]);
  const frameBox = frame && {left: origin.left + at(frame[0][0], frame[0][1]).x,
                             bottom: origin.top + at(frame[0][0], frame[0][1]).y,
                             right: origin.left + at(frame[1][0], frame[1][1]).x,
                             top: origin.top + at(frame[1][0], frame[1][1]).y};
  return {
    frame: frameBox,
    viewport: [innerWidth, innerHeight],
    controls: {
      zoom: all('.leaflet-control-zoom').map(box),
      layers: all('.leaflet-control-layers').map(box),
      fullscreen: all('.leaflet-control-zoom-fullscreen').map(box),
      attribution: all('.leaflet-control-attribution').map(box)},
    map: box(map.getContainer()),
    bounds: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]],
    title: {box: box(one('.mapapp-snapshot-title')),
            text: one('.mapapp-snapshot-title')?.textContent},
    subtitle: {box: box(one('.mapapp-snapshot-subtitle')),
               text: one('.mapapp-snapshot-subtitle')?.textContent},
    credits: {box: box(one('.mapapp-snapshot-credits')),
              text: one('.mapapp-snapshot-credits')?.textContent},
    tags: tags('.mapapp-snapshot-head').concat(tags('.mapapp-snapshot-credits')),
    legend: {box: box(one('.mapapp-legend')), open: one('.mapapp-legend details')?.open,
             text: one('.mapapp-legend')?.textContent},
    markers: all('.mapapp-marker').map((e) => Object.assign(box(e), {cls: e.className})),
    labels: all('.mapapp-label > span').map((e) => Object.assign(box(e), {text: e.textContent})),
  };
}"""


def require_chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium`", pytrace=False)


def assert_a_picture(image: Image.Image):
    """Not blank: many colours and real contrast."""
    rgb = image.convert("RGB")
    assert max(ImageStat.Stat(rgb).stddev) > 15
    colours = rgb.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 100


def inside(inner: dict, outer: dict | list, slack: float = 0.5) -> bool:
    """``inner`` (a box) lies within ``outer`` (a box, or a viewport [w, h])."""
    if isinstance(outer, list):
        outer = {"left": 0, "top": 0, "right": outer[0], "bottom": outer[1]}
    return (inner["left"] >= outer["left"] - slack and inner["top"] >= outer["top"] - slack
            and inner["right"] <= outer["right"] + slack
            and inner["bottom"] <= outer["bottom"] + slack)


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] \
        and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def centre(box: dict) -> dict:
    x, y = (box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2
    return {"left": x, "right": x, "top": y, "bottom": y}


def assert_no_controls(layout: dict):
    controls = layout["controls"]
    # The page has them (the selectors are right) and none is shown.
    assert controls["zoom"] and controls["layers"] and controls["fullscreen"]
    shown = {name: boxes for name, boxes in controls.items() if any(b["shown"] for b in boxes)}
    assert shown == {}, f"controls on the image: {shown}"


def assert_dressed(layout: dict):
    """Title, subtitle, open legend and credits are shown, inside the
    image; title above the map, credits below it, legend on it."""
    view, map_box = layout["viewport"], layout["map"]
    for part in ("title", "subtitle", "credits", "legend"):
        box = layout[part]["box"]
        assert box and box["shown"], f"no {part} on the image"
        assert inside(box, view), f"the {part} runs off the image: {box}"
    assert layout["legend"]["open"] is True
    assert layout["title"]["box"]["bottom"] <= layout["subtitle"]["box"]["top"] + 0.5
    assert layout["subtitle"]["box"]["bottom"] <= map_box["top"] + 0.5
    assert layout["credits"]["box"]["top"] >= map_box["bottom"] - 0.5
    assert inside(layout["legend"]["box"], map_box)
    # Text only: no element but the ones snapshot.js makes.
    assert set(layout["tags"]) <= {"header", "h1", "p", "bdi", "footer"}, layout["tags"]


def assert_framed_clear_of_the_legend(layout: dict):
    """The content's frame is on the map, off the legend, and fills the
    room beside or above the legend in at least one direction (Leaflet
    zooms in quarter steps: up to 2**0.25 looser than exact)."""
    frame, map_box, legend = layout["frame"], layout["map"], layout["legend"]["box"]
    assert inside(frame, map_box, slack=1) and not overlap(frame, legend), (frame, legend)
    width, height = frame["right"] - frame["left"], frame["bottom"] - frame["top"]
    map_w, map_h = map_box["right"] - map_box["left"], map_box["bottom"] - map_box["top"]
    legend_w, legend_h = legend["right"] - legend["left"], legend["bottom"] - legend["top"]
    rooms = [(map_w - legend_w, map_h), (map_w, map_h - legend_h)]
    assert any(width >= 0.8 * (w - 24) or height >= 0.8 * (h - 24) for w, h in rooms)


def paper_band(image: Image.Image, top: float, bottom: float) -> tuple[float, float]:
    """Share of white (paper) and of dark (text) pixels in a band of rows."""
    band = image.convert("L").crop((0, round(top), image.width, round(bottom)))
    hist = band.histogram()
    total = sum(hist)
    return sum(hist[245:]) / total, sum(hist[:100]) / total


@pytest.mark.browser
def test_snapshot_of_the_social_preset(report_map, tmp_path, monkeypatch):
    require_chromium()
    layouts = []
    capture = snap.capture
    monkeypatch.setattr(snap, "capture", lambda *a, **k: capture(
        *a, **k, inspect=lambda page: layouts.append(
            page.evaluate(LAYOUT_JS, snap.content_bounds(report_map)))))
    path, shot = snap.snapshot(report_map, tmp_path / "map.png", preset="social")
    shutil.copy(path, ARTIFACTS / "snapshot-social.png")
    assert shot.blocked == (), f"the offline map asked the network for {shot.blocked}"
    assert shot.errors == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]

    [layout] = layouts
    assert layout["viewport"] == [1200, 675]
    assert_no_controls(layout)
    assert_dressed(layout)
    assert layout["title"]["text"] == report_map.report.headline
    assert layout["subtitle"]["text"] == default_subtitle(report_map)
    credits = layout["credits"]["text"]
    assert credits == " · ".join(credit_parts(report_map))
    assert BASEMAP_CREDIT in credits and report_map.report.headline in credits
    assert "Front line" in layout["legend"]["text"] and "Status" in layout["legend"]["text"]

    # Framed on the content: every marker of the report on the map, none
    # under the legend; the view is the report's region, not the app's
    # first view of all Ukraine and its neighbours.
    legend = layout["legend"]["box"]
    assert len(layout["markers"]) >= 10
    for marker in layout["markers"]:
        assert inside(centre(marker), layout["map"]), marker["cls"]
        assert not overlap(marker, legend), f"under the legend: {marker['cls']}"
    assert_framed_clear_of_the_legend(layout)

    # Names: the report's places, river, reservoir and seas, on the map and
    # never under the legend.
    assert SOCIAL_NAMES <= set(shot.names), SOCIAL_NAMES - set(shot.names)
    assert sorted(label["text"] for label in layout["labels"]) == sorted(shot.names)
    for label in layout["labels"]:
        assert inside(label, layout["map"], slack=1), label["text"]
        assert not overlap(label, legend), f"{label['text']!r} under the legend"

    with Image.open(path) as image:
        assert image.size == (1200, 675)
        assert image.info["dpi"] == pytest.approx((100, 100), abs=0.05)
        assert_a_picture(image)
        # The title band is paper with dark type on it, as is the credits line.
        white, dark = paper_band(image, layout["title"]["box"]["top"],
                                 layout["title"]["box"]["bottom"])
        assert white > 0.6 and dark > 0.02
        white, dark = paper_band(image, layout["credits"]["box"]["top"] + 1, image.height)
        assert white > 0.6 and dark > 0.002


@pytest.mark.browser
def test_snapshot_command_with_size_dpi_bounds_and_layers(tmp_path, capsys):
    require_chromium()
    target = tmp_path / "dnipro.png"
    assert main(["snapshot", "--size", "500x300", "--dpi", "200", "--layers",
                 "front_lines,control_areas", "--bounds", "45.5,29.5,48.5,36",
                 "--title", "Lower Dnipro", "--subtitle", "", "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err, captured.err
    assert "500x300 px at 200 dpi" in captured.out
    with Image.open(target) as image:
        assert image.size == (500, 300)  # 250x150 CSS pixels at 2x
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.05)
        assert_a_picture(image)
    shutil.copy(target, ARTIFACTS / "snapshot-dnipro.png")


@pytest.mark.browser
def test_hostile_titles_are_literal_text_and_bounds_are_kept(report_map):
    """A headline (data) and a subtitle (an option) full of markup and
    template syntax come out as the very characters typed; nothing runs.
    The view's bounds ("as on screen") are the frame, not the content."""
    require_chromium()
    hostile = dataclasses.replace(report_map, report=dataclasses.replace(
        report_map.report, headline=HOSTILE_TITLE, publisher="{{7*7}} <b>Press</b>"))
    layouts = []

    def look(page):
        injected = page.evaluate("() => document.querySelectorAll("
                                 "'img[src=x], script:not([src]):empty ~ img, body > img').length")
        layouts.append((page.evaluate(LAYOUT_JS, None), injected))

    shot = snap.capture(hostile, spec=resolve_spec(preset="square"),
                        view=ViewState(bounds=FRAME), subtitle=HOSTILE_SUBTITLE, inspect=look)
    (ARTIFACTS / "snapshot-hostile.png").write_bytes(shot.png)
    assert shot.errors == (), shot.errors  # no script error, no alert dialog
    assert shot.blocked == ()  # the <img src=x> never loaded
    [(layout, injected)] = layouts
    assert injected == 0
    assert layout["title"]["text"] == HOSTILE_TITLE
    assert layout["subtitle"]["text"] == HOSTILE_SUBTITLE
    assert "49" not in layout["title"]["text"] + layout["subtitle"]["text"]
    assert f"“{HOSTILE_TITLE}”" in layout["credits"]["text"]
    assert "{{7*7}} <b>Press</b>" in layout["credits"]["text"]
    assert_no_controls(layout)
    assert_dressed(layout)
    # The frame asked for is all on the map, and not much more.
    (south, west), (north, east) = layout["bounds"]
    (s0, w0), (n0, e0) = FRAME
    assert south <= s0 and west <= w0 and north >= n0 and east >= e0
    assert min((north - south) / (n0 - s0), (east - west) / (e0 - w0)) < 1.3


@pytest.mark.browser
def test_the_snapshot_is_framed_on_what_it_shows(report_map):
    """Front line and areas only: the frame is theirs (the south-east), not
    the app's first view of all Ukraine, and stays clear of the legend."""
    require_chromium()
    view = ViewState(layers=["front_lines", "control_areas"])
    layouts = []
    shot = snap.capture(report_map, spec=resolve_spec(size="900x700"), view=view,
                        inspect=lambda page: layouts.append(
                            page.evaluate(LAYOUT_JS, snap.content_bounds(report_map, view))))
    (ARTIFACTS / "snapshot-front-only.png").write_bytes(shot.png)
    assert shot.errors == () and shot.blocked == ()
    [layout] = layouts
    assert_no_controls(layout)
    assert_dressed(layout)
    assert_framed_clear_of_the_legend(layout)
    # The tight fit above is what tells content framing from the app's first
    # view (the front and areas take 60% of its height, 45% of its width);
    # on the map, that first view's height does not fit.
    (south, _), (north, _) = layout["bounds"]
    (s0, _), (n0, _) = INITIAL_BOUNDS
    assert north - south < n0 - s0, layout["bounds"]
    assert {"Sea of Azov", "Dnipro"} <= set(shot.names)


# A resize of the map's box that the page observes only after the snapshot
# has framed the map (as on a busy machine): the view before and after.
LATE_RESIZE_JS = """async () => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const view = () => [map.getCenter().lat, map.getCenter().lng, map.getZoom()];
  const before = view();
  const box = map.getContainer();
  box.style.width = (box.offsetWidth - 1) + 'px';
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  box.style.width = '';
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  if (map._animatingZoom) { await new Promise(r => map.once('zoomend', r)); }
  return {before: before, after: view()};
}"""


@pytest.mark.browser
def test_a_late_resize_keeps_the_snapshot_frame(report_map):
    """The page re-fits its first view when its box changes size (for
    Streamlit's late layout); once the snapshot has framed the map, a
    resize observed late keeps that frame rather than putting the first
    view back (this made the content frame land on the legend at times)."""
    require_chromium()
    views = []
    snap.capture(report_map, spec=resolve_spec(size="900x700"),
                 view=ViewState(layers=["front_lines", "control_areas"]),
                 inspect=lambda page: views.append(page.evaluate(LATE_RESIZE_JS)))
    [seen] = views
    assert seen["after"][2] == seen["before"][2], seen
    assert seen["after"][:2] == pytest.approx(seen["before"][:2], abs=0.05), seen


# A page that moves the map off every fit, a frame later, as a late
# re-fit would: the snapshot cannot hold it and must say so.
RESTLESS_FRAME_JS = """(o) => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.on('moveend', () => requestAnimationFrame(() => {
    if (!map._restless) { map._restless = true; map.panBy([40, 0], {animate: false});
                          map._restless = false; }
  }));
  return mapapp.snapshot.frame(o);
}"""


@pytest.mark.browser
def test_a_map_that_will_not_hold_its_frame_is_reported(report_map, monkeypatch):
    require_chromium()
    spec = resolve_spec(size="900x700")
    view = ViewState(layers=["front_lines", "control_areas"])
    assert snap.UNSETTLED not in snap.capture(report_map, spec=spec, view=view).errors
    monkeypatch.setattr(snap, "_FRAME_JS", RESTLESS_FRAME_JS)
    assert snap.UNSETTLED in snap.capture(report_map, spec=spec, view=view).errors


def test_the_page_opens_on_the_requested_bounds(report_map):
    initial = str([list(c) for c in INITIAL_BOUNDS])  # as folium writes it: [[44.0, 22.0], ...]
    setup = '"bounds":' + initial.replace(" ", "")  # as the setup payload has it
    view = ViewState(layers=["front_lines"])
    framed = str([list(c) for c in snap.content_bounds(report_map, view)])
    page = snap.page_html(report_map, view)
    # by default on the content, not on the app's first view
    assert page.count(framed) == 1 and page.count('"bounds":' + framed.replace(" ", "")) == 1
    assert initial not in page and setup not in page
    html = snap.page_html(report_map, ViewState(layers=["front_lines"], bounds=FRAME))
    # both the first fit and mapapp.setup's refit on resize use the new frame
    assert "[[45.5, 29.5], [48.5, 36.0]]" in html and '"bounds":[[45.5,29.5],[48.5,36.0]]' in html
    assert initial not in html and setup not in html and framed not in html
    # The dressing is the snapshot's own: the page (as the app has it) does not carry it.
    assert "mapapp.snapshot" not in html and "mapapp-snapshot" not in html


def _span(bounds):
    (south, west), (north, east) = bounds
    return north - south, east - west


def _holds(bounds, geometry) -> bool:
    (south, west), (north, east) = bounds
    w, s, e, n = geometry.bounds
    return west < w and south < s and e < east and n < north


@pytest.mark.parametrize("layers", [None, ["front_lines"], ["strikes", "places"],
                                    ["control_areas"]])
def test_content_bounds_hold_what_is_shown_with_a_margin(report_map, layers):
    view = ViewState(layers=layers)
    bounds = snap.content_bounds(report_map, view)
    shown = [f for f in view.visible(report_map) if f.geometry is not None]
    assert shown and all(_holds(bounds, f.geometry) for f in shown)
    # No more than the features and their margin (a least span aside).
    w = min(f.geometry.bounds[0] for f in shown)
    e = max(f.geometry.bounds[2] for f in shown)
    assert _span(bounds)[1] == pytest.approx(
        max((e - w) * (1 + 2 * snap.CONTENT_MARGIN), snap.MIN_CONTENT_SPAN))


def test_content_bounds_leave_out_what_is_not_shown(report_map):
    # Far-away mentions (Indonesia) are off by default and do not pull the frame.
    default = snap.content_bounds(report_map)
    assert _span(default)[1] < 25
    front = snap.content_bounds(report_map, ViewState(layers=["front_lines"]))
    assert _span(front)[1] < _span(default)[1]
    # Mentions shown beside the report's places do not set the frame ...
    places = ViewState(layers=["places"])
    assert snap.content_bounds(report_map, ViewState(layers=["places", "mentions"])) \
        == snap.content_bounds(report_map, places)
    # ... alone, they do (as far as a region can reach).
    mentions = snap.content_bounds(report_map, ViewState(layers=["mentions"]))
    assert _span(mentions)[1] > 60


def test_content_bounds_of_one_point_and_of_nothing(report_map):
    kyiv = report_map.by_id("strike-kyiv")
    one = dataclasses.replace(report_map, features=(kyiv,))
    bounds = snap.content_bounds(one, ViewState(layers=["strikes"]))
    assert _span(bounds) == pytest.approx((snap.MIN_CONTENT_SPAN, snap.MIN_CONTENT_SPAN))
    assert _holds(bounds, kyiv.geometry)
    no_geometry = dataclasses.replace(report_map, features=(
        Feature(**{**{f.name: getattr(kyiv, f.name) for f in dataclasses.fields(Feature)},
                   "geometry": None}),))
    assert snap.content_bounds(no_geometry, ViewState(layers=["strikes"])) == INITIAL_BOUNDS
    assert snap.content_bounds(ReportMap.empty()) == INITIAL_BOUNDS


def test_page_texts_default_to_the_static_images_own(report_map):
    texts = snap.page_texts(report_map)
    assert texts == {"title": report_map.report.headline,
                     "subtitle": default_subtitle(report_map),
                     "credits": credit_parts(report_map)}
    assert texts["credits"][0].startswith("Source: ") and BASEMAP_CREDIT in texts["credits"]
    assert snap.page_texts(report_map, title="", subtitle=HOSTILE_SUBTITLE) == {
        **texts, "title": "", "subtitle": HOSTILE_SUBTITLE}


def test_viewport_scales_with_dpi():
    assert snap._viewport(1200, 675, 100) == ({"width": 1200, "height": 675}, 1.0)
    assert snap._viewport(2480, 3508, 300) == ({"width": 827, "height": 1170}, 3.0)


# ---- no browser


def test_a_wrong_browser_setting_is_reported_not_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv(snap.BROWSER_ENV, str(tmp_path / "no-such-chromium"))
    with pytest.raises(AssetError) as info:
        snap.find_browser()
    message = str(info.value)
    assert "no-such-chromium" in message and "$MAPAPP_CHROMIUM" in message
    assert "apt-get install chromium" in message


def test_no_browser_anywhere(monkeypatch, tmp_path):
    monkeypatch.setattr(snap, "DEFAULT_BROWSER", tmp_path / "chromium")
    with pytest.raises(AssetError, match="apt-get install chromium"):
        snap.find_browser(environ={}, which=lambda name: None)


def test_the_browser_is_found_in_order(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert snap.find_browser(fake) == fake
    assert snap.find_browser(environ={snap.BROWSER_ENV: str(fake)}) == fake
    monkeypatch.setattr(snap, "DEFAULT_BROWSER", tmp_path / "absent")
    found = snap.find_browser(environ={}, which=lambda name: f"/opt/{name}"
                              if name == "google-chrome" else None)
    assert str(found) == "/opt/google-chrome"


def test_snapshot_without_a_browser_writes_nothing(report_map, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(snap.BROWSER_ENV, str(tmp_path / "missing"))
    with pytest.raises(AssetError, match="MAPAPP_CHROMIUM"):
        snap.snapshot(report_map, tmp_path / "map.png")
    assert main(["snapshot", "-o", str(tmp_path / "map.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "apt-get install chromium" in err
    assert list(tmp_path.iterdir()) == []


def test_snapshot_without_playwright(report_map, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(AssetError, match="pip install playwright"):
        snap.capture(report_map, spec=resolve_spec(size="400x300"),
                     browser=shutil.which("sh"))


@pytest.mark.parametrize("name, kwargs, words", [
    ("map.jpg", {}, "name it .png"),
    ("map.png", {"size": "0x5"}, "--size"),
    ("map.png", {"title": "Kherson\x07"}, "--title: contains a control character"),
    ("map.png", {"subtitle": "a\x1b[31m"}, "--subtitle: contains a control character"),
    ("map.png", {"view": {"layers": ["nope"]}}, "view must be a ViewState"),
    ("map.png", {"view": lambda: ViewState(layers=["nope"])}, "--layers: unknown nope"),
    ("map.png", {"view": lambda: ViewState(bounds=((53, 22), (44, 41)))}, "--bounds"),
])
def test_snapshot_checks_options_before_the_browser(report_map, tmp_path, name, kwargs, words):
    with pytest.raises(OptionError, match=words):
        # A bad view refuses itself, before the snapshot is even called.
        kwargs = {k: v() if callable(v) else v for k, v in kwargs.items()}
        snap.snapshot(report_map, tmp_path / name, browser=tmp_path / "never-started", **kwargs)
    assert list(tmp_path.iterdir()) == []
