"""How fast the offline gazetteer answers.  Prints figures; asserts nothing.

    .venv/bin/python bench/bench_geocode.py

The first lookup loads GeoNames' cities500 and builds the name index (the
baseline); later lookups should be microseconds.
"""

from __future__ import annotations

import sys
import time

import timing  # noqa: E402,F401  (puts the project on sys.path)

from mapapp.geo import gazetteer  # noqa: E402

QUERIES = ["Kyiv", "Zaporizhia", "Vasylivka", "Nowhere", "Kamianka-Dniprovska"] * 200


def main() -> int:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
