"""The schema of the data files, checked field by field.

Each checker returns nothing and raises :class:`DataError` naming the file,
the record id and the field, so an editor can find the fault at once.
Missing, unknown and mistyped fields of one record are reported together in
one message; the value checks after that stop at the first fault.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import LAYER_TYPES, LAYERS, STATUSES

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
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
}
REPORT_REQUIRED = ("id", "publisher", "headline", "date", "paragraphs")

FEATURE_FIELDS = {
    "id": str, "layer": str, "type": str, "name": str, "name_local": str,
    "summary": str, "status": str, "event_date": str, "geometry": (dict, type(None)),
    "paragraphs": list, "claims": list, "figures": list, "part_of": str,
    "approximate": bool, "as_of": str,
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
    # A point no gazetteer knows, with the public source of its coordinates.
    "coordinates": {"coordinates": list, "source": str},
    "line": {"line": str},
    "area": {"area": str, "line": str, "now": str},
}
AREA_RULES = ("russian_held", "returned")


def read_json(path: Path) -> Any:
    """Read a JSON file, turning every failure into a DataError naming it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise DataError(f"cannot read file ({err.strerror or err})", file=str(path)) from err
    except UnicodeDecodeError as err:
        raise DataError(f"not UTF-8 text (byte {err.start}): save it as UTF-8",
                        file=str(path)) from err
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}",
                        file=str(path)) from err


def check_fields(record: Any, fields: dict, required: tuple[str, ...], *,
                 file: str, record_id: str | None, where: str = "") -> None:
    """Check presence, unknown keys and types of one JSON object."""
    if not isinstance(record, dict):
        raise DataError(f"expected an object, got {type(record).__name__}",
                        file=file, feature=record_id, field=where or None)
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
            problems.append((name, f"must be {_type_name(expected)}, got {type(value).__name__}"))
        elif isinstance(value, str) and not value.strip() and name in required:
            problems.append((name, "is empty"))
    if problems:
        name, message = problems[0]
        extra = "" if len(problems) == 1 else "; also " + "; ".join(
            f"{where}{n} {m}" for n, m in problems[1:])
        raise DataError(message + extra, file=file, feature=record_id, field=where + name)


def _type_name(expected: Any) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    names = {"str": "text", "int": "an integer", "float": "a number", "bool": "true or false",
             "list": "a list", "dict": "an object", "NoneType": "null"}
    return " or ".join(names.get(t.__name__, t.__name__) for t in types)


def check_report(record: Any, *, file: str) -> None:
    record_id = record.get("id") if isinstance(record, dict) else None
    check_fields(record, REPORT_FIELDS, REPORT_REQUIRED, file=file, record_id=record_id)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"]) or date_problem(record["date"]):
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
        _check_paragraphs([claim["paragraph"]], paragraphs, fail, where + "paragraph")
        if claim.get("stance", "asserts") not in STANCES:
            raise fail(where + "stance", f"must be one of {', '.join(STANCES)}")
    for i, figure in enumerate(record.get("figures", [])):
        where = f"figures[{i}]."
        check_fields(figure, FIGURE_FIELDS, FIGURE_REQUIRED, file=file, record_id=record_id,
                     where=where)
        _check_paragraphs([figure["paragraph"]], paragraphs, fail, where + "paragraph")
    _check_geometry_ref(record["geometry"], layer, fail)


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
    if kind == "coordinates" and "source" not in geometry:
        raise fail("geometry.source", "coordinates need the source they were taken from")
    expected_layer = {"place": ("strikes", "places", "mentions"),
                      "coordinates": ("strikes", "places", "mentions"),
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
