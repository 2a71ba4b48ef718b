"""Broken inputs, generated from the real data: one :class:`Case` per fault.

Every case breaks exactly one thing in a copy of ``data/`` and ``geocache/``
(or passes one bad command-line option) and says which words the single
error line must hold: the file's name and, where the case aims at one, the
feature or record and the field.  Three families:

- ``generic_cases``: the same 31 faults of bytes and syntax for every kind of
  file (truncated, empty, BOM, latin-1, UTF-16, invalid bytes, wrong top
  level, 100,000-deep nesting, NaN, Infinity, 1e400, 10^400, duplicate keys,
  over the size limit, ...);
- one table per file kind of faults in its meaning (missing and mistyped
  fields, unknown references, impossible dates, control characters,
  out-of-range coordinates, unexpected geometry types, swapped sides...);
- ``OPTION_CASES``: bad options of export, snapshot, html, bundle, handout
  and geocode.

The runners (``test_malformed_cli.py``, ``test_malformed_app.py``) copy the
data, call ``case.change(root)``, run the command or the app, and compare
hashes of the whole tree before and after.
"""

from __future__ import annotations

import codecs
import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from mapapp.schema import (MAX_DATA_BYTES, MAX_FINGERPRINT_BYTES, MAX_GEOCACHE_BYTES,
                           MAX_STORY_BYTES)

PROJECT = Path(__file__).resolve().parents[2]

STORY_ID = "report-2022-11-16"
REPORT_ID = "2022-11-16-reference-strikes-after-kherson"
LINE_NOW = "front-2022-11-15"
LINE_BEFORE = "front-2022-11-08-kherson-bridgehead"

# kind -> (file inside the copy, size limit, what a wrong top level is called)
FILES: dict[str, tuple[str, int, str]] = {
    "report": ("data/report.json", MAX_DATA_BYTES, "expected an object, got"),
    "features": ("data/features.json", MAX_DATA_BYTES, "'features' list"),
    "places": ("data/places.json", MAX_DATA_BYTES, '"places" list'),
    "front_lines": ("data/front_lines.json", MAX_DATA_BYTES, "'lines' list"),
    "story": (f"data/stories/{STORY_ID}.json", MAX_STORY_BYTES, "expected an object, got"),
    # The geocache is one file, one place per line; its faults are made in one
    # line (see LINES).  Kyiv: GeoNames knows it too, so the app warns and
    # draws it anyway.
    "geocache": ("geocache/places.jsonl", MAX_GEOCACHE_BYTES, "JSON object"),
    # Przewodów: only its cited entry places it, so the map cannot load.
    "geocache_cited": ("geocache/places.jsonl", MAX_GEOCACHE_BYTES, "JSON object"),
    "fingerprint": ("data/report_fingerprint.json", MAX_FINGERPRINT_BYTES, "expected {'n'"),
}


# Kinds whose file holds one record per line: the line each case breaks.
LINES: dict[str, bytes] = {"geocache": b'"query": "Kyiv"', "geocache_cited": b'"query": "Przewod'}


def line_number(kind: str) -> int:
    """Which line of the committed file holds ``kind``'s record (from 1)."""
    lines = (PROJECT / FILES[kind][0]).read_bytes().split(b"\n")
    return next(n for n, line in enumerate(lines, 1) if LINES[kind] in line)


def shown_name(kind: str) -> str:
    """How an error names the place of the fault: the file, and for a file
    of lines, the line."""
    name = Path(FILES[kind][0]).name
    return f"{name}, line {line_number(kind)}" if kind in LINES else name


@dataclass(frozen=True)
class Case:
    """One broken input and what its error must say."""

    id: str  # readable: "<kind>.<what is broken>"
    kind: str  # a key of FILES, or "option"
    breakage: str  # family of the fault: encoding, deep, date, reference, option, ...
    change: Callable[[Path], None]  # breaks the copy rooted at the given folder
    expect: tuple[str, ...]  # words the error line holds ({out} is the output folder)
    argv: tuple[str, ...] = ("check",)  # the command; --data-dir/--cache-dir are added
    app: bool = True  # whether the app reads the broken file (the fingerprint: no)

    @property
    def target(self) -> str:
        return FILES[self.kind][0] if self.kind in FILES else ""

    def command(self, root: Path) -> list[str]:
        """The argv for :func:`mapapp.cli.main`, run on the copy under ``root``."""
        words = [fill(w, root) for w in self.argv]
        for option, folder in (("--data-dir", "data"), ("--cache-dir", "geocache")):
            if option not in words:  # a case may name its own (missing) folder
                words += [option, str(root / folder)]
        return words

    def words(self, root: Path) -> list[str]:
        return [fill(w, root) for w in self.expect]


def fill(text: str, root: Path) -> str:
    """``{out}``, ``{data}`` and ``{cache}`` in ``text`` as folders under ``root``."""
    for name, folder in (("out", "out"), ("data", "data"), ("cache", "geocache")):
        text = text.replace("{" + name + "}", str(root / folder))
    return text


# -- how to break a file --------------------------------------------------------------

