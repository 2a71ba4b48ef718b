"""What the reader is looking at, and how it travels in a shared link.

The view (layers, filters, basemap, selected feature) is a small frozen value
that round-trips through URL query parameters, so a copied link reopens the
same map.  Unknown values in a link are dropped and reported, never fatal: a
stale or hand-edited link still opens.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any, Mapping

from mapapp.errors import OptionError
from mapapp.model import ALL_TYPES, LAYERS, STATUSES, Feature, ReportMap
from mapapp.model.filters import filter_features

# Basemap ids and what the reader is told about each.
BASEMAPS: dict[str, str] = {
    "offline": "Offline: Natural Earth borders (no network)",
    "light": "Light grey (web tiles)",
    "osm": "OpenStreetMap (web tiles)",
    "satellite": "Satellite, Esri (web tiles)",
}

# Initial view, (south, west), (north, east): all of Ukraine plus
# Przewodów on the Polish border.
INITIAL_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((44.0, 22.0), (53.0, 41.0))

# Far-away mentions would pull the view out to Indonesia: listed, off by default.
DEFAULT_LAYERS: tuple[str, ...] = ("control_areas", "front_lines", "strikes", "places")


@dataclass(frozen=True)
class ViewState:
    layers: tuple[str, ...] = DEFAULT_LAYERS
    types: tuple[str, ...] = ALL_TYPES
    statuses: tuple[str, ...] = STATUSES
    basemap: str = "offline"
    selected: str = ""
    # Imported event sets shown with the report (none: the report alone),
    # and the date range of events shown ("" is open), as YYYY-MM-DD.
    sources: tuple[str, ...] = ()
    start: str = ""
    end: str = ""

    def visible(self, report_map: ReportMap) -> tuple[Feature, ...]:
        return filter_features(report_map.features, layers=self.layers, types=self.types,
                               statuses=self.statuses)

    def to_query(self) -> dict[str, str]:
        """Query parameters, leaving out whatever equals the default."""
        default = ViewState()
        query: dict[str, str] = {}
        for key, value in (("layers", self.layers), ("types", self.types),
                           ("status", self.statuses)):
            if value != getattr(default, {"status": "statuses"}.get(key, key)):
                query[key] = ",".join(value) if value else "none"
        if self.basemap != default.basemap:
            query["basemap"] = self.basemap
        if self.selected:
            query["feature"] = self.selected
        if self.sources:
            query["sources"] = ",".join(self.sources)
        if self.start:
            query["from"] = self.start
        if self.end:
            query["to"] = self.end
        return query

    def with_selected(self, feature_id: str) -> "ViewState":
        return replace(self, selected=feature_id)


def from_query(query: Mapping[str, object], *, feature_ids: set[str] | None = None,
               default_basemap: str = "offline",
               source_names: tuple[str, ...] = ()) -> tuple[ViewState, list[str]]:
    """A view from query parameters, and notes on anything ignored.

    ``source_names`` are the imported sources a link may name.
    """
    notes: list[str] = []

    def pick(key: str, allowed: tuple[str, ...], default: tuple[str, ...]):
        raw = _one(query.get(key))
        if raw is None:
            return default
        if raw == "none":
            return ()
        wanted = [v for v in raw.split(",") if v]
        unknown = [v for v in wanted if v not in allowed]
        if unknown:
            notes.append(f"Ignored unknown {key} in the link: {', '.join(unknown)}")
        # Keep the canonical order so equal views give equal links.
        return tuple(v for v in allowed if v in wanted)

    layers = pick("layers", LAYERS, DEFAULT_LAYERS)
    types = pick("types", ALL_TYPES, ALL_TYPES)
    statuses = pick("status", STATUSES, STATUSES)
    basemap = _one(query.get("basemap")) or default_basemap
    if basemap not in BASEMAPS:
        notes.append(f"Ignored unknown basemap in the link: {basemap}")
        basemap = default_basemap
    selected = _one(query.get("feature")) or ""
    if selected and feature_ids is not None and selected not in feature_ids:
        notes.append(f"Ignored unknown feature in the link: {selected}")
        selected = ""
    sources = pick("sources", source_names, ())
    dates = []
    for key in ("from", "to"):
        raw = _one(query.get(key)) or ""
        try:
            dates.append(dt.date.fromisoformat(raw).isoformat() if raw else "")
        except ValueError:
            notes.append(f"Ignored a {key} date in the link that is not YYYY-MM-DD: {raw}")
            dates.append("")
    if dates[0] and dates[1] and dates[1] < dates[0]:
        notes.append(f"Ignored dates in the link that end before they start: "
                     f"{dates[0]} to {dates[1]}")
        dates = ["", ""]
    view = ViewState(layers=layers, types=types, statuses=statuses, basemap=basemap,
                     selected=selected, sources=sources, start=dates[0], end=dates[1])
    return view, notes


def _one(value: object) -> str | None:
    """Streamlit gives str; other callers may give a list of repeats."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return str(value)


Bounds = tuple[tuple[float, float], tuple[float, float]]

