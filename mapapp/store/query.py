"""Choosing events: by source, time, area, layer, type and status, on columns.

One boolean mask per condition over the whole table (numpy under pandas):
at 100,000 events a query takes milliseconds (see ``bench/bench_scale.py``),
so no query engine is needed on one machine.  The same conditions are what
dask-geopandas runs over a partitioned set (see the README).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from mapapp.errors import OptionError


@dataclass(frozen=True)
class EventFilter:
    """What to keep; ``None`` means no condition.  Dates are inclusive: an
    event is kept when its span (start to end) overlaps ``start``..``end``."""
    sources: tuple[str, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    layers: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None

    def __post_init__(self):
        check_date_range(self.start, self.end)


def check_date_range(start: dt.date | None, end: dt.date | None) -> None:
    """An OptionError naming ``--to`` and ``--from`` when the range ends
    before it starts (an open end is fine).  Shared with the view."""
    if start and end and end < start:
        raise OptionError(f"--to {end} is before --from {start}")


def select(events: Any, wanted: EventFilter) -> Any:
    """The rows of ``events`` that ``wanted`` keeps (a view, in table order)."""
    import numpy as np

    keep = np.ones(len(events), dtype=bool)
    for column, values in (("source", wanted.sources), ("layer", wanted.layers),
                           ("type", wanted.types), ("status", wanted.statuses)):
        if values is not None:
            keep &= events[column].isin(values).to_numpy()
    if wanted.start is not None:
        keep &= (events["date_end"] >= np.datetime64(wanted.start, "s")).to_numpy()
    if wanted.end is not None:
        keep &= (events["date_start"] <= np.datetime64(wanted.end, "s")).to_numpy()
    if wanted.bbox is not None:
        west, south, east, north = wanted.bbox
        bounds = events.geometry.bounds.to_numpy()  # minx, miny, maxx, maxy per row
        keep &= (bounds[:, 2] >= west) & (bounds[:, 0] <= east) & \
            (bounds[:, 3] >= south) & (bounds[:, 1] <= north)
    return events[keep]


def parse_date(text: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` (or None); an OptionError naming ``option`` otherwise.

    >>> parse_date("2022-11-15", "--from")
    datetime.date(2022, 11, 15)
    """
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise OptionError(f"{option} {text!r}: expected a date as YYYY-MM-DD") from None


def nearest(events: Any, lat: float, lon: float, radius_deg: float) -> int | None:
    """Position (in ``events``) of the event nearest to ``lat``, ``lon``
    within ``radius_deg`` degrees of latitude (longitude scaled by the
    latitude, as a map shows it), or None."""
    import numpy as np

    from mapapp.model.events import anchors

    if not len(events):
        return None
    x, y = anchors(events)
    dx = (x - lon) * np.cos(np.radians(lat))
    dist = np.hypot(dx, y - lat)
    best = int(np.nanargmin(dist))
    return best if dist[best] <= radius_deg else None


PLAY_STEPS: tuple[str, ...] = ("day", "week", "month")


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def next_range(start: dt.date, end: dt.date, step: str, last: dt.date) -> tuple[dt.date, dt.date]:
    """The date range one ``step`` (a day, a week or a calendar month) later,
    stopping at ``last``.  A range of whole months moves to the next whole
    months, so playing by month follows the calendar.

    >>> d = dt.date
    >>> next_range(d(2022, 11, 1), d(2022, 11, 30), "month", d(2024, 1, 1))
    (datetime.date(2022, 12, 1), datetime.date(2022, 12, 31))
    >>> next_range(d(2023, 1, 31), d(2023, 2, 6), "month", d(2024, 1, 1))
    (datetime.date(2023, 2, 28), datetime.date(2023, 3, 6))
    >>> next_range(d(2022, 11, 1), d(2022, 11, 7), "week", d(2022, 11, 10))
    (datetime.date(2022, 11, 4), datetime.date(2022, 11, 10))
    """
    if step not in PLAY_STEPS:
        raise OptionError(f"step {step!r}: expected one of {', '.join(PLAY_STEPS)}")
    if step == "month":
        after = end + dt.timedelta(days=1)
        whole = start.day == 1 and after.day == 1
        new_start = _add_months(start, 1)
        new_end = (_add_months(after, 1) - dt.timedelta(days=1)) if whole else _add_months(end, 1)
        if new_end > last:  # the last step ends with the data, as long as it can be
            new_start, new_end = max(start, last - (new_end - new_start)), last
        return new_start, new_end
    shift = min(dt.timedelta(days=1 if step == "day" else 7), last - end)
    return start + shift, end + shift
