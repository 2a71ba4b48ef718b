"""The command line: check data, geocode places, write a standalone map.

Every command catches :class:`MapAppError` and prints its message; any other
exception is a bug and is left to show its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mapapp.cli_extract import add_extract_arguments, run_extract
from mapapp.cli_geocode import add_geocode_arguments, run_geocode
from mapapp.cli_geoparse import add_geoparse_arguments, run_geoparse
from mapapp.errors import DataError, MapAppError
from mapapp.model import LAYERS
from mapapp.sources.report_folder import DATA_DIR, GEOCACHE_DIR


def _report_map(args):
    """The report map from the command's ``--data-dir`` and ``--cache-dir``;
    an empty one for a folder of imported sets without a report."""
    from mapapp.model import ReportMap
    from mapapp.sources.report_folder import has_report, load_report_map
    if not has_report(Path(args.data_dir)):
        return ReportMap.empty()
    return load_report_map(Path(args.data_dir), cache_dir=Path(args.cache_dir))


def _report_and_story(args):
    """The report map and the lesson named by ``--story`` (an id or a .json file)."""
    from mapapp.classroom.story import load_story, resolve_story_option
    story = resolve_story_option(args.story, data_dir=Path(args.data_dir))
    report_map = _report_map(args)
    return report_map, load_story(story, report_map=report_map, data_dir=Path(args.data_dir))


def _check(args) -> int:
    from mapapp.geo.geocode import Geocache
    from mapapp.geo.places import load_places, places_by_id
    from mapapp.sources.report_folder import load_report_map, offline_locator

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
    # The app skips a corrupt entry (the gazetteer may still know the place);
    # check fails on it, since the geocache is committed data too.
    problems = tuple(dict.fromkeys(cache.problems))
    for problem in problems:
        print(f"error: corrupt geocache entry: {problem}", file=sys.stderr)
    for note in report_map.notes:
        if not any(problem in note for problem in problems):
            print(f"warning: {note}", file=sys.stderr)
    failed = failed or bool(problems)
    stories, broken = _check_stories(data_dir, report_map)
    if broken:
        # The own-words check reads the stories too; it waits until they load.
        print("note: the own-words check runs once the stories load", file=sys.stderr)
    elif _own_words(data_dir):
        print("summaries or claims repeat the report's sentences; write them in our own words",
              file=sys.stderr)
        failed = True
    if failed or broken:
        print("FAILED", file=sys.stderr)
        return 1
    print(f"OK: {len(report_map.features)} features, {len(places)} places located, "
          f"{stories} {'story' if stories == 1 else 'stories'}; "
          + (f"front line as of {report_map.front_line_as_of}; "
             if report_map.front_line_as_of else "")
          + "summaries in our own words")
    return 0


def _check_stories(data_dir: Path, report_map) -> tuple[int, int]:
    """Load every story in ``data_dir/stories``, printing one line per broken
    one; return how many there are and how many are broken."""
    from mapapp.classroom.story import load_story
    from mapapp.schema import is_id
    folder = data_dir / "stories"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    broken = 0
    for path in paths:
        try:
            if not is_id(path.stem):
                raise DataError("the file name is not a story id (lower-case letters and "
                                "digits joined by hyphens, then .json)", file=str(path))
            load_story(path.stem, report_map=report_map, data_dir=data_dir)
        except MapAppError as err:
            print(f"error: {err}", file=sys.stderr)
            broken += 1
    return len(paths), broken


def _own_words(data_dir: Path) -> int:
    """How many summaries or claims repeat the report (printing each)."""
    from mapapp.sources.ownwords import copied_texts, load_fingerprint
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
    from mapapp.errors import OutputError
    from mapapp.sources.ownwords import check_report_text, write_fingerprint
    source = Path(args.report)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"cannot read the report ({err.strerror or err})",
                        file=str(source)) from err
    except UnicodeDecodeError as err:
        raise DataError(f"not UTF-8 text (byte {err.start})", file=str(source)) from err
    check_report_text(text, file=str(source))  # an empty fingerprint would pass everything
    target = Path(args.data_dir) / "report_fingerprint.json"
    try:
        print_ = write_fingerprint(text, target, source=source.name)
    except OSError as err:  # write_fingerprint writes atomically; say which file
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from err
    print(f"Wrote {target}: {len(print_.hashes)} runs of {print_.n} words; no report text.")
    return 0


def _html(args) -> int:
    from mapapp.files import check_output
    from mapapp.view import ViewState
    from mapapp.web.map import build_map, save_html
    output = check_output(Path(args.output), overwrite=args.overwrite)  # before the work
    # The same comma list as export's; empty is the app's first view.
    view = ViewState.from_options(layers=args.layers or None)
    report_map = _report_map(args)
    folium_map = build_map(report_map, **view.feature_filter(), basemap=args.basemap,
                           inline_assets=True, carto_api_key=args.carto_api_key)
    save_html(folium_map, output, overwrite=args.overwrite)
    if args.basemap == "offline":
        print(f"Wrote {args.output}: one self-contained file, opens with no network.")
    else:
        print(f"Wrote {args.output}: one file; the {args.basemap} basemap tiles need "
              "internet, everything else is inside it.")
    return 0


def _bundle(args) -> int:
    from mapapp.classroom.bundle import write_bundle
    report_map, story = _report_and_story(args)
    path = write_bundle(report_map, story, Path(args.output), overwrite=args.overwrite)
    print(f"Wrote {path}: lesson \"{story.title}\", {len(story.steps)} steps, one "
          "self-contained file that opens with no network.")
    return 0


def _view(args, *, sources: tuple[str, ...] = ()):
    """The one checked view the command line asks for: ``--layers``,
    ``--types``, ``--status``, ``--bounds``, ``--from``, ``--to`` and the
    event sets ``sources``."""
    from mapapp.view import ViewState
    return ViewState.from_options(
        layers=args.layers, types=args.types, status=args.status, bounds=args.bounds,
        # snapshot takes no dates
        date_from=getattr(args, "date_from", None), date_to=getattr(args, "date_to", None),
        sources=sources)


class ProgressBar:
    """``[#####-----] 3/7 map-a4-portrait.png`` on ``stream``: redrawn in
    place (``\\r``) on a terminal, one line per file otherwise (logs)."""

    def __init__(self, stream=None, *, width: int = 20):
        self.stream = sys.stderr if stream is None else stream
        self.width = width
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self._shown = 0

    def line(self, done: int, total: int, name: str) -> str:
        filled = self.width * done // total if total else self.width
        return f"[{'#' * filled}{'-' * (self.width - filled)}] {done}/{total} {name}"

    def __call__(self, done: int, total: int, path) -> None:
        text = self.line(done, total, Path(path).name)
        if self.tty:
            self.stream.write("\r" + text.ljust(self._shown))
            self._shown = len(text)
            if done >= total:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, total: int) -> None:
        if self.tty and total:
            text = self.line(0, total, "")
            self.stream.write(text)
            self._shown = len(text)
            self.stream.flush()


def _sources_option(args) -> tuple[str, ...]:
    """``--source`` names (checked against the catalogue), or the report."""
    from mapapp.errors import OptionError
    from mapapp.store.catalogue import get_source, report_source

    if not args.source:
        report = report_source(Path(args.data_dir))
        if report is None:
            raise OptionError(f"{args.data_dir} holds no report; name the sources with --source")
        return (report.name,)
    names = tuple(dict.fromkeys(n.strip() for n in args.source.split(",") if n.strip()))
    for name in names:
        get_source(Path(args.data_dir), name)
    return names


def _export_format(args) -> str | None:
    """The format asked for by ``--format`` or the output's suffix."""
    from mapapp.store.formats import SUFFIXES

    if args.format:
        return args.format.lower()
    suffix = Path(args.output).suffix.lower() if args.output else ""
    for fmt, suffixes in {**SUFFIXES, "html": (".html", ".htm")}.items():
        if suffix in suffixes:
            return fmt
    return None  # an image: the image path works it out (and names what is wrong)


def _export_data(args, fmt: str) -> int:
    """GeoJSON, GeoPackage, GeoParquet or CSV of the chosen sources and dates."""
    from mapapp.errors import OptionError
    from mapapp.files import check_output
    from mapapp.sources.collection import load_events
    from mapapp.store.catalogue import get_source
    from mapapp.store.formats import SUFFIXES, write_events_file
    from mapapp.store.query import select

    for option, value in (("--all-presets", args.all_presets or None), ("--preset", args.preset),
                          ("--size", args.size), ("--dpi", args.dpi), ("--title", args.title),
                          ("--subtitle", args.subtitle), ("--out-dir", args.out_dir)):
        if value is not None:
            raise OptionError(f"{option} is for images; a {fmt} export is data")
    if args.output is None:
        raise OptionError("--output FILE is required")
    suffix = Path(args.output).suffix.lower()
    if suffix and suffix not in SUFFIXES[fmt]:
        raise OptionError(f"--format {fmt} does not match the output {args.output!r} "
                          f"(.{suffix.lstrip('.')}); name the file {SUFFIXES[fmt][0]}")
    check_output(Path(args.output), overwrite=args.overwrite)
    names = _sources_option(args)
    from mapapp.cli_areas import area_sources
    areas = area_sources(Path(args.data_dir), names)
    if areas:
        return _export_areas(args, fmt, names, areas)
    wanted = _view(args, sources=names).event_filter()
    events = load_events(Path(args.data_dir), names, cache_dir=Path(args.cache_dir),
                         start=wanted.start, end=wanted.end)
    chosen = select(events, wanted)
    path = write_events_file(chosen, args.output, fmt, overwrite=args.overwrite)
    span = f"{wanted.start or 'the start'} to {wanted.end or 'the end'}"
    # Of all the sets hold (the load above skipped months after the range).
    total = sum(get_source(Path(args.data_dir), name).rows_kept for name in names)
    print(f"Wrote {path}: {len(chosen):,} of the {total:,} events in "
          f"{', '.join(names)} ({span}) as {fmt}")
    return 0


def _export_areas(args, fmt: str, names: tuple[str, ...], areas: tuple[str, ...]) -> int:
    """The snapshots of control-map sources dated within --from/--to."""
    from mapapp.cli_areas import export_areas
    from mapapp.errors import OptionError
    from mapapp.store.formats import write_events_file
    from mapapp.store.query import parse_date

    if areas != names:
        raise OptionError("--source: export control maps and event sets separately (as "
                          f"control maps: {', '.join(areas)})")
    for option, value in (("--layers", args.layers), ("--types", args.types),
                          ("--status", args.status), ("--bounds", args.bounds)):
        if value is not None:
            raise OptionError(f"{option} filters events; a control map is exported whole")
    start, end = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
    frame = export_areas(Path(args.data_dir), names, start, end)
    if frame.empty:
        raise OptionError(f"{', '.join(names)}: no snapshot dated {start or 'any time'} to "
                          f"{end or 'any time'}")
    path = write_events_file(frame, args.output, fmt, overwrite=args.overwrite)
    print(f"Wrote {path}: {len(frame):,} features of {frame['date'].nunique()} snapshot(s) "
          f"({', '.join(sorted(frame['date'].unique()))}) from {', '.join(names)} as {fmt}")
    return 0


def _export(args) -> int:
    from mapapp.errors import OptionError
    from mapapp.static.export import export_image, export_presets
    from mapapp.static.presets import PRESETS, check_dpi, resolve_spec
    from mapapp.store.formats import DATA_FORMATS

    fmt = _export_format(args)
    if fmt in DATA_FORMATS:
        return _export_data(args, fmt)
    only_report = args.source and _sources_option(args) != (_report_name(args),)
    if fmt == "html":
        # The same page as `mapapp html`, which takes layers only.
        for option, value in (("--from", args.date_from), ("--to", args.date_to),
                              ("--source", args.source if only_report else None),
                              ("--types", args.types), ("--status", args.status),
                              ("--bounds", args.bounds), ("--preset", args.preset),
                              ("--size", args.size), ("--dpi", args.dpi), ("--title", args.title),
                              ("--subtitle", args.subtitle), ("--out-dir", args.out_dir),
                              ("--all-presets", args.all_presets or None)):
            if value is not None:
                raise OptionError(f"{option} does not go with an html export: the page shows "
                                  "the report, with --layers to choose what is on")
        args.basemap, args.carto_api_key = "offline", os.environ.get("MAPAPP_CARTO_API_KEY")
        args.layers = args.layers or ""
        return _html(args)
    dpi = None if args.dpi is None else check_dpi(args.dpi)
    names = _image_sources(args) if (args.date_from or args.date_to or only_report) else ()
    from mapapp.cli_areas import area_sources, control_map
    areas = area_sources(Path(args.data_dir), names)
    if len(areas) > 1:
        raise OptionError(f"--source: one control map at a time in an image ({', '.join(areas)})")
    names = tuple(n for n in names if n not in areas)
    view = _view(args, sources=names)
    text = {"title": args.title, "subtitle": args.subtitle, "theme": args.theme}
    events = _image_events(args, view) if names else {}
    report_map = _report_map(args)
    if args.title is None and not report_map.has_report:  # nothing else to call the image
        from mapapp.store.catalogue import get_source
        text["title"] = " · ".join(get_source(Path(args.data_dir), n).title for n in areas + names)
    if areas:
        wanted = view.event_filter()
        report_map, credit = control_map(Path(args.data_dir), areas[0], report_map,
                                         wanted.end, since=wanted.start)
        events = {"events": events.get("events"),
                  "event_credits": [*events.get("event_credits", ()), credit]}
    if args.all_presets and events:
        raise OptionError("--all-presets draws the report; export one image of event sets "
                          "at a time (--preset)")
    if args.all_presets:
        for option, value in (("--output", args.output), ("--preset", args.preset),
                              ("--size", args.size)):
            if value is not None:
                raise OptionError(f"{option} does not go with --all-presets "
                                  "(files are named after the presets, in --out-dir)")
        if args.out_dir is None:
            raise OptionError("--all-presets needs --out-dir FOLDER")
        bar = ProgressBar()
        bar.start(len(PRESETS))
        paths = export_presets(report_map, args.out_dir, fmt=args.format or "png",
                               overwrite=args.overwrite, progress=bar, dpi=dpi,
                               view=view, **text)
        print(f"Wrote {len(paths)} files to {args.out_dir}")
        return 0
    if args.output is None:
        raise OptionError("--output FILE is required (or --all-presets --out-dir FOLDER)")
    if args.out_dir is not None:
        raise OptionError("--out-dir goes with --all-presets; use --output for one file")
    spec = resolve_spec(preset=args.preset, size=args.size, dpi=dpi)
    path = export_image(report_map, args.output, fmt=args.format, preset=args.preset,
                        size=args.size, dpi=dpi, overwrite=args.overwrite, view=view, **text,
                        **events)
    print(f"Wrote {path}: {spec.width_px}x{spec.height_px} px at {spec.dpi:g} dpi ({spec.name})")
    return 0


def _image_sources(args) -> tuple[str, ...]:
    """The imported event sets an image draws (``--source`` without the report)."""
    from mapapp.errors import OptionError

    report = _report_name(args)
    names = tuple(n for n in _sources_option(args) if n != report)
    if not names:  # dates narrow imported events; the report's map is one moment
        raise OptionError("--from and --to choose the events of imported sets: name them "
                          "with --source (see `mapapp sources`)")
    return names


def _image_events(args, view) -> dict:
    """The events of ``view`` (its sources, dates and filters), with their
    credits, as keyword arguments for the renderer."""
    from mapapp.sources.collection import load_events
    from mapapp.store.catalogue import get_source
    from mapapp.store.query import select

    wanted = view.event_filter()
    events = select(load_events(Path(args.data_dir), view.sources, start=wanted.start,
                                end=wanted.end), wanted)
    credits = []
    for name in view.sources:
        source = get_source(Path(args.data_dir), name)
        credits.append(f"Events: {source.title} ({source.publisher}; {source.licence})")
    return {"events": events, "event_credits": credits}


def _report_name(args) -> str:
    from mapapp.store.catalogue import report_source
    report = report_source(Path(args.data_dir))
    return report.name if report else ""


def _compare_areas(args) -> int:
    from mapapp.cli_areas import compare_areas

    return compare_areas(args)


def _import(args) -> int:
    from mapapp.errors import OptionError
    from mapapp.sources.importer import import_file

    if args.format == "areas":
        from mapapp.cli_areas import import_areas

        return import_areas(args)
    for option, value in (("--date", args.date), ("--rules", args.rules)):
        if value is not None:
            raise OptionError(f"{option} is for --format areas (a control map); an event set's "
                              "rows carry their own dates")

    entry, log = import_file(args.file, args.format, source=args.source,
                             data_dir=Path(args.data_dir), replace=args.replace,
                             title=args.title, publisher=args.publisher, licence=args.licence,
                             published=args.published)
    skipped = entry.rows_skipped
    print(f"Imported {entry.name}: {entry.rows_read:,} {log.unit}s read, {entry.rows_kept:,} kept, "
          f"{skipped:,} skipped; events from {entry.first_date or '-'} to "
          f"{entry.last_date or '-'}")
    for item in sorted(log.skipped, key=lambda s: s.row)[:10]:
        print(f"  skipped {item.text()}")
    if skipped > 10:
        print(f"  ... every skipped {log.unit} with its reason: "
              f"{Path(args.data_dir) / 'sources' / entry.name / 'skipped.csv'}")
    for note in log.notes:
        print(f"  note: {note}")
    for warning in log.warnings:
        print(f"  warning: {warning}")
    return 0


def _sources(args) -> int:
    from mapapp.store.catalogue import list_sources

    sources = list_sources(Path(args.data_dir))
    for source in sources:
        print(source.summary())
    if not sources:
        print(f"No sources in {args.data_dir}: add one with `python -m mapapp import`.",
              file=sys.stderr)
    return 0


def _snapshot(args) -> int:
    from mapapp.static.presets import check_dpi, resolve_spec
    from mapapp.web.snapshot import find_browser, snapshot

    dpi = None if args.dpi is None else check_dpi(args.dpi)
    view = _view(args)
    spec = resolve_spec(preset=args.preset, size=args.size, dpi=dpi)
    find_browser(args.browser)  # the install hint before any loading
    report_map = _report_map(args)
    path, shot = snapshot(report_map, args.output, preset=args.preset, size=args.size,
                          dpi=dpi, overwrite=args.overwrite, browser=args.browser, view=view,
                          title=args.title, subtitle=args.subtitle)
    for url in shot.blocked:
        print(f"warning: refused an outside request: {url}", file=sys.stderr)
    for message in shot.errors:
        print(f"warning: page error: {message}", file=sys.stderr)
    print(f"Wrote {path}: {spec.width_px}x{spec.height_px} px at {spec.dpi:g} dpi "
          f"({spec.name}), as the browser shows it, in {shot.seconds:.1f} s")
    return 0


def _handout(args) -> int:
    from mapapp.classroom.handout import write_handout

    report_map, story = _report_and_story(args)
    path = write_handout(report_map, story, args.output, paper=args.paper, overwrite=args.overwrite)
    print(f"Wrote {path}: {len(story.steps)} pages ({args.paper}), one per step of “{story.title}”")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from mapapp.view import BASEMAPS

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
    html.add_argument("--overwrite", action="store_true", help="replace an existing file")
    html.set_defaults(run=_html)

    bundle = folders(sub.add_parser(
        "bundle", help="write a story as an offline lesson: one HTML file with the map and "
                       "its steps"))
    bundle.add_argument("--story", default="report-2022-11-16",
                        help="story id in DATA_DIR/stories, or a story .json file "
                             "(default: %(default)s)")
    bundle.add_argument("-o", "--output", required=True, help="output .html file")
    bundle.add_argument("--overwrite", action="store_true", help="replace an existing file")
    bundle.set_defaults(run=_bundle)

    def view_options(command):
        from mapapp.model import ALL_TYPES, STATUSES
        from mapapp.static.presets import PRESETS
        command.add_argument("--preset", metavar="NAME",
                             help=f"image size: {', '.join(PRESETS)} (default: social)")
        command.add_argument("--size", help="WIDTHxHEIGHT in pixels (1600x900) or with a unit "
                                            "(210x297mm, 8.5x11in); instead of --preset")
        command.add_argument("--dpi",
                             help="dots per inch recorded in the file (36-1200; default 100, "
                                  "300 for print presets and sizes in mm/in)")
        command.add_argument("--layers", help=f"comma list from {', '.join(LAYERS)}, or none "
                                              "(default: as the app opens)")
        command.add_argument("--types", help=f"comma list of feature types ({', '.join(ALL_TYPES)})")
        command.add_argument("--status", help=f"comma list of statuses ({', '.join(STATUSES)})")
        command.add_argument("--bounds", metavar="S,W,N,E",
                             help="frame the map on south,west,north,east degrees, e.g. 44,22,53,41")
        command.add_argument("--overwrite", action="store_true", help="replace an existing file")
        return command

    export = view_options(folders(sub.add_parser(
        "export", help="the map as an image (PNG, SVG, PDF, no browser needed) or a web page "
                       "(HTML), or the events as data (GeoJSON, GeoPackage, GeoParquet, CSV)")))
    export.add_argument("-o", "--output", help="output file (.png, .svg, .pdf, .html, .geojson, "
                                               ".gpkg, .parquet or .csv)")
    export.add_argument("--format", metavar="FORMAT",
                        help="png, svg, pdf, html, geojson, gpkg, parquet or csv (default: from "
                             "the output's suffix; png for --all-presets)")
    export.add_argument("--source", metavar="NAME[,NAME...]",
                        help="sources to export (see `mapapp sources`; default: the report)")
    export.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                        help="first day of events to export (their span overlaps the range)")
    export.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                        help="last day of events to export")
    export.add_argument("--title", help="title above the map (default: the report's headline)")
    export.add_argument("--subtitle", help="line under the title (default: publisher and date)")
    export.add_argument("--theme", default="light", help="light or dark (default: %(default)s)")
    export.add_argument("--all-presets", action="store_true",
                        help="write one file per preset into --out-dir, named map-<preset>.<format>")
    export.add_argument("--out-dir", type=Path, help="folder for --all-presets")
    export.set_defaults(run=_export)

    snap = view_options(folders(sub.add_parser(
        "snapshot", help="a PNG of the interactive map as the browser draws it, with title, "
                         "legend and credits and no controls (needs Chromium)")))
    snap.add_argument("-o", "--output", required=True, help="output .png file")
    snap.add_argument("--title", help="title above the map (default: the report's headline)")
    snap.add_argument("--subtitle", help="line under the title (default: publisher and date)")
    snap.add_argument("--browser", default=None,
                      help="Chromium or Chrome executable (default: $MAPAPP_CHROMIUM, "
                           "/usr/bin/chromium, or chromium/google-chrome on PATH)")
    snap.set_defaults(run=_snapshot)

    from mapapp.sources.importer import FORMATS as IMPORT_FORMATS
    importer = folders(sub.add_parser(
        "import", help="add an event set (ACLED, UCDP, GeoJSON, GeoPackage or CSV) or a dated "
                       "control map (--format areas: GeoJSON, KML, KMZ) to the catalogue"),
        cache=False)
    importer.add_argument("file", type=Path, help="the file to import")
    importer.add_argument("--format", required=True, choices=(*IMPORT_FORMATS, "areas"),
                          help="what the file is")
    importer.add_argument("--date", metavar="YYYY-MM-DD",
                          help="for --format areas: the day the control map shows")
    importer.add_argument("--rules", type=Path, metavar="RULES",
                          help="for --format areas: a JSON file mapping the map's layers, "
                               "names or properties to categories")
    importer.add_argument("--source", required=True, metavar="NAME",
                          help="the source's name: lower-case letters, digits, '.', '_', '-'")
    importer.add_argument("--replace", action="store_true",
                          help="replace a source of that name")
    importer.add_argument("--title", help="what the set is (default: the file's name)")
    importer.add_argument("--publisher", help="who published it (default: ACLED or UCDP for "
                                              "their exports)")
    importer.add_argument("--licence", help="its licence or terms of use")
    importer.add_argument("--published", metavar="YYYY-MM-DD",
                          help="when it was published or downloaded")
    importer.set_defaults(run=_import)

    compare = folders(sub.add_parser(
        "compare-areas", help="how far two control maps agree on one date: overlap, area "
                              "only one marks, distance between their front lines"), cache=False)
    compare.add_argument("first", metavar="SOURCE_A")
    compare.add_argument("second", metavar="SOURCE_B")
    compare.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                         help="compare the snapshots in force on this day")
    compare.set_defaults(run=_compare_areas)

    sources = folders(sub.add_parser("sources", help="the catalogue: one line per source"),
                      cache=False)
    sources.set_defaults(run=_sources)

    from mapapp.classroom.handout import PAPERS
    handout = folders(sub.add_parser(
        "handout", help="a printable PDF for class: one page per story step, with questions"))
    handout.add_argument("--story", default="report-2022-11-16",
                         help="story id in DATA_DIR/stories/ or a story .json file "
                              "(default: %(default)s)")
    handout.add_argument("-o", "--output", required=True, help="output .pdf file")
    handout.add_argument("--paper", default="a4-portrait", choices=PAPERS,
                         help="paper size (default: %(default)s)")
    handout.add_argument("--overwrite", action="store_true", help="replace an existing file")
    handout.set_defaults(run=_handout)

    geoparse = add_geoparse_arguments(sub.add_parser(
        "geoparse", help="find and locate the places a report names (offline)"))
    geoparse.set_defaults(run=run_geoparse)
    extract = add_extract_arguments(sub.add_parser(
        "extract", help="draft a map source from a report's text, for review (offline)"))
    extract.set_defaults(run=run_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except MapAppError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
