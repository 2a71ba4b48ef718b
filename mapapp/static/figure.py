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
from mapapp.model import LAYER_LABELS, LAYER_TYPES, LAYERS, STATUSES, ReportMap
from mapapp.model.describe import type_label
from mapapp.model.filters import geometry_kind
from mapapp.static.figtext import add_text, text_width
from mapapp.static.presets import MAX_SIDE_PX
from mapapp.view import INITIAL_BOUNDS, ViewState, as_view

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
IMAGE_NAME_KINDS = ("sea", "river", "lake", "region", "capital")


# Label priority: strikes first, then cities, then the rest of the places,
# then distant mentions (lower numbers are placed first).
LABEL_PRIORITY: dict[str, int] = {
    "missile_strike": 0, "explosion": 0, "strike_wave": 0,
    "city": 1, "town": 2, "village": 3, "region": 4, "river": 4,
    "meeting": 5, "statement": 5, "country": 5,
}
# Candidate label spots around a point, as (dx, dy) directions, best first.
_RING = ((1, 0), (-1, 0), (0, 1), (0, -1), (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75), (-0.75, -0.75))
LABEL_SPOTS: tuple[tuple[float, float], ...] = _RING + tuple((1.8 * dx, 1.8 * dy) for dx, dy in _RING)
# Locator inset: Europe (west, south, east, north), and the CRS it is drawn in.
LOCATOR_BBOX: tuple[float, float, float, float] = (-11.0, 35.0, 50.0, 64.0)
LOCATOR_CRS = "+proj=laea +lat_0=52 +lon_0=20 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
NICE_STEPS = (1, 2, 2.5, 5)
# Marker size against the web map's: there a star is twice the text size,
# on a static map about 1.2 times reads better.
MARKER_SCALE = 0.6
# From this height/width on, the legend goes under the map, not over it.
LEGEND_BELOW_FROM = 0.9
# Legend headings where the web map's wording is too long for a static key.
LEGEND_HEADINGS: dict[str, str] = {"Status (marker outline and fill)": "Status"}


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
    return [*cited, f"Basemap: {physical.ATTRIBUTION_TEXT}", "Geocoding: GeoNames", "Map: mapapp"]


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


