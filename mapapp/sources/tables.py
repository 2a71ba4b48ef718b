"""Reading tables users bring (CSV exports): safely, as text, with row numbers.

Every value is read as text and converted by column afterwards, so nothing
is guessed per cell.  A fault of the whole file (too big, not text, an HTML
page saved instead of the export, a missing column) is one
:class:`~mapapp.errors.DataError` naming the file and the column; a fault of
one row is a :class:`Skipped` entry naming the row and the column, and the
row is left out, never silently.

Row numbers are those a spreadsheet shows: the header is row 1, so the first
record is row 2, however many lines a quoted note spans.
"""

from __future__ import annotations

import csv
import difflib
import io
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.schema import utf8_text

# An ACLED export of every event in Ukraine since 2022 is a few hundred MB.
MAX_IMPORT_BYTES = 1024 ** 3 // 2
_HTML_STARTS = ("<!doctype html", "<html", "<?xml", "<head", "<body")
# Tried in order when a date is not ISO, each over the whole column: UCDP's
# month/day/year with a time (its CSV exports write milliseconds,
# "04/19/2022 00:00:00.000"; some downloads a 12-hour clock), ACLED's older
# "15 November 2022", and a few common spellings.  pandas reads a format
# exactly (nothing left over), so one with fractional seconds needs its own.
_DATE_FORMATS = ("%m/%d/%Y %H:%M:%S.%f", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p",
                 "%m/%d/%Y %I:%M:%S.%f %p", "%m/%d/%Y %H:%M", "%m/%d/%Y",
                 "%d %B %Y", "%d-%b-%Y", "%d %b %Y", "%d.%m.%Y")


@dataclass(frozen=True)
class Skipped:
    """One row left out, and why."""
    row: int
    column: str
    reason: str
    unit: str = "row"  # or "feature", in a GeoJSON or GeoPackage

    def text(self) -> str:
        where = f"{self.unit} {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class RowLog:
    """What happened to the rows of one file: how many were read, which were
    left out and why, notes on what was kept but changed, and warnings on
    what was kept as given but looks wrong (the user should look)."""
    file: str
    read: int = 0
    unit: str = "row"
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.read - len({s.row for s in self.skipped})

    def skip(self, rows, column: str, reasons) -> None:
        """Record ``reasons`` (one text, or one per row) for ``rows``."""
        if isinstance(reasons, str):
            reasons = [reasons] * len(rows)
        self.skipped.extend(Skipped(int(r), column, str(why), self.unit)
                            for r, why in zip(rows, reasons))


def check_input_file(path: Path, *, max_bytes: int = MAX_IMPORT_BYTES) -> int:
    """The file's size, or a DataError if it is not a regular file within the limit."""
    try:
        info = path.stat()
    except OSError as err:
        raise DataError(f"cannot read file ({err.strerror or err})", file=str(path)) from err
    if not stat.S_ISREG(info.st_mode):
        raise DataError("is not a regular file", file=str(path))
    if info.st_size == 0:
        raise DataError("is empty", file=str(path))
    if info.st_size > max_bytes:
        raise DataError(f"is {info.st_size:,} bytes, over the import limit of {max_bytes:,}; "
                        "split it (by year, say) and import the parts as separate sources",
                        file=str(path))
    return info.st_size


def read_text_table(path: Path, *, max_bytes: int = MAX_IMPORT_BYTES) -> Any:
    """The CSV at ``path`` as a DataFrame of text, indexed by row number.

    UTF-8 with or without a byte-order mark; comma, semicolon or tab
    separated (sniffed from the header); quoted fields may hold separators
    and line breaks.  Column names are trimmed and lower-cased.
    """
    import pandas as pd

    check_input_file(path, max_bytes=max_bytes)
    file = str(path)
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError("is UTF-16 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)", file=file)
    # A byte-order mark is common in spreadsheet exports: allowed here.
    text = utf8_text(data, file=file).removeprefix("\ufeff")
    head = text.lstrip()[:200].lower()
    if head.startswith(_HTML_STARTS):
        raise DataError("is a web page (HTML), not a CSV table: was an error or login page "
                        "saved instead of the export?", file=file)
    # A NUL or two is a bad cell, refused with its row; many are a binary
    # file or UTF-16 without its mark.
    if text.count("\x00") > max(8, len(text) // 100):
        raise DataError("is mostly NUL bytes: not a text table (UTF-16 without a byte-order "
                        "mark, or a binary file?)", file=file)
    header = text.split("\n", 1)[0]
    separator = _separator(header)
    try:
        # index_col=False: a trailing separator on data rows must not shift
        # every column; blank lines are kept so row numbers stay true, then dropped.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str,
                                keep_default_na=False, na_filter=False, engine="c",
                                skip_blank_lines=False, index_col=False)
        if caught:  # cells beyond the header's: empty ones (a trailing separator) only
            _check_extra_cells(text, separator, file=file)
    except pd.errors.ParserError as err:
        raise DataError(f"is not a well-formed table: {_first_line(err)}", file=file) from None
    except pd.errors.EmptyDataError:
        raise DataError("has no header row", file=file) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    duplicated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if duplicated:
        raise DataError(f"has columns named twice: {', '.join(duplicated)}", file=file)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return frame[frame.ne("").any(axis=1)]


