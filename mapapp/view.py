"""What the reader is looking at, checked once, and how it travels in a shared link.

The view (event sets, layers, filters, date range, bounds, basemap, selected
feature) is a small frozen value.  Its constructor checks every field, so a
:class:`ViewState` that exists can be drawn: the command line, the static
export, the renderer and the snapshot take it whole and check nothing again.
Its errors name the option as the command line knows it (``--layers``,
``--types``, ``--status``, ``--from``, ``--to``, ``--bounds``).

It round-trips through URL query parameters, so a copied link reopens the
same map.  Unknown values in a link are dropped and reported, never fatal: a
stale or hand-edited link still opens.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Mapping

from mapapp.errors import OptionError
from mapapp.model import ALL_TYPES, LAYERS, STATUSES, Feature, ReportMap
from mapapp.model.events import EVENT_LAYER, EVENT_TYPES
from mapapp.store.query import EventFilter, check_date_range, parse_date

# Basemap ids and what the reader is told about each.
BASEMAPS: dict[str, str] = {
    "offline": "Offline: land, rivers, regions and names (no network)",
    "light": "Light grey (web tiles)",
    "osm": "OpenStreetMap (web tiles)",
    "satellite": "Satellite, Esri (web tiles)",
}

# Initial view, (south, west), (north, east): all of Ukraine plus
# Przewodów on the Polish border.
INITIAL_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((44.0, 22.0), (53.0, 41.0))

# Far-away mentions would pull the view out to Indonesia: listed, off by default.
DEFAULT_LAYERS: tuple[str, ...] = ("control_areas", "front_lines", "fighting", "strikes",
                                   "places")

# Names a view may choose: the report's, and those of imported event sets
# (a data export narrows both kinds of row).
VIEW_LAYERS: tuple[str, ...] = LAYERS + (EVENT_LAYER,)
VIEW_TYPES: tuple[str, ...] = ALL_TYPES + tuple(EVENT_TYPES)

Bounds = tuple[tuple[float, float], tuple[float, float]]
At = tuple[float, float, float]
# Leaflet's zoom levels the web map can show: a whole continent to a street.
ZOOM_RANGE = (2.0, 18.0)


@dataclass(frozen=True)
class ViewState:
    """What is looked at; checked on construction (:class:`OptionError`
    naming the command-line option).

    ``layers``, ``types`` and ``statuses`` are ``None`` when not narrowed:
    every type and status; for layers, the app's first view
    (:data:`DEFAULT_LAYERS`) when drawn, and no condition on the rows of a
    data export.  Names are kept in the vocabulary's order, so equal views
    are equal.  ``sources`` are the imported event sets shown with the
    report; ``start`` and ``end`` the days of events shown, as YYYY-MM-DD
    ("" is open); ``bounds`` the frame, ``((south, west), (north, east))``
    (``None``: :data:`INITIAL_BOUNDS` when drawn, no condition on rows).

    >>> ViewState(layers=("strikes", "front_lines")).layers
    ('front_lines', 'strikes')
    >>> ViewState(statuses=("sure",))
    Traceback (most recent call last):
    ...
    mapapp.errors.OptionError: --status: unknown sure (known: confirmed, reported, assessed, \
claimed, disputed, unclear, or none)
    """

    layers: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    statuses: tuple[str, ...] | None = None
    basemap: str = "offline"
    selected: str = ""
    sources: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    bounds: Bounds | None = None
    # The control map shown in place of the report's own areas and line ("": the report's).
    areas: str = ""
    # Where the reader's web map is looking, (lat, lon, zoom): kept in a
    # link so it reopens there; None is the first view.
    at: At | None = None

    def __post_init__(self):
        # Frozen: the checked, normalised values replace what was given.
        set_ = object.__setattr__
        set_(self, "layers", _names("--layers", self.layers, VIEW_LAYERS))
        set_(self, "types", _names("--types", self.types, VIEW_TYPES))
        set_(self, "statuses", _names("--status", self.statuses, STATUSES))
        if self.basemap not in BASEMAPS:
            raise OptionError(f"--basemap {self.basemap!r}: unknown basemap "
                              f"(choose from {', '.join(BASEMAPS)})")
        if not isinstance(self.selected, str):
            raise OptionError(f"feature {self.selected!r}: expected a feature id")
        set_(self, "sources", _sources(self.sources))
        if not isinstance(self.areas, str):
            raise OptionError(f"--source {self.areas!r}: expected the name of a control map")
        start, end = _date(self.start, "--from"), _date(self.end, "--to")
        check_date_range(start, end)
        set_(self, "start", start.isoformat() if start else "")
        set_(self, "end", end.isoformat() if end else "")
        set_(self, "bounds", None if self.bounds is None else check_bounds(self.bounds))
        set_(self, "at", None if self.at is None else check_at(self.at))

    @classmethod
    def from_options(cls, *, layers: str | None = None, types: str | None = None,
                     status: str | None = None, bounds: str | None = None,
                     date_from: str | None = None, date_to: str | None = None,
                     sources: Iterable[str] = ()) -> "ViewState":
        """The view a command line asks for, from its option texts.

        Comma lists as the app takes them: absent (``None``) is not
        narrowed, ``none`` is nothing; ``bounds`` is ``S,W,N,E``.

        >>> ViewState.from_options(layers="strikes, places", status="none").statuses
        ()
        """
        return cls(layers=_comma_list(layers), types=_comma_list(types),
                   statuses=_comma_list(status),
                   bounds=None if bounds is None else _bounds_numbers(bounds),
                   start=date_from or "", end=date_to or "", sources=tuple(sources))

    @property
    def shown_layers(self) -> tuple[str, ...]:
        """The layers drawn: those chosen, or the app's first view."""
        return DEFAULT_LAYERS if self.layers is None else self.layers

    def feature_filter(self) -> dict[str, tuple[str, ...] | None]:
        """``layers``, ``types`` and ``statuses`` for the report's features,
        as keyword arguments of :func:`mapapp.model.filters.filter_features`
        (and the web map).  Names of event sets match no feature."""
        return {"layers": tuple(v for v in self.shown_layers if v in LAYERS),
                "types": None if self.types is None else
                tuple(v for v in self.types if v in ALL_TYPES),
                "statuses": self.statuses}

    def visible(self, report_map: ReportMap) -> tuple[Feature, ...]:
        """The report's features this view shows (by name, not by bounds)."""
        # The names were checked on construction: no need for filter_features' check.
        wanted = self.feature_filter()
        layers, types, statuses = wanted["layers"], wanted["types"], wanted["statuses"]
        return tuple(f for f in report_map.features
                     if f.layer in layers and (types is None or f.type in types)
                     and (statuses is None or f.status in statuses))

    def event_filter(self) -> EventFilter:
        """The rows of the event table this view shows: its sources, days,
        bounds and names (what is not narrowed is no condition)."""
        bbox = None
        if self.bounds is not None:
            (south, west), (north, east) = self.bounds
            bbox = (west, south, east, north)
        return EventFilter(sources=self.sources, start=_date(self.start, "--from"),
                           end=_date(self.end, "--to"), bbox=bbox, layers=self.layers,
                           types=self.types, statuses=self.statuses)

    def to_query(self) -> dict[str, str]:
        """Query parameters, leaving out whatever shows what the default shows.

        The bounds stay out (an image's frame); ``at``, the web map's centre
        and zoom, goes in as ``at=lat,lon,zoom``.
        """
        query: dict[str, str] = {}
        for key, value, everything in (("layers", self.layers, DEFAULT_LAYERS),
                                       ("types", self.types, ALL_TYPES),
                                       ("status", self.statuses, STATUSES)):
            if value is not None and value != everything:
                query[key] = ",".join(value) if value else "none"
        if self.basemap != "offline":
            query["basemap"] = self.basemap
        if self.selected:
            query["feature"] = self.selected
        if self.sources:
            query["sources"] = ",".join(self.sources)
        if self.start:
            query["from"] = self.start
        if self.end:
            query["to"] = self.end
        if self.areas:
            query["areas"] = self.areas
        if self.at:
            query["at"] = format_at(self.at)
        return query

    def with_selected(self, feature_id: str) -> "ViewState":
        return replace(self, selected=feature_id)


