"""How each kind of feature is drawn: symbols as data, used by map and legend.

Colours are the Okabe–Ito palette (safe for the common colour-vision
deficiencies), and no distinction rests on colour alone:

* point **type** is a shape: strike = star, drone strike = four-pointed
  star, strike wave = burst, ground fighting = crossed swords,
  explosion = triangle, place = circle (size by rank), mention = diamond or
  square;
* point **status** is the outline and fill (see :data:`STATUS_STYLES`):
  confirmed = solid outline, filled; reported = dashed, filled;
  assessed = dashed, half-filled; claimed / disputed / unclear = thick
  dotted outline, hollow (a faint tint);
* **lines** by type: front line thick, solid, near-black; former front line
  dashed grey; river thin blue;
* **areas** by type: Russian-held = vermilion hatching with a solid
  border; returned to Ukraine = light blue fill with a dashed border.

Line and area status is given in words (tooltip, popup, legend), because
their dash pattern already says which kind of line or area it is; both are
always "approximate, as of" a date.

Every drawn element carries CSS classes (see :func:`feature_classes`)::

    mapapp-f-<feature id>  mapapp-layer-<layer>  mapapp-type-<type>
    mapapp-status-<status>  [mapapp-selected]  (+ mapapp-marker on points)
"""

from __future__ import annotations

import math
import re
from typing import Any


# Okabe & Ito (2008), "Color Universal Design".
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
INK = "#1a1a1a"  # outlines of filled markers: dashes show against any fill
HALO = PALETTE["yellow"]  # ring behind the selected feature
LAND = "#f4f1ea"
HOLLOW_TINT = 0.18  # fill opacity of "hollow" markers
HOLLOW_STROKE = 2.8
LAND_BORDER = "#9e9a93"
SEA = "#cfe2ee"
# Water drawn on land (rivers, lakes) is a shade darker than the sea, so a
# river reads as a river and no pale fill on land is taken for water.
WATER = "#a9cde6"
RIVER = "#5d9bd1"
REGION_LINE = "#b9b3a8"
# How the web map strokes each kind of basemap feature (mapapp.geo.physical).
BASEMAP_STYLES = {
    "land": {"stroke": False, "fillColor": LAND, "fillOpacity": 1},
    "lake": {"stroke": False, "fillColor": WATER, "fillOpacity": 1},
    # A wide river drawn as water: its banks stroked like a river line, so
    # it reads as one at every zoom.
    "riverlake": {"color": RIVER, "weight": 1.2, "opacity": 0.9, "fillColor": WATER,
                  "fillOpacity": 1},
    "river": {"color": RIVER, "weight": 1.4, "opacity": 0.9, "fill": False},
    "region": {"color": REGION_LINE, "weight": 1, "dashArray": "4 3", "fill": False},
    "border": {"color": LAND_BORDER, "weight": 1, "opacity": 1, "fill": False},
}

# Outline and fill per status.  ``dash`` is an SVG stroke-dasharray in px
# at marker scale (``None`` = solid); ``fill_opacity`` 0 means hollow.
STATUS_STYLES: dict[str, dict[str, Any]] = {
    "confirmed": {"outline": "solid", "dash": None, "fill_opacity": 1.0,
                  "legend": "solid outline, filled"},
    "reported": {"outline": "dashed", "dash": "4 2.5", "fill_opacity": 1.0,
                 "legend": "dashed outline, filled"},
    "assessed": {"outline": "dashed", "dash": "4 2.5", "fill_opacity": 0.45,
                 "legend": "dashed outline, half-filled"},
    "claimed": {"outline": "dotted", "dash": "0.1 3.6", "fill_opacity": 0.0,
                "legend": "dotted outline, hollow"},
    "disputed": {"outline": "dotted", "dash": "0.1 3.6", "fill_opacity": 0.0,
                 "legend": "dotted outline, hollow"},
    "unclear": {"outline": "dotted", "dash": "0.1 3.6", "fill_opacity": 0.0,
                "legend": "dotted outline, hollow"},
}
FALLBACK_STATUS = "unclear"

