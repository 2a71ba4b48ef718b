"""The schema of the data files, checked field by field.

Each checker returns nothing and raises :class:`DataError` naming the file,
the record id and the field, so an editor can find the fault at once.
Missing, unknown and mistyped fields of one record are reported together in
one message; the value checks after that stop at the first fault.

Every JSON file (data, stories, geocache entries, the fingerprint) is read
by :func:`read_json`, within one set of limits: a size per kind of file,
nesting depth, UTF-8 without a byte-order mark, finite numbers, no key
twice.  Every text field goes through :func:`text_problem`.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import stat
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.model import LAYER_TYPES, LAYERS, STATUSES

_DATE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"
# An ISO date, month or year, or an interval "start/end" of those.
DATE_RE = re.compile(rf"{_DATE}(?:/{_DATE})?")
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_id(value: str) -> bool:
    return ID_RE.fullmatch(value) is not None


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO date, month, year or ``start/end``, or None.

    >>> [date_problem(v) for v in ("2022-11-15", "2022-11", "2022-11-09/2022-11-11")]
    [None, None, None]
    >>> date_problem("2022-13-45")
    "'2022-13-45' is not a real date"
    >>> date_problem("2022-11-11/2022-11-09")
    "'2022-11-11/2022-11-09' ends before it starts"
    """
    if not DATE_RE.fullmatch(value):
        return f"{value!r} is not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD, or start/end)"
    parts = value.split("/")
    for part in parts:
        # Fill a month or year out to its first day just to test it is real.
        full = part + "-01" * (2 - part.count("-"))
        try:
            date.fromisoformat(full)
        except ValueError:
            return f"{value!r} is not a real date"
    if len(parts) == 2 and parts[1] < parts[0][:len(parts[1])]:
        return f"{value!r} ends before it starts"
    return None

REPORT_FIELDS = {
    "id": str, "publisher": str, "headline": str, "date": str, "paragraphs": int,
    "distributor": str, "source_file": str, "paragraph_numbering": str, "summary": str,
    "sha256": str,  # of source_file's bytes, which evidence offsets point into
}
REPORT_REQUIRED = ("id", "publisher", "headline", "date", "paragraphs")

FEATURE_FIELDS = {
    "id": str, "layer": str, "type": str, "name": str, "name_local": str,
    "summary": str, "status": str, "event_date": str, "geometry": (dict, type(None)),
    "paragraphs": list, "claims": list, "figures": list, "part_of": str,
    "approximate": bool, "as_of": str, "evidence": list,
}
FEATURE_REQUIRED = ("id", "layer", "type", "name", "summary", "status", "event_date",
                    "geometry", "paragraphs", "claims")

CLAIM_FIELDS = {"by": str, "says": str, "paragraph": int, "stance": str}
CLAIM_REQUIRED = ("by", "says", "paragraph")
STANCES = ("asserts", "denies")

FIGURE_FIELDS = {"label": str, "value": (int, float), "claimed_by": str,
                 "paragraph": int, "qualifier": str}
FIGURE_REQUIRED = ("label", "value", "claimed_by", "paragraph")

# How a feature's geometry is obtained; the key decides the kind.
GEOMETRY_KINDS = {
    "place": {"place": str},
    # A point no gazetteer knows, with the public source of its coordinates;
    # ``method`` says how it was found ("cited" unless the geoparser drafted it).
    "coordinates": {"coordinates": list, "source": str, "method": str},
    "line": {"line": str},
    "area": {"area": str, "line": str, "now": str},
}
AREA_RULES = ("russian_held", "returned")


# Size limits per kind of file, checked with stat() before anything is read:
# far above any real file (places.json is 18 kB, a geocache entry under 1 kB),
# far below what would stall the app or exhaust its memory.
MAX_DATA_BYTES = 20_000_000
MAX_STORY_BYTES = 2_000_000
MAX_GEOCACHE_BYTES = 64_000
MAX_FINGERPRINT_BYTES = 5_000_000
# Our files nest five levels deep; Python's parser recurses per level and a
# 100,000-deep file would end in a RecursionError.
MAX_DEPTH = 32
# Beyond 2**53 an integer no longer survives a trip through a float (or
# JavaScript); no count or paragraph number in a report comes near it.
MAX_INTEGER = 2 ** 53

