"""Control maps on disk: one dated snapshot per import, GeoParquet per date.

An area source is a catalogue entry of kind ``areas`` whose folder holds
``areas/YYYY-MM-DD.parquet``, one file per date the source mapped.  Each
import adds a date; a date that is there already is replaced only with
``--replace``.  The map for a day is the snapshot in force then: the
latest one dated on or before it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from mapapp.errors import DataError, OptionError, OutputError
from mapapp.files import write_atomic
from mapapp.store.catalogue import (SOURCE_FILE, Source, get_source, read_source, report_source,
                                    source_folder)

AREAS_KIND = "areas"
AREAS_DIR = "areas"
COLUMNS = ("category", "name", "layer", "feature")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def snapshot_file(folder: Path, day: dt.date) -> Path:
    return Path(folder) / AREAS_DIR / f"{day.isoformat()}.parquet"


def snapshot_dates(folder: Path) -> list[dt.date]:
    """The dates an area source holds, oldest first."""
    found = []
    for path in sorted((Path(folder) / AREAS_DIR).glob("*.parquet")):
        if _DAY.fullmatch(path.stem):  # not ours otherwise: a file someone put there
            try:
                found.append(dt.date.fromisoformat(path.stem))
            except ValueError:
                continue
    return found


def _counts(folder: Path) -> dict[dt.date, dict[str, int]]:
    """Features read, kept and left out per snapshot (its ``.json`` beside it)."""
    found = {}
    for day in snapshot_dates(folder):
        path = snapshot_file(folder, day).with_suffix(".json")
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            found[day] = {k: int(record[k]) for k in ("read", "kept", "skipped")}
        except (OSError, ValueError, KeyError, TypeError):
            found[day] = {"read": 0, "kept": 0, "skipped": 0}
    return found


def snapshot_file_name(folder: Path, day: dt.date) -> str:
    """The name of the file the snapshot of ``day`` was imported from ("" if unknown)."""
    try:
        record = json.loads(snapshot_file(folder, day).with_suffix(".json").read_text(
            encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = record.get("file") if isinstance(record, dict) else None
    return name if isinstance(name, str) else ""


def save_snapshot(data_dir: Path, source: Source, day: dt.date, areas: Any, *,
                  replace_date: bool = False) -> Path:
    """Add ``areas`` (GeoDataFrame: category, name, layer, feature, geometry)
    as the snapshot of ``day`` to the area source ``source.name``, creating
    the source if it is new.  ``source`` carries this import's provenance and
    counts; its notes should start with the date (a replaced date's notes
    go with it).

    Everything is written beside its place first and renamed in at the end;
    if anything fails, the snapshot a ``--replace`` would have replaced is
    put back, and a new source's folder removed: the source is as it was.
    """
    folder = source_folder(data_dir, source.name)
    report = report_source(data_dir)
    if report is not None and report.name == source.name:
        raise OptionError(f"--source {source.name!r} is the name of the report; choose another")
    existing = read_source(folder) if (folder / SOURCE_FILE).exists() else None
    if existing is not None and existing.kind != AREAS_KIND:
        raise OptionError(f"source {source.name!r} holds {existing.kind} events, not control "
                          "areas; choose another name")
    target = snapshot_file(folder, day)
    if target.exists() and not replace_date:
        raise OptionError(f"source {source.name!r} has a snapshot for {day} already; pass "
                          "--replace to replace it")
    counts = {**_counts(folder), day: {"read": source.rows_read, "kept": source.rows_kept,
                                       "skipped": source.rows_skipped}}
    dates = sorted(counts)
    entry = source
    if existing is not None:
        # The source's own words stay; this import adds a date and its notes.
        kept_notes = tuple(n for n in existing.notes if not n.startswith(f"{day}:"))
        entry = replace(existing, notes=kept_notes + source.notes, imported=source.imported,
                        file=source.file, sha256=source.sha256)
    entry = replace(entry, first_date=dates[0].isoformat(), last_date=dates[-1].isoformat(),
                    **{f"rows_{k}": sum(c[k] for c in counts.values())
                       for k in ("read", "kept", "skipped")})
    record = {k: v for k, v in asdict(entry).items() if k != "folder"}
    record["notes"] = list(entry.notes)

    new_folder = not folder.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.new")
    backup = target.with_name(f".{target.name}.old")
    moved = False
    try:
        frame = areas[[*COLUMNS, "geometry"]].assign(source=source.name, date=day.isoformat())
        frame.to_parquet(temp, index=False)
        os.chmod(temp, 0o644)
        if target.exists():
            os.replace(target, backup)
            moved = True
        os.replace(temp, target)
        # Each date keeps its own file's name and checksum: the entry has the last import's.
        record_day = {**counts[day], "file": source.file, "sha256": source.sha256}
        write_atomic(target.with_suffix(".json"),
                     json.dumps(record_day, ensure_ascii=False) + "\n")
        write_atomic(folder / SOURCE_FILE, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    except Exception as err:  # pyarrow's own errors too: nothing half-done stays
        temp.unlink(missing_ok=True)
        if moved:
            os.replace(backup, target)
        elif target.exists() and not moved:
            target.unlink(missing_ok=True)
        if new_folder:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(err, (OSError, ValueError, TypeError)) or type(err).__module__.startswith(
                "pyarrow"):
            raise OutputError(f"cannot write the snapshot {target}: {err}; nothing was "
                              "changed") from err
        raise
    backup.unlink(missing_ok=True)
    return target


def read_snapshot(data_dir: Path, name: str, day: dt.date) -> Any:
    """The snapshot of source ``name`` dated ``day`` exactly."""
    import geopandas as gpd

    path = snapshot_file(source_folder(data_dir, name), day)
    try:
        return gpd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read the snapshot ({err})", file=str(path)) from err


def in_force(data_dir: Path, name: str, day: dt.date) -> tuple[dt.date, Any] | None:
    """The snapshot of area source ``name`` in force on ``day`` (the latest
    dated on or before it) and its date, or None if it begins later."""
    source = get_source(data_dir, name)
    if source.kind != AREAS_KIND:
        raise OptionError(f"source {name!r} holds {source.kind} events, not control areas")
    earlier = [d for d in snapshot_dates(Path(source.folder)) if d <= day]
    if not earlier:
        return None
    return earlier[-1], read_snapshot(data_dir, name, earlier[-1])


def snapshots_between(data_dir: Path, name: str, start: dt.date | None,
                      end: dt.date | None) -> Any:
    """Every snapshot of ``name`` dated within ``start``..``end`` (open ends
    allowed), as one GeoDataFrame with ``date`` and ``source`` columns."""
    import geopandas as gpd
    import pandas as pd

    source = get_source(data_dir, name)
    days = [d for d in snapshot_dates(Path(source.folder))
            if (start is None or d >= start) and (end is None or d <= end)]
    frames = [read_snapshot(data_dir, name, d) for d in days]
    if not frames:
        return gpd.GeoDataFrame({c: [] for c in (*COLUMNS, "source", "date")},
                                geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry",
                            crs="EPSG:4326")
