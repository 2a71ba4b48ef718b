"""The command line: check data, geocode places, write a standalone map.

Every command catches :class:`MapAppError` and prints its message; any other
exception is a bug and is left to show its traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError, MapAppError
from .geocache_cli import add_geocode_arguments, run_geocode
from .load import DATA_DIR


def _check(args) -> int:
    from .load import load_report_map
    report_map = load_report_map(Path(args.data_dir))
    counts: dict[str, int] = {}
    for feature in report_map.features:
        counts[feature.layer] = counts.get(feature.layer, 0) + 1
    print(f"{report_map.report.headline} ({report_map.report.date})")
    for layer, count in counts.items():
        print(f"  {layer}: {count}")
    if _own_words(Path(args.data_dir)):
        print("FAILED: summaries or claims repeat the report's sentences; "
              "write them in our own words", file=sys.stderr)
        return 1
    print(f"OK: {len(report_map.features)} features; front line as of "
          f"{report_map.front_line_as_of}; summaries in our own words")
    return 0


def _own_words(data_dir: Path) -> int:
    """Problems found by comparing summaries with the report's fingerprint."""
    from .ownwords import copied_texts, load_fingerprint
    path = data_dir / "report_fingerprint.json"
    if not path.exists():
        print(f"note: no {path.name}; run `python -m mapapp fingerprint REPORT.txt` "
              "to check that summaries are in our own words")
        return 0
    copied = copied_texts(data_dir, load_fingerprint(path))
    for feature_id, field, run in copied:
        print(f"copied from the report: {feature_id}: {field}: “{run}…”", file=sys.stderr)
    return len(copied)


def _fingerprint(args) -> int:
    from .ownwords import write_fingerprint
    source = Path(args.report)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"cannot read the report ({err.strerror or err})", file=str(source)) from err
    target = Path(args.data_dir) / "report_fingerprint.json"
    print_ = write_fingerprint(text, target, source=source.name)
    print(f"Wrote {target}: {len(print_.hashes)} runs of {print_.n} words; no report text.")
    return 0


def _html(args) -> int:
    from .load import load_report_map
    from .viewstate import DEFAULT_LAYERS
    from .webmap import build_map, save_html
    report_map = load_report_map(Path(args.data_dir))
    layers = tuple(args.layers.split(",")) if args.layers else DEFAULT_LAYERS
    folium_map = build_map(report_map, layers=layers, basemap=args.basemap,
                           inline_assets=True)
    save_html(folium_map, Path(args.output))
    print(f"Wrote {args.output}: one self-contained file, opens with no network.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mapapp",
                                     description="A news report about a war, as a sourced map.")
    sub = parser.add_subparsers(dest="command", required=True)

    def data_dir_option(command):
        command.add_argument("--data-dir", type=Path, default=DATA_DIR,
                             help="folder holding the report's data files (default: %(default)s)")
        return command

    check = data_dir_option(sub.add_parser(
        "check", help="validate the data files and locate every place"))
    check.set_defaults(run=_check)

    geocode = sub.add_parser("geocode", help="geocode every place in places.json into geocache/")
    add_geocode_arguments(geocode)
    geocode.set_defaults(run=run_geocode)

    fingerprint = data_dir_option(sub.add_parser(
        "fingerprint", help="store hashes of the report's word runs (not its text) so "
                            "`check` can catch copied sentences"))
    fingerprint.add_argument("report", help="the report as a text file")
    fingerprint.set_defaults(run=_fingerprint)

    html = data_dir_option(sub.add_parser(
        "html", help="write the map as one self-contained HTML file"))
    html.add_argument("-o", "--output", required=True, help="output .html file")
    html.add_argument("--layers", default="", help="comma-separated layers to show")
    html.add_argument("--basemap", default="offline", help="offline, light, osm or satellite")
    html.set_defaults(run=_html)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MapAppError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
