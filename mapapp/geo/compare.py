"""Control areas measured: areas in km², what changed hands, how far two
front lines lie apart, and the line between the sides where a map gives
only areas.

Areas are measured in a Lambert azimuthal equal-area projection centred on
Ukraine (:data:`EQUAL_AREA`), so a km² is a km² wherever it lies.  The same
projection measures distances; within 1,000 km of its centre (all of
Ukraine) a distance along a front is off by well under 1 %.

Every function takes and returns shapely geometries (or GeoDataFrames) in
EPSG:4326 degrees; only the numbers are in km and km².
"""

from __future__ import annotations

import contextlib
import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mapapp.errors import DataError
from mapapp.model.vocab import FRONT_LINE_CATEGORY, HELD_CATEGORIES

EQUAL_AREA = "+proj=laea +lat_0=48.5 +lon_0=31.5 +datum=WGS84 +units=m +no_defs"
# Where a derived line meets the country's outline (a border or a coast),
# it is the outline, not a front: parts within this distance are dropped,
# which also absorbs the difference between two maps' generalised borders.
OUTLINE_GAP_M = 5_000.0
# Derived pieces shorter than this are slivers between two generalised borders.
MIN_PIECE_M = 5_000.0
# A change smaller than this is the difference between two maps' drawing.
MIN_CHANGE_KM2 = 1.0
# The spacing of the points that measure the distance between two lines.
SAMPLE_M = 1_000.0


@functools.lru_cache(maxsize=1)
def _transformers():
    from pyproj import Transformer

    forward = Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
    back = Transformer.from_crs(EQUAL_AREA, "EPSG:4326", always_xy=True)
    return forward, back


# Edges longer than this (degrees) get extra vertices before projecting: a
# long straight edge in degrees (a parallel) is a curve in the projection.
SEGMENT_DEG = 0.05


