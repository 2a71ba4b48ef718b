"""Control areas derived from front lines and a country polygon with shapely.

Areas are never drawn by hand: the country is cut along the front line and
each piece is given to the side whose waypoint settlements it contains, so
an area can never disagree with the line that bounds it.
"""

from __future__ import annotations

import shapely
from shapely import ops
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from .errors import DataError
from .frontline import Coords, FrontLine, cutting_line


SIDE_NAMES = {"ru": "Russian-held", "ua": "Ukrainian-held"}


def split_polygon(area: BaseGeometry, cutter) -> list[Polygon]:
    """Every piece of ``area`` (polygon or multipolygon) cut by ``cutter``."""
    pieces: list[Polygon] = []
    for part in shapely.get_parts(area):
        if isinstance(part, Polygon):  # a collection may also hold points or lines
            pieces.extend(ops.split(part, cutter).geoms)
    return pieces


def _score(piece: Polygon, sided: list[tuple[Point, str]]) -> int:
    """Russian-held settlements in the piece minus Ukrainian-held ones."""
    return sum((1 if side == "ru" else -1) for point, side in sided if piece.contains(point))


def _sides(pieces: list[Polygon], sided: list[tuple[Point, str]],
           cutter: LineString) -> list[str]:
    """'ru' or 'ua' for each piece.

    A piece goes to the side whose settlements it holds.  A piece holding
    none is either a sliver the line cut off (it goes by which side of the
    line it lies on, calibrated by where the settlements lie) or land the
    line never touched, an island or a coast cut off by an estuary: that
    goes with the nearest piece whose side is known.  Neither "nearest
    settlement" nor "side of the line" alone works for both: the first
    gives a Russian-held spit off Kherson to Ukraine, the second gives the
    coast beyond the Dniester estuary to Russia.
    """
    scores = [_score(p, sided) for p in pieces]
    known = [(p, "ru" if s > 0 else "ua") for p, s in zip(pieces, scores) if s]
    votes = sum(_line_side(cutter, point) * (1 if side == "ru" else -1)
                for point, side in sided)
    ru_sign = 1 if votes >= 0 else -1
    sides = []
    for piece, score in zip(pieces, scores):
        if score:
            sides.append("ru" if score > 0 else "ua")
        elif known and piece.distance(cutter) > 1e-9:
            sides.append(min(known, key=lambda item: piece.distance(item[0]))[1])
        else:
            on_left = _line_side(cutter, piece.representative_point()) == ru_sign
            sides.append("ru" if on_left else "ua")
    return sides


def _line_side(line: LineString, point: Point) -> int:
    """+1 left of the line's nearest segment, -1 right (in lon/lat)."""
    coords = list(line.coords)
    best, best_distance = (coords[0], coords[1]), float("inf")
    for a, b in zip(coords, coords[1:]):
        distance = LineString([a, b]).distance(point)
        if distance < best_distance:
            best, best_distance = (a, b), distance
    (ax, ay), (bx, by) = best
    cross = (bx - ax) * (point.y - ay) - (by - ay) * (point.x - ax)
    return 1 if cross >= 0 else -1


def held_by(country: BaseGeometry, line: FrontLine, coords: Coords, side: str) -> BaseGeometry:
    """The part of ``country`` on ``side`` ('ru' or 'ua') of ``line``."""
    sided = [(Point(coords[pid]), s) for pid, s in line.sided_places()]
    if not sided:
        raise DataError("needs at least one waypoint pair to know which side is which",
                        feature=line.id, field="waypoints")
    cutter = cutting_line(line, coords)
    pieces = split_polygon(country, cutter)
    if len(pieces) < 2:
        raise DataError("the line does not cut the country in two; extend its ends "
                        "past the coast or border (extend_km)", feature=line.id,
                        field="extend_km")
    mine = [p for p, s in zip(pieces, _sides(pieces, sided, cutter)) if s == side]
    if not mine:
        raise DataError(f"no part of the country lies on the {SIDE_NAMES[side]} side of the "
                        "line; check the waypoints' sides", feature=line.id, field="waypoints")
    return ops.unary_union(mine)


def russian_held(country: BaseGeometry, line: FrontLine, coords: Coords) -> BaseGeometry:
    """Territory east/south of the current front line."""
    return held_by(country, line, coords, "ru")


def returned(country: BaseGeometry, before: FrontLine, now: FrontLine,
             coords: Coords) -> BaseGeometry:
    """Ground Russia held behind ``before`` that is on Ukraine's side of ``now``."""
    held_before = held_by(held_by(country, now, coords, "ua"), before, coords, "ru")
    if held_before.is_empty:
        raise DataError("no ground lies between the two lines", feature=before.id,
                        field="waypoints")
    return held_before
