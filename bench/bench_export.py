"""How long static exports take, against a browser snapshot.  Prints figures;
asserts nothing.

    .venv/bin/python bench/bench_export.py [--repeat N] [--presets social,story] [--no-snapshot]

Everything runs in one process.  One cold social PNG warms the caches
(Natural Earth, fonts) first; then every format x preset is drawn and saved
into memory N times (median).  The baseline is a browser snapshot of the
social preset (Chromium started, page loaded, photographed: what
``python -m mapapp snapshot`` costs), also after one warm-up run.  The goal:
a warm social PNG in under 1.5 s, and faster than the snapshot.
"""

from __future__ import annotations

import argparse
import sys

from timing import timed  # also puts the project on sys.path

GOAL_S = 1.5


def main() -> int:
    from mapapp.sources.report_folder import load_report_map
    from mapapp.static.export import FORMATS, render_bytes
    from mapapp.static.presets import PRESETS
    from mapapp.web.snapshot import capture

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per cell (median)")
    parser.add_argument("--presets", default=",".join(PRESETS),
                        help="comma list (default: all)")
    parser.add_argument("--no-snapshot", action="store_true", help="skip the browser baseline")
    args = parser.parse_args()
    n = max(1, args.repeat)
    names = [p for p in args.presets.split(",") if p]

    report_map = load_report_map()
    social = PRESETS["social"]
    cold, _ = timed(lambda: render_bytes(report_map, fmt="png", spec=social))

    snapshot_s = None
    if not args.no_snapshot:
        capture(report_map, spec=social)  # warm-up: the OS caches Chromium's files
        snapshot_s, shot = timed(lambda: capture(report_map, spec=social), n)

    results: dict[tuple[str, str], tuple[float, int]] = {}
    for name in names:
        for fmt in FORMATS:
            seconds, data = timed(lambda: render_bytes(report_map, fmt=fmt, spec=PRESETS[name]), n)
            results[name, fmt] = seconds, len(data)

    def ratio(seconds: float) -> str:
        return f"{seconds / snapshot_s:5.2f}x" if snapshot_s else "     -"

    print(f"Static export vs browser snapshot, median of {n} warm runs, one process\n")
    head = f"{'preset':<17} {'pixels':>11} {'dpi':>4}"
    for fmt in FORMATS:
        head += f" | {fmt + ' s':>7} {'/snap':>6} {'KB':>6}"
    print(head)
    print("-" * len(head))
    for name in names:
        p = PRESETS[name]
        row = f"{name:<17} {p.width_px:>5}x{p.height_px:<5} {p.dpi:>4g}"
        for fmt in FORMATS:
            seconds, size = results[name, fmt]
            row += f" | {seconds:7.3f} {ratio(seconds)} {size / 1024:6.0f}"
        print(row)
    print()
    print(f"cold social PNG (first in process, caches empty): {cold:.3f} s")
    if snapshot_s:
        print(f"browser snapshot, social (launch + load + screenshot): {snapshot_s:.3f} s "
              f"(refused requests: {len(shot.blocked)})")
    if "social" in names:
        warm = results["social", "png"][0]
        verdict = "meets" if warm < GOAL_S else "MISSES"
        line = f">>> social PNG, warm: {warm:.3f} s: {verdict} the {GOAL_S} s goal"
        if snapshot_s:
            line += (f"; {snapshot_s / warm:.1f}x faster than the snapshot" if warm < snapshot_s
                     else f"; SLOWER than the snapshot ({warm / snapshot_s:.1f}x)")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
