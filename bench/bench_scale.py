"""mapapp at 1,000, 10,000 and 100,000 events: every step, against plain folium.

    .venv/bin/python bench/bench_scale.py [--sizes 1000,10000,100000] [--repeat 3]

Each size runs in a fresh process (so peak memory is that size's own) on a
synthetic ACLED-style set made here (bench_store.write_acled; no
third-party data).  Steps, each the median of ``--repeat`` runs:

* import the CSV into a new data folder; load it back (GeoParquet);
* build the web map with the events and render its HTML (events carried
  in the page); the events' payload size and the whole page's;
* first render in headless Chromium of that page, until the events are
  drawn (``.mapapp-events-ready``);
* a date-range rerun of the app on the server (Streamlit's AppTest: the
  script run after the slider moves);
* a static PNG at the social preset with the events;
* peak memory of the process so far (Chromium runs in its own);
* then, in the same process, plain folium: one ``folium.Marker`` per event, and
  one ``folium.GeoJson`` layer of all of them (build and render HTML).

Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ROOT, timed  # also puts the project on sys.path

COLUMNS = ["events", "import", "load", "build + render HTML", "payload", "page",
           "first render (Chromium)", "date rerun (server)", "PNG (social)", "peak memory",
           "folium, a Marker each", "folium, one GeoJson", "faster than a Marker each"]


def one(n: int, repeat: int) -> dict:
    import folium

    from bench_store import write_acled
    from mapapp.sources.importer import import_file
    from mapapp.sources.report_folder import DATA_DIR, load_report_map
    from mapapp.static.export import render_bytes
    from mapapp.static.presets import get_preset
    from mapapp.store.geoparquet import read_events
    from mapapp.view import ViewState
    from mapapp.web.events import events_payload
    from mapapp.web.map import build_map, render_html

    row: dict = {"events": n}
    with tempfile.TemporaryDirectory(prefix="mapapp-scale-") as folder:
        folder = Path(folder)
        data = folder / "data"
        shutil.copytree(DATA_DIR, data)
        csv_path = folder / "acled.csv"
        write_acled(csv_path, n)
        row["import"], _ = timed(lambda: import_file(csv_path, "acled", source="bench",
                                                     data_dir=data, replace=True), 1)
        row["load"], events = timed(lambda: read_events(data / "sources" / "bench"), repeat)
        report_map = load_report_map(data)
        row["build + render HTML"], page = timed(
            lambda: render_html(build_map(report_map, events=events, inline_assets=True)), repeat)
        row["payload"] = len(json.dumps(events_payload(events), separators=(",", ":")))
        row["page"] = len(page.encode("utf-8"))
        page_path = folder / "map.html"
        page_path.write_text(page, encoding="utf-8")
        row["first render (Chromium)"] = first_render(page_path, repeat)
        row["date rerun (server)"] = app_rerun(data, repeat)
        spec = get_preset("social")
        row["PNG (social)"], _ = timed(lambda: render_bytes(
            report_map, fmt="png", spec=spec, events=events,
            event_credits=("Events: synthetic",),
            view=ViewState(bounds=((44.0, 22.0), (53.0, 41.0)))), 1)

        # mapapp's own peak, before the baselines below build their maps.
        row["peak memory"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        points = [(float(p.y), float(p.x)) for p in events.geometry]

        def markers():
            m = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
            for lat, lon in points:
                folium.Marker([lat, lon]).add_to(m)
            return m.get_root().render()

        def geojson():
            m = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
            folium.GeoJson(events[["id", "geometry"]].to_json()).add_to(m)
            return m.get_root().render()

        row["folium, a Marker each"], _ = timed(markers, 1)
        row["folium, one GeoJson"], _ = timed(geojson, 1)
    return row


def first_render(page_path: Path, repeat: int) -> float:
    from playwright.sync_api import sync_playwright

    from mapapp.web.snapshot import BROWSER_ARGS, find_browser

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(find_browser()), args=list(BROWSER_ARGS))
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector(".mapapp-events-ready", state="attached", timeout=120_000)
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return sorted(times)[len(times) // 2]


def app_rerun(data: Path, repeat: int) -> float:
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    os.environ["MAPAPP_DATA_DIR"] = str(data)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    at.query_params.update({"sources": "bench"})
    at.run()
    lo, hi = at.slider(key="dates").value
    times = []
    for k in range(repeat):
        at.slider(key="dates").set_value((lo + dt.timedelta(days=30 * (k + 1)), hi))
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return sorted(times)[len(times) // 2]


def cell(name: str, value) -> str:
    if name == "events":
        return f"{value:,}"
    if name in ("payload", "page", "peak memory"):
        return f"{value / 1e6:.1f} MB"
    return f"{value:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.repeat)))
        return 0
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + " --- |" * len(COLUMNS))
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--repeat",
                              str(args.repeat)], capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return out.returncode
        row = json.loads(out.stdout.strip().splitlines()[-1])
        row["faster than a Marker each"] = (row["folium, a Marker each"]
                                            / row["build + render HTML"])
        cells = [cell(c, row[c]) if c != "faster than a Marker each"
                 else f"{row[c]:.0f}x" for c in COLUMNS]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