# Point symbols per feature type: shape, fill colour, size in px.
POINT_SYMBOLS: dict[str, dict[str, Any]] = {
    "missile_strike": {"shape": "star", "color": PALETTE["vermilion"], "size": 26, "label": "Missile strike"},
    "drone_strike": {"shape": "star4", "color": PALETTE["vermilion"], "size": 24, "label": "Drone strike"},
    "air_strike": {"shape": "triangle_down", "color": PALETTE["vermilion"], "size": 22, "label": "Air strike or bombing"},
    "shelling": {"shape": "cross", "color": PALETTE["vermilion"], "size": 22, "label": "Shelling or artillery"},
    "strike": {"shape": "hexagon", "color": PALETTE["vermilion"], "size": 24, "label": "Strike, weapon not stated"},
    "strike_wave": {"shape": "burst", "color": PALETTE["vermilion"], "size": 26, "label": "Strike wave"},
    # Crossed swords, the map sign for a battle; a darker red than strikes.
    # Hollow, its thin blades take a finer dotted outline and a stronger
    # tint: the usual thick dots would merge into a blot.
    "fighting": {"shape": "swords", "color": "#8c2d04", "size": 26, "label": "Ground fighting or advance",
                 "hollow_stroke": 1.6, "hollow_tint": 0.35},
    "explosion": {"shape": "triangle", "color": PALETTE["orange"], "size": 24, "label": "Explosion"},
    "city": {"shape": "circle", "color": PALETTE["blue"], "size": 17, "label": "City"},
    "town": {"shape": "circle", "color": PALETTE["blue"], "size": 15, "label": "Town"},
    "village": {"shape": "circle", "color": PALETTE["blue"], "size": 13, "label": "Village"},
    "airport": {"shape": "circle", "color": PALETTE["black"], "size": 12, "label": "Airport"},
    "site": {"shape": "pentagon", "color": PALETTE["black"], "size": 15, "label": "Site (plant, dam, bridge)"},
    "region": {"shape": "circle", "color": PALETTE["sky_blue"], "size": 15, "label": "Region"},
    "river": {"shape": "circle", "color": PALETTE["sky_blue"], "size": 13, "label": "River"},
    "water": {"shape": "circle", "color": PALETTE["sky_blue"], "size": 15, "label": "Sea, lake or strait"},
    "meeting": {"shape": "diamond", "color": PALETTE["bluish_green"], "size": 16, "label": "Meeting"},
    "statement": {"shape": "square", "color": PALETTE["bluish_green"], "size": 14, "label": "Statement"},
    "country": {"shape": "diamond", "color": PALETTE["reddish_purple"], "size": 16, "label": "Country"},
}
FALLBACK_POINT: dict[str, Any] = {"shape": "circle", "color": "#777777", "size": 12, "label": "Other"}

# Imported event sets, by type (drawn as dots on a canvas; see mapapp.web.events).
EVENT_COLORS: dict[str, str] = {
    "battle": PALETTE["vermilion"],
    "explosion_remote": PALETTE["orange"],
    "violence_civilians": PALETTE["reddish_purple"],
    "protest": PALETTE["bluish_green"],
    "riot": PALETTE["yellow"],
    "strategic": PALETTE["sky_blue"],
    # UCDP's types mean much what ACLED's battles and violence against
    # civilians mean, but a map showing both sets must tell them apart:
    # darker shades of the same families.
    "state_based": "#8c2d04",
    "non_state": PALETTE["blue"],
    "one_sided": "#6a3d9a",
    "event": "#777777",
}

# Leaflet path options per line type (weight in px, dashArray as in SVG).
LINE_STYLES: dict[str, dict[str, Any]] = {
    "front_line": {"color": INK, "weight": 4.5, "opacity": 0.95, "dashArray": None,
                   "lineCap": "round", "label": "Front line"},
    "former_front_line": {"color": "#7a7a7a", "weight": 3, "opacity": 0.9, "dashArray": "9 7",
                          "lineCap": "butt", "label": "Former front line"},
    "river": {"color": PALETTE["sky_blue"], "weight": 3, "opacity": 0.9, "dashArray": None,
              "lineCap": "round", "label": "River"},
}
FALLBACK_LINE: dict[str, Any] = {"color": "#555555", "weight": 2, "opacity": 0.9, "dashArray": "2 4",
                                 "lineCap": "round", "label": "Line"}

