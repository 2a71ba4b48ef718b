"""The catalogue: every source a data folder holds, with its provenance.

A data folder (``--data-dir``, by default the project's ``data/``) holds the
curated report (``report.json`` and its files, today's 16 November 2022
report) and, under ``sources/<name>/``, each imported event set:
``source.json`` (who published it, when, under which licence, how it was
made, what the import kept and skipped) beside its GeoParquet events
(:mod:`mapapp.store.geoparquet`).  The catalogue is read from the folders
themselves, so there is no index to fall out of step.

Saving a source is atomic: it is written into a temporary folder beside the
others and renamed into place; replacing one swaps the folders, so readers
see the old source or the new one, never half of either.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mapapp.errors import DataError, OptionError, OutputError, SourceExistsError
from mapapp.files import write_atomic, write_folder
from mapapp.model.events import typed
from mapapp.schema import check_texts, read_json
from mapapp.store.geoparquet import write_events

SOURCES_DIR = "sources"
SOURCE_FILE = "source.json"
SKIPPED_FILE = "skipped.csv"
MAX_SOURCE_BYTES = 1_000_000
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Source:
    """One entry of the catalogue."""
    name: str
    kind: str                 # "report", "areas", or the import format: acled, ucdp, geojson, gpkg, csv
    title: str
    publisher: str
    licence: str
    published: str = ""       # the report's date, or the dataset's retrieval date
    method: str = ""          # how it was made
    file: str = ""            # the imported file's name (never its folder)
    sha256: str = ""
    imported: str = ""        # when (UTC, ISO 8601)
    rows_read: int = 0
    rows_kept: int = 0
    rows_skipped: int = 0
    first_date: str = ""
    last_date: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    folder: str = ""          # where it lives (not stored)

    def summary(self) -> str:
        """One line for ``mapapp sources``."""
        if self.kind == "report":
            return (f"{self.name}  report  {self.rows_kept:,} features  {self.publisher}, "
                    f"{self.published}: {self.title}")
        if self.kind == "areas":
            dates = (f"snapshots {self.first_date} to {self.last_date}"
                     if self.first_date != self.last_date else f"snapshot {self.first_date}")
            return (f"{self.name}  areas  {self.rows_kept:,} features, {dates}  "
                    f"{self.publisher}; licence: {self.licence}")
        span = f"{self.first_date} to {self.last_date}" if self.first_date else "no dated events"
        return (f"{self.name}  {self.kind}  {self.rows_kept:,} events, {span}  "
                f"{self.publisher}; licence: {self.licence}")


def check_name(name: str) -> str:
    """A source name: lower-case letters, digits, ``.``, ``_`` and ``-``, at
    most 64, starting with a letter or digit (it names a folder).

    >>> check_name("acled-ukraine-2022")
    'acled-ukraine-2022'
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise OptionError(f"--source {name!r}: a source name is 1-64 lower-case letters, "
                          "digits, '.', '_' or '-', starting with a letter or digit")
    return name


def source_folder(data_dir: Path, name: str) -> Path:
    return Path(data_dir) / SOURCES_DIR / check_name(name)


def report_source(data_dir: Path) -> Source | None:
    """The curated report of ``data_dir`` as a catalogue entry, if it has one."""
    path = Path(data_dir) / "report.json"
    if not path.exists():
        return None
    report = read_json(path)
    if not isinstance(report, dict):
        raise DataError("expected a JSON object", file=str(path))
    name = str(report.get("id", "report"))
    features_path = Path(data_dir) / "features.json"
    features = read_json(features_path) if features_path.exists() else {}
    count = len(features.get("features", [])) if isinstance(features, dict) else 0
    return Source(name=name, kind="report", title=str(report.get("headline", "")),
                  publisher=str(report.get("publisher", "")),
                  licence="facts and figures cited from the report; summaries are ours",
                  published=str(report.get("date", "")),
                  method="curated by hand from the report, each feature citing its paragraphs",
                  rows_kept=count, folder=str(Path(data_dir)))


def list_sources(data_dir: Path) -> list[Source]:
    """The report first (the default view), then imported sources by name."""
    found = []
    report = report_source(data_dir)
    if report is not None:
        found.append(report)
    base = Path(data_dir) / SOURCES_DIR
    if base.is_dir():
        for folder in sorted(base.iterdir()):
            if folder.is_dir() and _NAME.match(folder.name) and (folder / SOURCE_FILE).exists():
                found.append(read_source(folder))
    return found