def _check_extra_cells(text: str, separator: str, *, file: str) -> None:
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    width = len(next(rows, []))
    for number, cells in enumerate(rows, start=2):
        if any(cell.strip() for cell in cells[width:]):
            raise DataError(f"row {number} has {len(cells)} cells but the header names {width}; "
                            "a separator inside an unquoted value?", file=file)


def _separator(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def require_columns(frame: Any, needed: tuple[str, ...], *, file: str, what: str) -> None:
    """A DataError listing every column of ``needed`` the table lacks, with
    the nearest column it has for each (a renamed export)."""
    have = list(frame.columns)
    missing = [c for c in needed if c not in have]
    if not missing:
        return
    hints = []
    for name in missing:
        # A column the format needs is no hint for another it needs.
        spare = [c for c in have if c not in needed]
        close = difflib.get_close_matches(name, spare, n=1, cutoff=0.6)
        hints.append(f"{name!r}" + (f" (found {close[0]!r})" if close else ""))
    raise DataError(f"is not {what}: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(hints)}; it has: {', '.join(have[:30]) or 'no columns'}",
                    file=file)


def parse_dates(values: Any) -> Any:
    """Text to day-resolution datetimes (NaT where it is blank or no known form).

    >>> import pandas as pd
    >>> [str(d)[:10] for d in parse_dates(pd.Series(["2022-11-15", "11/16/2022 12:00:00 AM",
    ...                                             "04/19/2022 00:00:00.000",
    ...                                             "17 November 2022", "soon", ""]))]
    ['2022-11-15', '2022-11-16', '2022-04-19', '2022-11-17', 'NaT', 'NaT']
    """
    import pandas as pd

    text = values.astype("string").str.strip()
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$", na=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
    if iso.any():
        # The date part alone: a time or zone would not move the day.
        out[iso] = pd.to_datetime(text[iso].str.slice(0, 10), format="%Y-%m-%d",
                                  errors="coerce").astype("datetime64[s]")
    rest = ~iso & text.fillna("").ne("")
    for fmt in _DATE_FORMATS:
        if not rest.any():
            break
        parsed = pd.to_datetime(text[rest], format=fmt, errors="coerce")
        ok = parsed.notna()
        out[ok[ok].index] = parsed[ok].dt.normalize().astype("datetime64[s]")
        rest[ok[ok].index] = False
    return out.dt.normalize()


def parse_numbers(values: Any) -> Any:
    """Text to floats: NaN where blank or not a finite number."""
    import numpy as np
    import pandas as pd

    numbers = pd.to_numeric(values.astype("string").str.strip().replace("", pd.NA),
                            errors="coerce").astype("float64")
    return numbers.where(np.isfinite(numbers))


def text_column(frame: Any, name: str) -> Any:
    """Column ``name`` of a text table, or blanks where the file has none."""
    import pandas as pd

    if name in frame:
        return frame[name].astype("string").fillna("")
    return pd.Series("", index=frame.index, dtype="string")


def date_span(start_text: Any, end_text: Any) -> tuple[Any, Any]:
    """Start and end dates; a blank end is the start (a one-day event)."""
    start = parse_dates(start_text)
    return start, parse_dates(end_text).where(end_text.str.strip().ne(""), start)


def mapped(codes: Any, table: dict[str, str], *, column: str, kept_as: str, log: RowLog) -> Any:
    """``codes`` through ``table`` (case-blind); unknown ones become
    ``kept_as``, and the log says which were."""
    values = codes.str.strip().str.lower().map(table)
    unknown = sorted(set(codes[values.isna()].str.strip()) - {""})
    if unknown:
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        log.notes.append(f"kept as {kept_as!r}: unknown {column} "
                         f"{', '.join(map(repr, unknown[:5]))}{more}")
    return values.fillna(kept_as)


def located(source: str, precision: Any) -> Any:
    """How each row was located: ``"ACLED's coordinates (near)"``."""
    return source + precision.map(lambda p: f" ({p})" if isinstance(p, str) else "").fillna("")
