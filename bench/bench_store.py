"""The event store at 1,000 to 100,000 events: import, load, query, export.

    .venv/bin/python bench/bench_store.py [--sizes 1000,10000,100000] [--repeat 3]

Writes a synthetic ACLED-style CSV per size (made here: no third-party data),
imports it into a temporary data folder and times each step in one process.
The query column is the same filter (a month, one type, an area) run with
pandas masks; the last column is a plain Python loop over the rows, as a
baseline in the same run.  Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
from pathlib import Path

from timing import timed  # also puts the project on sys.path

TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]


def write_acled(path: Path, n: int) -> None:
    import numpy as np

    rng = np.random.default_rng(42)
    start = dt.date(2022, 2, 24)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        # A country column, as ACLED's exports have: the import checks each
        # point against it (about a quarter of these random points lie
        # outside Ukraine, far more than in real data).
        out.writerow(["event_id_cnty", "event_date", "time_precision", "event_type",
                      "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
                      "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"])
        days = rng.integers(0, 700, n)
        lats, lons = rng.uniform(44.5, 52, n), rng.uniform(22.5, 40, n)
        for i in range(n):
            out.writerow([f"UKR{i}", (start + dt.timedelta(days=int(days[i]))).isoformat(), 1,
                          TYPES[i % 4], "Armed clash", "Military Forces of Russia (2000-)",
                          "Military Forces of Ukraine (2019-)", "Ukraine", "Donetsk",
                          f"Place {i % 5000}",
                          f"{lats[i]:.4f}", f"{lons[i]:.4f}", 1 + i % 3,
                          "Outlet A; Outlet B", f"Synthetic note {i}, with a comma.", i % 7])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from mapapp.sources.importer import import_file
    from mapapp.store.formats import to_bytes
    from mapapp.store.geoparquet import read_events
    from mapapp.store.query import EventFilter, select

    wanted = EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 30),
                         types=("battle",), bbox=(32.0, 46.0, 39.0, 50.0))
    header = ("| events | import CSV | load (GeoParquet) | query (masks) | query (Python loop) "
              "| export GeoPackage | export GeoJSON |")
    print(header)
    print("|" + " --- |" * 7)
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="mapapp-bench-") as folder:
            folder = Path(folder)
            path = folder / "acled.csv"
            write_acled(path, n)
            data = folder / "data"
            t_import, _ = timed(lambda: import_file(path, "acled", source="bench",
                                                    data_dir=data, replace=True), 1)
            source = data / "sources" / "bench"
            t_load, events = timed(lambda: read_events(source), args.repeat)
            t_query, chosen = timed(lambda: select(events, wanted), args.repeat)

            def loop():
                start, end = wanted.start, wanted.end
                w, s, e, nn = wanted.bbox
                return [i for i, (d, t, g) in enumerate(zip(events["date_start"], events["type"],
                                                             events.geometry))
                        if start <= d.date() <= end and t == "battle"
                        and w <= g.x <= e and s <= g.y <= nn]
            t_loop, rows = timed(loop, 1)
            assert len(rows) == len(chosen)
            t_gpkg, _ = timed(lambda: to_bytes(events, "gpkg"), 1)
            t_json, _ = timed(lambda: to_bytes(events, "geojson"), 1)
            print(f"| {n:,} | {t_import:.2f} s | {t_load * 1000:.0f} ms | {t_query * 1000:.1f} ms "
                  f"({len(chosen):,} kept) | {t_loop * 1000:.0f} ms | {t_gpkg:.2f} s "
                  f"| {t_json:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