# A JSON string (to skip it: brackets inside text do not nest), or one bracket.
# An unterminated string runs to the end, so its text is never counted.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)'
_STRINGS = re.compile(_STRING)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_BRACKET_TOKENS = re.compile(_STRING + r"|[\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# Strings (a key when a colon follows) and brackets: to find a duplicate key.
_KEY_TOKENS = re.compile(f"({_STRING})(\\s*:)?|[\\[\\]{{}}]")
# Strings (skipped) and the literals json hands to parse_int/float/constant.
_LITERAL_TOKENS = re.compile(
    _STRING + r"|(-?Infinity|NaN|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")


class _Refused(Exception):
    """A literal (or an object's ``key``) json.loads parsed but we refuse,
    raised from its hooks."""

    def __init__(self, literal: str | None, message: str, *, key: str | None = None):
        super().__init__(message)
        self.literal = literal
        self.key = key
        self.message = message


def _parse_constant(name: str):
    raise _Refused(name, f"{name} is not a number JSON allows; write a number or null")


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e400 parses to inf
        raise _Refused(literal, f"the number {_short(literal)} is too large")
    return value


def _parse_int(literal: str) -> int:
    # Length first: int() of a 5,000-digit literal raises ValueError itself.
    if len(literal) > 17 or abs(int(literal)) > MAX_INTEGER:
        raise _Refused(literal, f"the number {_short(literal)} is too large "
                                f"(integers go up to 2**53)")
    return int(literal)


def _object(pairs: list[tuple[str, Any]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        # Which copy wins differs between parsers: a reviewer and the app
        # could read different values.
        raise _Refused(None, f"key {_short(twice)!r} appears twice in one object", key=twice)
    return record


def _duplicate_key_position(text: str, key: str) -> str:
    """Where ``key`` first appears a second time in one object (text order).

    Only called once parsing has failed, so a plain scan is fine: a stack
    of the keys seen in each open object (None for an array).
    """
    stack: list[set[str] | None] = []
    for match in _KEY_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            stack.append(set() if token == "{" else None)
        elif token in "]}":
            if stack:
                stack.pop()
        elif match.group(2) and stack and stack[-1] is not None:
            name = json.loads(match.group(1))
            if name == key and name in stack[-1]:
                return _position(text, match.start())
            stack[-1].add(name)
    return ""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line}, column {column}"


def _check_depth(text: str, *, file: str) -> None:
    """DataError when brackets nest deeper than MAX_DEPTH; no recursion, and
    C-speed passes only (regex substitutions, accumulate) unless it fails."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    if not brackets or max(accumulate(map(_DEPTH_STEP.__getitem__, brackets))) <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKET_TOKENS.finditer(text):  # only now find where, for the message
        token = match.group()
        if token in _DEPTH_STEP:
            depth += _DEPTH_STEP[token]
            if depth > MAX_DEPTH:
                raise DataError(f"nested more than {MAX_DEPTH} levels deep at "
                                f"{_position(text, match.start())}", file=file)


def read_json(path: str | Path, *, max_bytes: int = MAX_DATA_BYTES) -> Any:
    """Read a JSON file within the limits; every failure is a DataError naming it.

    The file must be a regular file of at most ``max_bytes``, UTF-8 without
    a byte-order mark (one encoding, as every writer here saves it), nested
    at most :data:`MAX_DEPTH` deep, with finite numbers (no ``NaN`` or
    ``Infinity``, nothing that overflows) and no key twice in one object.
    A missing file's DataError has the FileNotFoundError as its cause.
    """
    path = Path(path)
    file = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder, or a pipe that would block
            raise DataError("is not a regular file", file=file)
        if info.st_size > max_bytes:
            raise DataError(f"is {info.st_size:,} bytes, over the limit of {max_bytes:,} "
                            "for this kind of file", file=file)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise DataError(f"cannot read file ({err.strerror or err})", file=file) from err
    if len(data) > max_bytes:  # it grew since stat()
        raise DataError(f"is over the limit of {max_bytes:,} bytes for this kind of file",
                        file=file)
    return parse_json(data, file=file)


def utf8_text(data: bytes, *, file: str) -> str:
    """``data`` decoded as UTF-8, or a DataError naming the first bad byte and its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DataError(f"not UTF-8 text (byte {err.start}, line {line}): save it as UTF-8",
                        file=file) from err


def parse_json(data: bytes, *, file: str) -> Any:
    """Decode and parse JSON bytes under the rules of :func:`read_json`.

    >>> parse_json(b'{"a": [1, 2.5, "x"]}', file="f.json")
    {'a': [1, 2.5, 'x']}
    >>> parse_json(b'{"a": NaN}', file="f.json")
    Traceback (most recent call last):
    ...
    mapapp.errors.DataError: f.json: NaN is not a number JSON allows; write a number or null (line 1, column 7)
    >>> parse_json(b"[" * 100 + b"]" * 100, file="f.json")
    Traceback (most recent call last):
    ...
    mapapp.errors.DataError: f.json: nested more than 32 levels deep at line 1, column 33
    """
    if data.startswith(codecs.BOM_UTF8):
        raise DataError("starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
                        file=file)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError("not UTF-8 text: it starts with a UTF-16 byte-order mark; "
                        "save it as UTF-8", file=file)
    nul = data.find(b"\x00")
    if nul >= 0:  # never in JSON text; every other byte of UTF-16 without its mark
        raise DataError(f"contains a NUL byte (byte {nul}): not UTF-8 text (UTF-16?); "
                        "save it as UTF-8", file=file)
    text = utf8_text(data, file=file)
    if not text.strip():
        raise DataError("is empty; expected JSON", file=file)
    _check_depth(text, file=file)
    try:
        return json.loads(text, parse_constant=_parse_constant, parse_float=_parse_float,
                          parse_int=_parse_int, object_pairs_hook=_object)
    except _Refused as err:
        where = (_duplicate_key_position(text, err.key) if err.key is not None
                 else _literal_position(text, err.literal))
        raise DataError(err.message + (f" ({where})" if where else ""), file=file) from None
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}",
                        file=file) from err
    except RecursionError as err:  # cannot happen below MAX_DEPTH; never a traceback
        raise DataError("nested too deeply", file=file) from err


