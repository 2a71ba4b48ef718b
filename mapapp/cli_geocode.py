"""``python -m mapapp geocode``: fill the committed geocache for every place.

Offline by default (cache, then GeoNames/Natural Earth); ``--online`` also
asks Nominatim, one request a second, within a time budget per place (see
:class:`mapapp.geo.geocode.NominatimClient`).  Prints one line per place and a
summary; exit status 0 when every place is located, 1 otherwise.  Starts by
removing temporary files that killed runs left in the cache and moving
entries of the older one-file-per-place layout into ``places.jsonl``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from mapapp.errors import CacheError, MapAppError
from mapapp.geo.geocode import Geocache, Geocoder
from mapapp.geo.places import load_places
from mapapp.sources.report_folder import DATA_DIR, GEOCACHE_DIR

DEFAULT_DATA_DIR = DATA_DIR
DEFAULT_CACHE_DIR = GEOCACHE_DIR
PLACES_FILE = "places.json"


def add_geocode_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add this command's options to ``parser`` (for the ``geocode`` sub-command)."""
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help=f"folder holding {PLACES_FILE} (default: %(default)s)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR,
                        help="geocache folder (default: %(default)s)")
    parser.add_argument("--online", action="store_true",
                        help="also ask OpenStreetMap Nominatim (1 request/s)")
    parser.add_argument("--user-agent", default=None,
                        help="HTTP User-Agent for Nominatim; include a contact")
    parser.add_argument("--refresh", action="store_true",
                        help="ask the sources again instead of trusting cached entries")
    return parser


def run_geocode(args: argparse.Namespace | None = None, /, *, data_dir: str | Path | None = None,
                cache_dir: str | Path | None = None, online: bool | None = None,
                user_agent: str | None = None, refresh: bool | None = None,
                out: TextIO | None = None, geocoder_options: dict[str, Any] | None = None) -> int:
    """Geocode every place in ``data_dir/places.json`` into ``cache_dir``.

    Options come from ``args`` (an argparse namespace), overridden by any
    keyword given.  ``geocoder_options`` go to :class:`Geocoder` (tests pass
    a fake geolocator, clock and sleep).  Returns the exit status.
    """
    def option(name: str, value: Any, default: Any) -> Any:
        if value is not None:
            return value
        return getattr(args, name, default) if args is not None else default

    data_dir = Path(option("data_dir", data_dir, DEFAULT_DATA_DIR))
    cache_dir = Path(option("cache_dir", cache_dir, DEFAULT_CACHE_DIR))
    online = bool(option("online", online, False))
    user_agent = option("user_agent", user_agent, None)
    refresh = bool(option("refresh", refresh, False))
    out = sys.stderr if out is None else out  # looked up now, so tests can capture it

    try:
        places = load_places(data_dir / PLACES_FILE)
        cache = Geocache(cache_dir)
        cache.clean_temp_files()
        moved, left = cache.absorb_legacy()
        geocoder = Geocoder(cache=cache, online=online, user_agent=user_agent,
                            **(geocoder_options or {}))
    except MapAppError as err:
        print(f"error: {err}", file=out)
        return 1

    if moved:
        print(f"moved {moved} entr{'y' if moved == 1 else 'ies'} of the older one-file-per-place "
              f"layout into {cache.file}", file=out)
    for problem in left:
        print(f"cache problem: {problem}", file=out)
    hits = 0
    new = 0
    missed: list[str] = []
    by_source: Counter[str] = Counter()
    width = len(str(len(places)))
    try:
        with cache.batch():  # one rewrite of the store every few seconds, not one per place
            for n, place in enumerate(places, 1):
                prefix = f"[{n:>{width}}/{len(places)}] {place.id} ..."
                try:
                    found = geocoder.resolve(place, refresh=refresh)
                except MapAppError as err:
                    if isinstance(err, CacheError):
                        raise
                    missed.append(place.id)
                    print(f"{prefix} MISS: {err}", file=out)
                    continue
                result = found.result
                by_source[result.source] += 1
                if found.via in ("cache", "cache-fallback"):
                    hits += 1
                    kept = ""
                    if found.via == "cache-fallback":
                        kept = f" ({found.note or 'sources failed'}; cached entry kept)"
                    print(f"{prefix} cache hit ({result.source}){kept}", file=out)
                else:
                    new += 1
                    print(f"{prefix} {found.via}: {result.source}, {result.reference} -> cached",
                          file=out)
    except CacheError as err:
        print(f"error: {err}", file=out)
        return 1

    located = len(places) - len(missed)
    sources = ", ".join(f"{name} {count}" for name, count in sorted(by_source.items()))
    print(f"located {located} of {len(places)} places: {hits} cache hits, {new} new, "
          f"{len(missed)} missed" + (f" ({', '.join(missed)})" if missed else ""), file=out)
    print(f"by source: {sources or 'none'}", file=out)
    for problem in cache.problems:
        print(f"cache problem: {problem}", file=out)
    if cache.removed_temp_files:
        print(f"removed {cache.removed_temp_files} stale temporary file(s) that interrupted "
              f"writes left in {cache_dir}", file=out)
    if missed and not online:
        print("hint: --online asks Nominatim; a place no source knows needs a cited entry "
              f"in {cache_dir}", file=out)
    return 0 if not missed else 1