# Leaflet path options per area type; ``pattern`` names an SVG fill
# pattern from :func:`svg_defs` (drawn through CSS, with the plain fill as
# the fallback where the pattern is missing).
AREA_STYLES: dict[str, dict[str, Any]] = {
    "russian_held": {"color": PALETTE["vermilion"], "weight": 1.5, "opacity": 0.9, "dashArray": None,
                     "fillColor": PALETTE["vermilion"], "fillOpacity": 0.55,
                     "pattern": "mapapp-hatch-russian_held", "label": "Russian-held"},
    # Control maps' own categories: held before 2022 a darker, solid fill (no
    # hatching: it is not this war's change), contested a grey wash.
    "held_before_2022": {"color": PALETTE["vermilion"], "weight": 1.0, "opacity": 0.9,
                         "dashArray": None, "fillColor": "#8c2d04", "fillOpacity": 0.45,
                         "pattern": None, "label": "Russian-held before 2022"},
    "contested": {"color": "#555555", "weight": 1.5, "opacity": 0.9, "dashArray": "4 3",
                  "fillColor": "#999999", "fillOpacity": 0.35, "pattern": None,
                  "label": "Unknown or contested"},
    # What changed hands between two dates of a control map: a heavy dotted
    # outline over the map of the later date, in the colour of the side that gained.
    "change_taken": {"color": PALETTE["vermilion"], "weight": 3.5, "opacity": 1.0,
                     "dashArray": "1 4", "fillColor": PALETTE["vermilion"], "fillOpacity": 0.2,
                     "pattern": None, "label": "Taken by Russia in the period"},
    "change_returned": {"color": PALETTE["blue"], "weight": 3.5, "opacity": 1.0,
                        "dashArray": "1 4", "fillColor": PALETTE["sky_blue"], "fillOpacity": 0.35,
                        "pattern": None, "label": "Returned to Ukraine in the period"},
    "change_contested": {"color": "#555555", "weight": 3.5, "opacity": 1.0,
                         "dashArray": "1 4", "fillColor": "#999999", "fillOpacity": 0.3,
                         "pattern": None, "label": "Contested since, in the period"},
    # A second control map laid over the first, to compare: its held land as
    # an outline only, so the first map's fills stay readable beneath.
    "other_map_held": {"color": PALETTE["reddish_purple"], "weight": 2.5, "opacity": 1.0,
                       "dashArray": "8 4", "fillColor": PALETTE["reddish_purple"],
                       "fillOpacity": 0.0, "pattern": None,
                       "label": "Held by Russia in the map compared"},
    "returned_to_ukraine": {"color": PALETTE["blue"], "weight": 2.5, "opacity": 0.9, "dashArray": "7 5",
                            "fillColor": PALETTE["sky_blue"], "fillOpacity": 0.3,
                            "pattern": None, "label": "Returned to Ukraine"},
    "region": {"color": PALETTE["blue"], "weight": 1.5, "opacity": 0.8, "dashArray": "2 5",
               "fillColor": PALETTE["sky_blue"], "fillOpacity": 0.06, "pattern": None, "label": "Region"},
    "country": {"color": PALETTE["reddish_purple"], "weight": 1.5, "opacity": 0.8, "dashArray": "2 5",
                "fillColor": PALETTE["reddish_purple"], "fillOpacity": 0.05, "pattern": None, "label": "Country"},
}
FALLBACK_AREA: dict[str, Any] = {"color": "#555555", "weight": 1.5, "opacity": 0.8, "dashArray": "2 5",
                                 "fillColor": "#999999", "fillOpacity": 0.1, "pattern": None, "label": "Area"}

# Points of later layers sit on top (Leaflet zIndexOffset).
LAYER_Z_OFFSET: dict[str, int] = {"strikes": 1000, "fighting": 800, "places": 0,
                                  "mentions": -500}

_CLASS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def css_token(text: str) -> str:
    """``text`` made safe for one CSS class token (letters, digits, ``-_``).

    >>> css_token("kyiv strike #1")
    'kyiv-strike-1'
    """
    token = _CLASS_UNSAFE.sub("-", str(text)).strip("-")
    return token or "x"


def feature_classes(feature_id: str, layer: str, type_: str, status: str,
                    *, selected: bool = False, marker: bool = False) -> str:
    """The CSS class list every drawn element of a feature carries.

    >>> feature_classes("kyiv", "strikes", "missile_strike", "reported")
    'mapapp-f-kyiv mapapp-layer-strikes mapapp-type-missile_strike mapapp-status-reported'
    """
    classes = [f"mapapp-f-{css_token(feature_id)}", f"mapapp-layer-{css_token(layer)}",
               f"mapapp-type-{css_token(type_)}", f"mapapp-status-{css_token(status)}"]
    if marker:
        classes.insert(0, "mapapp-marker")
    if selected:
        classes.append("mapapp-selected")
    return " ".join(classes)


