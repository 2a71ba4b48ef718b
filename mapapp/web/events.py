"""Event sets for the browser: one compact, columnar payload, styled there.

Thousands of events travel as a handful of arrays (coordinates as integers
of 1e-4 degree, about 10 m; days since 1970; small codes into lists of
types, statuses and sources), never one GeoJSON feature, popup or SVG each.
The page's script (``assets/mapapp.js``, ``mapapp.events``) draws them on a
canvas, counts them into cells when zoomed out, filters them in the page
(``mapapp.filterEvents``), and builds a popup only for the one clicked.
Lines and areas from a user's file are drawn at a representative point.

>>> from mapapp.model.events import empty_events
>>> events_payload(empty_events())["n"]
0
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mapapp import styles
from mapapp.model.events import EVENT_TYPES, anchors
from mapapp.store.query import EventFilter

COORD_SCALE = 10_000
AGGREGATE_BELOW_ZOOM = 8  # zoomed out further, many events are counted into cells
AGGREGATE_OVER = 1500     # ...when more than this many are in view
CELL_PX = 40
_EPOCH = dt.date(1970, 1, 1)


def events_payload(events: Any, units: dict[str, str] | None = None) -> dict[str, Any]:
    """The columns the page needs, as plain lists (JSON-ready); ``units``
    says per source what its row numbers count ("row" unless given)."""
    import numpy as np

    n = len(events)
    x, y = anchors(events)
    lon = np.round(x * COORD_SCALE).astype("int64")
    lat = np.round(y * COORD_SCALE).astype("int64")
    start = _days(events["date_start"])
    end = _days(events["date_end"].fillna(events["date_start"]))

    def coded(column: str) -> tuple[list[int], list[str]]:
        values = events[column].astype("category")
        return values.cat.codes.to_numpy().tolist(), [str(c) for c in values.cat.categories]

    types, type_names = coded("type")
    statuses, status_names = coded("status")
    sources, source_names = coded("source")
    fatalities = events["fatalities"].fillna(-1).astype("int64").to_numpy().tolist()
    return {
        "n": n, "lon": lon.tolist(), "lat": lat.tolist(),
        "day": start.tolist(), "span": (end - start).tolist(),
        "type": types, "types": type_names, "status": statuses, "statuses": status_names,
        "source": sources, "sources": source_names,
        "id": events["id"].astype(object).tolist(),
        "name": events["name"].astype(object).where(events["name"].notna(), "").tolist(),
        "fatalities": fatalities, "row": events["row"].fillna(0).astype("int64").tolist(),
        "units": [(units or {}).get(name, "row") for name in source_names],
    }


def _days(dates: Any) -> Any:
    import numpy as np

    return (dates.to_numpy().astype("datetime64[D]") - np.datetime64(_EPOCH, "D")).astype("int64")


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01, as the page counts them.

    >>> day_number(dt.date(2022, 11, 15))
    19311
    """
    return (day - _EPOCH).days


def filter_spec(wanted: EventFilter) -> dict[str, Any]:
    """An :class:`~mapapp.store.query.EventFilter` as the page applies it."""
    spec: dict[str, Any] = {}
    for key, value in (("types", wanted.types), ("statuses", wanted.statuses),
                       ("sources", wanted.sources)):
        if value is not None:
            spec[key] = list(value)
    if wanted.start is not None:
        spec["from"] = day_number(wanted.start)
    if wanted.end is not None:
        spec["to"] = day_number(wanted.end)
    return spec


def layer_options(*, data: dict | None = None, url: str | None = None,
                  wanted: EventFilter | None = None) -> dict[str, Any]:
    """The options of ``mapapp.events``: the data itself, or a URL to fetch it."""
    options: dict[str, Any] = {
        "filter": filter_spec(wanted or EventFilter()),
        "styles": {name: {"color": styles.EVENT_COLORS.get(name, styles.FALLBACK_POINT["color"]),
                          "label": label} for name, label in EVENT_TYPES.items()},
        "halo": styles.HALO, "aggregate_below": AGGREGATE_BELOW_ZOOM,
        "aggregate_over": AGGREGATE_OVER, "cell": CELL_PX,
    }
    if data is not None:
        options["data"] = data
    else:
        options["url"] = url
    return options


def publish_payload(events: Any, folder: Path, units: dict[str, str] | None = None) -> str:
    """Write the payload of ``events`` as ``events-<hash>.json`` in ``folder``
    (once: the name is the content's hash, so a browser may cache it for
    good) and return the file's name."""
    import hashlib
    import json

    from mapapp.files import write_atomic

    data = json.dumps(events_payload(events, units), separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")
    name = f"events-{hashlib.sha256(data).hexdigest()[:16]}.json"
    target = Path(folder) / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    return name
