"""How long the map takes to load, build and rerun.  Prints figures; asserts nothing.

    .venv/bin/python bench/bench_map.py [--repeat N]

Everything runs in one process so ratios compare like with like: the cold
load (reading GeoNames' cache entries, Natural Earth, cutting the areas) is
the baseline the warm steps are measured against.
"""

from __future__ import annotations

import argparse
import sys

from timing import ROOT, timed  # also puts the project on sys.path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.repeat

    from mapapp.sources.report_folder import load_report_map
    from mapapp.view import ViewState
    from mapapp.web.map import build_map, render_html

    rows: list[tuple[str, float]] = []
    cold, report_map = timed(load_report_map)
    rows.append(("load data, cold (first in process)", cold))
    warm, _ = timed(load_report_map, n)
    rows.append(("load data, warm (Natural Earth cached)", warm))

    view = ViewState()
    build, folium_map = timed(lambda: build_map(report_map, **view.feature_filter()), n)
    rows.append(("build folium map, default view", build))
    render, html = timed(lambda: render_html(folium_map), n)
    rows.append(("render map HTML", render))
    inline, _ = timed(lambda: render_html(build_map(report_map, inline_assets=True)), n)
    rows.append(("build + render one-file offline HTML", inline))

    from streamlit.testing.v1 import AppTest
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    first, _ = timed(app.run)
    rows.append(("app first run (AppTest, caches cold in Streamlit)", first))
    rerun, _ = timed(app.run, n)
    rows.append(("app rerun, nothing changed", rerun))

    def toggle():
        box = app.checkbox(key="layer_strikes")
        (box.uncheck() if box.value else box.check()).run()
    toggle_time, _ = timed(toggle, n)
    rows.append(("app rerun after a layer toggle", toggle_time))

    width = max(len(name) for name, _ in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  {'x cold load':>11}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.4f}  {seconds / cold:11.3f}")
    print(f"\nmap HTML: {len(html) / 1024:.0f} KiB; features: {len(report_map.features)}; "
          f"median of {n} runs (cold load and first run: 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