def read_source(folder: Path) -> Source:
    path = folder / SOURCE_FILE
    record = read_json(path, max_bytes=MAX_SOURCE_BYTES)
    if not isinstance(record, dict):
        raise DataError("expected a JSON object", file=str(path))
    # Hand-editable, and printed to terminals: the project's text rules apply.
    check_texts(record, short=("name", "kind", "title", "publisher", "licence", "published",
                               "file", "sha256", "imported", "first_date", "last_date"),
                long=("method",), file=str(path), feature=None)
    if record.get("name") != folder.name:
        raise DataError(f"names the source {record.get('name')!r}, but its folder is "
                        f"{folder.name!r}", file=str(path), field="name")
    known = {f for f in Source.__dataclass_fields__ if f != "folder"}
    values = {k: v for k, v in record.items() if k in known}
    for key, value in values.items():
        wanted = int if key.startswith("rows_") else list if key == "notes" else str
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise DataError(f"expected {wanted.__name__}", file=str(path), field=key)
    values["notes"] = tuple(str(n) for n in values.get("notes") or ())
    return Source(**values, folder=str(folder))


def get_source(data_dir: Path, name: str) -> Source:
    """The catalogue entry ``name``, or an OptionError listing those there are.

    Reads that one entry (the app asks on every rerun): the whole catalogue
    is read only to list it in the error.
    """
    folder = Path(data_dir) / SOURCES_DIR / str(name)
    if _NAME.match(str(name)) and (folder / SOURCE_FILE).exists():
        return read_source(folder)
    report = report_source(data_dir)
    if report is not None and report.name == name:
        return report
    sources = list_sources(data_dir)
    raise OptionError(f"--source {name!r}: no such source in {data_dir} (sources: "
                      f"{', '.join(s.name for s in sources) or 'none'})")


def save_source(data_dir: Path, source: Source, events: Any, skipped_csv: str = "", *,
                replace: bool = False) -> Path:
    """Write ``source`` and its ``events`` as ``sources/<name>/``, atomically.

    An existing source of that name is replaced only with ``replace``
    (otherwise OptionError naming ``--replace``).
    """
    target = _check_new(data_dir, source.name, replace=replace)

    def fill(folder: Path) -> None:
        # Every row names the source it is filed under, whatever it said before.
        write_events(typed(events.assign(source=source.name)), folder)
        write_atomic(folder / SOURCE_FILE, source_json(source))
        if skipped_csv:
            write_atomic(folder / SKIPPED_FILE, skipped_csv)

    _install(target, fill, source.name)
    return target


def source_json(source: Source) -> str:
    record = {k: v for k, v in asdict(source).items() if k != "folder"}
    record["notes"] = list(source.notes)
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def save_report(data_dir: Path, source: Source, files: dict[str, str], *,
                replace: bool = False, check=None) -> Path:
    """Write a report source (its ``source.json`` and ``files``, relative
    paths such as ``report.json`` or ``stories/x.json``) as
    ``sources/<name>/``, atomically and never over another source unless
    ``replace``.  ``check(folder)`` runs on the written folder before it is
    put in place; whatever it raises cancels the save."""
    target = _check_new(data_dir, source.name, replace=replace)

    def fill(folder: Path) -> None:
        for relative, content in files.items():
            write_atomic(folder / relative, content)
        write_atomic(folder / SOURCE_FILE, source_json(source))
        if check is not None:
            check(folder)

    _install(target, fill, source.name)
    return target


def _check_new(data_dir: Path, name: str, *, replace: bool) -> Path:
    """Where source ``name`` goes; an OptionError if that would overwrite
    a source (without ``replace``) or the data folder's report."""
    target = source_folder(data_dir, name)
    if target.exists() and not replace:
        raise SourceExistsError(f"source {name!r} exists in {data_dir}; pass --replace to "
                                "replace it", name=name)
    report = report_source(data_dir)
    if report is not None and report.name == name:
        raise SourceExistsError(f"--source {name!r} is the name of the report; choose another",
                                name=name)
    return target


def _install(target: Path, fill, name: str) -> None:
    try:
        write_folder(target, fill, prefix=f".import-{name}-")
    except OSError as err:
        raise OutputError(f"cannot write source {name!r} in {target.parent}: "
                          f"{err.strerror or err}; nothing was changed") from err


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