def as_view(view: Any) -> ViewState:
    """``view`` itself (already checked), :class:`ViewState()` for None;
    anything else is refused: only a ViewState is known to be checked."""
    if view is None:
        return ViewState()
    if not isinstance(view, ViewState):
        raise OptionError(f"view must be a ViewState, not {type(view).__name__}")
    return view


def _names(option: str, given: Any, known: tuple[str, ...]) -> tuple[str, ...] | None:
    """Names from ``known`` in its order, or an OptionError naming ``option``."""
    if given is None:
        return None
    if isinstance(given, str):  # a name's letters would each be reported unknown
        raise OptionError(f"{option} {given!r}: expected a list of names, not one string")
    try:
        wanted = list(given)
    except TypeError:
        raise OptionError(f"{option}: expected a list of names, not "
                          f"{type(given).__name__}") from None
    unknown = [str(v) for v in wanted if v not in known]
    if unknown:
        raise OptionError(f"{option}: unknown {', '.join(unknown)} "
                          f"(known: {', '.join(known)}, or none)")
    return tuple(v for v in known if v in wanted)


def _sources(given: Any) -> tuple[str, ...]:
    if isinstance(given, str) or not all(isinstance(v, str) for v in given):
        raise OptionError(f"--source {given!r}: expected a list of source names")
    return tuple(dict.fromkeys(given))


