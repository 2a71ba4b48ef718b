"""data/places.json and its loader (mapapp.geo.places)."""

from __future__ import annotations

import pytest

from mapapp.errors import DataError, MapAppError
from mapapp.geo.places import KINDS, Place, load_places, parse_place, places_by_id
from tests.geocode_fixtures import PLACES_FILE, record, write_places

SHOWN = {
    "kyiv": "city", "kharkiv": "city", "lviv": "city", "przewodow": "village",
    "kherson": "city", "henichesk": "town", "bakhmut": "town", "melitopol": "city",
    "nova-kakhovka": "town", "bucha": "town", "crimea": "region",
    "kharkiv-region": "region", "kherson-region": "region", "ukraine": "country",
    "poland": "country", "latvia": "country", "hungary": "country", "turkey": "country",
    "indonesia": "country",
}


# -- the real file ------------------------------------------------------------

def test_places_file_loads_and_holds_every_shown_place():
    places = places_by_id(load_places(PLACES_FILE))
    for place_id, kind in SHOWN.items():
        assert places[place_id].kind == kind
        assert places[place_id].shown


def test_places_file_waypoints_are_not_shown_and_carry_a_side_note():
    waypoints = [p for p in load_places(PLACES_FILE) if p.role == "waypoint"]
    assert len(waypoints) >= 40
    for place in waypoints:
        assert not place.shown
        assert place.kind in ("city", "town", "village")
        assert place.country == "UA" and place.admin1, place.id
        assert "held" in place.note, place.id


def test_places_file_settlements_name_their_admin1():
    # Same-named villages abound; admin1 keeps the gazetteer from guessing.
    for place in load_places(PLACES_FILE):
        if place.country == "UA" and place.kind != "country":
            assert place.admin1, place.id


# -- the schema ------------------------------------------------------------------

def test_parse_place_fills_defaults():
    place = parse_place(record(admin1=None))
    assert place == Place(id="kyiv", name="Kyiv", query="Kyiv", country="UA", kind="city")


@pytest.mark.parametrize(("fields", "place_id", "field", "words"), [
    ({"name": None}, "kyiv", "name", "missing"),
    ({"name": None, "query": None}, "kyiv", "name", "name, query"),
    ({"id": None}, None, "id", "missing"),
    ({"colour": "red"}, "kyiv", "colour", "unknown field"),
    ({"kind": "hamlet"}, "kyiv", "kind", "unknown kind"),
    ({"kind": ""}, "kyiv", "kind", "empty"),
    ({"country": "ua"}, "kyiv", "country", "ISO 3166"),
    ({"country": "UKR"}, "kyiv", "country", "ISO 3166"),
    ({"country": "XX"}, "kyiv", "country", "unknown country"),
    ({"admin1": "Kyiv city"}, "kyiv", "admin1", "admin1"),
    ({"kind": "region", "admin1": None}, "kyiv", "admin1", "region"),
    ({"role": "label"}, "kyiv", "role", "unknown role"),
    ({"id": "Kyiv City"}, "Kyiv City", "id", "lower-case"),
    ({"name": 7}, "kyiv", "name", "string"),
    ({"note": None, "name_local": ["Київ"]}, "kyiv", "name_local", "string"),
])
def test_schema_errors_name_file_place_and_field(tmp_path, fields, place_id, field, words):
    path = write_places(tmp_path, record(id="lviv", name="Lviv", query="Lviv", admin1="15"),
                        record(**fields))
    with pytest.raises(DataError) as info:
        load_places(path)
    err = info.value
    assert (err.file, err.feature, err.field) == (str(path), place_id, field)
    assert words in str(err) and str(path) in str(err)


def test_duplicate_id_is_named(tmp_path):
    path = write_places(tmp_path, record(), record(name="Kiev"))
    with pytest.raises(DataError, match="duplicate id") as info:
        load_places(path)
    assert (info.value.feature, info.value.field) == ("kyiv", "id")


@pytest.mark.parametrize(("text", "words"), [
    ('{"places": [', "invalid JSON"),
    ("", "is empty"),
    ("[]", '"places" list'),
    ('{"places": {}}', '"places" list'),
    ('{"places": [], "extra": 1}', "unknown top-level"),
    ('{"places": [42]}', "JSON object"),
])
def test_malformed_documents(tmp_path, text, words):
    path = tmp_path / "places.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=words) as info:
        load_places(path)
    assert info.value.file == str(path)


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        load_places(tmp_path / "nope.json")


def test_data_error_is_also_value_error_and_map_app_error(tmp_path):
    path = write_places(tmp_path, record(kind="hamlet"))
    with pytest.raises(ValueError):
        load_places(path)
    with pytest.raises(MapAppError):
        load_places(path)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_accepted(kind):
    assert parse_place(record(kind=kind)).kind == kind