def _literal_position(text: str, literal: str | None) -> str:
    if literal is None:
        return ""
    for match in _LITERAL_TOKENS.finditer(text):
        if match.group(1) == literal:
            return _position(text, match.start())
    return ""


# -- text fields ------------------------------------------------------------------

# Names, labels, titles: one line.  Summaries, texts, notes: paragraphs.
MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 20_000
# C0 and C1 control characters and DEL (a terminal obeys them; XML forbids
# most), and lone surrogates (JSON "\ud800" decodes to one; writing it as
# UTF-8 fails later, far from the cause).  Long texts may hold tabs and line
# breaks.  Bidi controls and zero-width characters stay: some scripts need
# them, and every renderer isolates data text.
_BAD_SHORT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_LONG = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, long: bool = False) -> str | None:
    r"""Why ``value`` cannot be a text field, or None.

    >>> text_problem("Kyiv"), text_problem("two\nlines", long=True)
    (None, None)
    >>> text_problem("two\nlines")
    'contains a line break (U+000A) at character 4; this field is one line'
    >>> text_problem("bell\x07")
    'contains the control character U+0007 at character 5'
    >>> text_problem("x" * 301)
    'is 301 characters long; at most 300'
    """
    limit = MAX_LONG_TEXT if long else MAX_SHORT_TEXT
    if len(value) > limit:
        return f"is {len(value):,} characters long; at most {limit:,}"
    bad = (_BAD_LONG if long else _BAD_SHORT).search(value)
    if bad is None:
        return None
    char = bad.group()
    code, at = f"U+{ord(char):04X}", f"at character {bad.start() + 1}"
    if "\ud800" <= char <= "\udfff":
        return f"contains a lone surrogate {code} (half of a character) {at}"
    if char in "\n\t":
        name = "a tab" if char == "\t" else "a line break"
        return f"contains {name} ({code}) {at}; this field is one line"
    return f"contains the control character {code} {at}"