MAX_LAT = 80.0  # the equal-area view and the scale bar stop making sense nearer the poles
MAX_SPAN = (100.0, 70.0)  # degrees of longitude, latitude: a region, not the globe


def view_problem(south: float, west: float, north: float, east: float) -> str | None:
    """Why these bounds cannot be drawn, in words, or None.  Shared by every
    place that takes a view (``--bounds``, story steps, the app's extent).

    >>> view_problem(44, 22, 53, 41) is None
    True
    >>> view_problem(81, 0, 85, 1)
    'south and north must lie within -80..80 with south below north'
    """
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        return "must be finite numbers"
    if not -MAX_LAT <= south < north <= MAX_LAT:
        return f"south and north must lie within -{MAX_LAT:g}..{MAX_LAT:g} with south below north"
    if not -180 <= west < east <= 180:
        return "west and east must lie within -180..180 with west left of east"
    if east - west > MAX_SPAN[0] or north - south > MAX_SPAN[1]:
        return (f"span at most {MAX_SPAN[0]:g}° of longitude and {MAX_SPAN[1]:g}° of latitude "
                "(a region, not the globe)")
    return None


def fit_view(south: float, west: float, north: float, east: float) -> Bounds:
    """The nearest view that can be drawn: longitudes wrapped into -180..180,
    latitudes kept inside the limits, a too-wide view shrunk about its centre.

    >>> fit_view(40, 190, 60, 230)
    ((40.0, -170.0), (60.0, -130.0))
    >>> fit_view(-60, -150, 85, 150)
    ((-25.0, -50.0), (45.0, 50.0))
    """
    span_lon = min(east - west, MAX_SPAN[0])
    centre = (west + east) / 2
    centre = ((centre + 180) % 360) - 180
    west, east = centre - span_lon / 2, centre + span_lon / 2
    if west < -180:
        west, east = -180.0, -180.0 + span_lon
    if east > 180:
        west, east = 180.0 - span_lon, 180.0
    south, north = max(south, -MAX_LAT), min(north, MAX_LAT)
    if north - south > MAX_SPAN[1]:
        middle = (south + north) / 2
        south, north = middle - MAX_SPAN[1] / 2, middle + MAX_SPAN[1] / 2
    return ((float(south), float(west)), (float(north), float(east)))


def bounds_from_leaflet(raw: object, *, ignore: object = None) -> Bounds | None:
    """``((south, west), (north, east))`` from Leaflet's LatLngBounds as
    st_folium returns it, or None when it is missing, malformed, or equal to
    ``ignore`` (the placeholder st_folium sends before the browser reports).

    >>> bounds_from_leaflet({"_southWest": {"lat": 44, "lng": 22},
    ...                      "_northEast": {"lat": 53, "lng": 41}})
    ((44.0, 22.0), (53.0, 41.0))
    >>> bounds_from_leaflet({"_southWest": {"lat": None, "lng": None}}) is None
    True
    """
    try:
        sw, ne = raw["_southWest"], raw["_northEast"]  # type: ignore[index]
        south, west, north, east = (float(v) for v in (sw["lat"], sw["lng"], ne["lat"], ne["lng"]))
    except (KeyError, TypeError, ValueError):
        return None
    if ignore is not None:
        try:
            if ((south, west), (north, east)) == tuple(tuple(map(float, c)) for c in ignore):
                return None
        except (TypeError, ValueError):
            pass
    if not (-90 <= south < north <= 90) or not west < east:
        return None
    # Leaflet counts longitudes past ±180 after panning round the world, and a
    # reader may zoom out to the globe: export the nearest drawable view.
    return fit_view(south, west, north, east)


def parse_bounds(text: str) -> Bounds:
    """``"south,west,north,east"`` (degrees) as ``((south, west), (north, east))``.

    >>> parse_bounds("44, 22, 53, 41")
    ((44.0, 22.0), (53.0, 41.0))
    """
    parts = [p.strip() for p in str(text).split(",")]
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise OptionError(f"--bounds {text!r}: expected four numbers "
                          "south,west,north,east in degrees, e.g. 44,22,53,41") from None
    return check_bounds(((south, west), (north, east)))


def check_bounds(bounds: Any) -> Bounds:
    """``bounds`` as floats, or an OptionError naming ``--bounds``."""
    try:
        (south, west), (north, east) = bounds
        south, west, north, east = (float(v) for v in (south, west, north, east))
    except (TypeError, ValueError, OverflowError):
        raise OptionError(f"--bounds {bounds!r}: expected ((south, west), (north, east))") from None
    problem = view_problem(south, west, north, east)
    if problem:
        raise OptionError(f"--bounds {bounds!r}: {problem}")
    return (south, west), (north, east)


def check_view(report_map, *, layers=None, types=None, statuses=None) -> tuple[str, ...]:
    """Check layer/type/status names (OptionError naming the unknown ones)
    and return the layers to draw: ``None`` means the app's first view."""
    chosen = DEFAULT_LAYERS if layers is None else tuple(layers)
    filter_features(report_map.features, layers=chosen, types=types, statuses=statuses)
    return chosen
