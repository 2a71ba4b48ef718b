"""The command line: check data, geocode places, write a standalone map.

Every command catches :class:`MapAppError` and prints its message; any other
exception is a bug and is left to show its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import DataError, MapAppError
from .geocache_cli import add_geocode_arguments, run_geocode
from .load import DATA_DIR, GEOCACHE_DIR
from .model import LAYERS


def _check(args) -> int:
    from .geocode import Geocache
    from .load import load_report_map, offline_locator
    from .places import load_places, places_by_id

    data_dir, cache_dir = Path(args.data_dir), Path(args.cache_dir)
    report_map = load_report_map(data_dir, cache_dir=cache_dir)
    print(f"{report_map.report.headline} ({report_map.report.date})")
    counts: dict[str, int] = {}
    for feature in report_map.features:
        counts[feature.layer] = counts.get(feature.layer, 0) + 1
    for layer, count in counts.items():
        print(f"  {layer}: {count}")
    failed = False
    # Features locate only the places they use; an editor wants all of them.
    places = places_by_id(load_places(data_dir / "places.json"))
    cache = Geocache(cache_dir)
    locate = offline_locator(places, cache)
    for place_id in places:
        try:
            locate(place_id)
        except MapAppError as err:
            print(f"cannot locate: {err}", file=sys.stderr)
            failed = True
    for note in report_map.notes + tuple(cache.problems):
        print(f"warning: {note}", file=sys.stderr)
    if _own_words(data_dir):
        print("summaries or claims repeat the report's sentences; write them in our own words",
              file=sys.stderr)
        failed = True
    if failed:
        print("FAILED", file=sys.stderr)
        return 1
    print(f"OK: {len(report_map.features)} features, {len(places)} places located; "
          f"front line as of {report_map.front_line_as_of}; summaries in our own words")
    return 0


def _own_words(data_dir: Path) -> int:
    """How many summaries or claims repeat the report (printing each)."""
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
    from .errors import OutputError
    from .ownwords import write_fingerprint
    source = Path(args.report)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"cannot read the report ({err.strerror or err})",
                        file=str(source)) from err
    except UnicodeDecodeError as err:
        raise DataError(f"not UTF-8 text (byte {err.start})", file=str(source)) from err
    target = Path(args.data_dir) / "report_fingerprint.json"
    try:
        print_ = write_fingerprint(text, target, source=source.name)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from err
    print(f"Wrote {target}: {len(print_.hashes)} runs of {print_.n} words; no report text.")
    return 0


def _html(args) -> int:
    from .load import load_report_map
    from .viewstate import DEFAULT_LAYERS
    from .webmap import build_map, save_html
    report_map = load_report_map(Path(args.data_dir), cache_dir=Path(args.cache_dir))
    layers = tuple(v for v in args.layers.split(",") if v) if args.layers else DEFAULT_LAYERS
    folium_map = build_map(report_map, layers=layers, basemap=args.basemap,
                           inline_assets=True, carto_api_key=args.carto_api_key)
    save_html(folium_map, Path(args.output))
    if args.basemap == "offline":
        print(f"Wrote {args.output}: one self-contained file, opens with no network.")
    else:
        print(f"Wrote {args.output}: one file; the {args.basemap} basemap tiles need "
              "internet, everything else is inside it.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .webmap import BASEMAPS

    parser = argparse.ArgumentParser(prog="python -m mapapp",
                                     description="A news report about a war, as a sourced map.")
    sub = parser.add_subparsers(dest="command", required=True)

    def folders(command, *, cache=True):
        command.add_argument("--data-dir", type=Path, default=DATA_DIR,
                             help="folder holding the report's data files (default: %(default)s)")
        if cache:
            command.add_argument("--cache-dir", type=Path, default=GEOCACHE_DIR,
                                 help="geocache folder (default: %(default)s)")
        return command

    check = folders(sub.add_parser(
        "check", help="validate the data files, locate every place, check our own words"))
    check.set_defaults(run=_check)

    geocode = sub.add_parser("geocode", help="geocode every place in places.json into geocache/")
    add_geocode_arguments(geocode)
    geocode.set_defaults(run=run_geocode)

    fingerprint = folders(sub.add_parser(
        "fingerprint", help="store hashes of the report's word runs (not its text) so "
                            "`check` can catch copied sentences"), cache=False)
    fingerprint.add_argument("report", help="the report as a UTF-8 text file")
    fingerprint.set_defaults(run=_fingerprint)

    html = folders(sub.add_parser("html", help="write the map as one self-contained HTML file"))
    html.add_argument("-o", "--output", required=True, help="output .html file")
    html.add_argument("--layers", default="",
                      help=f"comma-separated layers to show, from: {', '.join(LAYERS)}")
    html.add_argument("--basemap", default="offline", choices=BASEMAPS,
                      help="offline needs no network; the others are web tiles")
    html.add_argument("--carto-api-key", default=os.environ.get("MAPAPP_CARTO_API_KEY"),
                      help="CARTO key for the light basemap (default: $MAPAPP_CARTO_API_KEY)")
    html.set_defaults(run=_html)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MapAppError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
