"""Static map images: one matplotlib figure behind PNG, SVG and PDF.

:func:`render_figure` draws a report map the way a newsroom would publish
it: title and subtitle, the map in a Lambert azimuthal equal-area
projection centred on the view, the offline Natural Earth basemap, the same
symbols as the web map (:mod:`mapapp.styles`), labels placed so they do not
collide, a legend of what is shown, scale bar, north arrow, locator inset,
the "as of" date of the front line and a credit line.

Only matplotlib's object-oriented API is used (a ``Figure`` with its own
Agg canvas, no pyplot state, no rcParams changes), so figures can be drawn
from several threads at once, e.g. inside Streamlit.  Every text is drawn
and measured through :mod:`mapapp.static.figtext`, as plain text (no mathtext, no
TeX).  Saving (formats, metadata) is :mod:`mapapp.static.export`'s job.

>>> spec = ImageSpec(1200, 675)
>>> (spec.width_in, spec.height_in)
(12.0, 6.75)
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from mapapp import styles
from mapapp.errors import OptionError
from mapapp.geo import basemap, physical
from mapapp.model import LAYER_TYPES, LAYERS, STATUSES, ReportMap
from mapapp.model.describe import type_label
from mapapp.model.filters import geometry_kind
from mapapp.static.figtext import add_text, text_width
from mapapp.static.presets import MAX_SIDE_PX
from mapapp.view import INITIAL_BOUNDS, ViewState, as_view, fit_view, view_problem

THEMES: tuple[str, ...] = ("light", "dark")

FONT = "DejaVu Sans"  # ships with matplotlib: identical glyphs on every machine
PRINT_DPI = 200.0  # from this resolution on, an image is sized for paper, not for a screen
MAX_PIXELS = MAX_SIDE_PX  # per side; a larger request is a typo, not a map
TITLE_MAX_LINES = 2

# Colours per theme.  Symbols keep their palette colours in both themes;
# what was near-black ink (outlines, the front line) turns light on dark.
THEME_COLORS: dict[str, dict[str, str]] = {
    "light": {
        "paper": "#ffffff", "text": "#1a1a1a", "muted": "#555555", "ink": styles.INK,
        "halo": "#ffffff", "sea": styles.SEA, "land": styles.LAND, "border": styles.LAND_BORDER,
        "country_label": "#8a857c", "panel": "#ffffff", "panel_edge": "#b9b6ae",
        "inset_land": "#dedad1", "inset_sea": styles.SEA, "neutral": "#6e6e6e",
        "highlight": "#f2b600", "water": styles.WATER, "river": styles.RIVER,
        "region": styles.REGION_LINE, "water_label": "#2f6ea6", "region_label": "#8d8679",
    },
    "dark": {
        "paper": "#11161c", "text": "#f2f2f2", "muted": "#b9bec6", "ink": "#f2f2f2",
        "halo": "#11161c", "sea": "#1c2b38", "land": "#34383e", "border": "#686d75",
        "country_label": "#9096a0", "panel": "#11161c", "panel_edge": "#4d535b",
        "inset_land": "#4a4f56", "inset_sea": "#1c2b38", "neutral": "#a8a8a8",
        "highlight": "#ffd23f", "water": "#284a63", "river": "#4f86b8",
        "region": "#55595f", "water_label": "#8fbde3", "region_label": "#9a9fa8",
    },
}

# The names from mapapp.geo.physical an image writes (the report's own places
# are labelled with their markers), in the web map's order.
IMAGE_NAME_KINDS = ("sea", "river", "lake", "region", "capital", "city")


# Label priority: strikes first, then cities, then the rest of the places,
# then distant mentions (lower numbers are placed first).
LABEL_PRIORITY: dict[str, int] = {
    "missile_strike": 0, "drone_strike": 0, "air_strike": 0, "shelling": 0, "strike": 0,
    "explosion": 0, "strike_wave": 0, "fighting": 0,
    "city": 1, "town": 2, "airport": 2, "site": 2, "village": 3, "region": 4, "river": 4,
    "water": 4,
    "meeting": 5, "statement": 5, "country": 5,
}
# Candidate label spots around a point, as (dx, dy) directions, best first.
_RING = ((1, 0), (-1, 0), (0, 1), (0, -1), (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75), (-0.75, -0.75))
LABEL_SPOTS: tuple[tuple[float, float], ...] = _RING + tuple(
    (k * dx, k * dy) for k in (1.8, 2.8) for dx, dy in _RING)
# A sea's, a lake's or a region's name may also sit this far (in type sizes)
# above or below its places, e.g. off a front line through the middle.
NAME_SHIFT = 1.3
# How far out (in label gaps) a name on a leader line may go.
LEADER_REACH = (4.5, 7.0)
# Around a marker, the room (points) its name needs: a legend or inset there costs.
LABEL_ROOM = 40
# Locator inset: Europe (west, south, east, north), and the CRS it is drawn in.
LOCATOR_BBOX: tuple[float, float, float, float] = (-11.0, 35.0, 50.0, 64.0)
LOCATOR_CRS = "+proj=laea +lat_0=52 +lon_0=20 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
NICE_STEPS = (1, 2, 2.5, 5)
# Marker size against the web map's: there a star is twice the text size,
# on a static map about 1.2 times reads better.
MARKER_SCALE = 0.6
# From this height/width on, the legend goes under the map, not over it.
LEGEND_BELOW_FROM = 0.9
# A legend over the map takes at most this share of the image's width and
# (where it can) of the map's height.
LEGEND_MAX_WIDTH = 0.5
LEGEND_MAX_HEIGHT = 0.45
# Fit to features: padding around the content (a share of its size on each
# side), the least a frame measures (one place is shown with its
# surroundings), in km and, for the lon/lat box, in degrees.
FIT_PAD = 0.07
FIT_MIN_KM = 160.0
FIT_MIN_DEG = 0.75
# Where the image's shape leaves room, how many frame positions on either
# side of the centre are weighed, and what moving off centre costs (as a
# share of the frame that is sea, per share of the room moved), and how far
# it may move (a share of the room): the sea beside the content stays in.
FIT_SLIDE_STEPS = 10
FIT_SLIDE_MAX = 0.7
FIT_CENTRE_WEIGHT = 0.02
EVENT_TRIM = 0.01  # of a large event set, the share off each side that does not set the frame


@dataclass(frozen=True)
class ImageSpec:
    """What to draw onto: pixels and resolution.

    The figure measures ``width_px / dpi`` by ``height_px / dpi`` inches.
    A ``dpi`` of 200 or more is taken as print: type is then sized for the
    paper; below that, for a screen that shows the whole image.

    >>> ImageSpec(2480, 3508, dpi=300).width_in
    8.266666666666667
    """

    width_px: int
    height_px: int
    dpi: float = 100.0

    def __post_init__(self) -> None:
        for name in ("width_px", "height_px"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 64 <= value <= MAX_PIXELS:
                raise OptionError(f"{name} must be a whole number of pixels from 64 to {MAX_PIXELS}, not {value!r}")
        if isinstance(self.dpi, bool) or not isinstance(self.dpi, (int, float)) \
                or not math.isfinite(self.dpi) or not 10 <= self.dpi <= 1200:
            raise OptionError(f"dpi must be a number from 10 to 1200, not {self.dpi!r}")

    @property
    def width_in(self) -> float:
        return _inches(self.width_px, self.dpi)

    @property
    def height_in(self) -> float:
        return _inches(self.height_px, self.dpi)

    @property
    def is_print(self) -> bool:
        return self.dpi >= PRINT_DPI


def _inches(px: int, dpi: float) -> float:
    # px / dpi * dpi can land a hair under px, and Agg truncates to whole
    # pixels: nudge up so the canvas has exactly the pixels asked for.
    inches = px / dpi
    while inches * dpi < px:
        inches = math.nextafter(inches, math.inf)
    return inches


# --------------------------------------------------------------------------
# Titles and credits from the data


def default_title(report_map: ReportMap) -> str:
    """The report's headline."""
    return report_map.report.headline


def default_subtitle(report_map: ReportMap) -> str:
    """Publisher and date of the report, and the date the situation shown is from.

    >>> from mapapp.model import Report
    >>> default_subtitle(ReportMap(Report("r", "The Paper", "H", "2022-11-16", 3), (), "2022-11-15"))
    'The Paper, 2022-11-16 · situation as of 2022-11-15'
    """
    report = report_map.report
    parts = [", ".join(p for p in (report.publisher, report.date) if p)]
    if report_map.front_line_as_of:
        parts.append(f"situation as of {report_map.front_line_as_of}")
    return " · ".join(p for p in parts if p)


def credit_parts(report_map: ReportMap) -> list[str]:
    """Source citation and data credits, in the order the credit line shows them."""
    report = report_map.report
    source = ", ".join(p for p in (report.publisher, f"“{report.headline}”" if report.headline else "",
                                   report.date) if p)
    cited = [f"Source: {source}"] if report_map.has_report else []  # imported sets credit themselves
    located = " ".join(f.location.source.lower() for f in report_map.features)
    # Every located dataset a drawn point came from is credited (OpenStreetMap's
    # licence asks for it); GeoNames always, as the gazetteer of the rest.
    geocoding = ", ".join(["GeoNames",
                           *(["airportsdata"] if "airportsdata" in located else []),
                           *(["© OpenStreetMap contributors"] if "nominatim" in located else [])])
    return [*cited, f"Basemap: {physical.ATTRIBUTION_TEXT}", f"Geocoding: {geocoding}",
            "Map: mapapp"]


def as_of_note(report_map: ReportMap) -> str:
    when = f", as of {report_map.front_line_as_of}" if report_map.front_line_as_of else ""
    return f"Front line and areas approximate{when}"


# --------------------------------------------------------------------------
# Projection and view


def _box(view: ViewState) -> tuple[float, float, float, float]:
    """The view's frame (already checked) as ``(west, south, east, north)``."""
    (south, west), (north, east) = view.bounds or INITIAL_BOUNDS
    return west, south, east, north


def _view_crs(box: tuple[float, float, float, float]) -> str:
    """Lambert azimuthal equal-area centred on the view: true scale and true
    north at the centre, little distortion across a region this size."""
    west, south, east, north = box
    lon0 = round((west + east) / 2, 1)
    lat0 = round((south + north) / 2, 1)
    return f"+proj=laea +lat_0={lat0:g} +lon_0={lon0:g} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


@functools.lru_cache(maxsize=16)
def _transformer(crs: str, inverse: bool = False):
    from pyproj import Transformer

    if inverse:
        return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _densified_ring(x0: float, y0: float, x1: float, y1: float, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """The edges of a box as ``4 n`` points (a projected box is not a box)."""
    t = np.linspace(0.0, 1.0, n, endpoint=False)
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(n, x1), x1 - (x1 - x0) * t, np.full(n, x0)])
    ys = np.concatenate([np.full(n, y0), y0 + (y1 - y0) * t, np.full(n, y1), y1 - (y1 - y0) * t])
    return xs, ys