def _date(value: Any, option: str) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_date(None if value is None else str(value), option)


def _comma_list(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    if text.strip().lower() == "none":
        return ()
    return tuple(v.strip() for v in text.split(",") if v.strip())


def from_query(query: Mapping[str, object], *, feature_ids: set[str] | None = None,
               default_basemap: str = "offline",
               source_names: tuple[str, ...] = (),
               area_names: tuple[str, ...] = ()) -> tuple[ViewState, list[str]]:
    """A view from query parameters, and notes on anything ignored.

    Never raises: whatever a link holds that a view would refuse is left
    out, with a note.  ``source_names`` are the imported event sets a link
    may name, ``area_names`` the control maps.
    """
    notes: list[str] = []

    def pick(key: str, allowed: tuple[str, ...], default):
        raw = _one(query.get(key))
        if raw is None:
            return default
        if raw == "none":
            return ()
        wanted = [v for v in raw.split(",") if v]
        unknown = [v for v in wanted if v not in allowed]
        if unknown:
            notes.append(f"Ignored unknown {key} in the link: {', '.join(unknown)}")
        return tuple(v for v in allowed if v in wanted)

    # A link chooses among what the app's widgets offer: the report's names.
    layers = pick("layers", LAYERS, None)
    types = pick("types", ALL_TYPES, None)
    statuses = pick("status", STATUSES, None)
    basemap = _one(query.get("basemap")) or default_basemap
    if basemap not in BASEMAPS:
        notes.append(f"Ignored unknown basemap in the link: {basemap}")
        basemap = default_basemap
    selected = _one(query.get("feature")) or ""
    if selected and feature_ids is not None and selected not in feature_ids:
        notes.append(f"Ignored unknown feature in the link: {selected}")
        selected = ""
    sources = pick("sources", source_names, ())
    dates: list[str] = []
    for key in ("from", "to"):
        raw = _one(query.get(key)) or ""
        try:
            day = _date(raw, f"--{key}")
        except OptionError:
            notes.append(f"Ignored a {key} date in the link that is not YYYY-MM-DD: {raw}")
            day = None
        dates.append(day.isoformat() if day else "")
    if dates[0] and dates[1] and dates[1] < dates[0]:
        notes.append(f"Ignored dates in the link that end before they start: "
                     f"{dates[0]} to {dates[1]}")
        dates = ["", ""]
    at = None
    raw_at = _one(query.get("at"))
    if raw_at:
        try:
            at = parse_at(raw_at)
        except OptionError as err:
            notes.append(f"Ignored a map position in the link: {err}")
    areas = _one(query.get("areas")) or ""
    if areas and areas not in area_names:
        notes.append(f"Ignored unknown control map in the link: {areas}")
        areas = ""
    view = ViewState(layers=layers, types=types, statuses=statuses, basemap=basemap,
                     selected=selected, sources=sources, start=dates[0], end=dates[1],
                     areas=areas, at=at)
    return view, notes


def _one(value: object) -> str | None:
    """Streamlit gives str; other callers may give a list of repeats."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return str(value)


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
    """``"south,west,north,east"`` (degrees) as ``((south, west), (north, east))``,
    checked as :func:`check_bounds` does.

    >>> parse_bounds("44, 22, 53, 41")
    ((44.0, 22.0), (53.0, 41.0))
    """
    return check_bounds(_bounds_numbers(text))


def _bounds_numbers(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The four numbers of ``--bounds``, not yet checked."""
    parts = [p.strip() for p in str(text).split(",")]
    try:
        south, west, north, east = (float(p) for p in parts)
    except ValueError:
        raise OptionError(f"--bounds {text!r}: expected four numbers "
                          "south,west,north,east in degrees, e.g. 44,22,53,41") from None
    return (south, west), (north, east)


def check_bounds(bounds: Any) -> Bounds:
    """``bounds`` as floats, or an OptionError naming ``--bounds``.  The one
    check of a frame: :class:`ViewState` calls it."""
    try:
        (south, west), (north, east) = bounds
        south, west, north, east = (float(v) for v in (south, west, north, east))
    except (TypeError, ValueError, OverflowError):
        raise OptionError(f"--bounds {bounds!r}: expected ((south, west), (north, east))") from None
    problem = view_problem(south, west, north, east)
    if problem:
        raise OptionError(f"--bounds {bounds!r}: {problem}")
    return (south, west), (north, east)


def check_at(at: Any) -> At:
    """``(lat, lon, zoom)`` as floats inside what the web map can show, or an
    OptionError naming ``at``."""
    try:
        lat, lon, zoom = (float(v) for v in at)
    except (TypeError, ValueError, OverflowError):
        raise OptionError(f"at {at!r}: expected latitude, longitude and zoom") from None
    if not all(math.isfinite(v) for v in (lat, lon, zoom)):
        raise OptionError(f"at {at!r}: expected finite numbers")
    if not -MAX_LAT <= lat <= MAX_LAT or not -180 <= lon <= 180:
        raise OptionError(f"at {at!r}: latitude must lie within -{MAX_LAT:g}..{MAX_LAT:g} "
                          "and longitude within -180..180")
    if not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        raise OptionError(f"at {at!r}: zoom must lie within {ZOOM_RANGE[0]:g}..{ZOOM_RANGE[1]:g}")
    return lat, lon, zoom


def parse_at(text: str) -> At:
    """``"lat,lon,zoom"`` from a link, checked as :func:`check_at` does.

    >>> parse_at("46.6,32.6,8.25")
    (46.6, 32.6, 8.25)
    """
    return check_at(str(text).split(","))


def format_at(at: At) -> str:
    """The link's form of ``at``: a few metres and a quarter zoom step are enough.

    >>> format_at((46.63518, 32.61662, 8.25))
    '46.6352,32.6166,8.25'
    """
    lat, lon, zoom = at
    return f"{lat:.4f},{lon:.4f},{zoom:g}"


def at_from_leaflet(center: object, zoom: object) -> At | None:
    """``(lat, lon, zoom)`` from st_folium's returned ``center`` and ``zoom``,
    or None when missing or malformed.  Longitudes are wrapped: Leaflet
    counts past ±180 after panning round the world.

    >>> at_from_leaflet({"lat": 46.6, "lng": 392.6}, 8)
    (46.6, 32.60000000000002, 8.0)
    >>> at_from_leaflet(None, 8) is None
    True
    """
    try:
        lat, lon, z = float(center["lat"]), float(center["lng"]), float(zoom)  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    lon = ((lon + 180) % 360) - 180
    lat = min(max(lat, -MAX_LAT), MAX_LAT)
    z = min(max(z, ZOOM_RANGE[0]), ZOOM_RANGE[1])
    try:
        return check_at((lat, lon, z))
    except OptionError:
        return None
