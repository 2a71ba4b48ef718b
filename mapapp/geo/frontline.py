"""Front lines built from gazetteer places rather than hand-drawn vertices.

A front line in ``data/front_lines.json`` is a list of waypoints.  Each is
either a pair of settlements facing each other across the front, one held
by each side (the vertex is their midpoint), or one settlement the front runs
through (a contested town).  Every vertex therefore comes from geocoded
places, and the same side labels let :mod:`mapapp.geo.areas` tell which piece of
a split country is held by whom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from shapely.geometry import LineString

from mapapp.errors import DataError
from mapapp.schema import (check_fields, check_list_document, check_texts, date_problem, is_id,
                           read_json)

# Mean Earth radius; used only to turn lengths in km into degrees and back.
KM_PER_DEG_LAT = 111.195

LINE_FIELDS = {"id": str, "name": str, "as_of": str, "basis": str,
               "extend_km": dict, "waypoints": list}
LINE_REQUIRED = ("id", "name", "as_of", "basis", "waypoints")
WAYPOINT_FIELDS = {"ua": str, "ru": str, "on": str, "note": str}
TOP_LEVEL = ("lines", "_comment", "about")


@dataclass(frozen=True)
class Waypoint:
    """One vertex: the midpoint of ``ua`` and ``ru``, or the place ``on``."""

    ua: str = ""
    ru: str = ""
    on: str = ""

    def place_ids(self) -> tuple[str, ...]:
        return tuple(p for p in (self.ua, self.ru, self.on) if p)


@dataclass(frozen=True)
class FrontLine:
    id: str
    name: str
    as_of: str
    basis: str
    waypoints: tuple[Waypoint, ...]
    extend_start_km: float = 0.0
    extend_end_km: float = 0.0

    def sided_places(self) -> tuple[tuple[str, str], ...]:
        """``(place_id, side)`` for every waypoint place held by one side."""
        out: list[tuple[str, str]] = []
        for wp in self.waypoints:
            if wp.ua:
                out.append((wp.ua, "ua"))
            if wp.ru:
                out.append((wp.ru, "ru"))
        return tuple(out)


def load_front_lines(path: Path, *, place_ids: set[str]) -> dict[str, FrontLine]:
    """Read and validate the front-line file; every waypoint must be a known place."""
    file = str(path)
    records = check_list_document(read_json(path), key="lines", allowed=TOP_LEVEL, file=file,
                                  expected="expected an object with a 'lines' list")
    lines: dict[str, FrontLine] = {}
    for index, record in enumerate(records):
        line_id = record.get("id") if isinstance(record, dict) else None
        line_id = line_id if isinstance(line_id, str) else f"lines[{index}]"
        check_fields(record, LINE_FIELDS, LINE_REQUIRED, file=file, record_id=line_id)
        if not is_id(record["id"]):
            raise DataError("must be lower-case letters, digits and hyphens", file=file,
                            feature=line_id, field="id")
        if line_id in lines:
            raise DataError("duplicate id", file=file, feature=line_id, field="id")
        check_texts(record, short=("name",), long=("basis",), file=file, feature=line_id)
        problem = date_problem(record["as_of"])
        if problem:
            raise DataError(problem, file=file, feature=line_id, field="as_of")
        waypoints = tuple(_waypoint(wp, i, file=file, line_id=line_id, place_ids=place_ids)
                          for i, wp in enumerate(record["waypoints"]))
        if len(waypoints) < 2:
            raise DataError("a line needs at least two waypoints", file=file,
                            feature=line_id, field="waypoints")
        extend = record.get("extend_km", {})
        for key, value in extend.items():
            if key not in ("start", "end") or isinstance(value, bool) \
                    or not isinstance(value, (int, float)) or not 0 <= value <= 500:
                raise DataError("extend_km takes 'start' and 'end' lengths of 0–500 km",
                                file=file, feature=line_id, field=f"extend_km.{key}")
        lines[line_id] = FrontLine(
            id=line_id, name=record["name"], as_of=record["as_of"], basis=record["basis"],
            waypoints=waypoints, extend_start_km=float(extend.get("start", 0)),
            extend_end_km=float(extend.get("end", 0)))
    return lines


def _waypoint(record, index: int, *, file: str, line_id: str, place_ids: set[str]) -> Waypoint:
    where = f"waypoints[{index}]."
    check_fields(record, WAYPOINT_FIELDS, (), file=file, record_id=line_id, where=where)
    check_texts(record, long=("note",), file=file, feature=line_id, where=where)
    pair = "ua" in record and "ru" in record and "on" not in record
    single = "on" in record and "ua" not in record and "ru" not in record
    if not (pair or single):
        raise DataError("a waypoint is either a pair {'ua', 'ru'} or one place {'on'}",
                        file=file, feature=line_id, field=where.rstrip("."))
    for key in ("ua", "ru", "on"):
        if key in record and record[key] not in place_ids:
            raise DataError(f"unknown place {record[key]!r} (not in places.json)", file=file,
                            feature=line_id, field=where + key)
    return Waypoint(ua=record.get("ua", ""), ru=record.get("ru", ""), on=record.get("on", ""))


Coords = Mapping[str, tuple[float, float]]


def line_vertices(line: FrontLine, coords: Coords) -> list[tuple[float, float]]:
    """The drawn vertices (lon, lat): midpoints of pairs, or the place itself."""
    vertices = []
    for wp in line.waypoints:
        if wp.on:
            vertices.append(coords[wp.on])
        else:
            (x1, y1), (x2, y2) = coords[wp.ua], coords[wp.ru]
            vertices.append(((x1 + x2) / 2, (y1 + y2) / 2))
    return vertices


def line_geometry(line: FrontLine, coords: Coords) -> LineString:
    """The line as drawn on the map."""
    return LineString(line_vertices(line, coords))


def check_simple(line: FrontLine, coords: Coords, *, file: str | None = None) -> None:
    """DataError if the line crosses or touches itself, as drawn or as extended
    to cut the country (a crossing line cuts nonsense areas).

    >>> line = FrontLine(id="z", name="Z", as_of="2022", basis="test", waypoints=tuple(
    ...     Waypoint(on=p) for p in "abcd"))
    >>> check_simple(line, {"a": (0, 0), "b": (2, 2), "c": (2, 0), "d": (0, 2)})
    Traceback (most recent call last):
    ...
    mapapp.errors.DataError: feature 'z': field 'waypoints': the line crosses itself: waypoints[0]-[1] crosses waypoints[2]-[3]
    """
    vertices = line_vertices(line, coords)
    if not LineString(vertices).is_simple:
        i, j = _first_crossing(vertices)
        raise DataError(f"the line crosses itself: waypoints[{i}]-[{i + 1}] crosses "
                        f"waypoints[{j}]-[{j + 1}]", file=file, feature=line.id,
                        field="waypoints")
    if not cutting_line(line, coords).is_simple:
        raise DataError("the line extended by extend_km crosses itself; shorten the "
                        "extension", file=file, feature=line.id, field="extend_km")


def _first_crossing(vertices: list[tuple[float, float]]) -> tuple[int, int]:
    """Indices of the first two segments that meet beyond a shared vertex."""
    segments = [LineString(vertices[k:k + 2]) for k in range(len(vertices) - 1)]
    for i, first in enumerate(segments):
        for j in range(i + 1, len(segments)):
            meet = first.intersection(segments[j])
            if meet.is_empty or first.length == 0 or segments[j].length == 0:
                continue
            # Neighbours share their common vertex; more than that is a fold back.
            if j == i + 1 and meet.geom_type == "Point":
                continue
            return i, j
    return 0, len(segments) - 1  # GEOS saw it; say at least which line


def cutting_line(line: FrontLine, coords: Coords) -> LineString:
    """The line extended at its ends (into the sea, across a border) so it cuts
    a country polygon cleanly in two."""
    vertices = line_vertices(line, coords)
    if line.extend_start_km:
        vertices.insert(0, _extend(vertices[1], vertices[0], line.extend_start_km))
    if line.extend_end_km:
        vertices.append(_extend(vertices[-2], vertices[-1], line.extend_end_km))
    return LineString(vertices)


def _extend(before: tuple[float, float], end: tuple[float, float], km: float):
    """Continue the segment ``before -> end`` by ``km`` beyond ``end``."""
    kx = KM_PER_DEG_LAT * math.cos(math.radians(end[1]))
    dx, dy = (end[0] - before[0]) * kx, (end[1] - before[1]) * KM_PER_DEG_LAT
    length = math.hypot(dx, dy)
    if length == 0:
        return end
    return (end[0] + dx / length * km / kx, end[1] + dy / length * km / KM_PER_DEG_LAT)
