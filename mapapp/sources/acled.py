"""ACLED CSV exports to event rows.

ACLED (the Armed Conflict Location & Event Data project) codes events from
news and local partners; its exports carry one row per event with the
columns read here.  Its precision codes are kept as the event table's
``time_precision`` and ``place_precision``.
"""

from __future__ import annotations

from typing import Any

from mapapp.sources.tables import RowLog, located, mapped, parse_dates, text_column

REQUIRED = ("event_id_cnty", "event_date", "event_type", "latitude", "longitude")
WHAT = "an ACLED export"
# Event-table column -> this export's column, for messages about a row.
FILE_COLUMNS = {"date_text": "event_date", "id": "event_id_cnty", "name": "location",
                "claimed_by": "source", "summary": "notes"}
PUBLISHER = "ACLED (Armed Conflict Location & Event Data)"
LICENCE = "ACLED terms of use: attribution required, redistribution of the data restricted"

EVENT_TYPES = {
    "battles": "battle",
    "explosions/remote violence": "explosion_remote",
    "violence against civilians": "violence_civilians",
    "protests": "protest",
    "riots": "riot",
    "strategic developments": "strategic",
}
# ACLED codebook: 1 the day is known, 2 the week, 3 the month.
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
# 1 the named town, 2 near it or a part of a region, 3 only a larger region.
PLACE_PRECISION = {"1": "exact", "2": "near", "3": "region"}


def to_events(frame: Any, log: RowLog) -> Any:
    """The ACLED table's columns as event-table columns (text still checked later)."""
    import pandas as pd

    def column(name: str) -> Any:
        return text_column(frame, name)

    dates = parse_dates(column("event_date"))
    precision = column("geo_precision").str.strip().map(PLACE_PRECISION)
    return pd.DataFrame({
        "id": column("event_id_cnty").str.strip(),
        "type": mapped(column("event_type"), EVENT_TYPES, column="event_type", kept_as="event",
                       log=log),
        "sub_type": column("sub_event_type"),
        "status": "reported",
        "name": column("location"),
        "admin1": column("admin1"),
        "country": column("country"),
        "date_start": dates,
        "date_end": dates,
        "date_text": column("event_date"),
        "time_precision": column("time_precision").str.strip().map(TIME_PRECISION),
        "place_precision": precision,
        "actor1": column("actor1"),
        "actor2": column("actor2"),
        "fatalities": column("fatalities"),
        "claimed_by": column("source"),
        "summary": column("notes"),
        "latitude": column("latitude"),
        "longitude": column("longitude"),
        "located": located("ACLED's coordinates", precision),
    }, index=frame.index)