def status_style(status: str) -> dict[str, Any]:
    return STATUS_STYLES.get(status, STATUS_STYLES[FALLBACK_STATUS])


def point_symbol(type_: str) -> dict[str, Any]:
    return POINT_SYMBOLS.get(type_, FALLBACK_POINT)


def line_style(type_: str) -> dict[str, Any]:
    return LINE_STYLES.get(type_, FALLBACK_LINE)


def area_style(type_: str) -> dict[str, Any]:
    return AREA_STYLES.get(type_, FALLBACK_AREA)


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _cross_unit() -> list[tuple[float, float]]:
    """An X (a plus turned 45 degrees) reaching 1 from its centre, arms 0.6
    wide: shelling's mark, in SVG's y-down and matplotlib's y-up alike."""
    a = 0.3
    plus = [(a, 1), (a, a), (1, a), (1, -a), (a, -a), (a, -1), (-a, -1), (-a, -a),
            (-1, -a), (-1, a), (-a, a), (-a, 1)]
    k = math.sqrt(0.5) / math.hypot(1, a)  # turn 45 degrees, tips back to radius 1
    return [((x - y) * k, (x + y) * k) for x, y in plus]


CROSS_UNIT = _cross_unit()


def _swords_unit() -> list[tuple[float, float]]:
    """Two swords crossed, points up, as one outline filling the box from
    -1 to 1 (y up: matplotlib's way; SVG flips it).  Both renderers draw
    this one outline, so the web map and the images show the same sign."""
    from shapely import affinity
    from shapely.geometry import Polygon

    blade, guard = 0.13, 0.36
    half = [(0, 1.0), (blade, 0.78), (blade, -0.42), (guard, -0.42), (guard, -0.56),
            (0.075, -0.56), (0.075, -0.82), (0.14, -0.82), (0.14, -1.0)]
    sword = Polygon(half + [(-x, y) for x, y in reversed(half[1:])])
    both = affinity.rotate(sword, 45, origin=(0, 0)).union(
        affinity.rotate(sword, -45, origin=(0, 0)))
    # Corners only: a straight-angle corner cannot be stroked dashed (Agg).
    ring = list(both.simplify(0).exterior.coords)[:-1]
    lift = (min(y for _, y in ring) + max(y for _, y in ring)) / 2
    reach = max(max(abs(x), abs(y - lift)) for x, y in ring)
    return [(x / reach, (y - lift) / reach) for x, y in ring]


SWORDS_UNIT = _swords_unit()
# Shapes drawn from a unit outline (y up), the same one on the web and in images.
UNIT_OUTLINES: dict[str, list[tuple[float, float]]] = {"cross": CROSS_UNIT,
                                                       "swords": SWORDS_UNIT}


def _unit_points(unit: list[tuple[float, float]], c: float, r: float) -> str:
    """A unit outline (y up) as SVG points (y down) in a box centred on ``c``."""
    return " ".join(f"{_fmt(c + r * x)},{_fmt(c - r * y)}" for x, y in unit)


def _polygon_points(cx: float, cy: float, r: float, n: int) -> str:
    """A regular polygon of ``n`` corners, one at the top."""
    return " ".join(f"{_fmt(cx + r * math.cos(-math.pi / 2 + i * 2 * math.pi / n))},"
                    f"{_fmt(cy + r * math.sin(-math.pi / 2 + i * 2 * math.pi / n))}"
                    for i in range(n))


def _star_points(cx: float, cy: float, r_out: float, r_in: float, n: int) -> str:
    pts = []
    for i in range(2 * n):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / n
        pts.append(f"{_fmt(cx + r * math.cos(a))},{_fmt(cy + r * math.sin(a))}")
    return " ".join(pts)


