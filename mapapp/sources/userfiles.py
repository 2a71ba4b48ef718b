"""A user's own event files: GeoJSON, GeoPackage, or CSV with lat/lon columns.

Columns (or feature properties) are found by the usual names, case-blind:
``date`` (or ``event_date``, ``date_start``) is required; ``id``, ``name``,
``type``, ``status``, ``summary``, ``source`` and the rest are used when
present.  A ``type`` or ``status`` outside the project's vocabulary is kept
as ``event`` or ``unclear`` and said so in the import report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.model import STATUSES
from mapapp.model.events import EVENT_TYPES, PLACE_PRECISIONS, TIME_PRECISIONS
from mapapp.sources.tables import RowLog, check_input_file, date_span, text_column

# Event-table column -> the names a user's file may give it, in preference order.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "event_id", "event_id_cnty", "uid", "fid"),
    "date_text": ("date", "event_date", "date_start", "start_date", "start", "day"),
    "end_text": ("date_end", "end_date", "end"),
    "name": ("name", "location", "place", "title", "where"),
    "type": ("type", "event_type", "category", "kind"),
    "sub_type": ("sub_type", "sub_event_type", "subtype"),
    "status": ("status", "certainty", "confidence"),
    "admin1": ("admin1", "adm_1", "region", "oblast", "province"),
    "country": ("country",),
    "actor1": ("actor1", "side_a", "actor"),
    "actor2": ("actor2", "side_b"),
    "fatalities": ("fatalities", "deaths", "killed", "best"),
    "claimed_by": ("source", "sources", "claimed_by", "reported_by", "source_article"),
    "summary": ("summary", "notes", "description", "note", "text"),
    "time_precision": ("time_precision",),
    "place_precision": ("place_precision", "geo_precision"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
}
REQUIRED_CSV = ("date_text", "latitude", "longitude")
REQUIRED_VECTOR = ("date_text",)
PUBLISHER = "the importing user"
LICENCE = "not stated"


def find_columns(columns, needed: tuple[str, ...], *, file: str, what: str) -> dict[str, str]:
    """Event-table column -> the file's column, for every alias found; a
    DataError listing what ``needed`` lacks, with the names accepted."""
    have = {str(c).strip().lower(): c for c in columns}
    found = {}
    for target, names in ALIASES.items():
        for name in names:
            if name in have:
                found[target] = have[name]
                break
    missing = [n for n in needed if n not in found]
    if missing:
        wants = "; ".join(f"{' or '.join(ALIASES[n][:4])}" for n in missing)
        raise DataError(f"is not {what}: no column for {wants}; it has: "
                        f"{', '.join(map(str, list(columns)[:30])) or 'no columns'}", file=file)
    return found


def to_events(frame: Any, found: dict[str, str], log: RowLog) -> Any:
    """The file's columns as event-table columns (text still checked later)."""
    import pandas as pd

    def column(name: str) -> Any:
        return text_column(frame, found.get(name, ""))

    kind = column("type").str.strip().str.lower().str.replace(" ", "_")
    types = kind.where(kind.isin(list(EVENT_TYPES)), "event")
    odd = sorted(set(column("type")[kind.ne("") & ~kind.isin(list(EVENT_TYPES))]))
    if odd:
        log.notes.append(f"kept as 'event': type {', '.join(map(repr, odd[:5]))} (known: "
                         f"{', '.join(EVENT_TYPES)})")
    status = column("status").str.strip().str.lower()
    given = status.ne("")
    odd_status = sorted(set(column("status")[given & ~status.isin(STATUSES)]))
    if odd_status:
        log.notes.append(f"kept as 'unclear': status {', '.join(map(repr, odd_status[:5]))} "
                         f"(known: {', '.join(STATUSES)})")
    start, end = date_span(column("date_text"), column("end_text"))
    if column("date_text").str.contains(r"^\s*\d{1,2}/\d{1,2}/\d{4}", regex=True).any():
        log.notes.append("dates written d/d/yyyy were read as month/day/year (05/11/2022 is "
                         "11 May); write YYYY-MM-DD where that is wrong")
    time_precision = column("time_precision").str.strip().str.lower()
    place_precision = column("place_precision").str.strip().str.lower()
    return pd.DataFrame({
        "id": column("id").str.strip(),
        "type": types,
        "sub_type": column("sub_type"),
        "status": status.where(status.isin(STATUSES), "unclear"),
        "name": column("name"),
        "admin1": column("admin1"),
        "country": column("country"),
        "date_start": start,
        "date_end": end,
        "date_text": column("date_text"),
        "end_text": column("end_text"),
        "time_precision": time_precision.where(time_precision.isin(list(TIME_PRECISIONS)), "day"),
        "place_precision": place_precision.where(place_precision.isin(list(PLACE_PRECISIONS))),
        "actor1": column("actor1"),
        "actor2": column("actor2"),
        "fatalities": column("fatalities"),
        "claimed_by": column("claimed_by"),
        "summary": column("summary"),
        "latitude": column("latitude"),
        "longitude": column("longitude"),
        "located": "coordinates as given in the file",
    }, index=frame.index)


def read_vector(path: Path, *, layer: str | None = None) -> Any:
    """A GeoJSON or GeoPackage file as a GeoDataFrame in EPSG:4326, indexed by
    feature number (from 1); one layer (a GeoPackage with several must be told
    which)."""
    import pyogrio

    check_input_file(path)
    file = str(path)
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # pyogrio raises its own DataSourceError and others
        raise DataError(f"cannot be read as GeoJSON or GeoPackage: {_short(err)}",
                        file=file) from None
    names = [str(name) for name, _ in layers]
    if layer is None and len(names) > 1:
        raise DataError(f"has {len(names)} layers ({', '.join(names[:10])}); "
                        "import one at a time", file=file)
    try:
        # Dates as written: a time zone must not move an event to another day.
        frame = pyogrio.read_dataframe(path, layer=layer or (names[0] if names else None),
                                       datetime_as_string=True)
    except Exception as err:
        raise DataError(f"cannot be read: {_short(err)}", file=file) from None
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")  # GeoJSON's own default
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    import pandas as pd
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="feature")
    return frame


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else type(err).__name__
