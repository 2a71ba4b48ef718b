"""Control areas derived from front lines and a country polygon with shapely.

Areas are never drawn by hand: the country is cut along the front line and
each piece is given to the side whose waypoint settlements it contains, so
an area can never disagree with the line that bounds it.

The same settlements then check the cut: a settlement marked as held by one
side that lies inside the other side's piece means a waypoint's sides are
swapped; the country's capital on the Russian-held side means every
waypoint's are.  Either is a :class:`DataError` naming the line and field.
"""

from __future__ import annotations

import math

import shapely
from shapely import ops
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from mapapp.errors import DataError
from mapapp.geo.frontline import KM_PER_DEG_LAT, Coords, FrontLine, cutting_line

SIDE_NAMES = {"ru": "Russian-held", "ua": "Ukrainian-held"}
# How far inside the other side's piece a settlement may lie before its
# sides count as swapped.  In the real data every settlement is on its own
# side, or at most 1.1 km off the coast of Natural Earth's outline; a
# swapped pair puts each settlement half the pair's spacing (1.4 km or
# more) on the wrong side.
SIDE_SLACK_KM = 1.0
# A named point known to lie on the country's own side ('ua'): its capital.
Anchor = tuple[str, tuple[float, float]]


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


def _km(a: Point, b: Point) -> float:
    """Distance in km, flat-earth: good to a few per cent over tens of km."""
    kx = KM_PER_DEG_LAT * math.cos(math.radians((a.y + b.y) / 2))
    return math.hypot((a.x - b.x) * kx, (a.y - b.y) * KM_PER_DEG_LAT)


def _km_to(area: BaseGeometry, point: Point) -> float:
    if area.is_empty:
        return math.inf
    return _km(ops.nearest_points(area, point)[0], point)


def check_sides(pieces: list[Polygon], sides: list[str], line: FrontLine, coords: Coords, *,
                capital: Anchor | None = None) -> None:
    """DataError if the cut contradicts the waypoints' sides (see module doc)."""
    held = {s: ops.unary_union([p for p, ps in zip(pieces, sides) if ps == s])
            for s in ("ru", "ua")}
    if capital is not None:
        name, xy = capital
        if held["ru"].contains(Point(xy)):
            raise DataError(f"the side marked Russian-held would hold {name}, the capital: "
                            "'ua' and 'ru' look swapped in the waypoints", feature=line.id,
                            field="waypoints")
    for index, wp in enumerate(line.waypoints):
        for side, other, place_id in (("ua", "ru", wp.ua), ("ru", "ua", wp.ru)):
            if not place_id:
                continue
            point = Point(coords[place_id])
            if not held[other].contains(point):
                continue
            depth = _km_to(held[side], point)
            if depth > SIDE_SLACK_KM:
                raise DataError(f"{place_id!r} is marked {SIDE_NAMES[side]} but lies "
                                f"{depth:.1f} km inside the {SIDE_NAMES[other]} side of the "
                                "line: this waypoint's sides look swapped",
                                feature=line.id, field=f"waypoints[{index}].{side}")


def held_by(country: BaseGeometry, line: FrontLine, coords: Coords, side: str, *,
            capital: Anchor | None = None) -> BaseGeometry:
    """The part of ``country`` on ``side`` ('ru' or 'ua') of ``line``.

    ``capital`` (name, (lon, lat)), when given, must end up on the 'ua' side.
    """
    sided = [(Point(coords[pid]), s) for pid, s in line.sided_places()]
    if not sided:
        raise DataError("needs at least one waypoint pair to know which side is which",
                        feature=line.id, field="waypoints")
    cutter = cutting_line(line, coords)
    pieces = split_polygon(country, cutter)
    # Islands are pieces too: only more pieces than polygons means a cut.
    polygons = sum(isinstance(part, Polygon) for part in shapely.get_parts(country))
    if len(pieces) <= polygons:
        raise DataError("the line does not cut the country in two; extend its ends "
                        "past the coast or border (extend_km)", feature=line.id,
                        field="extend_km")
    sides = _sides(pieces, sided, cutter)
    check_sides(pieces, sides, line, coords, capital=capital)
    mine = [p for p, s in zip(pieces, sides) if s == side]
    if not mine:
        raise DataError(f"no part of the country lies on the {SIDE_NAMES[side]} side of the "
                        "line; check the waypoints' sides", feature=line.id, field="waypoints")
    return ops.unary_union(mine)


def russian_held(country: BaseGeometry, line: FrontLine, coords: Coords, *,
                 capital: Anchor | None = None) -> BaseGeometry:
    """Territory east/south of the current front line."""
    return held_by(country, line, coords, "ru", capital=capital)


def returned(country: BaseGeometry, before: FrontLine, now: FrontLine,
             coords: Coords, *, capital: Anchor | None = None) -> BaseGeometry:
    """Ground Russia held behind ``before`` that is on Ukraine's side of ``now``."""
    ukraine_now = held_by(country, now, coords, "ua", capital=capital)
    held_before = held_by(ukraine_now, before, coords, "ru", capital=capital)
    if held_before.is_empty:
        raise DataError("no ground lies between the two lines", feature=before.id,
                        field="waypoints")
    return held_before