def check_texts(record: Any, *, short: tuple[str, ...] = (), long: tuple[str, ...] = (),
                file: str | None, feature: str | None, where: str = "") -> None:
    """DataError for the first text field of ``record`` that breaks :func:`text_problem`.

    Only fields that are present and text are looked at (types are checked
    elsewhere); ``where`` prefixes the field name (``"claims[0]."``).
    """
    if not isinstance(record, dict):
        return
    for name in short + long:
        value = record.get(name)
        if isinstance(value, str):
            problem = text_problem(value, long=name in long)
            if problem:
                raise DataError(problem, file=file, feature=feature, field=where + name)


def check_fields(record: Any, fields: dict, required: tuple[str, ...], *,
                 file: str, record_id: str | None, where: str = "") -> None:
    """Check presence, unknown keys and types of one JSON object."""
    if not isinstance(record, dict):
        raise DataError(f"expected an object, got {json_type(record)}",
                        file=file, feature=record_id, field=where.rstrip(".") or None)
    problems: list[tuple[str, str]] = []
    for name in required:
        if name not in record:
            problems.append((name, "is missing"))
    for name, value in record.items():
        if name not in fields:
            problems.append((name, "is not a known field"))
            continue
        expected = fields[name]
        # bool is an int in Python; a count or a value must not be true/false.
        if isinstance(value, bool) and expected is not bool:
            problems.append((name, f"must be {_type_name(expected)}, got a boolean"))
        elif not isinstance(value, expected):
            problems.append((name, f"must be {_type_name(expected)}, got {json_type(value)}"))
        elif isinstance(value, str) and not value.strip() and name in required:
            problems.append((name, "is empty"))
    if problems:
        name, message = problems[0]
        extra = "" if len(problems) == 1 else "; also " + "; ".join(
            f"{where + n!r} {m}" for n, m in problems[1:])
        raise DataError(message + extra, file=file, feature=record_id, field=where + name)


