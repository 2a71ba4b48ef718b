"""Event tables on disk as GeoParquet, one file per month.

A source's events live in ``events/`` as ``month=YYYY-MM/part-0.parquet``
(Hive-style partitions, read as one table by geopandas, pyarrow,
dask-geopandas and Spark/Sedona alike).  Every file is valid GeoParquet on
its own: geopandas writes the ``geo`` metadata (version, primary column,
encoding, CRS, bounding box) into each.  A month is also the unit a
time-range query skips: only the partitions that overlap are opened.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.model.events import COLUMNS, typed

EVENTS_DIR = "events"
PARTITION = "month"


def write_events(events: Any, folder: Path) -> list[Path]:
    """Write ``events`` under ``folder/events/``, one file per month of
    ``date_start``; returns the files written.  ``folder`` must be new (the
    catalogue writes into a temporary folder and moves it into place)."""
    out = folder / EVENTS_DIR
    out.mkdir(parents=True, exist_ok=False)
    if events.empty:
        return []
    months = events["date_start"].dt.strftime("%Y-%m")
    written = []
    for month, part in events.groupby(months, sort=True):
        target = out / f"{PARTITION}={month}" / "part-0.parquet"
        target.parent.mkdir()
        # The geometry's bounding box per row lets readers filter by area
        # without decoding shapes (GeoParquet 1.1 "covering").
        part.reset_index(drop=True).to_parquet(target, index=False, compression="zstd",
                                               write_covering_bbox=True,
                                               schema_version="1.1.0")
        written.append(target)
    return written


def months_between(start: dt.date | None, end: dt.date | None, months: list[str]) -> list[str]:
    """The partitions (``YYYY-MM``) of ``months`` that may hold events
    overlapping ``start``..``end``.

    Partitions go by the month an event starts, and an event may start
    long before a range it reaches into: only months after ``end`` are
    left out (``start`` is for the caller's exact filter).

    >>> months_between(dt.date(2022, 11, 15), dt.date(2023, 1, 2), ["2022-10", "2023-01", "2023-02"])
    ['2022-10', '2023-01']
    """
    high = f"{end:%Y-%m}" if end else "9999-99"
    return [m for m in months if m <= high]


def partitions(folder: Path) -> dict[str, Path]:
    """``{month: file}`` for the event files under ``folder``."""
    base = folder / EVENTS_DIR
    if not base.is_dir():
        return {}
    found = {}
    for path in sorted(base.glob(f"{PARTITION}=*/*.parquet")):
        found[path.parent.name.partition("=")[2]] = path
    return found


def read_events(folder: Path, *, start: dt.date | None = None, end: dt.date | None = None,
                columns: list[str] | None = None) -> Any:
    """The events under ``folder`` (those of months overlapping
    ``start``..``end`` when given), typed as :func:`mapapp.model.events.typed`.

    One read of the months' files together; the months outside the range
    are never opened.  A file that is not readable
    GeoParquet is a DataError naming it.
    """
    import geopandas as gpd

    from mapapp.model.events import empty_events

    base = folder / EVENTS_DIR
    found = partitions(folder)
    files = [str(found[m]) for m in months_between(start, end, sorted(found))]
    if not files:
        return empty_events()
    try:
        frame = gpd.read_parquet(files, columns=columns)
    except Exception:  # pyarrow and geopandas raise many kinds: find the file at fault
        _raise_for_broken_file(folder, start, end)
        raise
    frame = frame.drop(columns=[PARTITION], errors="ignore")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing and columns is None:
        raise DataError(f"lacks columns {', '.join(missing)}; import the source again",
                        file=str(base))
    return typed(frame) if len(frame) else empty_events()


def _raise_for_broken_file(folder: Path, start: dt.date | None, end: dt.date | None) -> None:
    import geopandas as gpd

    found = partitions(folder)
    for month in months_between(start, end, sorted(found)):
        try:
            gpd.read_parquet(found[month])
        except Exception as err:
            raise DataError(f"is not a readable GeoParquet file ({_short(err)}); "
                            "import the source again", file=str(found[month])) from None


def _short(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else type(err).__name__
