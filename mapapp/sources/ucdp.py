"""UCDP GED CSV exports to event rows.

The Uppsala Conflict Data Program's Georeferenced Event Dataset has one row
per event with a best, low and high estimate of deaths.  Dates come as ISO
(``2022-11-15 00:00:00.000``) or, from some downloads, as month/day/year
with a time; both are read.  ``date_prec`` and ``where_prec`` become the
same precision columns as ACLED's.
"""

from __future__ import annotations

from typing import Any

from mapapp.sources.tables import RowLog, date_span, located, mapped, text_column

REQUIRED = ("id", "date_start", "latitude", "longitude", "type_of_violence")
WHAT = "a UCDP GED export"
# Event-table column -> this export's column, for messages about a row.
FILE_COLUMNS = {"date_text": "date_start", "end_text": "date_end", "name": "where_coordinates",
                "actor1": "side_a", "actor2": "side_b", "fatalities": "best",
                "fatalities_low": "low", "fatalities_high": "high",
                "claimed_by": "source_article", "summary": "where_description",
                "admin1": "adm_1"}
PUBLISHER = "UCDP Georeferenced Event Dataset (Uppsala University)"
LICENCE = "CC BY 4.0 (cite UCDP GED)"

TYPES = {"1": "state_based", "2": "non_state", "3": "one_sided"}
# UCDP GED codebook: 1 the day, 2 within 2-6 days, 3 the week, 4 the
# month, 5 the year.
TIME_PRECISION = {"1": "day", "2": "days", "3": "week", "4": "month", "5": "year"}
# 1 the place, 2 within 25 km, 3 a second-order and 4 a first-order
# division, 5 along a road, river or line, 6 the country, 7 at sea or in
# the air.
PLACE_PRECISION = {"1": "exact", "2": "near", "3": "district", "4": "region",
                   "5": "approximate", "6": "country", "7": "approximate"}


def to_events(frame: Any, log: RowLog) -> Any:
    import pandas as pd

    def column(name: str) -> Any:
        return text_column(frame, name)

    start, end = date_span(column("date_start"), column("date_end"))
    precision = column("where_prec").str.strip().map(PLACE_PRECISION)
    name = column("where_coordinates").where(column("where_coordinates").str.strip().ne(""),
                                             column("adm_2"))
    return pd.DataFrame({
        "id": column("id").str.strip(),
        "type": mapped(column("type_of_violence"), TYPES, column="type_of_violence",
                       kept_as="event", log=log),
        "sub_type": column("dyad_name").where(column("dyad_name").str.strip().ne(""),
                                              column("conflict_name")),
        "status": "reported",
        "name": name,
        "admin1": column("adm_1"),
        "country": column("country"),
        "date_start": start,
        "date_end": end,
        "date_text": column("date_start"),
        "end_text": column("date_end"),
        "time_precision": column("date_prec").str.strip().map(TIME_PRECISION),
        "place_precision": precision,
        "actor1": column("side_a"),
        "actor2": column("side_b"),
        "fatalities": column("best"),
        "fatalities_low": column("low"),
        "fatalities_high": column("high"),
        "claimed_by": column("source_article"),
        "summary": column("where_description"),
        "latitude": column("latitude"),
        "longitude": column("longitude"),
        "located": located("UCDP's coordinates", precision),
    }, index=frame.index)