def raw(kind: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """Replace the bytes of ``kind``'s file (or of its line) with ``edit(bytes)``."""
    if kind in LINES:
        return _line(kind, edit)

    def change(root: Path) -> None:
        path = root / FILES[kind][0]
        path.write_bytes(edit(path.read_bytes()))
    return change


def _line(kind: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """Replace ``kind``'s line with ``edit(line)``, kept on one line."""
    def change(root: Path) -> None:
        path = root / FILES[kind][0]
        lines = path.read_bytes().split(b"\n")
        n = line_number(kind) - 1
        lines[n] = edit(lines[n]).replace(b"\n", b" ")
        path.write_bytes(b"\n".join(lines))
    return change


def doc(kind: str, edit: Callable[[Any], Any]) -> Callable[[Path], None]:
    """Parse ``kind``'s file (or line), let ``edit`` change the document (in
    place, or return a new one), write it back as JSON (lone surrogates as
    escapes)."""
    def changed(document: Any) -> Any:
        edited = edit(document)
        return document if edited is None else edited

    if kind in LINES:
        return _line(kind, lambda line: json.dumps(changed(json.loads(line))).encode())

    def change(root: Path) -> None:
        path = root / FILES[kind][0]
        document = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(changed(document), indent=1), encoding="utf-8")
    return change


def sparse(kind: str, size: int) -> Callable[[Path], None]:
    """Make the file (or its line) ``size`` bytes long: a sparse file, or a
    line padded with spaces."""
    if kind in LINES:
        return _line(kind, lambda line: line + b" " * (size - len(line)))

    def change(root: Path) -> None:
        with (root / FILES[kind][0]).open("r+b") as handle:
            handle.truncate(size)
    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for one in changes:
            one(root)
    return change


def inject(literal: bytes) -> Callable[[bytes], bytes]:
    """Put ``"x": literal`` first in the top-level object."""
    return lambda data: data.replace(b"{", b'{"x": ' + literal + b", ", 1)


def latin1(data: bytes) -> bytes:
    text = data.decode("utf-8").replace('": "', '": "é', 1)
    return text.encode("latin-1", errors="replace")


def trailing_comma(data: bytes) -> bytes:
    body = data.rstrip()
    return body[:-1].rstrip() + b",}"


def generic_cases(kind: str) -> Iterator[Case]:
    """The faults of bytes and syntax that any JSON file can have."""
    _, limit, top = FILES[kind]
    name = shown_name(kind)
    # A blank line in a file of lines is no fault; an empty record is.
    empty = (b"{}", b"{ \t }", "missing field(s)") if kind in LINES else (b"", b" \n\t\n",
                                                                           "is empty")
    # 100,000 levels; as many as fit in a geocache entry's 64 kB (still 30 times
    # what Python's parser survives).
    levels = min(100_000, (limit - 1000) // 2)
    deep = b"[" * levels + b"]" * levels
    faults: list[tuple[str, str, Callable[[Path], None], str]] = [
        ("truncated-half", "truncated", raw(kind, lambda b: b[:len(b) // 2]), "invalid JSON"),
        ("truncated-one-byte", "truncated", raw(kind, lambda b: b[:1]), "invalid JSON"),
        ("empty", "empty", raw(kind, lambda b: empty[0]), empty[2]),
        ("whitespace-only", "empty", raw(kind, lambda b: empty[1]), empty[2]),
        ("utf8-bom", "bom", raw(kind, lambda b: codecs.BOM_UTF8 + b), "byte-order mark"),
        ("latin-1", "encoding", raw(kind, latin1), "not UTF-8"),
        ("utf-16", "encoding", raw(kind, lambda b: b.decode().encode("utf-16")), "UTF-16"),
        ("utf-16-le-no-bom", "encoding", raw(kind, lambda b: b.decode().encode("utf-16-le")),
         "NUL byte"),
        ("invalid-bytes", "encoding", raw(kind, lambda b: b[:10] + b"\xff\xfe\xfd" + b[10:]),
         "not UTF-8"),
        ("nul-byte-first", "encoding", raw(kind, lambda b: b"\x00" + b), "NUL byte"),
        ("raw-control-in-string", "syntax",
         raw(kind, lambda b: b.replace(b'": "', b'": "\x07', 1)), "invalid JSON"),
        ("top-level-list", "wrong-type", raw(kind, lambda b: b"[" + b + b"]"), top),
        ("top-level-null", "wrong-type", raw(kind, lambda b: b"null"), top),
        ("top-level-string", "wrong-type", raw(kind, lambda b: b'"the report"'), top),
        ("top-level-number", "wrong-type", raw(kind, lambda b: b"42"), top),
        (f"deep-{levels}-lists", "deep", raw(kind, lambda b: deep), "nested more than 32"),
        (f"deep-{levels}-inside", "deep", raw(kind, inject(deep)), "nested more than 32"),
        ("deep-33-objects", "deep",
         raw(kind, inject(b'{"a": ' * 33 + b"1" + b"}" * 33)), "nested more than 32"),
        ("over-size-limit", "large", sparse(kind, limit + 1), f"over the limit of {limit:,}"),
        ("nan", "nan", raw(kind, inject(b"NaN")), "NaN is not a number"),
        ("infinity", "nan", raw(kind, inject(b"Infinity")), "Infinity is not a number"),
        ("minus-infinity", "nan", raw(kind, inject(b"-Infinity")), "-Infinity is not"),
        ("float-1e400", "huge", raw(kind, inject(b"1e400")), "1e400 is too large"),
        ("int-10-to-400", "huge", raw(kind, inject(b"1" + b"0" * 400)), "too large"),
        ("int-5000-digits", "huge", raw(kind, inject(b"9" * 5000)), "too large"),
        ("duplicate-key", "duplicate", raw(kind, inject(b'1, "x": 2')), "'x' appears twice"),
        ("trailing-garbage", "syntax", raw(kind, lambda b: b + b"}"), "invalid JSON"),
        ("comment", "syntax", raw(kind, lambda b: b"// note\n" + b), "invalid JSON"),
        ("single-quotes", "syntax", raw(kind, lambda b: b.replace(b'"', b"'")),
         "invalid JSON"),
        ("trailing-comma", "syntax", raw(kind, trailing_comma), "invalid JSON"),
        ("unterminated-string", "truncated", raw(kind, lambda b: b.rstrip()[:-1] + b'"abc'),
         "invalid JSON"),
    ]
    for label, breakage, change, words in faults:
        yield Case(f"{kind}.{label}", kind, breakage, change, (name, words),
                   app=kind != "fingerprint")


# -- faults in meaning, file by file ------------------------------------------------

def feature(document: dict, feature_id: str) -> dict:
    return next(f for f in document["features"] if f["id"] == feature_id)


def setting(path: tuple, value: Any = KeyError) -> Callable[[Any], None]:
    """Set (or with KeyError delete) the item at ``path`` in a document; a
    path step that is a feature id looks the feature up."""
    def edit(document: Any) -> None:
        target = document
        for step in path[:-1]:
            if isinstance(step, str) and isinstance(target, dict) and "features" in target \
                    and step not in target:
                target = feature(target, step)
            else:
                target = target[step]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(value)
    return edit


def swap_sides(line: int, *indices: int) -> Callable[[dict], None]:
    def edit(document: dict) -> None:
        waypoints = document["lines"][line]["waypoints"]
        for i in indices or range(len(waypoints)):
            wp = waypoints[i]
            wp["ua"], wp["ru"] = wp["ru"], wp["ua"]
    return edit


def where(kind: str, record: str | None = None, field: str | None = None,
          words: str = "") -> tuple[str, ...]:
    expected = [shown_name(kind)]
    if record:
        expected.append(f"feature {record!r}")
    if field:
        expected.append(f"field {field!r}")
    if words:
        expected.append(words)
    return tuple(expected)


LONG = "x" * 20_001
SHORT_MAX = "x" * 301

# (label, breakage, edit of the document, record, field, words)
REPORT = [
    ("missing-headline", "missing", setting(("headline",)), REPORT_ID, "headline", "missing"),
    ("missing-date", "missing", setting(("date",)), REPORT_ID, "date", "missing"),
    ("missing-paragraphs", "missing", setting(("paragraphs",)), REPORT_ID, "paragraphs",
     "missing"),
    ("missing-id", "missing", setting(("id",)), None, "id", "missing"),
    ("paragraphs-text", "wrong-type", setting(("paragraphs",), "28"), REPORT_ID, "paragraphs",
     "must be an integer, got text"),
    ("paragraphs-float", "wrong-type", setting(("paragraphs",), 28.5), REPORT_ID,
     "paragraphs", "got a number"),
    ("paragraphs-bool", "wrong-type", setting(("paragraphs",), True), REPORT_ID, "paragraphs",
     "boolean"),
    ("paragraphs-zero", "range", setting(("paragraphs",), 0), REPORT_ID, "paragraphs",
     "at least 1"),
    ("paragraphs-negative", "range", setting(("paragraphs",), -4), REPORT_ID, "paragraphs",
     "at least 1"),
    ("date-feb-30", "date", setting(("date",), "2022-02-30"), REPORT_ID, "date", "real ISO date"),
    ("date-month-13", "date", setting(("date",), "2022-13-01"), REPORT_ID, "date",
     "real ISO date"),
    ("date-day-first", "date", setting(("date",), "16/11/2022"), REPORT_ID, "date",
     "real ISO date"),
    ("date-a-month", "date", setting(("date",), "2022-11"), REPORT_ID, "date", "YYYY-MM-DD"),
    ("headline-null", "wrong-type", setting(("headline",), None), REPORT_ID, "headline",
     "got null"),
    ("headline-list", "wrong-type", setting(("headline",), ["a"]), REPORT_ID, "headline",
     "got a list"),
    ("headline-escape", "text", setting(("headline",), "Strikes\x1b[2J"), REPORT_ID,
     "headline", "U+001B"),
    ("headline-too-long", "text", setting(("headline",), SHORT_MAX), REPORT_ID, "headline",
     "at most 300"),
    ("headline-two-lines", "text", setting(("headline",), "A\nB"), REPORT_ID, "headline",
     "line break"),
    ("publisher-empty", "missing", setting(("publisher",), "  "), REPORT_ID, "publisher",
     "is empty"),
    ("summary-lone-surrogate", "text", setting(("summary",), "half \ud800"), REPORT_ID,
     "summary", "lone surrogate"),
    ("summary-too-long", "text", setting(("summary",), LONG), REPORT_ID, "summary",
     "at most 20,000"),
    ("unknown-field", "wrong-type", setting(("colour",), "red"), REPORT_ID, "colour",
     "not a known field"),
]

POINT = {"type": "Point", "coordinates": [30.5, 50.4]}
POLYGON = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 50]]]}
FEATURES = [
    ("features-not-a-list", "wrong-type", setting(("features",), {}), None, "features",
     "'features' list"),
    ("features-missing", "missing", setting(("features",)), None, "features", "'features' list"),
    ("feature-not-an-object", "wrong-type", setting(("features", 3), "strike-lviv"),
     "features[3]", None, "expected an object, got text"),
    ("missing-name", "missing", setting(("strike-kyiv", "name")), "strike-kyiv", "name",
     "missing"),
    ("missing-claims", "missing", setting(("strike-kyiv", "claims")), "strike-kyiv", "claims",
     "missing"),
    ("name-number", "wrong-type", setting(("strike-kyiv", "name"), 42), "strike-kyiv", "name",
     "got an integer"),
    ("name-null", "wrong-type", setting(("strike-kyiv", "name"), None), "strike-kyiv", "name",
     "got null"),
    ("name-bell", "text", setting(("strike-kyiv", "name"), "Kyiv\x07"), "strike-kyiv", "name",
     "U+0007"),
    ("name-ansi-escape", "text", setting(("strike-lviv", "name"), "\x1b[31mLviv"),
     "strike-lviv", "name", "U+001B"),
    ("name-c1-control", "text", setting(("strike-lviv", "name"), "Lviv\x9b"), "strike-lviv",
     "name", "U+009B"),
    ("name-line-break", "text", setting(("place-kherson", "name"), "Kher\nson"),
     "place-kherson", "name", "line break"),
    ("name-too-long", "text", setting(("place-kherson", "name"), SHORT_MAX), "place-kherson",
     "name", "at most 300"),
    ("name-local-lone-surrogate", "text", setting(("place-kherson", "name_local"), "\udc80"),
     "place-kherson", "name_local", "lone surrogate"),
    ("summary-too-long", "text", setting(("strike-kyiv", "summary"), LONG), "strike-kyiv",
     "summary", "at most 20,000"),
    ("summary-nul", "text", setting(("strike-kyiv", "summary"), "A\x00B"), "strike-kyiv",
     "summary", "U+0000"),
    ("unknown-layer", "reference", setting(("strike-kyiv", "layer"), "rumours"), "strike-kyiv",
     "layer", "unknown layer"),
    ("unknown-type", "reference", setting(("strike-kyiv", "type"), "nuke"), "strike-kyiv",
     "type", "unknown type"),
    ("unknown-status", "reference", setting(("strike-kyiv", "status"), "probable"),
     "strike-kyiv", "status", "unknown status"),
    ("event-date-feb-30", "date", setting(("strike-kyiv", "event_date"), "2022-02-30"),
     "strike-kyiv", "event_date", "not a real date"),
    ("event-date-month-13", "date", setting(("strike-kyiv", "event_date"), "2022-13-01"),
     "strike-kyiv", "event_date", "not a real date"),
    ("event-date-ends-before-start", "date",
     setting(("strike-kyiv", "event_date"), "2022-11-15/2022-11-09"), "strike-kyiv",
     "event_date", "ends before it starts"),
    ("event-date-words", "date", setting(("strike-kyiv", "event_date"), "yesterday"),
     "strike-kyiv", "event_date", "not an ISO date"),
    ("as-of-nov-31", "date", setting(("front-dnipro-2022-11-15", "as_of"), "2022-11-31"),
     "front-dnipro-2022-11-15", "as_of", "not a real date"),
    ("duplicate-id", "duplicate",
     lambda d: d["features"].append(copy.deepcopy(feature(d, "strike-lviv"))), "strike-lviv",
     "id", "duplicate id"),
    ("bad-id", "wrong-type", setting(("strike-lviv", "id"), "Strike Lviv"), "Strike Lviv", "id",
     "lower-case"),
    ("paragraph-outside-report", "range", setting(("strike-kyiv", "paragraphs"), [99]),
     "strike-kyiv", "paragraphs", "outside the report"),
    ("paragraph-zero", "range", setting(("strike-kyiv", "paragraphs"), [0]), "strike-kyiv",
     "paragraphs", "outside the report"),
    ("paragraphs-empty", "missing", setting(("strike-kyiv", "paragraphs"), []), "strike-kyiv",
     "paragraphs", "at least one"),
    ("paragraphs-text", "wrong-type", setting(("strike-kyiv", "paragraphs"), ["2"]),
     "strike-kyiv", "paragraphs", "integers"),
    ("claims-empty", "missing", setting(("strike-kyiv", "claims"), []), "strike-kyiv", "claims",
     "who says so"),
    ("claim-without-by", "missing", setting(("strike-kyiv", "claims", 0, "by")), "strike-kyiv",
     "claims[0].by", "missing"),
    ("claim-says-escape", "text", setting(("strike-kyiv", "claims", 0, "says"), "x\x1b]0;t\x07"),
     "strike-kyiv", "claims[0].says", "U+001B"),
    ("claim-paragraph-text", "wrong-type", setting(("strike-kyiv", "claims", 0, "paragraph"), "2"),
     "strike-kyiv", "claims[0].paragraph", "must be an integer"),
    ("claim-stance-unknown", "reference",
     setting(("strike-kyiv", "claims", 0, "stance"), "maybe"), "strike-kyiv",
     "claims[0].stance", "asserts"),
    ("figure-negative", "range",
     setting(("strike-wave-2022-11-15", "figures", 0, "value"), -3), "strike-wave-2022-11-15",
     "figures[0].value", "finite number from 0"),
    ("figure-absurd", "huge",
     setting(("strike-wave-2022-11-15", "figures", 1, "value"), 1e13), "strike-wave-2022-11-15",
     "figures[1].value", "finite number from 0"),
    ("figure-text", "wrong-type",
     setting(("strike-wave-2022-11-15", "figures", 0, "value"), "85"), "strike-wave-2022-11-15",
     "figures[0].value", "must be an integer or a number"),
    ("figure-bool", "wrong-type",
     setting(("strike-wave-2022-11-15", "figures", 0, "value"), True), "strike-wave-2022-11-15",
     "figures[0].value", "boolean"),
    ("figure-missing-value", "missing",
     setting(("strike-wave-2022-11-15", "figures", 0, "value")), "strike-wave-2022-11-15",
     "figures[0].value", "missing"),
    ("figure-label-control", "text",
     setting(("strike-wave-2022-11-15", "figures", 0, "label"), "missiles\x08"),
     "strike-wave-2022-11-15", "figures[0].label", "U+0008"),
    ("part-of-itself", "reference", setting(("strike-kyiv", "part_of"), "strike-kyiv"),
     "strike-kyiv", "part_of", "part of itself"),
    ("part-of-unknown", "reference", setting(("strike-kyiv", "part_of"), "wave-x"),
     "strike-kyiv", "part_of", "unknown feature 'wave-x'"),
    ("part-of-cycle", "reference",
     setting(("strike-wave-2022-11-15", "part_of"), "strike-kyiv"), None, "part_of",
     "goes round in a circle"),
    ("unknown-place", "reference", setting(("strike-lviv", "geometry"), {"place": "atlantis"}),
     "strike-lviv", "geometry.place", "unknown place 'atlantis'"),
    ("unknown-line", "reference",
     setting(("front-dnipro-2022-11-15", "geometry"), {"line": "front-1812"}),
     "front-dnipro-2022-11-15", "geometry.line", "unknown front line"),
    ("unknown-now-line", "reference",
     setting(("area-returned-kherson-2022-11", "geometry", "now"), "front-1812"),
     "area-returned-kherson-2022-11", "geometry.now", "unknown front line"),
    ("geometry-geojson-point", "geometry", setting(("strike-lviv", "geometry"), POINT),
     "strike-lviv", "geometry.type", "not a known field"),
    ("geometry-geojson-polygon", "geometry",
     setting(("place-crimea", "geometry"), POLYGON), "place-crimea", "geometry.type",
     "not a known field"),
    ("geometry-geojson-linestring", "geometry",
     setting(("front-dnipro-2022-11-15", "geometry"),
             {"type": "LineString", "coordinates": [[30, 46], [35, 47]]}),
     "front-dnipro-2022-11-15", "geometry.type", "not a known field"),
    ("geometry-a-list", "geometry", setting(("strike-lviv", "geometry"), [24.0, 49.8]),
     "strike-lviv", "geometry", "got a list"),
    ("geometry-text", "geometry", setting(("strike-lviv", "geometry"), "lviv"), "strike-lviv",
     "geometry", "got text"),
    ("geometry-null-not-a-strike", "geometry", setting(("place-kherson", "geometry"), None),
     "place-kherson", "geometry", "only the strike wave"),
    ("geometry-empty", "geometry", setting(("strike-lviv", "geometry"), {}), "strike-lviv",
     "geometry", "exactly one"),
    ("geometry-two-kinds", "geometry",
     setting(("strike-lviv", "geometry"), {"place": "lviv", "line": LINE_NOW}), "strike-lviv",
     "geometry", "exactly one"),
    ("geometry-line-on-strikes", "geometry",
     setting(("strike-lviv", "geometry"), {"line": LINE_NOW}), "strike-lviv", "geometry",
     "does not belong"),
    ("area-rule-unknown", "reference",
     setting(("area-russian-held-2022-11-15", "geometry", "area"), "lake"),
     "area-russian-held-2022-11-15", "geometry.area", "unknown area rule"),
    ("coordinates-longitude-200", "range",
     setting(("strike-lviv", "geometry"), {"coordinates": [200, 49.8], "source": "s"}),
     "strike-lviv", "geometry.coordinates", "longitude 200"),
    ("coordinates-latitude-95", "range",
     setting(("strike-lviv", "geometry"), {"coordinates": [24, -95], "source": "s"}),
     "strike-lviv", "geometry.coordinates", "latitude -95"),
    ("coordinates-one-number", "geometry",
     setting(("strike-lviv", "geometry"), {"coordinates": [24], "source": "s"}),
     "strike-lviv", "geometry.coordinates", "[longitude, latitude]"),
    ("coordinates-text", "wrong-type",
     setting(("strike-lviv", "geometry"), {"coordinates": ["24", "49.8"], "source": "s"}),
     "strike-lviv", "geometry.coordinates", "[longitude, latitude]"),
    ("coordinates-nested", "geometry",
     setting(("strike-lviv", "geometry"), {"coordinates": [[24, 49.8]], "source": "s"}),
     "strike-lviv", "geometry.coordinates", "[longitude, latitude]"),
    ("coordinates-without-source", "missing",
     setting(("strike-lviv", "geometry"), {"coordinates": [24, 49.8]}), "strike-lviv",
     "geometry.source", "source"),
    ("coordinates-source-escape", "text",
     setting(("strike-lviv", "geometry"), {"coordinates": [24, 49.8], "source": "s\x1b"}),
     "strike-lviv", "geometry.source", "U+001B"),
    ("approximate-without-as-of", "missing", setting(("place-kherson", "approximate"), True),
     "place-kherson", "as_of", "as of"),
]

PLACES = [
    ("places-not-a-list", "wrong-type", setting(("places",), {}), None, "places",
     '"places" list'),
    ("places-missing", "missing", setting(("places",)), None, "places", '"places" list'),
    ("place-not-an-object", "wrong-type", setting(("places", 3), 42), "places[3]", None,
     "JSON object"),
    ("missing-query", "missing", setting(("places", 0, "query")), "kyiv", "query", "missing"),
    ("kind-unknown", "reference", setting(("places", 0, "kind"), "hamlet"), "kyiv", "kind",
     "unknown kind"),
    ("country-unknown", "reference", setting(("places", 0, "country"), "XX"), "kyiv", "country",
     "unknown country"),
    ("country-lower-case", "wrong-type", setting(("places", 0, "country"), "ua"), "kyiv",
     "country", "alpha-2"),
    ("admin1-bad", "wrong-type", setting(("places", 0, "admin1"), "1.2"), "kyiv", "admin1",
     "admin1 code"),
    ("region-without-admin1", "missing", setting(("places", 10, "admin1")), "crimea", "admin1",
     "needs its GeoNames admin1"),
    ("role-unknown", "reference", setting(("places", 0, "role"), "capital"), "kyiv", "role",
     "unknown role"),
    ("duplicate-id", "duplicate", lambda d: d["places"].append(copy.deepcopy(d["places"][1])),
     "kharkiv", "id", "duplicate id"),
    ("bad-id", "wrong-type", setting(("places", 0, "id"), "Kyiv City"), "Kyiv City", "id",
     "lower-case"),
    ("name-number", "wrong-type", setting(("places", 0, "name"), 7), "kyiv", "name",
     "not an integer"),
    ("name-escape", "text", setting(("places", 0, "name"), "Kyiv\x1b[0m"), "kyiv", "name",
     "U+001B"),
    ("query-lone-surrogate", "text", setting(("places", 0, "query"), "Ky\ud834iv"), "kyiv",
     "query", "lone surrogate"),
    ("note-too-long", "text", setting(("places", 0, "note"), LONG), "kyiv", "note",
     "at most 20,000"),
    ("name-local-too-long", "text", setting(("places", 0, "name_local"), SHORT_MAX), "kyiv",
     "name_local", "at most 300"),
    ("unknown-field", "wrong-type", setting(("places", 0, "lat"), "50.4"), "kyiv", "lat",
     "unknown field"),
    ("unknown-top-level", "wrong-type", setting(("coordinates",), []), None, "coordinates",
     "unknown top-level"),
    ("about-control", "text", setting(("about",), "x\x00"), None, "about", "U+0000"),
]


def remove_place(place_id: str) -> Callable[[dict], None]:
    return lambda d: d.update(places=[p for p in d["places"] if p["id"] != place_id])


def new_place_for_lviv(root: Path) -> None:
    doc("places", lambda d: d["places"].append(
        {"id": "nowhere-town", "name": "Nowhere", "query": "Qwxzyville", "country": "UA",
         "kind": "town"}))(root)
    doc("features", setting(("strike-lviv", "geometry"), {"place": "nowhere-town"}))(root)


# Faults in places.json that surface in the files that use its places.
PLACES_ELSEWHERE = [
    Case("places.removed-place-a-feature-uses", "places", "reference",
         doc("places", remove_place("kyiv")),
         where("features", "strike-kyiv", "geometry.place", "unknown place 'kyiv'")),
    Case("places.removed-place-a-line-uses", "places", "reference",
         doc("places", remove_place("heroiske")),
         where("front_lines", LINE_NOW, "waypoints[0].ru", "unknown place 'heroiske'")),
    Case("places.place-no-source-knows", "places", "reference", new_place_for_lviv,
         where("features", "strike-lviv", "geometry", "python -m mapapp geocode")),
]


def fold_back(document: dict) -> None:
    waypoints = document["lines"][0]["waypoints"]
    waypoints.insert(5, copy.deepcopy(waypoints[2]))


def cross(document: dict) -> None:
    waypoints = document["lines"][0]["waypoints"]
    waypoints[3], waypoints[10] = waypoints[10], waypoints[3]


FRONT_LINES = [
    ("lines-not-a-list", "wrong-type", setting(("lines",), {}), None, "lines", "'lines' list"),
    ("lines-missing", "missing", setting(("lines",)), None, "lines", "'lines' list"),
    ("line-not-an-object", "wrong-type", setting(("lines", 1), "line"), "lines[1]", None,
     "expected an object"),
    ("line-without-id", "missing", setting(("lines", 0, "id")), "lines[0]", "id", "missing"),
    ("duplicate-line-id", "duplicate", setting(("lines", 1, "id"), LINE_NOW), LINE_NOW, "id",
     "duplicate id"),
    ("bad-line-id", "wrong-type", setting(("lines", 0, "id"), "Front Now"), "Front Now", "id",
     "lower-case"),
    ("as-of-feb-30", "date", setting(("lines", 0, "as_of"), "2022-02-30"), LINE_NOW, "as_of",
     "not a real date"),
    ("as-of-month-13", "date", setting(("lines", 0, "as_of"), "2022-13-01"), LINE_NOW, "as_of",
     "not a real date"),
    ("waypoint-unknown-place", "reference",
     setting(("lines", 0, "waypoints", 3, "ru"), "atlantis"), LINE_NOW, "waypoints[3].ru",
     "unknown place 'atlantis'"),
    ("waypoint-pair-and-on", "geometry", setting(("lines", 0, "waypoints", 2, "on"), "kherson"),
     LINE_NOW, "waypoints[2]", "either a pair"),
    ("waypoint-empty", "missing", setting(("lines", 0, "waypoints", 2), {}), LINE_NOW,
     "waypoints[2]", "either a pair"),
    ("waypoint-half-pair", "missing", setting(("lines", 0, "waypoints", 2), {"ua": "kherson"}),
     LINE_NOW, "waypoints[2]", "either a pair"),
    ("waypoint-text", "wrong-type", setting(("lines", 0, "waypoints", 2), "kherson"), LINE_NOW,
     "waypoints[2]", "expected an object, got text"),
    ("one-waypoint", "missing",
     setting(("lines", 1, "waypoints"), [{"ua": "mykolaiv", "ru": "chornobaivka"}]),
     LINE_BEFORE, "waypoints", "at least two"),
    ("waypoints-not-a-list", "wrong-type", setting(("lines", 0, "waypoints"), {"a": 1}),
     LINE_NOW, "waypoints", "must be a list"),
    ("extend-negative", "range", setting(("lines", 0, "extend_km", "start"), -5), LINE_NOW,
     "extend_km.start", "0–500 km"),
    ("extend-huge", "huge", setting(("lines", 0, "extend_km", "end"), 1e6), LINE_NOW,
     "extend_km.end", "0–500 km"),
    ("extend-text", "wrong-type", setting(("lines", 0, "extend_km", "end"), "80"), LINE_NOW,
     "extend_km.end", "0–500 km"),
    ("extend-unknown-key", "wrong-type", setting(("lines", 0, "extend_km", "middle"), 5),
     LINE_NOW, "extend_km.middle", "0–500 km"),
    ("name-escape", "text", setting(("lines", 0, "name"), "Front\x1b[5m"), LINE_NOW, "name",
     "U+001B"),
    ("basis-too-long", "text", setting(("lines", 0, "basis"), LONG), LINE_NOW, "basis",
     "at most 20,000"),
    ("waypoint-note-lone-surrogate", "text",
     setting(("lines", 0, "waypoints", 0, "note"), "\ud800"), LINE_NOW, "waypoints[0].note",
     "lone surrogate"),
    ("unknown-field", "wrong-type", setting(("lines", 0, "colour"), "red"), LINE_NOW, "colour",
     "not a known field"),
    ("unknown-top-level", "wrong-type", setting(("colour",), "red"), None, "colour",
     "unknown top-level"),
    ("sides-swapped-everywhere", "sides", swap_sides(0), LINE_NOW, "waypoints",
     "look swapped"),
    ("sides-swapped-everywhere-bridgehead", "sides", swap_sides(1), LINE_BEFORE, "waypoints",
     "look swapped"),
    ("sides-swapped-at-nova-kakhovka", "sides", swap_sides(0, 5), LINE_NOW, "waypoints[5].ua",
     "look swapped"),
    ("sides-swapped-at-tokmak", "sides", swap_sides(0, 13), LINE_NOW, "waypoints[13].ua",
     "look swapped"),
    ("sides-swapped-in-the-bridgehead", "sides", swap_sides(1, 2), LINE_BEFORE,
     "waypoints[2].ua", "look swapped"),
    ("crosses-itself", "geometry", cross, LINE_NOW, "waypoints", "crosses itself"),
    ("folds-back", "geometry", fold_back, LINE_NOW, "waypoints", "crosses itself"),
    ("does-not-cut-the-country", "geometry",
     setting(("lines", 0, "waypoints"), [{"ua": "kherson", "ru": "hola-prystan"}] * 2),
     LINE_NOW, "extend_km", "does not cut"),
]

FRONT_LINES_ELSEWHERE = [
    Case("front_lines.removed-line-a-feature-uses", "front_lines", "reference",
         doc("front_lines", setting(("lines", 1))),
         where("features", "front-kherson-bridgehead-2022-11-08", "geometry.line",
               "unknown front line")),
]


def step(n: int, step_id: str) -> str:
    return f"{STORY_ID} step {n} ({step_id})"


STORY = [
    ("missing-steps", "missing", setting(("steps",)), STORY_ID, "steps", "missing"),
    ("steps-empty", "missing", setting(("steps",), []), STORY_ID, "steps", "at least one step"),
    ("steps-not-a-list", "wrong-type", setting(("steps",), {"a": 1}), STORY_ID, "steps",
     "must be a list"),
    ("step-not-an-object", "wrong-type", setting(("steps", 1), "poland"), f"{STORY_ID} step 2",
     None, "expected an object, got text"),
    ("missing-title", "missing", setting(("title",)), STORY_ID, "title", "missing"),
    ("missing-summary", "missing", setting(("summary",)), STORY_ID, "summary", "missing"),
    ("unknown-field", "wrong-type", setting(("author",), "x"), STORY_ID, "author",
     "not a known field"),
    ("title-empty", "missing", setting(("title",), " "), STORY_ID, "title", "is empty"),
    ("title-escape", "text", setting(("title",), "Lesson\x1b[8m"), STORY_ID, "title", "U+001B"),
    ("title-too-long", "text", setting(("title",), SHORT_MAX), STORY_ID, "title",
     "at most 300"),
    ("summary-lone-surrogate", "text", setting(("summary",), "\udbff!"), STORY_ID, "summary",
     "lone surrogate"),
    ("bad-id", "wrong-type", setting(("id",), "Report 1"), "Report 1", "id", "lower-case"),
    ("id-not-the-file-name", "reference", setting(("id",), "another-lesson"), "another-lesson",
     "id", "differs from the file name"),
    ("step-missing-bounds", "missing", setting(("steps", 0, "bounds")),
     step(1, "strike-wave"), "bounds", "missing"),
    ("step-missing-text", "missing", setting(("steps", 0, "text")), step(1, "strike-wave"),
     "text", "missing"),
    ("step-text-empty", "missing", setting(("steps", 0, "text"), ""), step(1, "strike-wave"),
     "text", "is empty"),
    ("step-text-too-long", "text", setting(("steps", 2, "text"), LONG),
     step(3, "kherson-retreat"), "text", "at most 20,000"),
    ("step-text-bell", "text", setting(("steps", 2, "text"), "Kherson\x07"),
     step(3, "kherson-retreat"), "text", "U+0007"),
    ("step-title-line-break", "text", setting(("steps", 2, "title"), "Kherson\nretreat"),
     step(3, "kherson-retreat"), "title", "line break"),
    ("step-question-number", "wrong-type", setting(("steps", 3, "question"), 7),
     step(4, "dnipro-front"), "question", "must be text"),
    ("step-question-c1", "text", setting(("steps", 3, "question"), "Why\x85?"),
     step(4, "dnipro-front"), "question", "U+0085"),
    ("unknown-layer", "reference", setting(("steps", 2, "layers"), ["places", "rivers"]),
     step(3, "kherson-retreat"), "layers", "unknown layer 'rivers'"),
    ("layer-twice", "duplicate", setting(("steps", 0, "layers"), ["strikes", "strikes"]),
     step(1, "strike-wave"), "layers", "listed twice"),
    ("no-layers", "missing", setting(("steps", 0, "layers"), []), step(1, "strike-wave"),
     "layers", "at least one layer"),
    ("layers-text", "wrong-type", setting(("steps", 0, "layers"), "strikes"),
     step(1, "strike-wave"), "layers", "must be a list"),
    ("highlight-missing-feature", "reference",
     setting(("steps", 0, "highlight"), ["strike-paris"]), step(1, "strike-wave"), "highlight",
     "unknown feature id 'strike-paris'"),
    ("highlight-hidden-layer", "reference", setting(("steps", 0, "highlight"), ["place-kherson"]),
     step(1, "strike-wave"), "highlight", "does not show"),
    ("highlight-number", "wrong-type", setting(("steps", 0, "highlight"), [3]),
     step(1, "strike-wave"), "highlight", "unknown feature id 3"),
    ("bounds-south-above-north", "range", setting(("steps", 1, "bounds"), [[51.2, 22.4],
                                                                          [49.4, 25.2]]),
     step(2, "poland-explosion"), "bounds", "south below north"),
    ("bounds-west-right-of-east", "range", setting(("steps", 1, "bounds"), [[49.4, 25.2],
                                                                           [51.2, 22.4]]),
     step(2, "poland-explosion"), "bounds", "west left of east"),
    ("bounds-beyond-the-pole", "range", setting(("steps", 1, "bounds"), [[-95, 22], [53, 41]]),
     step(2, "poland-explosion"), "bounds", "-80..80"),
    ("bounds-longitude-200", "range", setting(("steps", 1, "bounds"), [[44, 22], [53, 200]]),
     step(2, "poland-explosion"), "bounds", "-180..180"),
    ("bounds-the-globe", "range", setting(("steps", 1, "bounds"), [[-60, -170], [60, 170]]),
     step(2, "poland-explosion"), "bounds", "span at most"),
    ("bounds-a-point", "range", setting(("steps", 1, "bounds"), [[50, 24], [50, 24]]),
     step(2, "poland-explosion"), "bounds", "south below north"),
    ("bounds-not-pairs", "geometry", setting(("steps", 1, "bounds"), [44, 22, 53, 41]),
     step(2, "poland-explosion"), "bounds", "[[south, west]"),
    ("bounds-text", "wrong-type", setting(("steps", 1, "bounds"), [["44", 22], [53, 41]]),
     step(2, "poland-explosion"), "bounds", "[[south, west]"),
    ("bounds-geojson", "geometry", setting(("steps", 1, "bounds"), POLYGON),
     step(2, "poland-explosion"), "bounds", "must be a list"),
    ("duplicate-step-id", "duplicate", setting(("steps", 3, "id"), "strike-wave"),
     step(4, "strike-wave"), "id", "duplicate step id 'strike-wave'"),
    ("bad-step-id", "wrong-type", setting(("steps", 3, "id"), "Step Four"),
     step(4, "Step Four"), "id", "lower-case"),
    ("step-unknown-field", "wrong-type", setting(("steps", 3, "map"), "x"),
     step(4, "dnipro-front"), "map", "not a known field"),
]


def story_copy(name: str, edit: Callable[[dict], Any] = lambda d: None):
    """Add ``stories/<name>``: the default story, edited (not reachable by id in the app)."""
    def change(root: Path) -> None:
        folder = root / "data" / "stories"
        document = json.loads((folder / f"{STORY_ID}.json").read_text(encoding="utf-8"))
        edit(document)
        (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return change


def second_story_with_nan(root: Path) -> None:
    (root / "data" / "stories" / "second.json").write_text(
        '{"id": "second", "title": "T", "summary": "S", "steps": [{"id": "a", "title": "A", '
        '"text": "B", "bounds": [[NaN, 22], [53, 41]], "layers": ["strikes"], '
        '"highlight": []}]}', encoding="utf-8")


STORY_ELSEWHERE = [
    Case("story.file-name-not-an-id", "story", "reference", story_copy("Bad Name.json"),
         ("Bad Name.json", "not a story id"), app=False),
    Case("story.second-story-nan-bounds", "story", "nan", second_story_with_nan,
         ("second.json", "NaN is not a number", "line 1, column "), app=False),
    Case("story.a-folder-named-like-a-story", "story", "wrong-type",
         lambda root: (root / "data" / "stories" / "folder.json").mkdir(),
         ("folder.json", "not a regular file"), app=False),
    Case("story.over-size-limit-as-text", "story", "large",
         doc("story", setting(("summary",), "x" * (MAX_STORY_BYTES + 10))),
         (f"{STORY_ID}.json", f"over the limit of {MAX_STORY_BYTES:,}")),
]

GEOCACHE = [
    ("latitude-95", "range", setting(("lat",), 95), None, None, "lat 95 is outside"),
    ("longitude-200", "range", setting(("lon",), 200.5), None, None, "lon 200.5 is outside"),
    ("latitude-text", "wrong-type", setting(("lat",), "50.45"), None, None, "finite number"),
    ("latitude-null", "wrong-type", setting(("lat",), None), None, None, "finite number"),
    ("missing-latitude", "missing", setting(("lat",)), None, None, "missing field(s): lat"),
    ("unknown-field", "wrong-type", setting(("elevation",), 100), None, None,
     "unknown field(s): elevation"),
    ("source-unknown", "reference", setting(("source",), "google"), None, None,
     "unknown source"),
    ("retrieved-words", "date", setting(("retrieved",), "last week"), None, None,
     "Invalid isoformat"),
    ("retrieved-feb-30", "date", setting(("retrieved",), "2022-02-30"), None, None,
     "day is out of range"),
    ("note-escape", "text", setting(("note",), "\x1b[31mred"), None, "note", "U+001B"),
    ("note-lone-surrogate", "text", setting(("note",), "\ud800"), None, "note",
     "lone surrogate"),
    ("reference-too-long", "text", setting(("reference",), LONG), None, "reference",
     "at most 20,000"),
    ("precision-empty", "missing", setting(("precision",), ""), None, None,
     "precision must be a non-empty string"),
    ("over-size-limit-as-text", "large", setting(("note",), "n" * (MAX_GEOCACHE_BYTES + 10)),
     None, None, f"over the limit of {MAX_GEOCACHE_BYTES:,}"),
]

def _second_line(root: Path) -> None:
    """What a merge of two branches that placed Przewodów differently leaves:
    a second line for the place, at the end."""
    path = root / FILES["geocache_cited"][0]
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    other = json.loads(lines[line_number("geocache_cited") - 1])
    other["lat"] += 0.5
    path.write_bytes(b"\n".join(lines + [json.dumps(other).encode()]) + b"\n")


def _store_lines() -> int:
    return len((PROJECT / FILES["geocache_cited"][0]).read_bytes().rstrip(b"\n").split(b"\n"))


GEOCACHE_ELSEWHERE = [
    Case("geocache_cited.two-different-lines", "geocache_cited", "duplicate", _second_line,
         (f"places.jsonl, lines {line_number('geocache_cited')} and {_store_lines() + 1}",
          "different entries for 'Przewodów'")),
]

FINGERPRINT = [
    ("hashes-not-a-list", "wrong-type", setting(("hashes",), "abc"), None, None,
     "expected {'n'"),
    ("hashes-missing", "missing", setting(("hashes",)), None, None, "expected {'n'"),
    ("n-too-small", "range", setting(("n",), 2), None, None, "3 or more"),
    ("n-missing", "missing", setting(("n",)), None, None, "expected {'n'"),
    ("n-text", "wrong-type", setting(("n",), "7"), None, None, "expected {'n'"),
]


def table_cases(kind: str, table: list) -> Iterator[Case]:
    for label, breakage, edit, record, field, words in table:
        yield Case(f"{kind}.{label}", kind, breakage, doc(kind, edit),
                   where(kind, record, field, words), app=kind != "fingerprint")


# -- bad command-line options -----------------------------------------------------------

def existing_output(name: str) -> Callable[[Path], None]:
    return lambda root: (root / "out" / name).write_bytes(b"an earlier file")


def nothing(root: Path) -> None:
    pass


def big_story_file(root: Path) -> None:
    with (root / "out" / "big.json").open("wb") as handle:  # sparse: nothing written
        handle.truncate(MAX_STORY_BYTES + 1)


PNG = "{out}/map.png"
EXPORT_OPTIONS = [
    ("bounds-letters", ["--bounds", "a,b,c,d"], "--bounds"),
    ("bounds-three-numbers", ["--bounds", "44,22,53"], "--bounds"),
    ("bounds-five-numbers", ["--bounds", "44,22,53,41,5"], "--bounds"),
    ("bounds-reversed", ["--bounds", "53,22,44,41"], "--bounds"),
    ("bounds-nan", ["--bounds", "nan,22,53,41"], "--bounds"),
    ("bounds-infinity", ["--bounds", "44,-inf,53,41"], "--bounds"),
    ("bounds-1e400", ["--bounds", "1e400,22,53,41"], "--bounds"),
    ("bounds-beyond-the-pole", ["--bounds", "-95,22,53,41"], "--bounds"),
    ("bounds-longitude-200", ["--bounds", "44,22,53,200"], "--bounds"),
    ("size-zero", ["--size", "0x100"], "--size"),
    ("size-negative", ["--size", "-5x5"], "--size"),
    ("size-absurd", ["--size", "100000x100000"], "--size"),
    ("size-words", ["--size", "big"], "--size"),
    ("size-unknown-unit", ["--size", "10x10furlong"], "--size"),
    ("size-nan", ["--size", "nanxnan"], "--size"),
    ("dpi-zero", ["--dpi", "0"], "--dpi"),
    ("dpi-words", ["--dpi", "high"], "--dpi"),
    ("dpi-huge", ["--dpi", "1e9"], "--dpi"),
    ("dpi-nan", ["--dpi", "nan"], "--dpi"),
    ("layers-unknown", ["--layers", "rumours"], "--layers"),
    ("types-unknown", ["--types", "nuke"], "--types"),
    ("status-unknown", ["--status", "maybe"], "--status"),
    ("preset-unknown", ["--preset", "poster"], "--preset"),
    ("preset-and-size", ["--preset", "social", "--size", "10x10"], "--size"),
]


def option_cases() -> Iterator[Case]:
    for label, extra, option in EXPORT_OPTIONS:
        yield Case(f"option.export-{label}", "option", "option", nothing, (option,),
                   argv=("export", *extra, "-o", PNG), app=False)
    for label, extra, option in EXPORT_OPTIONS[:10] + EXPORT_OPTIONS[15:23]:
        yield Case(f"option.snapshot-{label}", "option", "option", nothing, (option,),
                   argv=("snapshot", *extra, "-o", PNG), app=False)
    more = [
        ("export-format-gif", nothing, ("export", "--format", "gif", "-o", PNG), ("--format",)),
        ("export-format-not-the-suffix", nothing, ("export", "--format", "svg", "-o", PNG),
         ("--format",)),
        ("export-no-suffix", nothing, ("export", "-o", "{out}/map"), ("suffix",)),
        ("export-theme-neon", nothing, ("export", "--theme", "neon", "-o", PNG), ("--theme",)),
        ("export-title-escape", nothing, ("export", "--title", "\x1b[2J", "-o", PNG),
         ("--title", "U+001B")),
        ("export-output-in-missing-folder", nothing, ("export", "-o", "{out}/none/map.png"),
         ("{out}/none", "does not exist")),
        ("export-output-is-a-folder", nothing, ("export", "-o", "{out}"), ("{out}",)),
        ("export-output-exists", existing_output("map.png"), ("export", "-o", PNG),
         ("--overwrite",)),
        ("export-all-presets-with-output", nothing, ("export", "--all-presets", "--out-dir",
                                                     "{out}", "-o", PNG), ("--output",)),
        ("export-all-presets-without-folder", nothing, ("export", "--all-presets"),
         ("--out-dir",)),
        ("export-out-dir-alone", nothing, ("export", "--out-dir", "{out}"), ("--output",)),
        ("export-no-output", nothing, ("export",), ("--output",)),
        ("snapshot-browser-missing", nothing,
         ("snapshot", "--browser", "/nonexistent/chromium", "-o", PNG), ("/nonexistent",)),
        ("html-basemap-unknown", nothing, ("html", "--basemap", "evil", "-o", "{out}/m.html"),
         ("--basemap", "invalid choice")),
        ("html-layers-unknown", nothing, ("html", "--layers", "rumours", "-o", "{out}/m.html"),
         ("layers", "rumours")),
        ("html-output-in-missing-folder", nothing, ("html", "-o", "{out}/none/m.html"),
         ("{out}/none", "does not exist")),
        ("html-output-exists", existing_output("m.html"), ("html", "-o", "{out}/m.html"),
         ("--overwrite",)),
        ("bundle-story-system-file", nothing, ("bundle", "--story", "/etc/passwd", "-o",
                                               "{out}/l.html"), ("--story", "/etc/passwd")),
        ("bundle-story-text-file", lambda root: (root / "out" / "s.txt").write_text("{}"),
         ("bundle", "--story", "{out}/s.txt", "-o", "{out}/l.html"), ("--story", ".json")),
        ("bundle-story-folder", lambda root: (root / "out" / "s.json").mkdir(),
         ("bundle", "--story", "{out}/s.json", "-o", "{out}/l.html"), ("--story", "not a file")),
        ("bundle-story-missing-file", nothing,
         ("bundle", "--story", "{out}/none.json", "-o", "{out}/l.html"),
         ("--story", "cannot open")),
        ("bundle-story-unknown-id", nothing,
         ("bundle", "--story", "no-such-lesson", "-o", "{out}/l.html"),
         ("--story", "no such story")),
        ("bundle-story-traversal", nothing,
         ("bundle", "--story", "../../etc/passwd", "-o", "{out}/l.html"), ("--story",)),
        ("bundle-story-too-big", big_story_file,
         ("bundle", "--story", "{out}/big.json", "-o", "{out}/l.html"), ("--story", "at most")),
        ("bundle-output-in-missing-folder", nothing, ("bundle", "-o", "{out}/none/l.html"),
         ("{out}/none", "does not exist")),
        ("bundle-output-exists", existing_output("l.html"), ("bundle", "-o", "{out}/l.html"),
         ("--overwrite",)),
        ("handout-paper-a3", nothing, ("handout", "--paper", "a3", "-o", "{out}/h.pdf"),
         ("--paper", "invalid choice")),
        ("handout-story-system-file", nothing,
         ("handout", "--story", "/etc/shadow", "-o", "{out}/h.pdf"), ("--story",)),
        ("handout-story-unknown-id", nothing,
         ("handout", "--story", "lesson-9", "-o", "{out}/h.pdf"), ("--story", "no such story")),
        ("handout-output-in-missing-folder", nothing, ("handout", "-o", "{out}/none/h.pdf"),
         ("{out}/none", "does not exist")),
        ("handout-output-is-a-folder", lambda root: (root / "out" / "h.pdf").mkdir(),
         ("handout", "-o", "{out}/h.pdf"), ("{out}/h.pdf", "is a folder")),
        ("geocode-data-folder-missing", nothing,
         ("geocode", "--data-dir", "{out}/none", "--cache-dir", "{cache}"),
         ("{out}/none/places.json", "cannot read")),
        ("geocode-cache-is-a-file", existing_output("cache"),
         ("geocode", "--data-dir", "{data}", "--cache-dir", "{out}/cache"), ("{out}/cache",)),
        ("check-data-folder-missing", nothing, ("check", "--data-dir", "{out}/none"),
         ("{out}/none/report.json", "cannot read")),
    ]
    for label, change, argv, words in more:
        yield Case(f"option.{label}", "option", "option", change, words, argv=argv, app=False)


def geocode_command_cases() -> Iterator[Case]:
    """A broken places.json stops ``geocode`` before it writes anything."""
    for label, _, edit, record, field, words in PLACES[:6]:
        yield Case(f"places.geocode-{label}", "places", "reference", doc("places", edit),
                   where("places", record, field, words), argv=("geocode",), app=False)


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for kind in FILES:
        cases.extend(generic_cases(kind))
    cases.extend(table_cases("report", REPORT))
    cases.extend(table_cases("features", FEATURES))
    cases.extend(table_cases("places", PLACES))
    cases.extend(PLACES_ELSEWHERE)
    cases.extend(table_cases("front_lines", FRONT_LINES))
    cases.extend(FRONT_LINES_ELSEWHERE)
    cases.extend(table_cases("story", STORY))
    cases.extend(STORY_ELSEWHERE)
    cases.extend(table_cases("geocache", GEOCACHE))
    cases.extend(table_cases("geocache_cited", GEOCACHE))
    cases.extend(GEOCACHE_ELSEWHERE)
    cases.extend(table_cases("fingerprint", FINGERPRINT))
    cases.extend(geocode_command_cases())
    cases.extend(option_cases())
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


CASES = all_cases()