def _shape_element(shape: str, size: float, attrs: str) -> str:
    """One SVG element for ``shape`` centred in a ``size`` box."""
    c = size / 2
    r = size / 2 - 2  # leave room for the outline
    if shape == "circle":
        return f'<circle cx="{_fmt(c)}" cy="{_fmt(c)}" r="{_fmt(r)}" {attrs}/>'
    if shape == "square":
        s = r * 1.6
        return f'<rect x="{_fmt(c - s / 2)}" y="{_fmt(c - s / 2)}" width="{_fmt(s)}" height="{_fmt(s)}" {attrs}/>'
    if shape == "diamond":
        pts = f"{_fmt(c)},{_fmt(c - r)} {_fmt(c + r)},{_fmt(c)} {_fmt(c)},{_fmt(c + r)} {_fmt(c - r)},{_fmt(c)}"
    elif shape in ("triangle", "triangle_down"):
        h = r * 1.5
        top = c - r
        half = h / math.sqrt(3)
        pts = f"{_fmt(c)},{_fmt(top)} {_fmt(c + half)},{_fmt(top + h)} {_fmt(c - half)},{_fmt(top + h)}"
        if shape == "triangle_down":  # the same triangle, mirrored top to bottom
            pts = f"{_fmt(c)},{_fmt(2 * c - top)} {_fmt(c + half)},{_fmt(2 * c - top - h)} {_fmt(c - half)},{_fmt(2 * c - top - h)}"
    elif shape in UNIT_OUTLINES:
        pts = _unit_points(UNIT_OUTLINES[shape], c, r)
    elif shape == "star":
        pts = _star_points(c, c + r * 0.08, r, r * 0.45, 5)
    elif shape == "burst":
        pts = _star_points(c, c, r, r * 0.55, 8)
    elif shape == "star4":
        pts = _star_points(c, c, r, r * 0.4, 4)
    elif shape == "pentagon":
        pts = _polygon_points(c, c + r * 0.1, r, 5)
    elif shape == "hexagon":
        pts = _polygon_points(c, c, r, 6)
    else:
        raise ValueError(f"unknown shape {shape!r}")
    return f'<polygon points="{pts}" {attrs}/>'


def marker_svg(type_: str, status: str, *, selected: bool = False,
               size: float | None = None) -> str:
    """Inline SVG for a point feature (also used in the legend).

    The markup holds no feature data: every marker of one type and status
    shares it, and the page's script names each copy (``aria-label``).
    """
    sym = point_symbol(type_)
    st = status_style(status)
    size = float(size or sym["size"])
    hollow = st["fill_opacity"] == 0
    # Hollow: a faint tint of the type colour inside a thick dotted outline
    # in that colour, so the symbol still reads on a pale basemap.
    stroke = sym["color"] if hollow else INK
    width = sym.get("hollow_stroke", HOLLOW_STROKE) if hollow else 1.5
    fill = sym["color"]
    fill_opacity = sym.get("hollow_tint", HOLLOW_TINT) if hollow else st["fill_opacity"]
    attrs = (f'fill="{fill}" fill-opacity="{fill_opacity}" stroke="{stroke}" stroke-width="{width}" '
             f'stroke-linejoin="round" stroke-linecap="round"')
    if st["dash"]:
        attrs += f' stroke-dasharray="{st["dash"]}"'
    pad = 5 if selected else 0
    box = size + 2 * pad
    halo = ""
    if selected:
        halo = (f'<circle cx="{_fmt(box / 2)}" cy="{_fmt(box / 2)}" r="{_fmt(box / 2 - 1)}" '
                f'fill="{HALO}" fill-opacity="0.85" stroke="{INK}" stroke-width="1"/>')
    shape = _shape_element(sym["shape"], size, attrs)
    if pad:
        shape = f'<g transform="translate({pad},{pad})">{shape}</g>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(box)}" height="{_fmt(box)}" '
            f'viewBox="0 0 {_fmt(box)} {_fmt(box)}" aria-hidden="true">{halo}{shape}</svg>')


def marker_key(layer: str, type_: str, status: str, *, selected: bool = False) -> str:
    """Which shared marker symbol a point uses (see :func:`marker_icon`).

    >>> marker_key("strikes", "missile_strike", "reported", selected=True)
    'strikes/missile_strike/reported/selected'
    """
    return f"{layer}/{type_}/{status}" + ("/selected" if selected else "")


def marker_icon(key: str) -> dict[str, Any]:
    """Options for ``L.divIcon`` (plus ``zIndexOffset``) for the symbol
    :func:`marker_key` named."""
    layer, type_, status, *flag = key.split("/")
    selected = flag == ["selected"]
    size = float(point_symbol(type_)["size"]) + (10 if selected else 0)
    half = size / 2
    return {
        "html": marker_svg(type_, status, selected=selected),
        "iconSize": [size, size],
        "iconAnchor": [half, half],
        "tooltipAnchor": [0, -half],
        "popupAnchor": [0, -half],
        "zIndexOffset": LAYER_Z_OFFSET.get(layer, 0) + (5000 if selected else 0),
    }


