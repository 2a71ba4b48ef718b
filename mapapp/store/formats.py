"""A selection of events in open formats: GeoJSON, GeoPackage, GeoParquet, CSV.

Values are plain (text, numbers, ISO dates), never HTML; every file is
written whole to a temporary file first and moved into place
(:func:`mapapp.files.write_output`), so a failure leaves nothing behind.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from mapapp.files import write_output

DATA_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "csv")
SUFFIXES = {"geojson": (".geojson", ".json"), "gpkg": (".gpkg",), "parquet": (".parquet",),
            "csv": (".csv",)}
DATE_COLUMNS = ("date_start", "date_end", "report_date")


def plain(events: Any) -> Any:
    """A copy with ISO date text, plain text for categories and None for missing."""
    import pandas as pd

    out = events.copy()
    for column in (c for c in DATE_COLUMNS if c in out.columns):  # areas carry text dates
        out[column] = out[column].dt.strftime("%Y-%m-%d").astype(object).where(
            out[column].notna(), None)
    for column in out.columns:
        if column == out.geometry.name or column in DATE_COLUMNS:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype) or series.dtype == "string":
            out[column] = series.astype(object).where(series.notna(), None)
        elif str(series.dtype) == "Int64":
            out[column] = series.astype(object).where(series.notna(), None)
    return out


def to_bytes(events: Any, fmt: str) -> bytes:
    """``events`` in ``fmt`` (one of :data:`DATA_FORMATS`)."""
    if fmt == "geojson":
        collection = plain(events).to_geo_dict(na="null", show_bbox=False, drop_id=True)
        return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")
    if fmt == "parquet":
        buffer = io.BytesIO()
        events.reset_index(drop=True).to_parquet(buffer, index=False, compression="zstd",
                                                 write_covering_bbox=True, schema_version="1.1.0")
        return buffer.getvalue()
    if fmt == "gpkg":
        import pyogrio

        with tempfile.TemporaryDirectory(prefix="mapapp-gpkg-") as folder:
            path = Path(folder) / "events.gpkg"
            frame = events.reset_index(drop=True)
            for column in frame.columns:  # GDAL has no categorical or nullable types
                series = frame[column]
                if column != frame.geometry.name and str(series.dtype) in ("category", "string"):
                    frame[column] = series.astype(object).where(series.notna(), None)
            pyogrio.write_dataframe(frame, path, layer="events", driver="GPKG")
            return path.read_bytes()
    if fmt == "csv":
        import shapely

        frame = plain(events)
        geometry = frame.geometry
        points = geometry.geom_type.eq("Point")
        table = frame.drop(columns=[geometry.name])
        # shapely gives NaN (an empty cell) for lines and areas; those get WKT.
        table["latitude"] = shapely.get_y(geometry.values).round(6)
        table["longitude"] = shapely.get_x(geometry.values).round(6)
        if not points.all():
            table["wkt"] = geometry.to_wkt().where(~points)
        for column in table.columns:  # text a spreadsheet would run as a formula
            if table[column].dtype == object:
                table[column] = table[column].map(_inert)
        return table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    raise ValueError(f"unknown data format {fmt!r}")


def _inert(value: Any) -> Any:
    """Text starting as a spreadsheet formula would (``= + - @``, tab, carriage
    return) gets a leading apostrophe, the usual guard (OWASP "CSV
    injection"); other values stay as they are.

    >>> _inert("=HYPERLINK(1)"), _inert("-3 dead"), _inert("Kyiv"), _inert(None)
    ("'=HYPERLINK(1)", "'-3 dead", 'Kyiv', None)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_events_file(events: Any, path: str | Path, fmt: str, *, overwrite: bool) -> Path:
    """Write ``events`` to ``path`` in ``fmt``, atomically; returns the path."""
    return write_output(Path(path), to_bytes(events, fmt), overwrite=overwrite)
