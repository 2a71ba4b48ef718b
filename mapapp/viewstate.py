"""What the reader is looking at, and how it travels in a shared link.

The view (layers, filters, basemap, selected feature) is a small frozen value
that round-trips through URL query parameters, so a copied link reopens the
same map.  Unknown values in a link are dropped and reported, never fatal: a
stale or hand-edited link still opens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from .layers import filter_features
from .webmap import BASEMAPS
from .model import ALL_TYPES, LAYERS, STATUSES, Feature, ReportMap

# Far-away mentions would pull the view out to Indonesia: listed, off by default.
DEFAULT_LAYERS: tuple[str, ...] = ("control_areas", "front_lines", "strikes", "places")


@dataclass(frozen=True)
class ViewState:
    layers: tuple[str, ...] = DEFAULT_LAYERS
    types: tuple[str, ...] = ALL_TYPES
    statuses: tuple[str, ...] = STATUSES
    basemap: str = "offline"
    selected: str = ""

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
        return query

    def with_selected(self, feature_id: str) -> "ViewState":
        return replace(self, selected=feature_id)


def from_query(query: Mapping[str, object], *, feature_ids: set[str] | None = None,
               default_basemap: str = "offline") -> tuple[ViewState, list[str]]:
    """A view from query parameters, and notes on anything ignored."""
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
    view = ViewState(layers=layers, types=types, statuses=statuses, basemap=basemap,
                     selected=selected)
    return view, notes


def _one(value: object) -> str | None:
    """Streamlit gives str; other callers may give a list of repeats."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return str(value)


Bounds = tuple[tuple[float, float], tuple[float, float]]


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
    # Leaflet counts longitudes past ±180 after panning round the world.
    return ((south, max(west, -180.0)), (north, min(east, 180.0)))
