"""Any supported file to a checked event table, with a report on every row.

:func:`read_events` reads one file in one format and returns the rows it
kept as an event table (:mod:`mapapp.model.events`) together with a
:class:`~mapapp.sources.tables.RowLog`: how many rows were read, and each row
left out with its column and reason.  Nothing is guessed silently: a row
without a usable date or place is left out and listed; a type outside the
vocabulary is kept as ``event`` and noted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapapp.errors import DataError, OptionError
from mapapp.model.events import EVENT_LAYER, typed
from mapapp.schema import MAX_LONG_TEXT, MAX_SHORT_TEXT, text_problem
from mapapp.sources import acled, ucdp, userfiles
from mapapp.sources.tables import RowLog, parse_numbers, read_text_table, require_columns

FORMATS: tuple[str, ...] = ("acled", "ucdp", "geojson", "gpkg", "csv")
# Datasets whose exports have known columns; each module says which, who
# publishes the data and under which terms.
EXPORTS = {"acled": acled, "ucdp": ucdp}
MAX_FATALITIES = 10_000_000

SHORT_TEXT = ("name", "admin1", "country", "sub_type", "actor1", "actor2")
LONG_TEXT = ("summary", "claimed_by")
# The project's text rules (mapapp.schema.text_problem) as column patterns:
# no control characters, and names on one line.  Written with escapes for
# pyarrow's regex engine; text decoded from UTF-8 holds no lone surrogates.
_BAD_LONG = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"
_BAD_SHORT = r"[\x00-\x1f\x7f-\x9f]"


def read_events(path: str | Path, fmt: str, *, source: str) -> tuple[Any, RowLog]:
    """The events of ``path`` read as ``fmt``, and what happened to each row."""
    path = Path(path)
    file = str(path)
    fmt = str(fmt).lower()
    if fmt in EXPORTS:
        module = EXPORTS[fmt]
        table = read_text_table(path)
        require_columns(table, module.REQUIRED, file=file, what=module.WHAT)
        log = RowLog(file, read=len(table))
        events = module.to_events(table, log)
        names = _identity(table.columns) | module.FILE_COLUMNS
    elif fmt == "csv":
        table = read_text_table(path)
        found = userfiles.find_columns(table.columns, userfiles.REQUIRED_CSV, file=file,
                                       what="a table of events with dates and coordinates")
        log = RowLog(file, read=len(table))
        events = userfiles.to_events(table, found, log)
        names = dict(found)
    elif fmt in ("geojson", "gpkg"):
        frame = userfiles.read_vector(path)
        found = userfiles.find_columns([c for c in frame.columns if c != "geometry"],
                                       userfiles.REQUIRED_VECTOR, file=file,
                                       what="a layer of dated events")
        log = RowLog(file, read=len(frame), unit="feature")
        events = userfiles.to_events(frame, found, log)
        names = dict(found)
        return _finish(events, log, names, source=source, geometry=frame.geometry), log
    else:
        raise DataError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", file=file)
    return _finish(events, log, names, source=source), log


def _identity(columns) -> dict[str, str]:
    return {str(c): str(c) for c in columns}


def _finish(events: Any, log: RowLog, names: dict[str, str], *, source: str,
            geometry: Any = None) -> Any:
    """Check every column, drop (and log) the rows that fail, and type the rest."""
    import geopandas as gpd
    import pandas as pd

    bad = pd.Series(False, index=events.index)

    def reject(mask: Any, column: str, reasons: Any) -> None:
        nonlocal bad
        mask = mask & ~bad  # one reason per row: the first found
        if mask.any():
            shown = reasons[mask] if isinstance(reasons, pd.Series) else reasons
            log.skip(events.index[mask], names.get(column, column),
                     list(shown) if isinstance(shown, pd.Series) else shown)
            bad = bad | mask

    # Where: coordinates, or the file's own geometry.
    far = pd.Series(False, index=events.index)  # far outside the country the row names
    if geometry is None:
        lat_text = events["latitude"].astype("string").fillna("").str.strip()
        lon_text = events["longitude"].astype("string").fillna("").str.strip()
        lat, lon = parse_numbers(lat_text), parse_numbers(lon_text)
        reject(lat_text.eq("") | lon_text.eq(""), "latitude", "no coordinates")
        reject(lat.isna(), "latitude", "latitude is not a number: " + lat_text.map(repr))
        reject(lon.isna(), "longitude", "longitude is not a number: " + lon_text.map(repr))
        swapped = (lat.abs() > 90) & (lon.abs() <= 90) & (lat.abs() <= 180)
        reject(swapped, "latitude", "latitude and longitude look swapped: "
               + lat_text + ", " + lon_text + " (latitude must be within ±90)")
        reject(lat.abs() > 90, "latitude", "latitude out of range (±90): " + lat_text)
        reject(lon.abs() > 180, "longitude", "longitude out of range (±180): " + lon_text)
        reject(lat.eq(0) & lon.eq(0), "latitude", "coordinates 0, 0 (a blank saved as zero?)")
        # Swapped coordinates inside the ranges show only against the row's country.
        far = _check_countries(events, lat, lon, lat_text, lon_text, ~bad, reject, log, names)
        points = gpd.points_from_xy(lon.fillna(0), lat.fillna(0), crs="EPSG:4326")
        geometry = gpd.GeoSeries(points, index=events.index, crs="EPSG:4326")
    else:
        geometry = gpd.GeoSeries(geometry, index=events.index, crs="EPSG:4326")
        reject(geometry.isna() | geometry.is_empty, "geometry", "no geometry")
        bounds = geometry.bounds
        outside = (bounds["miny"] < -90) | (bounds["maxy"] > 90) | (bounds["minx"] < -180) | \
            (bounds["maxx"] > 180)
        reject(outside.fillna(False), "geometry", "coordinates out of range for longitude "
               "and latitude (a projected layer without its CRS?)")
        invalid = ~geometry.is_valid.fillna(True)
        if invalid.any():
            geometry = geometry.where(~invalid, geometry.make_valid())
            log.notes.append(f"{int(invalid.sum())} invalid shape(s) repaired (make_valid)")

    # When: a date is required; the end may not come first.
    date_text = events["date_text"].astype("string").fillna("").str.strip()
    reject(date_text.eq(""), "date_text", "no date")
    reject(events["date_start"].isna(), "date_text", "not a date: " + date_text.map(repr))
    if "end_text" in events:
        end_text = events["end_text"].astype("string").fillna("").str.strip()
        reject(events["date_end"].isna(), "end_text", "not a date: " + end_text.map(repr))
    reject(events["date_end"] < events["date_start"], "end_text", "ends before it starts")

    # Numbers.
    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        if column not in events:
            continue
        text = events[column].astype("string").fillna("").str.strip()
        number = parse_numbers(text)
        given = text.ne("")
        wrong = given & (number.isna() | (number % 1 != 0) | (number < 0)
                         | (number > MAX_FATALITIES))
        reject(wrong, column, "not a whole number from 0 up: " + text.map(repr))
        # Refused rows are left out below; their numbers must not break the column.
        events[column] = number.where(given & ~wrong).round().astype("Int64")

    # Text: one line for names, bounded, no control characters.
    for column, limit, pattern in ([(c, MAX_SHORT_TEXT, _BAD_SHORT) for c in SHORT_TEXT]
                                   + [(c, MAX_LONG_TEXT, _BAD_LONG) for c in LONG_TEXT]):
        text = events[column].astype("string").fillna("")
        # Names are one line; notes keep their line breaks, in one spelling.
        text = text.str.replace(r"[\t\r\n]+", " ", regex=True) if limit == MAX_SHORT_TEXT \
            else text.str.replace("\r\n?", "\n", regex=True)
        text = text.str.strip()
        reject(text.str.contains(pattern, regex=True), column, "contains a control character")
        reject(text.str.len() > limit, column, f"longer than {limit:,} characters")
        events[column] = text.mask(text.eq(""))

    # Identity: unique within the source; a blank id gets the row number.
    ids = events["id"].astype("string").fillna("").str.strip()
    ids = ids.mask(ids.eq(""), source + "-" + events.index.astype(str))
    reject(ids.str.contains(_BAD_SHORT, regex=True) | (ids.str.len() > MAX_SHORT_TEXT), "id",
           "not a usable id")
    first = pd.Series(events.index, index=events.index).groupby(ids.where(~bad)).transform(
        "min").astype("Int64")
    repeated = ids.where(~bad).duplicated(keep="first")
    reject(repeated, "id", "duplicate id " + ids.map(repr) + f" (first at {log.unit} " +
           first.astype("string") + ")")
    events["id"] = ids

    log.skipped.sort(key=lambda s: s.row)
    keep = ~bad
    _warn_far(events.index[far & keep], log, names)
    kept = events[keep].copy()
    kept["source"] = source
    kept["layer"] = EVENT_LAYER
    kept["row"] = kept.index.astype("int64")
    kept["geometry"] = geometry[keep]
    return typed(gpd.GeoDataFrame(kept, geometry="geometry", crs="EPSG:4326")).reset_index(
        drop=True)


def _check_countries(events: Any, lat: Any, lon: Any, lat_text: Any, lon_text: Any,
                     usable: Any, reject: Any, log: RowLog, names: dict[str, str]) -> Any:
    """Leave out the rows whose point lies in their named country only when
    read the other way round; return which others lie far outside it."""
    import pandas as pd

    from mapapp.errors import AssetError
    from mapapp.geo.borders import check_countries

    none = pd.Series(False, index=events.index)
    if "country" not in events:
        return none
    country = events["country"].astype("string").fillna("").str.strip().where(usable, "")
    if not country.ne("").any():
        return none
    try:
        found = check_countries(lon.to_numpy(), lat.to_numpy(), country.to_numpy(object))
    except AssetError as err:  # the borders are missing: import as before, and say so
        log.notes.append(f"countries not checked against the coordinates: {err}")
        return none
    swapped = pd.Series(found.swapped, index=events.index)
    if swapped.any():
        lat_column, lon_column, country_column = (names.get(c, c) for c in
                                                  ("latitude", "longitude", "country"))
        y, x, named = lat_text[swapped], lon_text[swapped], country[swapped]
        reasons = (f"latitude and longitude look swapped (columns {lat_column!r}, "
                   f"{lon_column!r}: " + y + ", " + x + " lies outside " + named.map(repr)
                   + f" named in column {country_column!r}; " + x + ", " + y
                   + " lies inside it)")
        reject(swapped, "latitude", reasons.reindex(events.index))
    return pd.Series(found.far, index=events.index) & ~swapped


def _warn_far(rows: Any, log: RowLog, names: dict[str, str]) -> None:
    """One warning line for the kept rows far outside their named country."""
    from mapapp.geo.borders import FAR_KM

    if not len(rows):
        return
    lat_column, lon_column, country_column = (names.get(c, c)
                                              for c in ("latitude", "longitude", "country"))
    shown = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10:,} more"
                                               if len(rows) > 10 else "")
    one = len(rows) == 1
    log.warnings.append(
        f"{len(rows):,} {log.unit}{'' if one else 's'} lie{'s' if one else ''} more than "
        f"{FAR_KM:.0f} km outside the country named in column {country_column!r} "
        f"({log.unit}{'' if one else 's'} {shown}); kept as given: check "
        f"{'its' if one else 'their'} {lat_column!r} and {lon_column!r}")


def import_file(path: str | Path, fmt: str, *, source: str, data_dir: Path,
                replace: bool = False, title: str | None = None, publisher: str | None = None,
                licence: str | None = None, published: str | None = None) -> tuple[Any, RowLog]:
    """Read ``path`` and save it as the source ``source`` of ``data_dir``.

    Returns the catalogue entry and the row log.  Nothing is written when
    the file is refused; the skipped rows are saved beside the events
    (``skipped.csv``) for review.
    """
    import hashlib

    from mapapp.store.catalogue import Source, check_name, now_utc, save_source

    check_name(source)
    for option, value in (("--title", title), ("--publisher", publisher),
                          ("--licence", licence), ("--published", published)):
        problem = value is not None and text_problem(value)
        if problem:
            raise OptionError(f"{option}: {problem}")
    path = Path(path)
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise OptionError(f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    events, log = read_events(path, fmt, source=source)
    if events.empty:
        reasons = "; ".join(s.text() for s in sorted(log.skipped, key=lambda s: s.row)[:3])
        raise DataError(f"no usable {log.unit}s of {log.read:,}"
                        + (f" ({reasons}{'; ...' if len(log.skipped) > 3 else ''})"
                           if reasons else ""), file=str(path))
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    dates = events["date_start"]
    entry = Source(
        name=source, kind=fmt, title=title or path.stem,
        publisher=publisher or getattr(EXPORTS.get(fmt), "PUBLISHER", userfiles.PUBLISHER),
        licence=licence or getattr(EXPORTS.get(fmt), "LICENCE", userfiles.LICENCE),
        published=published or "",
        method=f"imported from a {fmt.upper()} file by mapapp: coordinates and dates as given; "
               "rows without a usable date or place left out (see skipped.csv)",
        file=path.name, sha256=digest.hexdigest(), imported=now_utc(),
        rows_read=log.read, rows_kept=len(events), rows_skipped=log.read - len(events),
        first_date=f"{dates.min():%Y-%m-%d}" if len(events) else "",
        last_date=f"{events['date_end'].max():%Y-%m-%d}" if len(events) else "",
        notes=tuple(log.notes) + tuple(f"warning: {w}" for w in log.warnings))
    save_source(data_dir, entry, events, skipped_table(log), replace=replace)
    return entry, log


def skipped_table(log: RowLog) -> str:
    """The skipped rows as CSV text (empty when none were)."""
    if not log.skipped:
        return ""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([log.unit, "column", "reason"])
    for item in sorted(log.skipped, key=lambda s: s.row):
        writer.writerow([item.row, item.column, item.reason])
    return out.getvalue()