def json_type(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words.

    >>> json_type(None), json_type([1]), json_type("x"), json_type(2.5)
    ('null', 'a list', 'text', 'a number')
    """
    if isinstance(value, bool):
        return "true or false"
    return _type_name(type(value))


def _type_name(expected: Any) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    names = {"str": "text", "int": "an integer", "float": "a number", "bool": "true or false",
             "list": "a list", "dict": "an object", "NoneType": "null"}
    return " or ".join(names.get(t.__name__, t.__name__) for t in types)


REPORT_SHORT_TEXT = ("id", "publisher", "headline", "distributor", "source_file", "sha256")
REPORT_LONG_TEXT = ("paragraph_numbering", "summary")
FEATURE_SHORT_TEXT = ("name", "name_local")
FEATURE_LONG_TEXT = ("summary",)
CLAIM_SHORT_TEXT, CLAIM_LONG_TEXT = ("by",), ("says",)
FIGURE_SHORT_TEXT = ("label", "claimed_by", "qualifier")
# A figure is a count of people, missiles or money: never negative, never
# astronomically large (a typo of a few extra zeros is caught too).
MAX_FIGURE = 1e12


def check_report(record: Any, *, file: str) -> None:
    record_id = record.get("id") if isinstance(record, dict) else None
    record_id = record_id if isinstance(record_id, str) else None
    check_fields(record, REPORT_FIELDS, REPORT_REQUIRED, file=file, record_id=record_id)
    check_texts(record, short=REPORT_SHORT_TEXT, long=REPORT_LONG_TEXT, file=file,
                feature=record_id)
    if (not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", record["date"])
            or date_problem(record["date"])):
        raise DataError(f"{record['date']!r} must be a real ISO date YYYY-MM-DD", file=file,
                        feature=record_id, field="date")
    if record["paragraphs"] < 1:
        raise DataError("must be at least 1", file=file, feature=record_id, field="paragraphs")


def check_feature(record: Any, *, file: str, paragraphs: int) -> None:
    """Validate one feature record (before its geometry is resolved)."""
    record_id = record.get("id") if isinstance(record, dict) else None
    if isinstance(record_id, str) is False:
        record_id = None
    check_fields(record, FEATURE_FIELDS, FEATURE_REQUIRED, file=file, record_id=record_id)

    def fail(field: str, message: str) -> DataError:
        return DataError(message, file=file, feature=record_id, field=field)

    if not is_id(record["id"]):
        raise fail("id", "must be lower-case letters and digits, joined by single hyphens")
    check_texts(record, short=FEATURE_SHORT_TEXT, long=FEATURE_LONG_TEXT, file=file,
                feature=record_id)
    layer = record["layer"]
    if layer not in LAYERS:
        raise fail("layer", f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    if record["type"] not in LAYER_TYPES[layer]:
        raise fail("type", f"unknown type {record['type']!r} for layer {layer!r}; "
                           f"expected one of {', '.join(LAYER_TYPES[layer])}")
    if record["status"] not in STATUSES:
        raise fail("status", f"unknown status {record['status']!r}; "
                             f"expected one of {', '.join(STATUSES)}")
    for name in ("event_date", "as_of"):
        problem = date_problem(record[name]) if record.get(name) else None
        if problem:
            raise fail(name, problem)
    if record.get("approximate") and not record.get("as_of"):
        raise fail("as_of", "an approximate shape needs an 'as of' date")
    _check_paragraphs(record["paragraphs"], paragraphs, fail, "paragraphs")
    if not record["claims"]:
        raise fail("claims", "at least one claim is needed: who says so")
    for i, claim in enumerate(record["claims"]):
        where = f"claims[{i}]."
        check_fields(claim, CLAIM_FIELDS, CLAIM_REQUIRED, file=file, record_id=record_id,
                     where=where)
        check_texts(claim, short=CLAIM_SHORT_TEXT, long=CLAIM_LONG_TEXT, file=file,
                    feature=record_id, where=where)
        _check_paragraphs([claim["paragraph"]], paragraphs, fail, where + "paragraph")
        if claim.get("stance", "asserts") not in STANCES:
            raise fail(where + "stance", f"must be one of {', '.join(STANCES)}")
    for i, figure in enumerate(record.get("figures", [])):
        where = f"figures[{i}]."
        check_fields(figure, FIGURE_FIELDS, FIGURE_REQUIRED, file=file, record_id=record_id,
                     where=where)
        check_texts(figure, short=FIGURE_SHORT_TEXT, file=file, feature=record_id, where=where)
        _check_paragraphs([figure["paragraph"]], paragraphs, fail, where + "paragraph")
        value = figure["value"]
        if not 0 <= value <= MAX_FIGURE:  # NaN compares false, so it fails too
            raise fail(where + "value", f"{value!r} is not a count: it must be a finite number "
                                        f"from 0 to {MAX_FIGURE:,.0f}")
    _check_evidence(record.get("evidence", []), fail)
    _check_geometry_ref(record["geometry"], layer, fail)


# How a point in the report's text was found: drafted, or cited by hand.
COORDINATE_METHODS = ("cited", "geoparsed", "edited")


def _check_evidence(spans: list, fail) -> None:
    """Evidence spans: ``[start, end]`` character offsets into the report's text."""
    for i, span in enumerate(spans):
        if (not isinstance(span, list) or len(span) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in span)
                or not 0 <= span[0] < span[1] <= MAX_INTEGER):
            raise fail(f"evidence[{i}]", f"must be [start, end] character offsets with "
                                         f"0 <= start < end, got {span!r}")


