"""The command line of control maps: import a dated layer, export area
sources, compare two sources for one date.

    python -m mapapp import FILE --format areas --date YYYY-MM-DD --source NAME [--rules RULES]
    python -m mapapp export --source NAME --from D --to D --format geojson -o OUT
    python -m mapapp compare-areas SOURCE_A SOURCE_B --date YYYY-MM-DD
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from pathlib import Path
from typing import Any

from mapapp.errors import DataError, OptionError

# The earliest date a control map of this war can describe.
FIRST_DATE = dt.date(2014, 1, 1)


def parse_area_date(text: str | None, option: str = "--date") -> dt.date:
    """A snapshot's date: required, YYYY-MM-DD, not before 2014 nor in the future.

    >>> parse_area_date("2022-11-15")
    datetime.date(2022, 11, 15)
    """
    if not text:
        raise OptionError(f"{option} YYYY-MM-DD is required: the day the map shows")
    try:
        # Python also reads 20221115 and 2022-W46-2 as dates: the contract is YYYY-MM-DD.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(text).strip()):
            raise ValueError
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise OptionError(f"{option} {text!r}: expected a date as YYYY-MM-DD") from None
    if day < FIRST_DATE or day > dt.date.today():
        raise OptionError(f"{option} {day}: a control map's date lies between {FIRST_DATE} "
                          "and today")
    return day


def import_areas(args) -> int:
    """``import FILE --format areas``: one dated snapshot into the catalogue."""
    from mapapp.schema import text_problem
    from mapapp.sources.area_layers import load_rules, read_layer_file
    from mapapp.store.catalogue import Source, check_name, now_utc
    from mapapp.store.snapshots import save_snapshot

    day = parse_area_date(args.date)
    check_name(args.source)
    for option, value in (("--title", args.title), ("--publisher", args.publisher),
                          ("--licence", args.licence), ("--published", args.published)):
        problem = value is not None and text_problem(value)
        if problem:  # printed by `sources`, drawn on images: the project's text rules
            raise OptionError(f"{option}: {problem}")
    path = Path(args.file)
    rules = load_rules(args.rules) if args.rules else ()
    areas, log = read_layer_file(path, rules=rules)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    counts = areas["category"].value_counts()
    how = f"rules {Path(args.rules).name}" if args.rules else "the features' category property"
    skipped = log.read - len(areas)
    note = (f"{day}: {path.name}, {len(areas)} features kept ("
            + ", ".join(f"{n} {c}" for c, n in counts.items()) + f"), {skipped} left out; "
            f"categories by {how}")
    entry = Source(name=args.source, kind="areas", title=args.title or args.source,
                   publisher=args.publisher or "the importing user",
                   licence=args.licence or "not stated", published=args.published or "",
                   method="a published control map imported by mapapp: geometry as drawn "
                          "(heights dropped, invalid rings repaired, reprojected to WGS84), "
                          "categories mapped by a rules file or the features' own",
                   file=path.name, sha256=digest, imported=now_utc(), rows_read=log.read,
                   rows_kept=len(areas), rows_skipped=skipped,
                   # Every note dated: a --replace of this date replaces them too.
                   notes=(note, *(f"{day}: {line}" for line in log.notes)))
    target = save_snapshot(Path(args.data_dir), entry, day, areas, replace_date=args.replace)
    print(f"Imported {args.source} for {day}: {log.read:,} features read, {len(areas):,} kept, "
          f"{skipped:,} left out; {target}")
    for item in log.skipped[:20]:
        print(f"  left out {item.text()}")
    if len(log.skipped) > 20:
        print(f"  ... and {len(log.skipped) - 20} more")
    for line in log.notes:
        print(f"  note: {line}")
    return 0


def area_sources(data_dir: Path, names: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``names`` that are area sources (the rest hold events)."""
    from mapapp.store.catalogue import get_source
    from mapapp.store.snapshots import AREAS_KIND

    return tuple(n for n in names if get_source(data_dir, n).kind == AREAS_KIND)


def export_areas(data_dir: Path, names: tuple[str, ...], start: dt.date | None,
                 end: dt.date | None) -> Any:
    """The snapshots of area sources ``names`` dated within the range, as
    one GeoDataFrame (category, name, layer, feature, source, date)."""
    import geopandas as gpd
    import pandas as pd

    from mapapp.store.snapshots import snapshots_between

    from mapapp.store.catalogue import get_source

    frames = []
    for name in names:  # each feature says whose map it is, and on what terms
        source = get_source(data_dir, name)
        frames.append(snapshots_between(data_dir, name, start, end).assign(
            publisher=source.publisher, licence=source.licence))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry",
                            crs="EPSG:4326")


def control_map(data_dir: Path, name: str, report_map: Any, day: dt.date | None,
                since: dt.date | None = None) -> tuple[Any, str]:
    """``report_map`` with the control map ``name`` in force on ``day`` (the
    latest snapshot when ``day`` is None) in place of its own areas and
    line, and the credit line that says whose map it is and of when.  With
    ``since``, what changed hands from the snapshot in force then is drawn
    over it and said in the credit line."""
    from mapapp.geo.compare import changes
    from mapapp.sources.control_maps import (change_features, credit_changes, map_credit,
                                             shown_features, with_control_map)
    from mapapp.sources.report_folder import THEATRE_COUNTRY
    from mapapp.store.catalogue import get_source
    from mapapp.store.snapshots import in_force

    source = get_source(data_dir, name)
    found = in_force(data_dir, name, day or dt.date.fromisoformat(source.last_date))
    if found is None:
        raise OptionError(f"source {name!r} has no snapshot on or before {day} (its first is "
                          f"{source.first_date})")
    shown, areas = found
    credit = map_credit(source, shown)
    features = shown_features(source, shown, areas)
    earlier = in_force(data_dir, name, since) if since is not None else None
    if earlier is not None and earlier[0] < shown:
        changed = changes(earlier[1], areas, country=THEATRE_COUNTRY)
        features += change_features(source, earlier[0], shown, changed)
        said = credit_changes(changed, earlier[0], shown)
        credit += ". " + (said or f"No area changed hands between {earlier[0]} and {shown}")
    return with_control_map(report_map, features, shown), credit


def compare_areas(args) -> int:
    """``compare-areas A B --date D``: how far two control maps of one date agree."""
    from mapapp.geo import gazetteer
    from mapapp.geo.compare import compare
    from mapapp.sources.report_folder import THEATRE_COUNTRY
    from mapapp.store.snapshots import in_force

    day = parse_area_date(args.date)
    data_dir = Path(args.data_dir)
    if args.first == args.second:
        raise OptionError("compare-areas needs two different sources")
    maps = []
    for name in (args.first, args.second):
        found = in_force(data_dir, name, day)
        if found is None:
            raise OptionError(f"source {name!r} has no snapshot on or before {day}")
        maps.append(found)
    country = gazetteer.country_geometry(THEATRE_COUNTRY)
    if country is None:
        raise DataError(f"no outline of {THEATRE_COUNTRY} to derive front lines inside")
    result = compare(maps[0][1], maps[1][1], country)
    print(f"{args.first} (snapshot {maps[0][0]}) and {args.second} (snapshot {maps[1][0]}), "
          f"in force on {day}:")
    for label, value in result.rows(args.first, args.second):
        print(f"  {label}: {value}")
    if math.isnan(result.overlap):
        print("  note: neither map marks any area as held by Russia")
    return 0