def path_style(kind: str, feature_id: str, layer: str, type_: str, status: str, *,
               selected: bool = False) -> dict[str, Any]:
    """Leaflet path options (with ``className``) for a line or an area."""
    if kind == "line":
        base = line_style(type_)
    elif kind == "area":
        base = area_style(type_)
    else:
        raise ValueError(f"path_style is for lines and areas, not {kind!r}")
    style = {k: v for k, v in base.items() if k not in ("label", "pattern") and v is not None}
    if kind == "area":
        style.setdefault("fill", True)
    classes = feature_classes(feature_id, layer, type_, status, selected=selected)
    if base.get("pattern"):
        classes += f" mapapp-fill-{base['pattern']}"
    style["className"] = classes
    if selected:
        style["weight"] = float(style.get("weight", 2)) + 3
        style["opacity"] = 1.0
    return style


def svg_defs() -> str:
    """Hidden SVG with the fill patterns that area classes refer to."""
    ru = AREA_STYLES["russian_held"]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" aria-hidden="true" '
        'style="position:absolute;width:0;height:0;overflow:hidden" id="mapapp-svg-defs"><defs>'
        f'<pattern id="{ru["pattern"]}" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{ru["fillColor"]}" fill-opacity="0.28"/>'
        f'<rect width="3" height="8" fill="{ru["fillColor"]}" fill-opacity="0.9"/>'
        "</pattern></defs></svg>"
    )


def legend_swatch_svg(kind: str, type_: str, status: str = "confirmed") -> str:
    """A small legend symbol drawn with the same style data as the map."""
    if kind == "point":
        return marker_svg(type_, status, size=max(14.0, min(point_symbol(type_)["size"], 20.0)))
    if kind == "line":
        s = line_style(type_)
        dash = f' stroke-dasharray="{s["dashArray"]}"' if s.get("dashArray") else ""
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="26" height="14" viewBox="0 0 26 14" '
                f'aria-hidden="true"><line x1="2" y1="7" x2="24" y2="7" stroke="{s["color"]}" '
                f'stroke-width="{s["weight"]}" stroke-opacity="{s["opacity"]}" '
                f'stroke-linecap="{s.get("lineCap", "round")}"{dash}/></svg>')
    if kind == "area":
        s = area_style(type_)
        dash = f' stroke-dasharray="{s["dashArray"]}"' if s.get("dashArray") else ""
        fill = f'url(#{s["pattern"]})' if s.get("pattern") else s["fillColor"]
        opacity = 1 if s.get("pattern") else s["fillOpacity"]
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="26" height="18" viewBox="0 0 26 18" '
                f'aria-hidden="true"><rect x="2" y="2" width="22" height="14" fill="{fill}" '
                f'fill-opacity="{opacity}" stroke="{s["color"]}" stroke-width="{min(s["weight"], 2)}"{dash}/></svg>')
    raise ValueError(f"unknown legend kind {kind!r}")


def status_swatch_svg(status: str) -> str:
    """The status symbol in neutral grey, for the legend's status section."""
    st = status_style(status)
    hollow = st["fill_opacity"] == 0
    fill = "#6e6e6e"
    stroke = "#555555" if hollow else INK
    width = HOLLOW_STROKE if hollow else 1.5
    dash = f' stroke-dasharray="{st["dash"]}"' if st["dash"] else ""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">'
            f'<circle cx="9" cy="9" r="7" fill="{fill}" fill-opacity="{HOLLOW_TINT if hollow else st["fill_opacity"]}" '
            f'stroke="{stroke}" stroke-width="{width}" stroke-linecap="round"{dash}/></svg>')


def event_swatch_svg(type_: str) -> str:
    """An imported event's dot, as the page's canvas draws it, for the legend."""
    color = EVENT_COLORS.get(type_, EVENT_COLORS["event"])
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" '
            f'aria-hidden="true"><circle cx="7" cy="7" r="4.5" fill="{color}" fill-opacity="0.85" '
            f'stroke="{INK}" stroke-width="1"/></svg>')


def css_vars() -> dict[str, str]:
    """Colours the stylesheet (``mapapp/web/assets/map.css``) takes from
    here, as CSS custom properties ``--mapapp-<name>``."""
    return {"sea": SEA, "land": LAND, "water": RIVER, "ink": INK,
            "hatch-fill": AREA_STYLES["russian_held"]["fillColor"]}