def to_metres(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` (degrees) in the equal-area projection (metres)."""
    forward, _ = _transformers()
    return shapely.transform(shapely.segmentize(geometry, SEGMENT_DEG),
                             lambda xy: np.column_stack(forward.transform(*xy.T)))


def to_degrees(geometry: BaseGeometry) -> BaseGeometry:
    _, back = _transformers()
    return shapely.transform(geometry, lambda xy: np.column_stack(back.transform(*xy.T)))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` made valid, its polygons only.  Projecting bends edges
    two areas share (occupied since and before 2022, say) a little apart:
    without this, a union or a difference of them can fail in GEOS."""
    fixed = shapely.make_valid(geometry)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _area_m(geometry: BaseGeometry) -> BaseGeometry:
    """An area in degrees, in the equal-area projection, valid."""
    return _polygonal(to_metres(geometry))


def area_km2(geometry: BaseGeometry) -> float:
    """The area of ``geometry`` (degrees) in km².

    >>> from shapely.geometry import box
    >>> round(area_km2(box(30, 48, 31, 49)))  # pyproj's geodesic area: 8,217.7 km²
    8218
    """
    return float(to_metres(geometry).area) / 1e6


def held(areas: Any) -> BaseGeometry:
    """One geometry: the areas of a control map held by Russia (occupied since
    2022 and before)."""
    chosen = areas[areas["category"].isin(HELD_CATEGORIES)]
    return _polygonal(shapely.union_all(np.asarray(chosen.geometry.values))) if len(chosen) \
        else shapely.Polygon()


def given_line(areas: Any) -> BaseGeometry | None:
    """The front line a map draws itself, or None if it draws none."""
    lines = areas[areas["category"] == FRONT_LINE_CATEGORY]
    return shapely.union_all(np.asarray(lines.geometry.values)) if len(lines) else None


def derived_line(areas: Any, country: BaseGeometry) -> BaseGeometry:
    """The boundary between the held areas and the rest, inside ``country``:
    the held areas' outline without the parts along the country's own
    outline (international borders and coasts)."""
    held_m = _area_m(held(areas))
    if held_m.is_empty:
        return shapely.LineString()
    # The outer edges only: a contested or Ukrainian-held pocket inside the
    # held land is surrounded, not a stretch of front.
    held_m = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(held_m)])
    # Inside the country and away from its outline: an area drawn across a
    # border has no front on the other side of it.
    inside = to_metres(country).buffer(-OUTLINE_GAP_M)
    line = shapely.line_merge(held_m.boundary.intersection(inside))
    pieces = [p for p in shapely.get_parts(line) if p.length >= MIN_PIECE_M]
    return to_degrees(shapely.MultiLineString(pieces) if len(pieces) != 1 else pieces[0]) \
        if pieces else shapely.LineString()


def front_of(areas: Any, country: BaseGeometry) -> BaseGeometry:
    """The map's own front line, or the one its areas imply."""
    line = given_line(areas)
    return line if line is not None else derived_line(areas, country)


def line_distances(a: BaseGeometry, b: BaseGeometry) -> tuple[float, float]:
    """Mean and largest distance between two lines, in km, both ways: points
    every :data:`SAMPLE_M` along each line, measured to the other line.

    >>> from shapely.geometry import LineString
    >>> mean, largest = line_distances(LineString([(32, 47), (32, 48)]),
    ...                                LineString([(32.5, 47), (32.5, 48)]))
    >>> round(mean), round(largest)  # 0.5° of longitude at 47-48° N: 37-38 km
    (38, 38)
    """
    a_m, b_m = to_metres(a), to_metres(b)
    if a_m.is_empty or b_m.is_empty:
        return math.nan, math.nan
    distances = np.concatenate([_sampled(a_m, b_m), _sampled(b_m, a_m)])
    return float(distances.mean()) / 1000, float(distances.max()) / 1000


def _sampled(line: BaseGeometry, other: BaseGeometry) -> np.ndarray:
    steps = max(int(line.length // SAMPLE_M), 1)
    points = shapely.line_interpolate_point(line, np.linspace(0, line.length, steps + 1))
    return shapely.distance(points, other)


@dataclass(frozen=True)
class Comparison:
    """Two control maps of one date, side by side (areas held by Russia)."""

    overlap: float            # intersection over union, 0 to 1
    held_a_km2: float
    held_b_km2: float
    only_a_km2: float         # held in A, not in B
    only_b_km2: float
    line_mean_km: float       # NaN when one map has no line and no areas to derive one
    line_max_km: float
    lines: str                # how the lines were found: "given" or "derived", per map

    def rows(self, a: str, b: str) -> list[tuple[str, str]]:
        """The comparison as a reader's table: (what, value)."""
        def km(value: float) -> str:
            return "n/a" if math.isnan(value) else f"{value:,.1f} km"
        return [
            ("Overlap of the areas held by Russia (intersection over union)",
             f"{self.overlap:.3f}"),
            (f"Held by Russia in {a}", f"{self.held_a_km2:,.0f} km²"),
            (f"Held by Russia in {b}", f"{self.held_b_km2:,.0f} km²"),
            (f"Only {a} marks as held", f"{self.only_a_km2:,.0f} km²"),
            (f"Only {b} marks as held", f"{self.only_b_km2:,.0f} km²"),
            ("Mean distance between the front lines", km(self.line_mean_km)),
            ("Largest distance between the front lines", km(self.line_max_km)),
            ("Front lines", self.lines),
        ]


def compare(a: Any, b: Any, country: BaseGeometry) -> Comparison:
    """How far two control maps (GeoDataFrames with ``category``) agree.
    A DataError if their shapes cannot be measured."""
    with _measurable("the two maps"):
        return _compare(a, b, country)


@contextlib.contextmanager
def _measurable(what: str):
    """GEOS's refusals (shapes it cannot intersect) as our DataError."""
    try:
        yield
    except shapely.errors.GEOSException as err:
        raise DataError(f"the shapes of {what} could not be measured ({err}); repairing "
                        "them in a GIS and importing them again may help") from err


def _compare(a: Any, b: Any, country: BaseGeometry) -> Comparison:
    held_a, held_b = _area_m(held(a)), _area_m(held(b))
    union = held_a.union(held_b).area
    inter = held_a.intersection(held_b).area
    line_a, line_b = front_of(a, country), front_of(b, country)
    mean, largest = line_distances(line_a, line_b)
    how = ", ".join(f"{name} {'given' if given_line(frame) is not None else 'derived'}"
                    for name, frame in (("first", a), ("second", b)))
    return Comparison(overlap=inter / union if union else math.nan,
                      held_a_km2=held_a.area / 1e6, held_b_km2=held_b.area / 1e6,
                      only_a_km2=held_a.difference(held_b).area / 1e6,
                      only_b_km2=held_b.difference(held_a).area / 1e6,
                      line_mean_km=mean, line_max_km=largest, lines=how)


CHANGE_WORDS = {"gained": "taken by Russia", "returned": "returned to Ukraine",
                "contested": "held by Russia, now contested"}


def contested(areas: Any) -> BaseGeometry:
    """One geometry: the areas a control map marks as unknown or contested."""
    chosen = areas[areas["category"] == "unknown"]
    return _polygonal(shapely.union_all(np.asarray(chosen.geometry.values))) if len(chosen) \
        else shapely.Polygon()


def changes(before: Any, after: Any, *, country: str = "UA") -> Any:
    """What changed hands between two control maps: one row per piece, with
    ``change`` ("gained" by Russia, "returned" to Ukraine, or held by Russia
    and now "contested": not counted as returned), ``km2``,
    ``place`` (the largest settlement inside, to call it by; "" if none)
    and the geometry (EPSG:4326), largest first.  Pieces under
    :data:`MIN_CHANGE_KM2` are left out: they are drawing, not fighting."""
    with _measurable("the two dates' maps"):
        return _changes(before, after, country)


def _changes(before: Any, after: Any, country: str) -> Any:
    import geopandas as gpd

    from mapapp.geo.gazetteer import largest_within

    old, new = _area_m(held(before)), _area_m(held(after))
    now_contested = _area_m(contested(after))
    lost = old.difference(new)
    rows = []
    for change, piece in (("gained", new.difference(old)),
                          ("returned", lost.difference(now_contested)),
                          ("contested", lost.intersection(now_contested))):
        for part in shapely.get_parts(piece):
            if part.geom_type == "Polygon" and part.area / 1e6 >= MIN_CHANGE_KM2:
                shape = _polygonal(to_degrees(part))
                place = largest_within(shape, country=country)
                rows.append({"change": change, "km2": part.area / 1e6,
                             "place": place.name if place else "", "geometry": shape})
    frame = gpd.GeoDataFrame(rows, columns=["change", "km2", "place", "geometry"],
                             geometry="geometry", crs="EPSG:4326")
    return frame.sort_values("km2", ascending=False, ignore_index=True)


def change_text(change: str, km2: float, place: str, start, end) -> str:
    """One changed piece in words.

    >>> import datetime as dt
    >>> change_text("returned", 4512.4, "Kherson", dt.date(2022, 11, 1), dt.date(2022, 11, 15))
    'Around Kherson, about 4,500 km² returned to Ukraine between 2022-11-01 and 2022-11-15'
    """
    where = f"Around {place}," if place else ""
    text = f"{where} {about_km2(km2)} {CHANGE_WORDS[change]} between {start} and {end}".strip()
    return text[0].upper() + text[1:]


def about_km2(km2: float) -> str:
    """An area rounded as a reader takes it in: the one figure every table,
    total and caption gives.

    >>> about_km2(4170.9), about_km2(263.4), about_km2(2.2)
    ('about 4,200 km²', 'about 260 km²', 'about 2 km²')
    """
    rounded = round(km2, -2) if km2 >= 1000 else round(km2, -1) if km2 >= 100 else round(km2)
    return f"about {rounded:,.0f} km²"
