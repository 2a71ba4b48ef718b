"""The folium web map, checked on its rendered HTML (no browser, no network)."""

import re
from dataclasses import replace

import folium
import pytest

from mapapp.model import LAYER_LABELS
from mapapp.web import map as webmap
from mapapp.web import resources as assets

from webmap_fixtures import EVIL, EVIL_IMG, synthetic_map

RM = synthetic_map()
CDN_MARKERS = ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "fontawesome", "awesome-markers",
               "unpkg.com", "netdna")
TAG_URL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?([^\"' >]+)", re.I)


def html_of(**kw):
    return webmap.render_html(webmap.build_map(RM, **kw))


@pytest.fixture(scope="module")
def offline_html():
    return html_of()


@pytest.fixture(scope="module")
def inline_html():
    return html_of(inline_assets=True)


def test_offline_page_loads_only_local_assets(offline_html):
    urls = TAG_URL.findall(offline_html)
    own = f"/app/static/vendor/{assets._mapapp_prefix()}"
    assert urls == [
        "/app/static/vendor/leaflet/1.9.3/leaflet.js",
        f"{own}/mapapp.js",
        "/app/static/vendor/leaflet/1.9.3/leaflet.css",
        f"{own}/map.css",
        "/app/static/vendor/leaflet.fullscreen/3.0.2/Control.FullScreen.js",
        "/app/static/vendor/leaflet.fullscreen/3.0.2/Control.FullScreen.css",
    ]
    for marker in CDN_MARKERS:
        assert marker not in offline_html
    assert "$(" not in offline_html and "jQuery" not in offline_html


def test_asset_base_is_configurable():
    urls = TAG_URL.findall(html_of(asset_base="/static/v"))
    assert urls and all(u.startswith("/static/v/") for u in urls)


def test_inline_page_has_no_external_script_or_css(inline_html):
    assert TAG_URL.findall(inline_html) == []
    assert not re.search(r"url\(\s*['\"]?https?:", inline_html)
    assert "@import" not in inline_html
    assert "Leaflet 1.9.3" in inline_html and "leaflet.control.fullscreen" in inline_html
    for marker in CDN_MARKERS:
        assert marker not in inline_html
    # the only http(s) links in markup are attribution links (Leaflet's own
    # lives inside its script); xmlns strings are not requests
    hrefs = set(re.findall(r'href=\\?"(https?://[^"\\]+)', inline_html))
    assert hrefs <= {"https://www.naturalearthdata.com/", "https://leafletjs.com",
                     "https://www.soest.hawaii.edu/pwessel/gshhg/"}


def test_online_mode_trims_folium_cdn_list():
    urls = TAG_URL.findall(html_of(offline=False))
    assert len(urls) == 4 and all(u.startswith("https://cdn.jsdelivr.net/npm/leaflet") for u in urls)


def test_controls_scale_fullscreen_and_fit_bounds(offline_html):
    assert "L.control.layers(" in offline_html
    assert "L.control.scale()" in offline_html
    assert "L.control.fullscreen(" in offline_html
    assert re.search(r"fitBounds\(\s*\[\[44\.0, 22\.0\], \[53\.0, 41\.0\]\]", offline_html)


def test_layer_control_uses_layer_labels(offline_html):
    # The first report names no ground fighting at a place: a control for
    # only the layers the map has.
    for layer, label in LAYER_LABELS.items():
        assert (f'"{label}"' in offline_html) == bool(RM.in_layer(layer)), layer
    assert not RM.in_layer("fighting")


def test_legend_lists_only_shown_layers_and_statuses():
    kw = dict(layers={"strikes"}, statuses={"reported", "disputed"})
    legend = webmap.legend_spec(webmap.layer_collections(RM, **kw))
    assert [section["layer"] for section in legend["sections"]] == ["strikes"]
    assert [row["cls"] for row in legend["statuses"]] == [
        "mapapp-legend-status-reported", "mapapp-legend-status-disputed"]
    assert {row["cls"] for row in legend["sections"][0]["rows"]} == {
        "mapapp-legend-type-explosion", "mapapp-legend-type-missile_strike"}
    page = html_of(**kw)
    for other in ("front_lines", "control_areas", "places", "mentions"):
        assert f'"{LAYER_LABELS[other]}"' not in page  # not in the layer control either


def test_legend_uses_the_map_symbols():
    colls = webmap.layer_collections(RM, layers={"strikes"})
    legend = webmap.legend_spec(colls)
    from mapapp import styles

    rows = {row["label"]: row for row in legend["sections"][0]["rows"]}
    assert legend["symbols"][rows["Explosion"]["symbol"]] == styles.legend_swatch_svg("point", "explosion")
    assert legend["note"] == ""
    full = webmap.legend_spec(webmap.layer_collections(RM), front_line_as_of="2022-11-15")
    assert full["note"] == "Lines and areas are approximate, as of 2022-11-15."


@pytest.mark.parametrize("kw, shown, hidden", [
    ({"types": {"explosion"}}, ["przewodow-explosion"], ["kyiv-strike", "front-line"]),
    ({"layers": {"front_lines"}}, ["front-line", "former-front-line"], ["kyiv-strike", "russian-held"]),
    ({"statuses": {"confirmed"}}, ["lviv-strike", "kherson"], ["kyiv-strike", "kharkiv-strike"]),
])
def test_filters_change_which_features_are_drawn(kw, shown, hidden):
    page = html_of(**kw)
    for fid in shown:
        assert f"mapapp-f-{fid} " in page
    for fid in hidden:
        assert f"mapapp-f-{fid} " not in page


def test_untrusted_text_never_reaches_the_page_raw(offline_html):
    for raw in (EVIL, EVIL_IMG, "<script>alert", "<img src=x"):
        assert raw not in offline_html
    # the text itself is there once, as JSON inside the page script (the
    # browser shows it with textContent; see the browser tests)
    # name, claim, and the name again as the place's label on the map
    assert offline_html.count(r"\u003cscript\u003ealert(1)\u003c/script\u003e") == 3
    assert "&lt;script" not in offline_html


def test_hostile_report_headline_is_escaped_in_title():
    rm = replace(RM, report=replace(RM.report, headline="</title><script>alert(3)</script>"))
    page = webmap.render_html(webmap.build_map(rm))
    assert "<script>alert(3)" not in page
    assert "<title>Map: &lt;/title&gt;&lt;script&gt;alert(3)" in page


@pytest.mark.parametrize("kw, needle, credit", [
    ({"basemap": "light"}, "World_Light_Gray_Base", "Esri"),
    ({"basemap": "light", "carto_api_key": "k123"}, "basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png?key=k123",
     "CARTO"),
    ({"basemap": "osm"}, "tile.openstreetmap.org", "OpenStreetMap"),
    ({"basemap": "satellite"}, "World_Imagery", "Esri"),
])
def test_tile_basemaps_come_with_attribution(kw, needle, credit):
    page = html_of(**kw)
    assert needle in page
    assert credit in page
    assert "insert your API key" not in page
    assert webmap.OFFLINE_BASEMAP_NAME in page  # Natural Earth underneath, as a layer
    assert "Natural Earth" in page


def test_offline_basemap_has_no_tiles_and_is_not_switchable(offline_html):
    assert "L.tileLayer" not in offline_html and "{z}" not in offline_html
    assert webmap.OFFLINE_BASEMAP_NAME not in offline_html
    assert "mapapp-basemap" in offline_html and "naturalearthdata.com" in offline_html


def test_unknown_basemap_is_an_error():
    with pytest.raises(ValueError, match="basemap"):
        webmap.build_map(RM, basemap="google")


def test_selected_feature_is_highlighted():
    page = html_of(selected="front-line")
    assert page.count("mapapp-selected") == 1
    assert re.search(r"mapapp-f-front-line [^\"]*mapapp-selected", page)
    assert "mapapp-selected" not in html_of(selected="no-such-feature")


def test_folium_globals_are_left_alone():
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    webmap.build_map(RM)
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css


def test_map_renders_again_the_same(offline_html):
    m = webmap.build_map(RM)
    first = webmap.render_html(m)
    assert webmap.render_html(m) == first


def test_save_html_writes_atomically(tmp_path):
    m = webmap.build_map(RM, inline_assets=True)
    out = webmap.save_html(m, tmp_path / "map.html")  # the folder must exist: files.write_output
    assert out.read_text(encoding="utf-8") == webmap.render_html(m)
    assert sorted(p.name for p in out.parent.iterdir()) == ["map.html"]


def test_no_features_still_makes_a_map():
    page = webmap.render_html(webmap.build_map(RM, layers=()))
    assert "L.map(" in page and "mapapp-legend-layer" not in page


def test_real_report_map_draws_every_located_feature(report_map):
    # ``report_map`` is the session fixture in conftest.py (the data/ folder).
    page = webmap.render_html(webmap.build_map(report_map))
    for feature in report_map.features:
        drawn = f"mapapp-f-{webmap.styles.css_token(feature.id)} " in page
        assert drawn == (feature.geometry is not None), feature.id
