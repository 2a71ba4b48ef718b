"""The events of several sources as one table, loaded once per change.

The curated report becomes rows through :func:`mapapp.model.events.from_features`;
imported sources are read from their GeoParquet files.  A loaded table is
kept in memory, keyed by the files' sizes and times, so the app and a
command reading a source twice read it once.  Its rows are in date order
(then the sources in the order asked for, then the row in the file), so
the first rows anyone lists are the earliest, not the file's first.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from mapapp.model.events import empty_events, from_features
from mapapp.store.catalogue import get_source
from mapapp.store.geoparquet import EVENTS_DIR, read_events


def load_events(data_dir: Path, names: tuple[str, ...], *, cache_dir: Path | None = None,
                start: dt.date | None = None, end: dt.date | None = None) -> Any:
    """The events of the sources ``names`` (OptionError for an unknown one)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from mapapp.model.events import typed

    parts = []
    for name in names:
        source = get_source(Path(data_dir), name)
        if source.kind == "report":
            parts.append(_report_events(str(data_dir), str(cache_dir) if cache_dir else None,
                                        source.name, _version(Path(data_dir))))
        else:
            folder = Path(source.folder)
            parts.append(_source_events(str(folder), _version(folder / EVENTS_DIR), start, end))
    if not parts:
        return empty_events()
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    # Each part is in date order already; a stable sort keeps, within a
    # day, the sources in the order asked for and each one's rows in order.
    frame = frame.iloc[np.argsort(frame["date_start"].to_numpy(), kind="stable")]
    return typed(gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry",
                                  crs="EPSG:4326"))


def events_version(data_dir: Path, names: tuple[str, ...]) -> tuple:
    """Changes whenever an event file of ``names`` (or the report) changes."""
    folders = []
    for name in names:
        source = get_source(Path(data_dir), name)
        folders.append(_version(Path(source.folder) / EVENTS_DIR) if source.kind != "report"
                       else _version(Path(data_dir)))
    return tuple(folders)


def _version(folder: Path) -> tuple:
    """Sizes and modification times of the files under ``folder``: a change
    to any of them loads again."""
    if not folder.exists():
        return ()
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                        for p in folder.rglob("*") if p.is_file()))


@functools.lru_cache(maxsize=8)
def _report_events(data_dir: str, cache_dir: str | None, name: str, version: tuple) -> Any:
    from mapapp.sources.report_folder import GEOCACHE_DIR, load_report_map

    report_map = load_report_map(Path(data_dir), cache_dir=Path(cache_dir or GEOCACHE_DIR))
    return _in_date_order(from_features(report_map.features, source=name))


@functools.lru_cache(maxsize=8)
def _source_events(folder: str, version: tuple, start, end) -> Any:
    # Stored by month, but within a month in the file's order (ACLED's
    # exports put the newest first).
    return _in_date_order(read_events(Path(folder), start=start, end=end))


def _in_date_order(events: Any) -> Any:
    """``events`` by start date, then row number (a report's features, which
    have none, in the report's order), numbered from 0 again."""
    return events.sort_values(["date_start", "row"], kind="stable",
                              na_position="last").reset_index(drop=True)


def event_span(events: Any) -> tuple[dt.date, dt.date]:
    """The first and last day of ``events`` (start of the first, end of the last)."""
    return (events["date_start"].min().date(),
            events["date_end"].fillna(events["date_start"]).max().date())