def _project(geom, crs: str):
    tr = _transformer(crs)

    def fn(xy):
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


@functools.lru_cache(maxsize=16)
def _bounds_extent(box: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    """Projected (xmin, ymin, xmax, ymax) of the lon/lat box, edges densified."""
    xs, ys = _transformer(crs).transform(*_densified_ring(*box))
    return float(np.min(xs)), float(np.min(ys)), float(np.max(xs)), float(np.max(ys))


def _fit_aspect(extent, aspect: float, pad: float = 0.03) -> tuple[float, float, float, float]:
    """Grow ``extent`` around its centre to width/height ``aspect`` (never shrink)."""
    x0, y0, x1, y1 = extent
    w, h = (x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _lonlat_envelope(extent, crs: str, margin: float = 0.0) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    lon, lat = _transformer(crs, inverse=True).transform(*_densified_ring(x0 - dx, y0 - dy, x1 + dx, y1 + dy))
    return (max(-180.0, float(np.min(lon))), max(-89.0, float(np.min(lat))),
            min(180.0, float(np.max(lon))), min(89.0, float(np.max(lat))))


def _view_boxes(crs: str, extent: tuple[float, float, float, float]):
    """What the basemap layers are cut to: the view's lon/lat envelope (plus
    a margin) before projecting, and the view plus 2% after."""
    x0, y0, x1, y1 = extent
    mx, my = (x1 - x0) * 0.02, (y1 - y0) * 0.02
    return (shapely.box(*_lonlat_envelope(extent, crs, margin=0.05)),
            shapely.box(x0 - mx, y0 - my, x1 + mx, y1 + my))


def _in_view(geom, lonlat, frame_box, crs: str, tolerance: float):
    """``geom`` (lon/lat) cut to the view, projected and simplified; None if
    nothing of it is in view."""
    part = shapely.intersection(geom, lonlat)
    if part.is_empty:
        return None
    # Projecting can make a valid outline self-touch; repair before clipping.
    proj = shapely.intersection(shapely.make_valid(_project(part, crs)), frame_box)
    proj = shapely.simplify(proj, tolerance, preserve_topology=True)
    return None if proj.is_empty else proj


# --------------------------------------------------------------------------
# Framing: "fit to features" (a view without bounds) or "as on screen"


def frame_box(report_map: ReportMap, view: ViewState | None = None,
              events=None) -> tuple[float, float, float, float]:
    """The lon/lat box ``(west, south, east, north)`` an image of ``view`` is
    framed on: the view's bounds ("as on screen"), or when it has none the
    box of what it shows ("fit to features"): its features and ``events``.
    Distant mentions count only when nothing else is shown (they would pull
    the frame out to Indonesia); with nothing to show, the app's first view.

    >>> from mapapp.sources.report_folder import load_report_map
    >>> [round(v, 1) for v in frame_box(load_report_map(), ViewState(layers=("front_lines",)))]
    [31.7, 46.6, 38.3, 50.0]
    """
    view = as_view(view)
    if view.bounds is not None:
        return _box(view)
    features = _framing_features(report_map, view, events)
    content = _union_box([f.geometry.bounds for f in features] + _events_boxes(events))
    if content is None:
        return _box(view)
    west, south, east, north = content
    if view_problem(south, west, north, east) is not None:
        # A single place has no extent, and a frame can be too wide to draw.
        (south, west), (north, east) = fit_view(south - FIT_MIN_DEG, west - FIT_MIN_DEG,
                                                north + FIT_MIN_DEG, east + FIT_MIN_DEG)
    return west, south, east, north


def _framing_features(report_map: ReportMap, view: ViewState, events) -> list:
    """The features an image fitted to its content is framed on."""
    visible = [f for f in view.visible(report_map) if geometry_kind(f.geometry) is not None]
    near = [f for f in visible if f.layer != "mentions"]
    return near or ([] if _events_boxes(events) else visible)


def _events_boxes(events) -> list[tuple[float, float, float, float]]:
    """``[(west, south, east, north)]`` of the events, or ``[]``; a few stray
    rows (a geocoding slip) do not set the frame of a large set."""
    if events is None or not len(events):
        return []
    from mapapp.model.events import anchors

    lon, lat = (np.asarray(a, dtype=float) for a in anchors(events))
    cut = EVENT_TRIM if len(lon) >= 100 else 0.0
    return [(float(np.quantile(lon, cut)), float(np.quantile(lat, cut)),
             float(np.quantile(lon, 1 - cut)), float(np.quantile(lat, 1 - cut)))]


def _union_box(boxes) -> tuple[float, float, float, float] | None:
    if not boxes:
        return None
    b = np.asarray(boxes, dtype=float)
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def _content_extent(shown: list, framing: list, events, crs: str):
    """Projected ``(xmin, ymin, xmax, ymax)`` of the shapes an image fitted
    to its content is framed on (tighter than their lon/lat box)."""
    ids = {f.id for f in framing}
    boxes = [s.geom.bounds for s in shown if s.feature.id in ids and not s.geom.is_empty]
    boxes += [_bounds_extent(b, crs) for b in _events_boxes(events)]
    return _union_box(boxes)


def _fit_content(content, aspect: float, crs: str) -> tuple[float, float, float, float]:
    """The frame of width/height ``aspect`` around the projected ``content``:
    padded, at least :data:`FIT_MIN_KM` across, and where the shape leaves
    room to spare, slid towards land rather than open sea."""
    x0, y0, x1, y1 = content
    w = max((x1 - x0) * (1 + 2 * FIT_PAD), FIT_MIN_KM * 1000.0)
    h = max((y1 - y0) * (1 + 2 * FIT_PAD), FIT_MIN_KM * 1000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    padded = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    return _toward_land(_fit_aspect(padded, aspect, pad=0.0), padded, crs)


def _toward_land(frame, padded, crs: str) -> tuple[float, float, float, float]:
    """``frame`` moved along its longer-than-needed side, keeping ``padded``
    inside, to where it shows the least sea (ties: nearest the centre).  A
    tall image of a wide country is then not half open sea."""
    fx0, fy0, fx1, fy1 = frame
    spare = ((fx1 - fx0) - (padded[2] - padded[0]), (fy1 - fy0) - (padded[3] - padded[1]))
    axis = 0 if spare[0] / (fx1 - fx0) >= spare[1] / (fy1 - fy0) else 1
    half = spare[axis] / 2
    if half <= 0.02 * (frame[2 + axis] - frame[axis]):
        return frame
    reach = list(frame)
    reach[axis] -= half
    reach[2 + axis] += half
    land = _land(crs, tuple(float(v) for v in np.round(reach, -3)))
    area = (fx1 - fx0) * (fy1 - fy0)
    best, best_score = frame, math.inf
    for step in np.linspace(-FIT_SLIDE_MAX, FIT_SLIDE_MAX, 2 * FIT_SLIDE_STEPS + 1):
        moved = list(frame)
        moved[axis] += step * half
        moved[2 + axis] += step * half
        sea = 1.0 - shapely.intersection(land, shapely.box(*moved)).area / area
        score = sea + FIT_CENTRE_WEIGHT * abs(step)
        if score < best_score - 1e-9:
            best, best_score = tuple(moved), score
    return best


@functools.lru_cache(maxsize=16)
def _land(crs: str, extent: tuple[float, float, float, float]):
    """Land in ``extent`` (projected), coarse: enough to weigh frames by."""
    frame = basemap.world()
    lonlat, frame_box = _view_boxes(crs, extent)
    hits = sorted(frame.sindex.query(lonlat, predicate="intersects").tolist())
    # Simplified in degrees first: only shares of the frame are wanted.
    parts = shapely.simplify(shapely.intersection(frame.geometry.values[hits], lonlat), 0.05,
                             preserve_topology=True)
    land = [shapely.make_valid(_project(p, crs)) for p in parts if not p.is_empty]
    return shapely.intersection(shapely.union_all(land), frame_box) if land else shapely.Polygon()


@functools.lru_cache(maxsize=16)
def _basemap(crs: str, extent: tuple[float, float, float, float], tolerance: float):
    """Countries clipped to the view (plus a margin), projected and simplified.

    Returns ``(geoms, labels)``: a tuple of ``(name, projected geometry)``
    and a tuple of ``(name, x, y)`` label spots for countries that take up a
    good part of the view.  Cached per (crs, extent, tolerance).
    """
    from shapely.ops import polylabel

    frame = basemap.world()
    lonlat, frame_box = _view_boxes(crs, extent)
    hits = sorted(frame.sindex.query(lonlat, predicate="intersects").tolist())
    x0, _, x1, _ = extent
    view = shapely.box(*extent)
    geoms, labels = [], []
    for i in hits:
        row = frame.iloc[i]
        proj = _in_view(row.geometry, lonlat, frame_box, crs, tolerance)
        if proj is None:
            continue
        geoms.append((str(row["name"]), proj))
        inside = shapely.intersection(proj, view)
        if inside.area >= 0.035 * view.area:
            largest = max(getattr(inside, "geoms", [inside]), key=lambda g: g.area)
            if largest.geom_type == "Polygon":
                spot = polylabel(largest, tolerance=(x1 - x0) / 300)
                labels.append((str(row["name"]), spot.x, spot.y))
    return tuple(geoms), tuple(labels)


@functools.lru_cache(maxsize=8)
def _physical(crs: str, extent: tuple[float, float, float, float], tolerance: float):
    """Lakes and wide rivers, rivers and Ukraine's region lines in the view
    (plus a margin), projected and simplified: the web map's layers
    (:mod:`mapapp.geo.physical`).  Cached per (crs, extent, tolerance)."""
    lonlat, frame_box = _view_boxes(crs, extent)

    def fit(geoms):
        fitted = (_in_view(geom, lonlat, frame_box, crs, tolerance) for geom in geoms)
        return tuple(g for g in fitted if g is not None)

    water = fit(list(physical.lakes().geometry) + list(physical.river_lakes()))
    return water, fit(physical.rivers()), fit([physical.region_lines()])


def _locator_extent(europe, frame, margin: float = 0.08) -> tuple[float, float, float, float]:
    """The locator's extent: Europe, grown (keeping its shape) to hold the
    mapped ``frame`` with a margin, so the frame's box never runs off it.

    >>> _locator_extent((0, 0, 4, 2), (1, 1, 2, 1.5))
    (0, 0, 4, 2)
    >>> [round(v, 2) for v in _locator_extent((0, 0, 4, 2), (3, 1, 6, 2))]
    [0.0, -0.52, 6.24, 2.6]
    """
    ex0, ey0, ex1, ey1 = europe
    fx0, fy0, fx1, fy1 = frame
    mx, my = (fx1 - fx0) * margin, (fy1 - fy0) * margin
    want = (min(ex0, fx0 - mx), min(ey0, fy0 - my), max(ex1, fx1 + mx), max(ey1, fy1 + my))
    if want == (ex0, ey0, ex1, ey1):
        return europe
    return _fit_aspect(want, (ex1 - ex0) / (ey1 - ey0), pad=0.0)


@functools.lru_cache(maxsize=4)
def _locator_land(tolerance_deg: float):
    """Europe's countries for the locator, coarse, projected; and its extent."""
    frame = basemap.world()
    box = shapely.box(*LOCATOR_BBOX)
    big = shapely.box(LOCATOR_BBOX[0] - 20, LOCATOR_BBOX[1] - 10, LOCATOR_BBOX[2] + 20, LOCATOR_BBOX[3] + 10)
    hits = sorted(frame.sindex.query(big, predicate="intersects").tolist())
    # Simplified in degrees first: the inset is small, and this is the slow step.
    parts = shapely.simplify(shapely.intersection(frame.geometry.values[hits], big), tolerance_deg,
                             preserve_topology=True)
    land = tuple(_project(p, LOCATOR_CRS) for p in parts if not p.is_empty)
    return land, _bounds_extent(tuple(box.bounds), LOCATOR_CRS)


# --------------------------------------------------------------------------
# What is shown


@dataclass(frozen=True)
class _Shown:
    feature: Any
    kind: str  # point | line | area
    geom: Any  # projected


def _shown(report_map: ReportMap, box, crs: str, view: ViewState) -> list[_Shown]:
    """Filtered features with a geometry inside the view box, projected.

    Points count when they lie inside ``box`` (the bounds asked for); lines
    and areas when they cross it.  The image may show more country around
    the box (it fills the frame), as context only.
    """
    frame = shapely.box(*box)
    out = []
    for feature in view.visible(report_map):
        kind = geometry_kind(feature.geometry)
        if kind is None or not frame.intersects(feature.geometry):
            continue
        projected = _project(feature.geometry, crs)
        if kind == "area" and not projected.is_valid:
            # Projection can bend a valid area's rings into touching: its
            # shape is the same, but GEOS would refuse to measure overlaps.
            projected = shapely.make_valid(projected)
        out.append(_Shown(feature, kind, projected))
    layer_rank = {layer: i for i, layer in enumerate(LAYERS)}
    return sorted(out, key=lambda s: layer_rank.get(s.feature.layer, 99))  # stable: data order within a layer


def _legend_rows(shown: list[_Shown]) -> list[tuple[str, str, str]]:
    """``[(kind, type, label), ...]``: one row per symbol drawn, layer by layer."""
    rows: list[tuple[str, str, str]] = []
    for layer in LAYERS:
        seen: list[tuple[str, str]] = []
        for s in shown:
            if s.feature.layer == layer and (s.kind, s.feature.type) not in seen:
                seen.append((s.kind, s.feature.type))
        order = {t: i for i, t in enumerate(LAYER_TYPES.get(layer, ()))}
        seen.sort(key=lambda k: (order.get(k[1], 99), k[1], k[0]))
        rows += [(kind, t, type_label(t)) for kind, t in seen]
    return rows


# How each status's marker looks, in a word or two (from mapapp.styles).
_OUTLINE_WORDS = {"solid": "solid", "dashed": "dashed", "dotted": "dotted"}


def _status_look(status: str) -> str:
    style = styles.status_style(status)
    word = _OUTLINE_WORDS.get(style["outline"], style["outline"])
    if style["fill_opacity"] == 0:
        return f"hollow {word}"
    return word if style["fill_opacity"] >= 1 else f"pale {word}"


def status_note(shown_statuses: Iterable[str]) -> str:
    """The legend's one note on certainty: what a marker's outline says,
    for the statuses shown, instead of a key row per status.

    >>> status_note(["reported", "confirmed", "unclear", "claimed"])
    'Marker outline: solid = confirmed · dashed = reported · hollow dotted = claimed, unclear'
    """
    wanted = set(shown_statuses)
    present = [st for st in STATUSES if st in wanted]
    looks: dict[str, list[str]] = {}
    for st in present:
        looks.setdefault(_status_look(st), []).append(st)
    if not looks:
        return ""
    return "Marker outline: " + " · ".join(f"{look} = {', '.join(sts)}" for look, sts in looks.items())


def _status_note(shown: list[_Shown]) -> str:
    return status_note(s.feature.status for s in shown if s.kind == "point")


def legend_entries(report_map: ReportMap, view: ViewState | None = None) -> list[str]:
    """The legend rows :func:`render_figure` shows for the same view, in
    order: one per symbol drawn, layer by layer (marker statuses are one
    note under them, :func:`status_note`).

    >>> from mapapp.sources.report_folder import load_report_map
    >>> legend_entries(load_report_map(), ViewState(layers=("strikes",)))
    ['Missile strike', 'Explosion']
    """
    view = as_view(view)
    box = frame_box(report_map, view)
    shown = _shown(report_map, box, _view_crs(box), view)
    return [label for _, _, label in _legend_rows(shown)]


# --------------------------------------------------------------------------
# Sizes


@dataclass(frozen=True)
class _Type:
    """Type sizes in points for one image."""

    base: float
    scale: float  # points per web-map pixel for symbols and line widths

    @classmethod
    def for_spec(cls, spec: ImageSpec) -> _Type:
        if spec.is_print:
            # Paper: from the physical size (A4 -> about 9 pt).
            base = min(max(0.95 * math.sqrt(spec.width_in * spec.height_in), 6.5), 16.0)
        else:
            # Screen: the whole image is shown scaled to fit (a phone, a feed):
            # type grows with the image, more with its width.
            px = min(0.021 * math.sqrt(spec.width_px * spec.height_px), 0.025 * spec.width_px)
            base = max(px, 11.0) * 72.0 / spec.dpi
        return cls(base=base, scale=base / 13.0)


def _font(size: float, *, weight: str = "normal", style: str = "normal"):
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=FONT, size=size, weight=weight, style=style)


class _Measure:
    """Text sizes in points, from the figure's own renderer."""

    def __init__(self, fig):
        self.renderer = fig.canvas.get_renderer()
        self.px_per_pt = fig.dpi / 72.0
        self._widths: dict[tuple[str, Any], float] = {}  # wrapping measures the same words often

    def width(self, text: str, prop) -> float:
        key = (text, hash(prop))
        if key not in self._widths:
            self._widths[key] = text_width(self.renderer, text, prop) / self.px_per_pt
        return self._widths[key]


def _wrap(text: str, prop, width_pt: float, measure: _Measure, max_lines: int) -> list[str] | None:
    """``text`` in at most ``max_lines`` lines no wider than ``width_pt``,
    lines as even as possible, or ``None``."""
    words = text.split()
    if not words:
        return []
    if measure.width(" ".join(words), prop) <= width_pt:
        return [" ".join(words)]
    if max_lines < 2:
        return None
    best = None
    for cut in range(1, len(words)):
        first, rest = " ".join(words[:cut]), words[cut:]
        w1 = measure.width(first, prop)
        if w1 > width_pt:
            break
        tail = _wrap(" ".join(rest), prop, width_pt, measure, max_lines - 1)
        if tail is None:
            continue
        widest = max([w1] + [measure.width(line, prop) for line in tail])
        if best is None or widest < best[0]:
            best = (widest, [first] + tail)
    return best[1] if best else None


def _fit_text(text: str, *, option: str, sizes: tuple[float, float], width_pt: float, measure: _Measure,
              weight: str = "normal", max_lines: int = TITLE_MAX_LINES,
              fewest_lines: bool = False, where: str = "this image") -> tuple[list[str], float]:
    """The largest size in ``sizes`` (max, min) at which ``text`` wraps into
    ``max_lines`` (with ``fewest_lines``, one line at any size in ``sizes``
    wins over two); :class:`OptionError` naming ``option`` when none does."""
    big, small = sizes
    steps = 12
    for lines_allowed in ((1, max_lines) if fewest_lines else (max_lines,)):
        for i in range(steps + 1):
            size = big - (big - small) * i / steps
            lines = _wrap(text, _font(size, weight=weight), width_pt, measure, lines_allowed)
            if lines is not None:
                return lines, size
    raise OptionError(
        f"{option} does not fit: {len(text)} characters need more than {max_lines} lines at "
        f"{small:.1f} pt across {where}; shorten the {option}")


# --------------------------------------------------------------------------
# Symbols


def _polygon_path(geom):
    """A matplotlib Path for a (multi)polygon, holes included."""
    from matplotlib.path import Path

    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            verts.append(xy)
            c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def _polygons_only(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _lines(geom) -> list[np.ndarray]:
    if geom.geom_type in ("LineString", "LinearRing"):
        return [np.asarray(geom.coords)]
    return [xy for g in getattr(geom, "geoms", []) for xy in _lines(g)]


@functools.cache
def _marker_path(shape: str):
    """Unit marker outlines matching the web map's SVG shapes."""
    from matplotlib.path import Path

    def star(n, inner, lift=0.0):
        a = np.pi / 2 + np.arange(2 * n) * np.pi / n
        r = np.where(np.arange(2 * n) % 2 == 0, 1.0, inner)
        return Path(np.column_stack([r * np.cos(a), r * np.sin(a) - lift]).tolist() + [[0, 0]], closed=True)

    if shape == "circle":
        return Path.unit_circle()
    if shape == "square":
        return Path([[-1, -1], [1, -1], [1, 1], [-1, 1], [0, 0]], closed=True)
    if shape == "diamond":
        return Path([[0, 1.25], [1.25, 0], [0, -1.25], [-1.25, 0], [0, 0]], closed=True)
    if shape == "triangle":
        return Path([[0, 1], [0.866, -0.5], [-0.866, -0.5], [0, 0]], closed=True)
    if shape == "triangle_down":
        return Path([[0, -1], [0.866, 0.5], [-0.866, 0.5], [0, 0]], closed=True)
    if shape in styles.UNIT_OUTLINES:
        return Path([list(p) for p in styles.UNIT_OUTLINES[shape]] + [[0, 0]], closed=True)
    if shape == "star":
        return star(5, 0.45, 0.08)
    if shape == "burst":
        return star(8, 0.55)
    if shape == "star4":
        return star(4, 0.4)
    def polygon(n, lift=0.0):
        # n corners only: a star whose inner points lie on its edges has
        # straight-angle corners, which Agg cannot stroke dashed.
        a = np.pi / 2 + np.arange(n) * 2 * np.pi / n
        return Path(np.column_stack([np.cos(a), np.sin(a) - lift]).tolist() + [[0, 0]],
                    closed=True)

    if shape == "pentagon":
        return polygon(5, 0.1)
    if shape == "hexagon":
        return polygon(6)
    raise ValueError(f"unknown shape {shape!r}")


def _dash(dash: str | None, lw: float, unit: float, *, dots: bool = False):
    """An SVG dasharray in web pixels -> a matplotlib dash tuple in units of
    the line width (matplotlib scales dashes by the width).  With ``dots``
    (round caps) gaps are kept at two line widths at least, or the dots
    would run together into a solid line on a smaller marker."""
    if not dash:
        return "solid"
    values = [max(float(v) * unit, 0.01) / max(lw, 0.01) for v in dash.split()]
    if dots:
        values = [v if i % 2 == 0 else max(v, 2.0) for i, v in enumerate(values)]
    return (0, tuple(values))


@dataclass(frozen=True)
class _PointStyle:
    path: Any
    size: float  # marker diameter in points
    face: tuple
    edge: str
    lw: float
    linestyle: Any
    capstyle: str


def _point_style(type_: str, status: str, t: _Type, colors: dict[str, str], *, neutral: bool = False,
                 size_px: float | None = None) -> _PointStyle:
    from matplotlib.colors import to_rgba

    sym = styles.point_symbol(type_)
    st = styles.status_style(status)
    hollow = st["fill_opacity"] == 0
    color = colors["neutral"] if neutral else sym["color"]
    size = float(size_px or sym["size"]) * t.scale * MARKER_SCALE
    # Outlines a little lighter than the web map's, as the markers are smaller.
    if hollow:
        edge, alpha = color, sym.get("hollow_tint", styles.HOLLOW_TINT)
        lw = sym.get("hollow_stroke", styles.HOLLOW_STROKE) * t.scale * 0.9
    else:
        edge, lw, alpha = colors["ink"], 1.5 * t.scale * 0.8, st["fill_opacity"]
    # The web map's dashes are in its pixels at the marker's own size: keep them in proportion.
    unit = size / float(size_px or sym["size"])
    return _PointStyle(_marker_path(sym["shape"]), size, to_rgba(color, alpha), edge, lw,
                       _dash(st["dash"], lw, unit, dots=hollow), "round" if hollow else "butt")


def _draw_marker(ax, x, y, ps: _PointStyle, zorder: float, halo: str | None = None,
                 gid: str | None = None):
    from matplotlib import patheffects

    art = ax.scatter([x], [y], s=ps.size ** 2, marker=ps.path, facecolors=[ps.face], edgecolors=[ps.edge],
                     linewidths=ps.lw, linestyles=[ps.linestyle], zorder=zorder, clip_on=True, gid=gid)
    art.set_capstyle(ps.capstyle)
    art.set_joinstyle("round")
    if halo:
        art.set_path_effects([patheffects.withStroke(linewidth=ps.lw + 2.2 * (ps.size / 20), foreground=halo)])
    return art


# Markers closer than this share of their radii are moved apart.
SPREAD_OVERLAP = 0.85


def spread_apart(xy: np.ndarray, radius: np.ndarray, *, rounds: int = 60) -> np.ndarray:
    """Marker centres (pixels) moved apart until no two overlap by more than
    :data:`SPREAD_OVERLAP` allows: each overlapping pair is pushed apart
    along the line between them, half each; markers on one spot fan out at
    the golden angle.  Markers clear of all others do not move.

    >>> spread_apart(np.array([[0.0, 0.0], [4.0, 0.0], [100.0, 0.0]]), np.array([10.0] * 3))
    array([[ -6.5,   0. ],
           [ 10.5,   0. ],
           [100. ,   0. ]])
    """
    pos = np.asarray(xy, dtype=float).copy()
    n = len(pos)
    if n < 2:
        return pos
    need = (radius[:, None] + radius[None, :]) * SPREAD_OVERLAP
    fan = np.arange(n) * math.pi * (3 - math.sqrt(5))
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        pairs = np.argwhere(upper & (dist < need - 1e-6))
        if not len(pairs):
            break
        push = np.zeros_like(pos)
        for i, j in pairs:
            d = dist[i, j]
            unit = delta[i, j] / d if d > 1e-6 else np.array([math.cos(fan[j]), math.sin(fan[j])])
            half = (need[i, j] - d) / 2
            push[i] += unit * half
            push[j] -= unit * half
        pos += push
    return pos


def _line_kwargs(type_: str, t: _Type, colors: dict[str, str]) -> dict[str, Any]:
    s = styles.line_style(type_)
    lw = float(s["weight"]) * t.scale * 0.85
    color = colors["ink"] if s["color"] == styles.INK else s["color"]
    return {"color": color, "alpha": float(s.get("opacity", 1)), "linewidth": lw,
            "linestyle": _dash(s.get("dashArray"), lw, t.scale * 0.85),
            "solid_capstyle": s.get("lineCap", "round"), "dash_capstyle": "butt",
            "solid_joinstyle": "round"}


def _area_artists(geom, type_: str, t: _Type, colors: dict[str, str], zorder: float,
                  unit: float) -> list:
    """Fill, stripes (for a patterned area) and outline of the (multi)polygon
    ``geom``, whose coordinates measure ``unit`` per point.

    The stripes are drawn as lines cut to the area, not as a hatch pattern:
    PDF viewers differ in how they paint patterns (Chromium's PDFium left
    matplotlib's out, showing the pale wash alone), but every viewer draws
    lines the same.
    """
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch

    s = styles.area_style(type_)
    lw = float(s["weight"]) * t.scale * 0.85
    edge = colors["ink"] if s["color"] == styles.INK else s["color"]
    path = _polygon_path(geom)
    if path is None:
        return []
    out = []
    if s.get("pattern"):
        # The web map's pattern: a light wash of the colour under dense stripes.
        out.append(PathPatch(path, facecolor=to_rgba(s["fillColor"], HATCH_WASH), edgecolor="none",
                             linewidth=0, zorder=zorder))
        stripes = _stripes(geom, HATCH_PERIOD * t.scale * unit)
        if stripes:
            from matplotlib.collections import LineCollection

            out.append(LineCollection(stripes, colors=[to_rgba(s["fillColor"], HATCH_ALPHA)],
                                      linewidths=HATCH_STRIPE * t.scale, capstyle="butt",
                                      zorder=zorder, gid="mapapp-hatch"))
    else:
        out.append(PathPatch(path, facecolor=to_rgba(s["fillColor"], float(s["fillOpacity"])),
                             edgecolor="none", linewidth=0, zorder=zorder))
    out.append(PathPatch(path, facecolor="none", edgecolor=to_rgba(edge, float(s.get("opacity", 1))),
                         linewidth=lw, linestyle=_dash(s.get("dashArray"), lw, t.scale * 0.85),
                         joinstyle="round", zorder=zorder + 0.1))
    return out


def _stripes(geom, period: float) -> list[np.ndarray]:
    """Lines rising at 45 degrees, ``period`` apart, cut to ``geom``."""
    if geom.is_empty or period <= 0:
        return []
    x0, y0, x1, y1 = geom.bounds
    step = period * math.sqrt(2)  # along x, between lines x - y = c
    offsets = np.arange(math.floor((x0 - y1) / step), math.ceil((x1 - y0) / step) + 1) * step
    lines = shapely.linestrings(np.stack([np.column_stack([offsets + y0, np.full_like(offsets, y0)]),
                                          np.column_stack([offsets + y1, np.full_like(offsets, y1)])],
                                         axis=1))
    cut = shapely.intersection(shapely.multilinestrings(lines), geom)
    return [xy for xy in _lines(cut) if len(xy) > 1]


# Stripes of a patterned area, in web-map pixels as the web map's pattern
# (8 apart, 3 wide), drawn a little finer; the wash under them.
HATCH_PERIOD = 8 * 0.65
HATCH_STRIPE = 3 * 0.65
HATCH_ALPHA = 0.9
HATCH_WASH = 0.28

# Extra width (web-map pixels) of the outline under a highlighted line or area.
HIGHLIGHT_WIDTH = 7.0


def _draw_highlight_ring(ax, x, y, ps: _PointStyle, t: _Type, colors: dict[str, str], zorder: float):
    """A wide ring with a pale disc under a highlighted marker; ink edged, so
    it still reads on a greyscale print."""
    from matplotlib.colors import to_rgba

    ring = ax.scatter([x], [y], s=(ps.size * 1.9 + 4 * t.scale) ** 2, marker="o",
                      facecolors=[to_rgba(colors["highlight"], 0.35)], edgecolors=[colors["highlight"]],
                      linewidths=3.2 * t.scale, zorder=zorder, clip_on=True, gid="mapapp-highlight")
    from matplotlib import patheffects

    ring.set_path_effects([patheffects.Stroke(linewidth=3.2 * t.scale + 1.6 * t.scale,
                                              foreground=colors["ink"]), patheffects.Normal()])
    return ring


def _highlight_outline(path, t: _Type, colors: dict[str, str], zorder: float):
    from matplotlib.patches import PathPatch

    return PathPatch(path, facecolor="none", edgecolor=colors["highlight"], linewidth=HIGHLIGHT_WIDTH * t.scale,
                     joinstyle="round", zorder=zorder, gid="mapapp-highlight")


# --------------------------------------------------------------------------
# Boxes (display pixels) for collision tests


def _overlaps(a, b, pad: float = 0.0) -> bool:
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def _inside(a, outer) -> bool:
    return a[0] >= outer[0] and a[1] >= outer[1] and a[2] <= outer[2] and a[3] <= outer[3]


def _bbox_tuple(bb) -> tuple[float, float, float, float]:
    return (float(bb.x0), float(bb.y0), float(bb.x1), float(bb.y1))


# --------------------------------------------------------------------------
# The figure


def render_figure(report_map: ReportMap, *, spec: ImageSpec, view: ViewState | None = None,
                  title: str | None = None, subtitle: str | None = None,
                  theme: str = "light", highlight: Iterable[str] = (), events=None,
                  event_credits: Iterable[str] = ()):
    """The map as a ``matplotlib.figure.Figure`` of exactly ``spec``'s pixels.

    ``view`` (a checked :class:`mapapp.view.ViewState`, by default the app's
    first view) chooses the layers, types and statuses drawn and frames the
    map on its bounds (by default the web map's first view), widened to the
    map's shape; ``title``/``subtitle`` default to
    :func:`default_title` and :func:`default_subtitle` ("" for none).
    ``highlight`` names feature ids to stand out (a story step's subject):
    points get a wide ring under their symbol, lines and areas a wide
    outline under their own.  ``events`` (an event table, see
    :mod:`mapapp.model.events`) are drawn as one collection of dots
    coloured by type, and ``event_credits`` (who published them, under
    which licence) join the credit line.
    Raises :class:`OptionError` for an unknown theme or highlighted feature
    id, a ``view`` that is not a ViewState, or a title or subtitle too long
    for the image.
    """
    if not isinstance(spec, ImageSpec):
        raise OptionError(f"spec must be an ImageSpec, not {type(spec).__name__}")
    if theme not in THEMES:
        raise OptionError(f"unknown theme {theme!r} (choose from {', '.join(THEMES)})")
    view = as_view(view)  # checked when it was made: nothing to check again
    box = frame_box(report_map, view, events)
    highlighted = _check_highlight(report_map, highlight)
    crs = _view_crs(box)
    shown = _shown(report_map, box, crs, view)
    # No bounds: the frame is the content's, not a screen's.
    content = None if view.bounds is not None else _content_extent(
        shown, _framing_features(report_map, view, events), events, crs)
    title = default_title(report_map) if title is None else str(title)
    if subtitle is None:
        subtitle = default_subtitle(report_map)
        if events is not None and len(events):  # the events' own dates, apart from the report's
            first, last = events["date_start"].min(), events["date_end"].max()
            subtitle = " · ".join(p for p in (subtitle, (f"events {first:%Y-%m-%d} to "
                                                         f"{last:%Y-%m-%d}")) if p)
    subtitle = str(subtitle)
    return _Renderer(report_map, spec, theme, box, crs, shown, title, subtitle, highlighted,
                     events=events, event_credits=list(event_credits), content=content).draw()


def _check_highlight(report_map: ReportMap, highlight: Iterable[str]) -> frozenset[str]:
    if isinstance(highlight, str):  # one id, not its letters
        highlight = (highlight,)
    wanted = frozenset(str(h) for h in (highlight or ()))
    unknown = sorted(wanted - {f.id for f in report_map.features})
    if unknown:
        raise OptionError(f"highlight: unknown feature id {', '.join(map(repr, unknown))}")
    return wanted


class _Renderer:
    def __init__(self, report_map, spec, theme, box, crs, shown, title, subtitle,
                 highlight: frozenset[str] = frozenset(), *, events=None,
                 event_credits: list[str] | None = None, content=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.rm = report_map
        self.spec = spec
        self.colors = THEME_COLORS[theme]
        self.box, self.crs, self.shown = box, crs, shown
        self.content = content  # projected extent to fit, or None: frame on the box
        self.title, self.subtitle = title, subtitle
        self.highlight = highlight
        self.t = _Type.for_spec(spec)
        self.fig = Figure(figsize=(spec.width_in, spec.height_in), dpi=spec.dpi,
                          facecolor=self.colors["paper"])
        FigureCanvasAgg(self.fig)
        self.measure = _Measure(self.fig)
        self.events, self.event_credits = events, list(event_credits or [])
        self.entries = _legend_rows(shown)
        if events is not None and len(events):
            from mapapp.model.events import EVENT_TYPES

            present = set(events["type"].astype(str))
            self.entries[:0] = [("event", t_, label) for t_, label in EVENT_TYPES.items()
                                if t_ in present]
        self.note = _status_note(shown)
        self.obstacles: list[tuple[float, float, float, float]] = []  # display pixels
        self.line_guard = None  # the front lines in display pixels, as wide as drawn
        self.where = f"a {spec.width_px}-pixel-wide image at {spec.dpi:g} dpi"

    # ---- helpers in figure inches / points
    def pt(self, v: float) -> float:
        """points -> inches"""
        return v / 72.0

    def text(self, x_in, y_in, s, prop, *, color=None, ha="left", va="baseline", gid=None, **kw):
        w, h = self.fig.get_size_inches()
        return add_text(self.fig, x_in / w, y_in / h, s, fontproperties=prop,
                        color=color or self.colors["text"], ha=ha, va=va, gid=gid, **kw)

    def draw(self):
        t, c = self.t, self.colors
        W, H = self.fig.get_size_inches()
        pad = self.pt(t.base * 1.1)
        width_pt = (W - 2 * pad) * 72

        # Header: title and subtitle, each at most two lines, shrunk to fit.
        y = H - pad
        if self.title.strip():
            # On a wide, low image every line of title is taken from the map.
            lines, size = _fit_text(self.title, option="title", sizes=(t.base * 1.9, t.base * 1.3),
                                    width_pt=width_pt, measure=self.measure, weight="bold",
                                    fewest_lines=W / H > 1.5, where=self.where)
            lead = size * 1.18
            for i, line in enumerate(lines):
                y -= self.pt(size * 0.93 if i == 0 else lead)
                self.text(pad, y, line, _font(size, weight="bold"), gid=f"mapapp-title-{i}")
            y -= self.pt(size * 0.45)
        if self.subtitle.strip():
            lines, size = _fit_text(self.subtitle, option="subtitle", sizes=(t.base * 1.1, t.base * 0.85),
                                    width_pt=width_pt, measure=self.measure, where=self.where)
            for i, line in enumerate(lines):
                y -= self.pt(size * (1.0 if i == 0 else 1.3))
                self.text(pad, y, line, _font(size), color=c["muted"], gid=f"mapapp-subtitle-{i}")
            y -= self.pt(size * 0.4)
        header_bottom = y - self.pt(t.base * 0.5)

        # Footer: the "as of" note and the credit line (wrapped at its parts).
        small = max(t.base * 0.78, 6.0 if self.spec.is_print else 10.0 * 72 / self.spec.dpi)
        footer_lines: list[tuple[str, Any, str]] = []
        if any(s.feature.layer in ("front_lines", "control_areas") for s in self.shown):
            footer_lines.append((as_of_note(self.rm), _font(small, style="italic"), "mapapp-asof"))
        for line in self._credit_lines(credit_parts(self.rm) + self.event_credits, _font(small),
                                       width_pt):
            footer_lines.append((line, _font(small), "mapapp-credit"))
        y = pad
        for i, (line, prop, gid) in enumerate(reversed(footer_lines)):
            self.text(pad, y + self.pt(small * 0.25), line, prop, color=c["muted"], gid=gid)
            y += self.pt(small * 1.35)
        footer_top = y + self.pt(t.base * 0.45)

        # The legend goes over the map, in the corner where it hides
        # nothing; on square and tall images, or when every corner would
        # hide something, under the map.
        self.furniture: list[tuple[float, float, float, float]] = []  # figure inches
        self._set_map_rect(pad, footer_top, W - pad, header_bottom)
        inside = None
        if self.entries and H / W <= LEGEND_BELOW_FROM:
            # The shape (columns, type size) and corner that hide least; of
            # those that hide about as little, the larger type, then the
            # smaller box.
            map_h_pt = (header_bottom - footer_top) * 72
            best = None
            for size in (0.85, 0.76):
                for layout in self._legend_layouts(width_pt * LEGEND_MAX_WIDTH, size):
                    if layout["height"] > LEGEND_MAX_HEIGHT * map_h_pt:
                        continue
                    w, h = self.pt(layout["width"]), self.pt(layout["height"])
                    corner, cost = self._best_corner(w, h, ("ll", "ul", "lr", "ur"))
                    key = (round(cost, 1), -size, w * h)
                    if best is None or key < best[0]:
                        best = (key, (layout, corner, w, h), cost)
            if best is not None and best[2] < 0.5:  # no point, only a sliver of a line or an area
                inside = best[1]
        if self.entries and inside is None:
            layout = min(self._legend_layouts(width_pt), key=lambda k: (k["height"], k["width"]))
            lh = self.pt(layout["height"])
            self._legend_axes(pad, footer_top, lh, layout, framed=False)
            footer_top += lh + self.pt(t.base * 0.6)
            self._set_map_rect(pad, footer_top, W - pad, header_bottom)
        if header_bottom - footer_top < 0.25 * H:
            raise OptionError("title, subtitle and legend leave too little room for the map "
                              "in this image size; shorten the title or use a larger image")
        left, bottom, right, top = self.map_rect
        ax = self.fig.add_axes((left / W, bottom / H, (right - left) / W, (top - bottom) / H), gid="mapapp-map")
        self.ax = ax
        x0, y0, x1, y1 = self.extent
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_axis_off()  # (which also hides the axes patch: the sea is a patch of its own)
        ax.add_patch(_background(ax, c["sea"]))
        ax.add_artist(_frame(ax, c["panel_edge"], t.scale))

        self._draw_basemap()
        self._draw_features()
        if self.events is not None and len(self.events):
            self._draw_events()

        # Furniture in the corners where it hides least: the legend first.
        if inside is not None:
            layout, corner, w, h = inside
            rect = self._take_corner(w, h, corner)
            lax = self._legend_axes(rect[0], rect[1], h, layout, framed=True)
            self.obstacles.append(_bbox_tuple(lax.bbox))
        self._draw_locator()
        self._draw_scale_and_north()

        self._draw_labels()
        return self.fig

    def _set_map_rect(self, left: float, bottom: float, right: float, top: float) -> None:
        """Where the map goes (figure inches), and the view that fills it."""
        self.map_rect = (left, bottom, right, top)
        aspect = (right - left) / (top - bottom)
        self.extent = (_fit_aspect(_bounds_extent(self.box, self.crs), aspect) if self.content is None
                       else _fit_content(self.content, aspect, self.crs))
        self.px_per_m = (right - left) * self.fig.dpi / (self.extent[2] - self.extent[0])

    def _corner_rect(self, w: float, h: float, corner: str) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in figure inches of a w x h box in a map corner."""
        x0, y0, x1, y1 = self.map_rect
        m = self.pt(self.t.base * 0.6)
        left = x0 + m if corner[1] == "l" else x1 - m - w
        bottom = y0 + m if corner[0] == "l" else y1 - m - h
        return left, bottom, left + w, bottom + h

    def _best_corner(self, w: float, h: float, preference: tuple[str, ...]) -> tuple[str, float]:
        """The corner whose box hides the least of the map's features and
        none of the furniture already placed (ties: ``preference`` order),
        and how much it hides."""
        mx0, my0, _, _ = self.map_rect
        x0, y0, _, _ = self.extent
        m_per_in = self.fig.dpi / self.px_per_m

        def cost(corner: str) -> float:
            rect = self._corner_rect(w, h, corner)
            if any(_overlaps(rect, other, pad=self.pt(self.t.base * 0.3)) for other in self.furniture):
                return 1e9
            return self._hidden(shapely.box(x0 + (rect[0] - mx0) * m_per_in, y0 + (rect[1] - my0) * m_per_in,
                                            x0 + (rect[2] - mx0) * m_per_in, y0 + (rect[3] - my0) * m_per_in))

        costs = {corner: cost(corner) for corner in preference}
        best = min(preference, key=lambda k: (costs[k], preference.index(k)))
        return best, costs[best]

    def _take_corner(self, w: float, h: float, corner: str) -> tuple[float, float, float, float]:
        rect = self._corner_rect(w, h, corner)
        self.furniture.append(rect)
        return rect

    def _hidden(self, area) -> float:
        """How much of the action a box (map coordinates) would hide."""
        score = 0.0
        for s in self.shown:
            if s.kind == "point":
                # A marker, and less so the room its name needs beside it.
                points = getattr(s.geom, "geoms", [s.geom])
                for reach_pt, weight in ((14, 3.0), (LABEL_ROOM, 1.0)):
                    reach = area.buffer(reach_pt * self.t.scale / 72 * self.fig.dpi / self.px_per_m)
                    score += weight * sum(reach.contains(p) for p in points)
            elif s.kind == "line":
                score += 2.0 * s.geom.intersection(area).length / max(s.geom.length, 1.0)
            else:
                score += 2.0 * s.geom.intersection(area).area / max(s.geom.area, 1.0)
        return round(score, 6)

    # ---- footer
    def _credit_lines(self, parts: list[str], prop, width_pt: float) -> list[str]:
        lines: list[str] = []
        for part in parts:
            candidate = f"{lines[-1]} · {part}" if lines else part
            if lines and self.measure.width(candidate, prop) <= width_pt:
                lines[-1] = candidate
            elif self.measure.width(part, prop) <= width_pt:
                lines.append(part)
            else:  # a very long source citation: wrap it by words
                chars = max(20, int(len(part) * width_pt / self.measure.width(part, prop)) - 2)
                lines.extend(textwrap.wrap(part, chars))
        return lines

    # ---- basemap
    def _draw_basemap(self):
        from matplotlib.collections import PathCollection
        from matplotlib.lines import Line2D

        c, t = self.colors, self.t
        tolerance = 0.6 / self.px_per_m  # about half a pixel
        tolerance = float(2.0 ** round(math.log2(tolerance)))  # share the cache between close sizes
        geoms, labels = _basemap(self.crs, self.extent, tolerance)
        paths = [p for p in (_polygon_path(_polygons_only(g)) for _, g in geoms) if p is not None]
        self.ax.add_collection(PathCollection(paths, facecolors=c["land"], edgecolors=c["border"],
                                              linewidths=0.8 * t.scale, zorder=1), autolim=False)
        self.country_labels = labels
        # Lakes, wide rivers, rivers and regions: as on the web map.
        water, rivers, regions = _physical(self.crs, self.extent, tolerance)
        paths = [p for p in (_polygon_path(_polygons_only(g)) for g in water) if p is not None]
        self.ax.add_collection(PathCollection(paths, facecolors=c["water"], edgecolors=c["river"],
                                              linewidths=0.5 * t.scale, zorder=1.1,
                                              gid="mapapp-water"), autolim=False)
        for geom in regions:
            for xy in _lines(geom):
                self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=c["region"],
                                        linewidth=0.7 * t.scale, linestyle=(0, (4, 3)),
                                        zorder=1.2, gid="mapapp-region-line"))
        for geom in rivers:
            for xy in _lines(geom):
                self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=c["river"],
                                        linewidth=0.9 * t.scale, zorder=1.3, solid_capstyle="round",
                                        gid="mapapp-river"))

    # ---- events: thousands of dots, one artist
    def _draw_events(self):
        from mapapp import styles
        from mapapp.model.events import anchors

        x, y = _transformer(self.crs).transform(*anchors(self.events))
        x0, y0, x1, y1 = self.extent
        inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        types = self.events["type"].astype(str).to_numpy()[inside]
        colors = [styles.EVENT_COLORS.get(t_, styles.EVENT_COLORS["event"]) for t_ in types]
        # Smaller as they crowd, so a dense month stays a texture, not a blot.
        size = (4.5 if inside.sum() < 2000 else 3.0 if inside.sum() < 20000 else 2.0) * self.t.scale
        self.ax.scatter(x[inside], y[inside], s=size ** 2, c=colors, edgecolors=self.colors["text"],
                        linewidths=0.25 * self.t.scale, alpha=0.85, zorder=5, gid="mapapp-events",
                        rasterized=len(types) > 20000)

    # ---- features
    def _draw_features(self):
        from matplotlib.lines import Line2D

        t, c = self.t, self.colors
        self.points: list[tuple[Any, float, float, _PointStyle]] = []
        z_layer = {"mentions": 6, "places": 7, "fighting": 7.5, "strikes": 8}
        for s in self.shown:
            f = s.feature
            lit = f.id in self.highlight
            if s.kind == "area":
                area = _polygons_only(s.geom)
                path = _polygon_path(area)
                if path is not None:
                    if lit:
                        self.ax.add_patch(_highlight_outline(path, t, c, zorder=3.05))
                    for artist in _area_artists(area, f.type, t, c, zorder=3,
                                                unit=self.fig.dpi / 72.0 / self.px_per_m):
                        self.ax.add_artist(artist)
            elif s.kind == "line":
                kw = _line_kwargs(f.type, t, c)
                for xy in _lines(s.geom):
                    if lit:
                        self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], zorder=3.95, color=c["highlight"],
                                                linewidth=kw["linewidth"] + HIGHLIGHT_WIDTH * t.scale,
                                                solid_capstyle="round", solid_joinstyle="round",
                                                gid="mapapp-highlight"))
                    self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], zorder=4, gid=f"mapapp-line-{f.type}", **kw))
            else:
                for pt_ in getattr(s.geom, "geoms", [s.geom]):
                    self.points.append((f, pt_.x, pt_.y, _point_style(f.type, f.status, t, c)))
        self._draw_points(z_layer)
        # Every marker is an obstacle for labels, and so are the front lines:
        # a name across the line would hide where it runs.
        guard = []
        for s in self.shown:
            if s.kind == "line" and s.feature.layer == "front_lines":
                width = _line_kwargs(s.feature.type, t, c)["linewidth"] * self.fig.dpi / 72.0
                for xy in _lines(s.geom):
                    guard.append(shapely.buffer(shapely.LineString(self.ax.transData.transform(xy)),
                                                width / 2 + 1.0, cap_style="flat"))
        self.line_guard = shapely.union_all(guard) if guard else None
        if self.line_guard is not None:
            shapely.prepare(self.line_guard)
        for f, x, y, ps in self.points:
            px, py = self.ax.transData.transform((x, y))
            r = ps.size / 2 * self.fig.dpi / 72 * 1.05
            self.obstacles.append((px - r, py - r, px + r, py + r))

    def _draw_points(self, z_layer: dict[str, float]) -> None:
        """The point markers, each moved clear of the others where they would
        overlap (villages a few km apart on a front), on a thin leader from
        a dot at its true place.  Names then go beside the moved marker."""
        from matplotlib.lines import Line2D

        if not self.points:
            return
        t, c = self.t, self.colors
        to_px = self.ax.transData
        true_px = to_px.transform([(x, y) for _, x, y, _ in self.points])
        radius = np.array([ps.size / 2 * self.fig.dpi / 72 for *_, ps in self.points])
        moved_px = spread_apart(true_px, radius)
        moved = to_px.inverted().transform(moved_px)
        points = []
        for (f, x, y, ps), (mx, my), shift in zip(self.points, moved,
                                                  np.hypot(*(moved_px - true_px).T)):
            z = z_layer.get(f.layer, 6)
            if shift > 0.5:
                self.ax.add_line(Line2D([x, mx], [y, my], color=c["ink"], linewidth=0.6 * t.scale,
                                        zorder=z - 0.1, gid="mapapp-marker-leader"))
                self.ax.scatter([x], [y], s=(1.6 * t.scale) ** 2, c=[c["ink"]], zorder=z - 0.1,
                                linewidths=0, gid="mapapp-marker-spot")
            if f.id in self.highlight:
                _draw_highlight_ring(self.ax, mx, my, ps, t, c, z - 0.05)
            _draw_marker(self.ax, mx, my, ps, z, halo=c["halo"], gid="mapapp-marker")
            points.append((f, float(mx), float(my), ps))
        self.points = points

    # ---- legend
    def _legend_layouts(self, max_width_pt: float, size: float = 0.85) -> list[dict[str, Any]]:
        """The legend's possible shapes: positions (points, from the top left)
        of its rows in 1, 2, ... columns no wider than ``max_width_pt`` (one
        column at least), and of the status note under them."""
        t = self.t
        u = t.base * size / 0.85
        item = _font(u * 0.85)
        note_prop = _font(u * 0.74, style="italic")
        pad, sw, gap, col_gap = u * 0.6, u * 1.9, u * 0.5, u * 1.1
        line_h, note_h = u * 1.45, u * 1.1
        widths = [sw + gap + self.measure.width(label, item) for _, _, label in self.entries]
        n = len(widths)
        out = []
        for ncol in range(1, n + 1):
            nrow = math.ceil(n / ncol)
            if math.ceil(n / nrow) < ncol:
                continue  # the same rows as fewer columns
            cols = [widths[c * nrow:(c + 1) * nrow] for c in range(ncol)]
            col_x = np.concatenate([[0.0], np.cumsum([max(c) + col_gap for c in cols])])
            grid_w = float(col_x[-1] - col_gap)
            if out and grid_w + 2 * pad > max_width_pt:
                break
            note = self._note_lines(note_prop, max(grid_w, max_width_pt * 0.5 - 2 * pad))
            inner_w = max([grid_w] + [self.measure.width(line, note_prop) for line in note])
            height = nrow * line_h + (len(note) * note_h + u * 0.25 if note else 0) + 2 * pad - u * 0.2
            out.append({"placed": [("item", entry, float(col_x[i // nrow]), i % nrow)
                                   for i, entry in enumerate(self.entries)],
                        "note": note, "rows": nrow, "width": inner_w + 2 * pad, "height": height,
                        "pad": pad, "line_h": line_h, "note_h": note_h, "sw": sw, "gap": gap,
                        "item": item, "note_prop": note_prop})
        return out

    def _note_lines(self, prop, width_pt: float) -> list[str]:
        """The status note in lines about ``width_pt`` wide, broken between
        its parts (a part wider than that is a line of its own)."""
        lines: list[str] = []
        for part in self.note.split(" · ") if self.note else []:
            candidate = f"{lines[-1]} · {part}" if lines else part
            if lines and self.measure.width(candidate, prop) <= width_pt:
                lines[-1] = candidate
            else:
                lines.append(part)
        return lines

    def _legend_axes(self, left_in, bottom_in, height_in, layout, *, framed: bool):
        W, H = self.fig.get_size_inches()
        width_in = self.pt(layout["width"])
        lax = self.fig.add_axes((left_in / W, bottom_in / H, width_in / W, height_in / H), gid="mapapp-legend")
        lax.set_xlim(0, layout["width"])
        lax.set_ylim(layout["height"], 0)  # points from the top
        lax.set_axis_off()
        if framed:
            from matplotlib.colors import to_rgba

            lax.add_patch(_background(lax, to_rgba(self.colors["panel"], 0.9)))
            lax.add_artist(_frame(lax, self.colors["panel_edge"], self.t.scale))
        lax.set_zorder(5)
        self._draw_legend(lax, layout)
        return lax

    def _draw_legend(self, lax, layout):
        from matplotlib.lines import Line2D

        t, c = self.t, self.colors
        pad, lh, sw, gap = layout["pad"], layout["line_h"], layout["sw"], layout["gap"]
        for _, (kind, key, label), x, row in layout["placed"]:
            yc = pad + row * lh + lh * 0.42
            sx = pad + x
            if kind == "event":  # the map's dot for this type
                lax.scatter([sx + sw / 2], [yc], s=(4.5 * t.scale) ** 2, zorder=3, alpha=0.85,
                            c=[styles.EVENT_COLORS.get(key, styles.EVENT_COLORS["event"])],
                            edgecolors=c["text"], linewidths=0.25 * t.scale)
            elif kind == "point":
                # The "confirmed" look (the note says what outlines mean), no
                # taller than a row.
                web_px = min(styles.point_symbol(key)["size"], lh * 0.95 / (t.scale * MARKER_SCALE))
                _draw_marker(lax, sx + sw / 2, yc, _point_style(key, "confirmed", t, c, size_px=web_px),
                             zorder=3)
            elif kind == "line":
                kw = _line_kwargs(key, t, c)
                cap = kw["linewidth"] / 2 if kw["solid_capstyle"] != "butt" else 0.0
                lax.add_line(Line2D([sx + 1 + cap, sx + sw - 1 - cap], [yc, yc], zorder=3, **kw))
            else:
                hgt = lh * 0.62
                swatch = shapely.box(sx + 1, yc - hgt / 2, sx + sw - 1, yc + hgt / 2)
                # Points in the legend's own units: its stripes as on the map.
                for artist in _area_artists(swatch, key, t, c, zorder=3, unit=1.0):
                    lax.add_artist(artist)
            add_text(lax, sx + sw + gap, yc, label, fontproperties=layout["item"], color=c["text"],
                     ha="left", va="center_baseline", gid="mapapp-legend-entry")
        y = pad + layout["rows"] * lh + layout["note_h"] * 0.55
        for line in layout["note"]:
            add_text(lax, pad, y, line, fontproperties=layout["note_prop"], color=c["muted"],
                     ha="left", va="center_baseline", gid="mapapp-legend-note")
            y += layout["note_h"]

    # ---- locator inset, scale bar, north arrow
    def _draw_locator(self):
        from matplotlib.collections import PathCollection

        c, t = self.colors, self.t
        W, H = self.fig.get_size_inches()
        mx0, my0, mx1, my1 = self.map_rect
        map_w, map_h = mx1 - mx0, my1 - my0
        land, europe = _locator_land(0.1)
        # The mapped frame, as it lies in the locator's own projection.
        x0, y0, x1, y1 = self.extent
        lon, lat = _transformer(self.crs, inverse=True).transform(*_densified_ring(x0, y0, x1, y1, 32))
        fx, fy = _transformer(LOCATOR_CRS).transform(lon, lat)
        lx0, ly0, lx1, ly1 = _locator_extent(europe, (float(np.min(fx)), float(np.min(fy)),
                                                      float(np.max(fx)), float(np.max(fy))))
        aspect = (lx1 - lx0) / (ly1 - ly0)
        w = min(max(0.17 * map_w, self.pt(t.base * 7)), 0.3 * map_w, 0.3 * map_h * aspect)
        h = w / aspect
        left, bottom, _, _ = self._take_corner(w, h, self._best_corner(w, h, ("ur", "ul", "lr", "ll"))[0])
        iax = self.fig.add_axes((left / W, bottom / H, w / W, h / H), gid="mapapp-locator")
        iax.set_xlim(lx0, lx1)
        iax.set_ylim(ly0, ly1)
        iax.set_axis_off()
        iax.add_patch(_background(iax, c["inset_sea"]))
        iax.set_zorder(5)
        paths = [p for p in (_polygon_path(_polygons_only(g)) for g in land) if p is not None]
        iax.add_collection(PathCollection(paths, facecolors=c["inset_land"], edgecolors="none", zorder=1),
                           autolim=False)
        # Inside the inset by construction; clipped to it all the same.
        iax.fill(np.append(fx, fx[0]), np.append(fy, fy[0]), facecolor="none", edgecolor=c["ink"],
                 linewidth=1.4 * t.scale, zorder=3, joinstyle="miter", clip_on=True,
                 gid="mapapp-locator-frame")
        iax.add_artist(_frame(iax, c["panel_edge"], t.scale))
        self.obstacles.append(_bbox_tuple(iax.bbox))

    def _draw_scale_and_north(self):
        """Scale bar (true at the map centre) and an arrow along the meridian
        through the centre, side by side in a free bottom corner."""
        from matplotlib.patches import FancyArrow, Rectangle
        from pyproj import Proj

        c, t, ax = self.colors, self.t, self.ax
        x0, y0, x1, y1 = self.extent
        lon, lat = _transformer(self.crs, inverse=True).transform((x0 + x1) / 2, (y0 + y1) / 2)
        # Map metres per ground metre along the x axis at the centre.
        k = float(Proj(self.crs).get_factors(lon, lat).parallel_scale)
        km = _nice_length((x1 - x0) * 0.18 / k / 1000.0)
        ppm = self.px_per_m
        to_in = ppm / self.fig.dpi  # inches per map metre
        length_in = km * 1000.0 * k * to_in
        label_prop = _font(t.base * 0.82)
        label = f"{km:,} km"
        bar_h = self.pt(max(t.base * 0.32, 1.5))
        label_h = self.pt(t.base * 1.25)
        arrow_len = self.pt(t.base * 2.0)
        arrow_w = self.pt(t.base * 1.4)
        gap = self.pt(t.base * 0.9)
        w = max(length_in, self.pt(self.measure.width(label, label_prop))) + gap + arrow_w
        h = max(bar_h + label_h, arrow_len + self.pt(t.base * 1.1))
        left, bottom, _, _ = self._take_corner(w, h, self._best_corner(w, h, ("lr", "ll", "ur", "ul"))[0])
        def my(yi: float) -> float:  # figure inches -> map y
            return y0 + (yi - self.map_rect[1]) / to_in

        bx, by, half = x0 + (left - self.map_rect[0]) / to_in, my(bottom), km * 1000.0 * k / 2
        for i in range(2):  # a dark and a light half: reads in greyscale too
            ax.add_patch(Rectangle((bx + i * half, by), half, bar_h / to_in,
                                   facecolor=c["ink"] if i == 0 else c["paper"], edgecolor=c["ink"],
                                   linewidth=0.8 * t.scale, zorder=9))
        self._halo(add_text(ax, bx, my(bottom + bar_h + self.pt(t.base * 0.3)), label,
                            fontproperties=label_prop, color=c["text"], ha="left", va="bottom", zorder=9,
                            gid="mapapp-scalebar"), t.base * 0.22)
        # North: along the projected meridian through the map centre.
        nx, ny = _transformer(self.crs).transform([lon, lon], [lat, min(lat + 0.5, 89.9)])
        ang = math.atan2(ny[1] - ny[0], nx[1] - nx[0])
        alen = arrow_len / to_in
        ax0, ay0 = bx + (w - arrow_w / 2) / to_in, by
        ax.add_patch(FancyArrow(ax0, ay0, math.cos(ang) * alen, math.sin(ang) * alen,
                                width=alen * 0.12, head_width=alen * 0.45, head_length=alen * 0.4,
                                length_includes_head=True, facecolor=c["ink"], edgecolor=c["halo"],
                                linewidth=0.6 * t.scale, zorder=9))
        self._halo(add_text(ax, ax0 + math.cos(ang) * alen * 1.05, ay0 + math.sin(ang) * alen * 1.05, "N",
                            fontproperties=_font(t.base * 0.85, weight="bold"), color=c["text"], ha="center",
                            va="bottom", zorder=9, gid="mapapp-north"), t.base * 0.22)
        dpi = self.fig.dpi
        self.obstacles.append((left * dpi, bottom * dpi, (left + w) * dpi, (bottom + h) * dpi))

    # ---- labels
    def _free(self, box, frame, placed) -> bool:
        """Whether a label's ``box`` (display pixels) lies inside ``frame``
        and clear of the labels ``placed``, the furniture, every marker and
        the front lines."""
        return (_inside(box, frame) and not any(_overlaps(box, o) for o in placed)
                and not any(_overlaps(box, o) for o in self.obstacles)
                and not (self.line_guard is not None
                         and self.line_guard.intersects(shapely.box(*box))))

    def _halo(self, txt, width_pt: float):
        """A halo under ``txt``: the same text, stroked wide in the halo colour.

        A separate artist, so that ``txt`` itself stays text in SVG and PDF
        (matplotlib draws text with path effects as outlines).
        """
        from matplotlib import patheffects

        halo = add_text(txt.axes, *txt.get_position(), txt.get_text(), fontproperties=txt.get_fontproperties(),
                        color=self.colors["halo"], ha=txt.get_ha(), va=txt.get_va(),
                        rotation=txt.get_rotation(), rotation_mode=txt.get_rotation_mode(),
                        transform=txt.get_transform(), zorder=txt.get_zorder() - 0.01, gid="mapapp-halo",
                        path_effects=[patheffects.Stroke(linewidth=width_pt, foreground=self.colors["halo"])])
        return halo

    def _names(self) -> list:
        """The basemap's names an image writes, most important first: seas,
        the reservoir, the regions the report is about, capitals, large
        cities (for orientation), rivers."""
        return [label for label in physical.map_labels(self.rm)
                if label.kind in IMAGE_NAME_KINDS and not (
                    # An image has room for the regions the report is about, not all of them.
                    label.kind == "region" and label.rank != physical.FOCUS_REGION_RANK)]

    def _name_text(self, label, x: float, y: float, angle: float, dy_pt: float = 0.0,
                   short: bool = False):
        """A basemap name as a text artist at map point (x, y), moved ``dy_pt``
        up; ``short``: a region's name without its last word ("Oblast")."""
        from matplotlib.transforms import offset_copy

        t, c = self.t, self.colors
        water = label.kind in ("sea", "river", "lake")
        prop = _font(t.base * (0.95 if label.kind == "sea" else 0.72 if label.kind == "region"
                               else 0.85),
                     weight="bold" if label.kind == "capital" else "normal",
                     style="italic" if water else "normal")
        color = c["water_label"] if water else c["region_label"] if label.kind == "region" \
            else c["text"]
        beside = label.kind in ("capital", "city")
        words = label.name.rsplit(" ", 1)[0] if short and " " in label.name else label.name
        txt = add_text(self.ax, x, y, words.upper() if label.kind == "region" else words,
                       fontproperties=prop, color=color, zorder=9.5,
                       ha="left" if beside else "center", va="center", rotation=angle,
                       rotation_mode="anchor", gid=f"mapapp-name-{label.kind}")
        if beside or dy_pt:
            txt.set_transform(offset_copy(self.ax.transData, fig=self.fig,
                                          x=t.base * 0.45 if beside else 0.0, y=dy_pt, units="points"))
        return txt

    def _name_spots(self, label) -> list[tuple[float, float, float, float]]:
        """Where a name may go, best first, as (x, y, angle, points up): its
        point and its other places; then for a sea, a lake or a region the
        same just above and below them (clear of a line through the middle)."""
        to_map = _transformer(self.crs)
        spots = []
        for spot in [(label.lon, label.lat, label.angle), *label.anchors]:
            x, y = to_map.transform(spot[0], spot[1])
            spots.append((x, y, spot[2] if len(spot) > 2 else 0.0))
        out = [(x, y, angle, 0.0) for x, y, angle in spots]
        if label.kind in ("sea", "lake", "region"):
            step = self.t.base * NAME_SHIFT
            out += [(x, y, angle, dy) for dy in (step, -step) for x, y, angle in spots]
        return out

    def _draw_place_names(self, names: list, placed: list, frame: tuple) -> None:
        """Seas, rivers, the reservoir, regions, capitals and cities, where they fit:
        each at its point or the first of its other places that is free, never
        over another name, a marker, a front line or the legend."""
        t, c, ax = self.t, self.colors, self.ax
        r = self.fig.canvas.get_renderer()
        for label in names:
            spots = [(*spot, False) for spot in self._name_spots(label)]
            if label.kind == "region":  # where the whole name fits nowhere, the name alone
                spots += [(*spot, True) for spot in self._name_spots(label)]
            for x, y, angle, dy, short in spots:
                txt = self._name_text(label, x, y, angle, dy, short)
                bb = txt.get_window_extent(r)
                box = (bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2)
                if self._free(box, frame, placed):
                    placed.append(box)
                    self._halo(txt, t.base * 0.2)
                    if label.kind in ("capital", "city"):  # a capital's dot is a ring
                        ax.scatter([x], [y], s=(2.2 * t.scale) ** 2,
                                   facecolors=c["paper"] if label.kind == "capital" else c["text"],
                                   edgecolors=c["text"], linewidths=0.6 * t.scale, zorder=9.5,
                                   gid="mapapp-name-dot")
                    break
                txt.remove()

    def _leader_line(self, point, box):
        """The line (display pixels) from a marker's edge to the nearest
        point of its name's ``box``, or None when they touch."""
        _, x, y, ps = point
        px, py = self.ax.transData.transform((x, y))
        tx, ty = min(max(px, box[0]), box[2]), min(max(py, box[1]), box[3])
        d = math.hypot(tx - px, ty - py)
        start = ps.size / 2 * self.fig.dpi / 72 * 1.1
        if d <= start:
            return None
        return shapely.LineString([(px + (tx - px) * start / d, py + (ty - py) * start / d), (tx, ty)])

    def _draw_labels(self):
        """The report's places first, each at a spot around its marker clear
        of every marker, front line and piece of furniture
        (:func:`_choose_spots`); then the basemap's names, then the
        countries'.  A label with no free spot is left out."""
        t, c, ax = self.t, self.colors, self.ax
        r = self.fig.canvas.get_renderer()
        inner = ax.bbox
        frame = (inner.x0 + 3, inner.y0 + 3, inner.x1 - 3, inner.y1 - 3)
        dpi = self.fig.dpi
        halo_pt = t.base * 0.28
        pad = halo_pt * dpi / 72 / 2
        from matplotlib.transforms import offset_copy

        names = self._names()
        # The seas, the reservoir and the regions the report is about first:
        # they have few places to go, and a place's name can move round its
        # marker or out on a leader.
        placed: list[tuple[float, float, float, float]] = []
        first = [n for n in names if n.kind in ("sea", "lake", "region")]
        self._draw_place_names(first, placed, frame)
        names = [n for n in names if n not in first]
        areas = {label.fid: label for label in physical.map_labels(self.rm) if label.fid}
        order = sorted(range(len(self.points)),
                       key=lambda i: (LABEL_PRIORITY.get(self.points[i][0].type, 9), i))
        texts, options = {}, {}
        markers = [shapely.Point(ax.transData.transform((x, y))) for _, x, y, _ in self.points]
        for i in order:
            f, x, y, ps = self.points[i]
            rank = LABEL_PRIORITY.get(f.type, 9)
            prop = _font(t.base * (1.05 if rank == 0 else 0.98 if rank == 1 else 0.88),
                         weight="bold" if rank <= 1 else "normal",
                         style="italic" if f.type in ("region", "river") else "normal")
            color = c["text"] if rank <= 3 else c["muted"]
            txt = add_text(ax, x, y, f.name, fontproperties=prop, color=color, zorder=10, gid="mapapp-label")
            gap = ps.size / 2 + t.base * 0.3
            spots = [((x, y), offset_copy(ax.transData, fig=self.fig, x=dx * gap, y=dy * gap, units="points"),
                      "left" if dx > 0 else "right" if dx < 0 else "center",
                      "bottom" if dy > 0 else "top" if dy < 0 else "center_baseline")
                     for dx, dy in LABEL_SPOTS]
            # Last, further out on a leader line (which says whose name it is).
            spots += [((x, y), offset_copy(ax.transData, fig=self.fig, x=dx * gap * reach,
                                           y=dy * gap * reach, units="points"),
                       "left" if dx > 0 else "right" if dx < 0 else "center",
                       "bottom" if dy > 0 else "top" if dy < 0 else "center_baseline", True)
                      for reach in LEADER_REACH for dx, dy in _RING]
            if f.type == "region" and f.id in areas:
                # A region's name may also go anywhere in it, away from its marker.
                to_map = _transformer(self.crs)
                spots += [(to_map.transform(*a[:2]), ax.transData, "center", "center")
                          for a in areas[f.id].anchors]
            texts[i], options[i] = txt, []
            own = shapely.Point(ax.transData.transform((x, y)))
            for spot in spots:
                _set_spot(txt, spot)
                bb = txt.get_window_extent(r)
                box = (bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
                # Clear of markers, lines and furniture, and nearer its own
                # marker than any other: a name read as its neighbour's is worse than none.
                if not self._free(box, frame, placed):
                    continue
                if len(spot) > 4:  # on a leader: it, too, stays clear of other markers and names
                    lead = self._leader_line(self.points[i], box)
                    if lead is None or any(lead.intersects(shapely.box(*o)) for o in [*self.obstacles, *placed]
                                           if not shapely.box(*o).contains(own)):
                        continue
                    options[i].append((spot, box, lead.bounds))
                elif own.distance(shapely.box(*box)) <= min(
                        (m.distance(shapely.box(*box)) for m in markers if m != own), default=math.inf):
                    options[i].append((spot, box))
        chosen = _choose_spots(order, options)
        leaders = []
        for i in order:
            if i not in chosen:
                texts[i].remove()
                continue
            spot, box = chosen[i][:2]
            _set_spot(texts[i], spot)
            placed.append(box)
            self._halo(texts[i], halo_pt)
            if len(spot) > 4:
                from matplotlib.lines import Line2D

                lead = self._leader_line(self.points[i], box)
                xy = ax.transData.inverted().transform(np.asarray(lead.coords))
                ax.add_line(Line2D(xy[:, 0], xy[:, 1], color=c["muted"], linewidth=0.7 * t.scale,
                                   zorder=9.8, gid="mapapp-leader"))
                leaders.append(lead.buffer(1.5))
        if leaders:  # no other name across a leader either
            self.line_guard = shapely.union_all([g for g in (self.line_guard, *leaders) if g is not None])
            shapely.prepare(self.line_guard)
        self._draw_place_names(names, placed, frame)
        # Country names last, subtle, only where they fit untouched.
        for name, x, y in self.country_labels:
            txt = add_text(ax, x, y, name.upper(), fontproperties=_font(t.base * 0.8, weight="bold"),
                           color=c["country_label"], ha="center", va="center", zorder=2, gid="mapapp-country")
            bb = txt.get_window_extent(r)
            box = (bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2)
            if not self._free(box, frame, placed):
                txt.remove()
            else:
                placed.append(box)
                self._halo(txt, t.base * 0.2)
        self.label_boxes = placed


def _set_spot(txt, spot) -> None:
    position, transform, ha, va = spot[:4]
    txt.set_ha(ha)
    txt.set_va(va)
    txt.set_position(position)
    txt.set_transform(transform)


def _choose_spots(order: list, options: dict) -> dict:
    """A spot for each label, from its ``options`` (``[(spot, box), ...]``,
    best first, a spot on a leader line with the leader's box after its
    own), none overlapping another: greedy in ``order``; then each label
    left without one may
    take a spot that one placed label blocks, if that label can move to
    another of its own.

    >>> a = [("a1", (0, 0, 2, 1)), ("a2", (0, 2, 2, 3))]
    >>> b = [("b1", (1, 0, 3, 1))]
    >>> {k: v[0] for k, v in _choose_spots([0, 1], {0: a, 1: b}).items()}
    {0: 'a2', 1: 'b1'}
    """
    chosen: dict = {}

    def hit(a, b) -> bool:  # the name's box, and its leader's if it has one
        return any(_overlaps(x, y) for x in a[1:] for y in b[1:])

    def clear(opt, *, but=None) -> bool:
        return not any(hit(opt, other) for j, other in chosen.items() if j != but)

    for i in order:
        free = [opt for opt in options[i] if clear(opt)]
        if free:
            chosen[i] = free[0]
    for i in order:
        if i in chosen:
            continue
        for opt in options[i]:
            blockers = [j for j, other in chosen.items() if hit(opt, other)]
            if len(blockers) != 1:
                continue
            j = blockers[0]
            move = next((alt for alt in options[j] if alt is not chosen[j]
                         and not hit(alt, opt) and clear(alt, but=j)), None)
            if move is not None:
                chosen[j], chosen[i] = move, opt
                break
    return chosen


def _background(ax, color: str):
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor=color, edgecolor="none",
                     linewidth=0, zorder=0)


def _frame(ax, color: str, scale: float):
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 1, 1, transform=ax.transAxes, facecolor="none", edgecolor=color,
                     linewidth=0.8 * scale, zorder=20, clip_on=False)


def _nice_length(km: float) -> float:
    """The largest 1/2/2.5/5 x 10^n not above ``km``.

    >>> _nice_length(287), _nice_length(9.9)
    (250, 5)
    """
    exp = math.floor(math.log10(km))
    best = NICE_STEPS[0] * 10 ** exp
    for step in NICE_STEPS:
        if step * 10 ** exp <= km:
            best = step * 10 ** exp
    return int(best) if float(best).is_integer() else best