def _legend_sections(shown: list[_Shown]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``[(heading, [(kind, key, label), ...]), ...]`` for what is drawn."""
    sections = []
    for layer in LAYERS:
        seen: list[tuple[str, str]] = []
        for s in shown:
            if s.feature.layer == layer and (s.kind, s.feature.type) not in seen:
                seen.append((s.kind, s.feature.type))
        if not seen:
            continue
        order = {t: i for i, t in enumerate(LAYER_TYPES.get(layer, ()))}
        seen.sort(key=lambda k: (order.get(k[1], 99), k[1], k[0]))
        sections.append((LAYER_LABELS[layer], [(kind, t, type_label(t)) for kind, t in seen]))
    point_statuses = {s.feature.status for s in shown if s.kind == "point"}
    rows = [("status", st, st.capitalize()) for st in STATUSES if st in point_statuses]
    if rows:
        sections.append(("Status (marker outline and fill)", rows))
    return sections


def legend_entries(report_map: ReportMap, view: ViewState | None = None) -> list[str]:
    """The legend labels :func:`render_figure` shows for the same view,
    in order: feature types layer by layer, then marker statuses.

    >>> from mapapp.sources.report_folder import load_report_map
    >>> legend_entries(load_report_map(), ViewState(layers=("strikes",)))
    ['Missile strike', 'Explosion', 'Reported', 'Unclear']
    """
    view = as_view(view)
    box = _box(view)
    shown = _shown(report_map, box, _view_crs(box), view)
    return [label for _, rows in _legend_sections(shown) for _, _, label in rows]


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

    def width(self, text: str, prop) -> float:
        return text_width(self.renderer, text, prop) / self.px_per_pt


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
    if shape == "star":
        return star(5, 0.45, 0.08)
    if shape == "burst":
        return star(8, 0.55)
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
        edge, lw, alpha = color, styles.HOLLOW_STROKE * t.scale * 0.9, styles.HOLLOW_TINT
    else:
        edge, lw, alpha = colors["ink"], 1.5 * t.scale * 0.8, st["fill_opacity"]
    # The web map's dashes are in its pixels at the marker's own size: keep them in proportion.
    unit = size / float(size_px or sym["size"])
    return _PointStyle(_marker_path(sym["shape"]), size, to_rgba(color, alpha), edge, lw,
                       _dash(st["dash"], lw, unit, dots=hollow), "round" if hollow else "butt")


def _draw_marker(ax, x, y, ps: _PointStyle, zorder: float, halo: str | None = None):
    from matplotlib import patheffects

    art = ax.scatter([x], [y], s=ps.size ** 2, marker=ps.path, facecolors=[ps.face], edgecolors=[ps.edge],
                     linewidths=ps.lw, linestyles=[ps.linestyle], zorder=zorder, clip_on=True)
    art.set_capstyle(ps.capstyle)
    art.set_joinstyle("round")
    if halo:
        art.set_path_effects([patheffects.withStroke(linewidth=ps.lw + 2.2 * (ps.size / 20), foreground=halo)])
    return art


def _line_kwargs(type_: str, t: _Type, colors: dict[str, str]) -> dict[str, Any]:
    s = styles.line_style(type_)
    lw = float(s["weight"]) * t.scale * 0.85
    color = colors["ink"] if s["color"] == styles.INK else s["color"]
    return {"color": color, "alpha": float(s.get("opacity", 1)), "linewidth": lw,
            "linestyle": _dash(s.get("dashArray"), lw, t.scale * 0.85),
            "solid_capstyle": s.get("lineCap", "round"), "dash_capstyle": "butt",
            "solid_joinstyle": "round"}


def _area_patches(path, type_: str, t: _Type, colors: dict[str, str], zorder: float) -> list:
    """Fill, hatch (for a patterned area) and outline, as separate patches."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch

    s = styles.area_style(type_)
    lw = float(s["weight"]) * t.scale * 0.85
    edge = colors["ink"] if s["color"] == styles.INK else s["color"]
    out = []
    if s.get("pattern"):
        # The web map's pattern: a light wash of the colour under dense stripes.
        out.append(PathPatch(path, facecolor=to_rgba(s["fillColor"], 0.28), edgecolor="none",
                             linewidth=0, zorder=zorder))
        hatch = PathPatch(path, facecolor="none", edgecolor="none", linewidth=0, zorder=zorder,
                          hatch="////", hatchcolor=to_rgba(s["fillColor"], 0.9))
        hatch.set_hatch_linewidth(max(1.1 * t.scale * 1.6, 0.6))
        out.append(hatch)
    else:
        out.append(PathPatch(path, facecolor=to_rgba(s["fillColor"], float(s["fillOpacity"])),
                             edgecolor="none", linewidth=0, zorder=zorder))
    out.append(PathPatch(path, facecolor="none", edgecolor=to_rgba(edge, float(s.get("opacity", 1))),
                         linewidth=lw, linestyle=_dash(s.get("dashArray"), lw, t.scale * 0.85),
                         joinstyle="round", zorder=zorder + 0.1))
    return out


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
    box = _box(view)
    highlighted = _check_highlight(report_map, highlight)
    crs = _view_crs(box)
    shown = _shown(report_map, box, crs, view)
    title = default_title(report_map) if title is None else str(title)
    if subtitle is None:
        subtitle = default_subtitle(report_map)
        if events is not None and len(events):  # the events' own dates, apart from the report's
            first, last = events["date_start"].min(), events["date_end"].max()
            subtitle = " · ".join(p for p in (subtitle, f"events {first:%Y-%m-%d} to "
                                                        f"{last:%Y-%m-%d}") if p)
    subtitle = str(subtitle)
    return _Renderer(report_map, spec, theme, box, crs, shown, title, subtitle, highlighted,
                     events=events, event_credits=list(event_credits)).draw()


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
                 event_credits: list[str] | None = None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.rm = report_map
        self.spec = spec
        self.colors = THEME_COLORS[theme]
        self.box, self.crs, self.shown = box, crs, shown
        self.title, self.subtitle = title, subtitle
        self.highlight = highlight
        self.t = _Type.for_spec(spec)
        self.fig = Figure(figsize=(spec.width_in, spec.height_in), dpi=spec.dpi,
                          facecolor=self.colors["paper"])
        FigureCanvasAgg(self.fig)
        self.measure = _Measure(self.fig)
        self.events, self.event_credits = events, list(event_credits or [])
        self.sections = _legend_sections(shown)
        if events is not None and len(events):
            from mapapp.model.events import EVENT_TYPES

            present = set(events["type"].astype(str))
            self.sections.insert(0, ("Event sets", [("event", t_, label) for t_, label
                                                    in EVENT_TYPES.items() if t_ in present]))
        self.obstacles: list[tuple[float, float, float, float]] = []  # display pixels
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
        if self.sections and H / W <= LEGEND_BELOW_FROM:
            # A little smaller and wider on a low map, to leave it most of its room.
            map_h_pt = (header_bottom - footer_top) * 72
            for size, share in ((0.85, 0.42), (0.8, 0.46), (0.76, 0.5)):
                layout = self._legend_layout(max(width_pt * share, min(width_pt, 300 * t.scale)), size=size)
                if layout["height"] <= 0.45 * map_h_pt:
                    break
            w, h = self.pt(layout["width"]), self.pt(layout["height"])
            corner, cost = self._best_corner(w, h, ("ll", "ul", "lr", "ur"))
            if cost < 0.5:  # no point, and only a sliver of a line or an area
                inside = (layout, corner, w, h)
        if self.sections and inside is None:
            layout = self._legend_layout(width_pt)
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
        self.extent = _fit_aspect(_bounds_extent(self.box, self.crs), (right - left) / (top - bottom))
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
                reach = area.buffer(14 * self.t.scale / 72 * self.fig.dpi / self.px_per_m)
                score += 3.0 * sum(reach.contains(p) for p in getattr(s.geom, "geoms", [s.geom]))
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
        z_layer = {"mentions": 6, "places": 7, "strikes": 8}
        for s in self.shown:
            f = s.feature
            lit = f.id in self.highlight
            if s.kind == "area":
                path = _polygon_path(_polygons_only(s.geom))
                if path is not None:
                    if lit:
                        self.ax.add_patch(_highlight_outline(path, t, c, zorder=3.05))
                    for patch in _area_patches(path, f.type, t, c, zorder=3):
                        self.ax.add_patch(patch)
            elif s.kind == "line":
                kw = _line_kwargs(f.type, t, c)
                for xy in _lines(s.geom):
                    if lit:
                        self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], zorder=3.95, color=c["highlight"],
                                                linewidth=kw["linewidth"] + HIGHLIGHT_WIDTH * t.scale,
                                                solid_capstyle="round", solid_joinstyle="round",
                                                gid="mapapp-highlight"))
                    self.ax.add_line(Line2D(xy[:, 0], xy[:, 1], zorder=4, **kw))
            else:
                for pt_ in getattr(s.geom, "geoms", [s.geom]):
                    ps = _point_style(f.type, f.status, t, c)
                    if lit:
                        _draw_highlight_ring(self.ax, pt_.x, pt_.y, ps, t, c, z_layer.get(f.layer, 6) - 0.05)
                    _draw_marker(self.ax, pt_.x, pt_.y, ps, z_layer.get(f.layer, 6), halo=c["halo"])
                    self.points.append((f, pt_.x, pt_.y, ps))
        # Every marker is an obstacle for labels.
        for f, x, y, ps in self.points:
            px, py = self.ax.transData.transform((x, y))
            r = ps.size / 2 * self.fig.dpi / 72 * 1.05
            self.obstacles.append((px - r, py - r, px + r, py + r))

    # ---- legend
    def _legend_layout(self, max_width_pt: float, size: float = 0.85) -> dict[str, Any]:
        """Positions (points, from the top left) of the legend's headings and rows.

        A table: headings in the first column, each layer's rows flowing to
        the right of it and wrapping under the first row.
        """
        t = self.t
        u = t.base * size / 0.85
        head = _font(u * 0.85, weight="bold")
        item = _font(u * 0.85)
        pad = u * 0.65
        sw = u * 1.9  # swatch width
        gap = u * 0.5
        item_gap = u * 0.95
        line_h = u * 1.5
        heads = [LEGEND_HEADINGS.get(h, h) for h, _ in self.sections]
        hw = max(self.measure.width(h, head) for h in heads) + item_gap
        widths = [[sw + gap + self.measure.width(label, item) for _, _, label in rows] for _, rows in self.sections]
        inner = max(max_width_pt - 2 * pad, hw + max(w for ws in widths for w in ws))
        placed: list[tuple[str, Any, float, int]] = []  # (what, payload, x, row)
        row, widest = 0, 0.0
        for heading, (_, rows), ws in zip(heads, self.sections, widths):
            placed.append(("head", heading, 0.0, row))
            x = hw
            for entry, w in zip(rows, ws):
                if x > hw and x + w > inner:
                    row, x = row + 1, hw
                placed.append(("item", entry, x, row))
                x += w + item_gap
                widest = max(widest, x - item_gap)
            row += 1
        return {"placed": placed, "width": widest + 2 * pad, "height": row * line_h + 2 * pad - u * 0.3,
                "pad": pad, "line_h": line_h, "sw": sw, "gap": gap, "head": head, "item": item}

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
        from matplotlib.patches import Rectangle

        t, c = self.t, self.colors
        pad, lh, sw, gap = layout["pad"], layout["line_h"], layout["sw"], layout["gap"]
        for what, payload, x, row in layout["placed"]:
            yc = pad + row * lh + lh * 0.42
            if what == "head":
                add_text(lax, pad + x, yc, payload, fontproperties=layout["head"], color=c["text"],
                         ha="left", va="center_baseline", gid="mapapp-legend-heading")
                continue
            kind, key, label = payload
            sx = pad + x
            if kind == "event":  # the map's dot for this type
                lax.scatter([sx + sw / 2], [yc], s=(4.5 * t.scale) ** 2, zorder=3, alpha=0.85,
                            c=[styles.EVENT_COLORS.get(key, styles.EVENT_COLORS["event"])],
                            edgecolors=c["text"], linewidths=0.25 * t.scale)
            elif kind in ("point", "status"):
                # Types with the "confirmed" look, statuses on a neutral
                # circle (as the web map's legend), none taller than a row.
                type_, status = (key, "confirmed") if kind == "point" else ("city", key)
                web_px = styles.point_symbol(type_)["size"] if kind == "point" else 18
                web_px = min(web_px, lh * 0.95 / (t.scale * MARKER_SCALE))
                ps = _point_style(type_, status, t, c, neutral=kind == "status", size_px=web_px)
                _draw_marker(lax, sx + sw / 2, yc, ps, zorder=3)
            elif kind == "line":
                kw = _line_kwargs(key, t, c)
                cap = kw["linewidth"] / 2 if kw["solid_capstyle"] != "butt" else 0.0
                lax.add_line(Line2D([sx + 1 + cap, sx + sw - 1 - cap], [yc, yc], zorder=3, **kw))
            else:
                hgt = lh * 0.62
                rect = Rectangle((sx + 1, yc - hgt / 2), sw - 2, hgt)
                for patch in _area_patches(rect.get_path().transformed(rect.get_patch_transform()),
                                           key, t, c, zorder=3):
                    lax.add_patch(patch)
            add_text(lax, sx + sw + gap, yc, label, fontproperties=layout["item"], color=c["text"],
                     ha="left", va="center_baseline", gid="mapapp-legend-entry")

    # ---- locator inset, scale bar, north arrow
    def _draw_locator(self):
        from matplotlib.collections import PathCollection

        c, t = self.colors, self.t
        W, H = self.fig.get_size_inches()
        mx0, my0, mx1, my1 = self.map_rect
        map_w, map_h = mx1 - mx0, my1 - my0
        land, (lx0, ly0, lx1, ly1) = _locator_land(0.1)
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
        # The mapped frame, as it lies in the locator's own projection.
        x0, y0, x1, y1 = self.extent
        lon, lat = _transformer(self.crs, inverse=True).transform(*_densified_ring(x0, y0, x1, y1, 32))
        fx, fy = _transformer(LOCATOR_CRS).transform(lon, lat)
        iax.fill(np.append(fx, fx[0]), np.append(fy, fy[0]), facecolor="none", edgecolor=c["ink"],
                 linewidth=1.4 * t.scale, zorder=3, joinstyle="miter")
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
    def _halo(self, txt, width_pt: float):
        """A halo under ``txt``: the same text, stroked wide in the halo colour.

        A separate artist, so that ``txt`` itself stays text in SVG and PDF
        (matplotlib draws text with path effects as outlines).
        """
        from matplotlib import patheffects

        halo = add_text(txt.axes, *txt.get_position(), txt.get_text(), fontproperties=txt.get_fontproperties(),
                        color=self.colors["halo"], ha=txt.get_ha(), va=txt.get_va(),
                        transform=txt.get_transform(), zorder=txt.get_zorder() - 0.01, gid="mapapp-halo",
                        path_effects=[patheffects.Stroke(linewidth=width_pt, foreground=self.colors["halo"])])
        return halo

    def _draw_place_names(self, placed: list, frame: tuple) -> None:
        """Seas, rivers, the reservoir, regions and capitals, where they fit:
        each at its point or the first of its other places that is free, never
        over another name, a marker or the legend."""
        t, c, ax = self.t, self.colors, self.ax
        r = self.fig.canvas.get_renderer()
        to_map = _transformer(self.crs)
        for label in physical.map_labels(self.rm):
            # An image has room for the regions the report is about, not all of them.
            if label.kind not in IMAGE_NAME_KINDS or (
                    label.kind == "region" and label.rank != physical.FOCUS_REGION_RANK):
                continue
            water = label.kind in ("sea", "river", "lake")
            words = label.name.upper() if label.kind == "region" else label.name
            prop = _font(t.base * (0.95 if label.kind == "sea" else 0.72 if label.kind == "region"
                                   else 0.85),
                         weight="bold" if label.kind == "capital" else "normal",
                         style="italic" if water else "normal")
            color = c["water_label"] if water else c["region_label"] if label.kind == "region" \
                else c["text"]
            spots = [(label.lon, label.lat, label.angle), *label.anchors]
            for spot in spots:
                x, y = to_map.transform(spot[0], spot[1])
                angle = spot[2] if len(spot) > 2 else 0.0
                beside = label.kind == "capital"
                txt = add_text(ax, x, y, words, fontproperties=prop, color=color, zorder=9.5,
                               ha="left" if beside else "center", va="center", rotation=angle,
                               rotation_mode="anchor", gid=f"mapapp-name-{label.kind}")
                if beside:
                    from matplotlib.transforms import offset_copy
                    txt.set_transform(offset_copy(ax.transData, fig=self.fig, x=t.base * 0.45,
                                                  y=0, units="points"))
                bb = txt.get_window_extent(r)
                box = (bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2)
                if (_inside(box, frame) and not any(_overlaps(box, o) for o in placed)
                        and not any(_overlaps(box, o) for o in self.obstacles)):
                    placed.append(box)
                    self._halo(txt, t.base * 0.2)
                    if beside:
                        ax.scatter([x], [y], s=(2.2 * t.scale) ** 2, facecolors=c["paper"],
                                   edgecolors=c["text"], linewidths=0.6 * t.scale, zorder=9.5,
                                   gid="mapapp-name-dot")
                    break
                txt.remove()

    def _draw_labels(self):
        """Greedy placement: most important first, the first free spot
        around the point; a label with no free spot is left out."""
        t, c, ax = self.t, self.colors, self.ax
        r = self.fig.canvas.get_renderer()
        inner = ax.bbox
        frame = (inner.x0 + 3, inner.y0 + 3, inner.x1 - 3, inner.y1 - 3)
        dpi = self.fig.dpi
        halo_pt = t.base * 0.28
        pad = halo_pt * dpi / 72 / 2
        from matplotlib.transforms import offset_copy

        order = sorted(range(len(self.points)),
                       key=lambda i: (LABEL_PRIORITY.get(self.points[i][0].type, 9), i))
        placed: list[tuple[float, float, float, float]] = []
        for i in order:
            f, x, y, ps = self.points[i]
            rank = LABEL_PRIORITY.get(f.type, 9)
            prop = _font(t.base * (1.05 if rank == 0 else 0.98 if rank == 1 else 0.88),
                         weight="bold" if rank <= 1 else "normal",
                         style="italic" if f.type in ("region", "river") else "normal")
            color = c["text"] if rank <= 3 else c["muted"]
            txt = add_text(ax, x, y, f.name, fontproperties=prop, color=color, zorder=10, gid="mapapp-label")
            gap = ps.size / 2 + t.base * 0.3
            done = False
            for dx, dy in LABEL_SPOTS:
                txt.set_ha("left" if dx > 0 else "right" if dx < 0 else "center")
                txt.set_va("bottom" if dy > 0 else "top" if dy < 0 else "center_baseline")
                txt.set_position((x, y))
                txt.set_transform(offset_copy(ax.transData, fig=self.fig, x=dx * gap, y=dy * gap, units="points"))
                bb = txt.get_window_extent(r)
                box = (bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
                if not _inside(box, frame):
                    continue
                if any(_overlaps(box, o) for o in placed) or any(_overlaps(box, o) for o in self.obstacles):
                    continue
                placed.append(box)
                self._halo(txt, halo_pt)
                done = True
                break
            if not done:
                txt.remove()
        self._draw_place_names(placed, frame)
        # Country names last, subtle, only where they fit untouched.
        for name, x, y in self.country_labels:
            txt = add_text(ax, x, y, name.upper(), fontproperties=_font(t.base * 0.8, weight="bold"),
                           color=c["country_label"], ha="center", va="center", zorder=2, gid="mapapp-country")
            bb = txt.get_window_extent(r)
            box = (bb.x0 - 2, bb.y0 - 2, bb.x1 + 2, bb.y1 + 2)
            if (not _inside(box, frame) or any(_overlaps(box, o) for o in placed)
                    or any(_overlaps(box, o) for o in self.obstacles)):
                txt.remove()
            else:
                placed.append(box)
                self._halo(txt, t.base * 0.2)
        self.label_boxes = placed


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