def _check_paragraphs(values: list, paragraphs: int, fail, field: str) -> None:
    if not values:
        raise fail(field, "cite at least one paragraph")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(field, f"paragraph numbers must be integers, got {value!r}")
        if not 1 <= value <= paragraphs:
            raise fail(field, f"paragraph {value} is outside the report (1–{paragraphs})")


def _check_geometry_ref(geometry: Any, layer: str, fail) -> None:
    if geometry is None:
        if layer != "strikes":
            raise fail("geometry", "only the strike wave may be listed without a geometry")
        return
    # An area names the line that bounds it, so 'area' decides before 'line'.
    kinds = ["area"] if "area" in geometry else [
        k for k in ("place", "coordinates", "line") if k in geometry]
    if len(kinds) != 1:
        raise fail("geometry", "must have exactly one of 'place', 'coordinates', "
                               "'line' or 'area'")
    kind = kinds[0]
    allowed = GEOMETRY_KINDS[kind]
    for key, value in geometry.items():
        if key not in allowed:
            raise fail(f"geometry.{key}", f"is not a known field for a {kind} geometry")
        if key == "coordinates":
            _check_lon_lat(value, fail)
        elif not isinstance(value, str) or not value.strip():
            raise fail(f"geometry.{key}", "must be non-empty text")
        else:  # a place or line id, a rule, or (long) the source of coordinates
            problem = text_problem(value, long=key == "source")
            if problem:
                raise fail(f"geometry.{key}", problem)
    if kind == "coordinates" and "source" not in geometry:
        raise fail("geometry.source", "coordinates need the source they were taken from")
    if geometry.get("method", "cited") not in COORDINATE_METHODS:
        raise fail("geometry.method", f"must be one of {', '.join(COORDINATE_METHODS)}")
    points = ("fighting", "strikes", "places", "mentions")
    expected_layer = {"place": points, "coordinates": points,
                      "line": ("front_lines",), "area": ("control_areas",)}[kind]
    if layer not in expected_layer:
        raise fail("geometry", f"a {kind} geometry does not belong in layer {layer!r}")
    if kind == "area":
        if geometry["area"] not in AREA_RULES:
            raise fail("geometry.area", f"unknown area rule {geometry['area']!r}; "
                                        f"expected one of {', '.join(AREA_RULES)}")
        if "line" not in geometry:
            raise fail("geometry.line", "is missing")
        if geometry["area"] == "returned" and "now" not in geometry:
            raise fail("geometry.now", "a returned area needs the current line ('now')")


def _check_lon_lat(value: Any, fail) -> None:
    """A [lon, lat] pair in range (GeoJSON order)."""
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise fail("geometry.coordinates", "must be [longitude, latitude] numbers")
    lon, lat = value
    if not -180 <= lon <= 180:
        raise fail("geometry.coordinates", f"longitude {lon} is outside -180..180")
    if not -90 <= lat <= 90:
        raise fail("geometry.coordinates", f"latitude {lat} is outside -90..90")


def check_list_document(document: Any, *, key: str, allowed: tuple[str, ...], file: str,
                        expected: str) -> list:
    """``document[key]``, once ``document`` is an object holding that list,
    no key outside ``allowed``, and notes (the other allowed keys) that
    pass :func:`text_problem`; else a DataError (``expected`` says what a
    file of the kind should be)."""
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise DataError(expected, file=file, field=key)
    unknown = sorted(set(document) - set(allowed))
    if unknown:
        raise DataError(f"unknown top-level field(s): {', '.join(map(repr, unknown))}",
                        file=file, field=unknown[0])
    check_texts(document, long=tuple(k for k in allowed if k != key), file=file, feature=None)
    return document[key]
