"""The event table: one row per mapped event, the same columns for every source.

Curated reports and imported event sets (ACLED, UCDP, a user's GeoJSON,
GeoPackage or CSV) become rows of one typed, columnar table, so the store,
the filters and the exports work on columns, never on one Python object
per event.  Each row keeps its provenance: the source (whose catalogue entry
names the publisher or dataset, date and licence), the row or feature it
came from, who makes the claim, how sure it is, and how precisely its time
and place are known.  Event dates and report dates are separate columns.

No I/O here: :mod:`mapapp.store` reads and writes the table.

>>> frame = empty_events()
>>> list(frame.columns)[:4]
['id', 'source', 'layer', 'type']
>>> str(frame["date_start"].dtype)
'datetime64[s]'
"""

from __future__ import annotations

from typing import Any

# The layer imported event sets draw on, and their types: ACLED's event
# types, UCDP's types of violence, and "event" for anything else.
EVENT_LAYER = "events"
EVENT_TYPES: dict[str, str] = {
    "battle": "Battle",
    "explosion_remote": "Explosion or remote violence",
    "violence_civilians": "Violence against civilians",
    "protest": "Protest",
    "riot": "Riot",
    "strategic": "Strategic development",
    "state_based": "State-based armed conflict",
    "non_state": "Non-state conflict",
    "one_sided": "One-sided violence",
    "event": "Event",
}

# How precisely an event's date is known, finest first.
TIME_PRECISIONS: dict[str, str] = {
    "day": "Exact day",
    "days": "Within a few days",
    "week": "Within a week",
    "month": "Within a month",
    "year": "Within a year",
}

# How precisely its place is known, finest first.
PLACE_PRECISIONS: dict[str, str] = {
    "exact": "At the named place",
    "near": "Near the named place (within about 25 km)",
    "district": "Somewhere in a district",
    "region": "Somewhere in a region (province)",
    "country": "Somewhere in the country",
    "approximate": "Approximate (along a road or river, or at sea)",
}

# Column -> pandas dtype.  Text is pandas' string dtype (missing is <NA>,
# never the string "nan"); dates are day-resolution datetimes; the
# categorical columns are converted by :func:`typed`.
COLUMNS: dict[str, str] = {
    "id": "string",             # unique within its source
    "source": "category",       # the catalogue entry it belongs to
    "layer": "category",
    "type": "category",
    "sub_type": "string",       # the dataset's own finer type, as given
    "status": "category",       # how sure (mapapp.model.vocab.STATUSES)
    "name": "string",           # the place, as the source names it
    "admin1": "string",
    "country": "string",
    "date_start": "datetime64[s]",
    "date_end": "datetime64[s]",   # equal to date_start for one day
    "time_precision": "category",
    "place_precision": "category",
    "actor1": "string",
    "actor2": "string",
    "fatalities": "Int64",      # best estimate; <NA> when not given
    "fatalities_low": "Int64",
    "fatalities_high": "Int64",
    "claimed_by": "string",     # who reports it (the dataset's source column)
    "summary": "string",        # the source's own notes, as given
    "report_date": "datetime64[s]",  # when it was reported, if known
    "row": "Int64",             # row (or feature) number in the imported file
    "located": "string",        # how the place was located
}

CATEGORIES: dict[str, tuple[str, ...]] = {
    "time_precision": tuple(TIME_PRECISIONS),
    "place_precision": tuple(PLACE_PRECISIONS),
}


def empty_events() -> Any:
    """An event table with no rows and every column typed (a GeoDataFrame)."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({name: pd.Series(dtype=_dtype(name)) for name in COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def typed(frame: Any) -> Any:
    """``frame`` with exactly :data:`COLUMNS` (missing ones empty) in order,
    each of its dtype, and the geometry last (a GeoDataFrame in EPSG:4326)."""
    import geopandas as gpd
    import pandas as pd

    out = {}
    n = len(frame)
    for name in COLUMNS:
        values = frame[name] if name in frame else pd.Series([pd.NA] * n, index=frame.index)
        out[name] = values.astype(_dtype(name)) if name not in CATEGORIES else \
            pd.Categorical(values, categories=CATEGORIES[name])
    table = pd.DataFrame(out, index=frame.index)
    for name in ("source", "layer", "type", "status"):
        table[name] = table[name].astype("category")
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(frame.geometry.values, index=frame.index,
                                                          crs="EPSG:4326"), crs="EPSG:4326")


def _dtype(name: str) -> Any:
    import pandas as pd

    if name in CATEGORIES:
        return pd.CategoricalDtype(CATEGORIES[name])
    return COLUMNS[name]


def from_features(features, *, source: str) -> Any:
    """A curated report's features as event rows (those with a geometry).

    The event date is the feature's (a day, or ``start/end``); the report's
    date stays in ``report_date``.  Names are shown names (with the local
    spelling), claims become ``claimed_by``, and ``located`` says how the
    place was found.
    """
    import geopandas as gpd
    import pandas as pd

    rows = []
    for feature in features:
        if feature.geometry is None:
            continue
        start, _, end = feature.event_date.partition("/")
        end = end or start
        rows.append({
            "id": feature.id, "source": source, "layer": feature.layer, "type": feature.type,
            "status": feature.status, "name": feature.display_name,
            "date_start": start, "date_end": end,
            "time_precision": ({10: "day", 7: "month"}.get(len(start), "year")
                               if start == end else "days" if len(start) == len(end) == 10
                               else {10: "day", 7: "month"}.get(min(len(start), len(end)),
                                                                "year")),
            "place_precision": "approximate" if feature.approximate else "exact",
            "claimed_by": feature.claimed_by or None, "summary": feature.summary,
            "report_date": feature.report_date, "located": feature.location.text(),
            "geometry": feature.geometry,
        })
    if not rows:
        return empty_events()
    frame = pd.DataFrame(rows)
    for column in ("date_start", "date_end", "report_date"):
        # A month ("2022-11") or a year ("2022") starts on its first day and
        # ends on its last: the event may be any day of it.
        text = frame[column].str.slice(0, 10)
        first = text.where(text.str.len() != 7, text + "-01").where(text.str.len() != 4,
                                                                    text + "-01-01")
        dates = pd.to_datetime(first, format="%Y-%m-%d")
        if column == "date_end":
            dates = dates.where(text.str.len() != 7, dates + pd.offsets.MonthEnd(0))
            dates = dates.where(text.str.len() != 4, dates + pd.offsets.YearEnd(0))
        frame[column] = dates.astype("datetime64[s]")
    return typed(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326"))


def anchors(events: Any) -> tuple[Any, Any]:
    """Longitude and latitude arrays, one per event: the point itself, or a
    point on the surface of a line or an area (where a dot for it goes)."""
    import numpy as np
    import shapely

    # A plain array of shapes: numpy functions on geopandas' own array fall
    # back to one Python call per shape.
    geometry = np.asarray(events.geometry.values)
    shapes = shapely.get_type_id(geometry) != 0
    if shapes.any():  # a GEOS call per shape: only where it is not a point already
        geometry = geometry.copy()
        geometry[shapes] = shapely.point_on_surface(geometry[shapes])
    return shapely.get_x(geometry), shapely.get_y(geometry)


def row_unit(kind: str) -> str:
    """What a source's row numbers count: features of a GeoJSON or GeoPackage
    file, rows of a table."""
    return "feature" if kind in ("geojson", "gpkg") else "row"
