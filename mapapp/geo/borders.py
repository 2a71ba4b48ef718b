"""Whether points lie in the country their rows name, by Natural Earth's borders.

ACLED and UCDP name a country on every row.  A point outside it is usually
an event at a border or a coast, sometimes a typo, and sometimes latitude
and longitude written the wrong way round: read the other way round, such
a point falls inside the country it names.  :func:`check_countries`
answers for whole columns at once, with one shapely call per country
named, never one per row.

>>> import numpy as np
>>> found = check_countries(np.array([30.52, 48.61, 30.52, 48.61]),
...                         np.array([50.45, 35.42, 50.45, 35.42]),
...                         np.array(["Ukraine", "Ukraine", "Poland", "Atlantis"], dtype=object))
>>> found.known.tolist(), found.swapped.tolist(), found.far.tolist()
([True, True, True, False], [False, True, False, False], [False, True, True, False])
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

FAR_KM = 50.0  # a point further outside its country than this is worth a warning
NEAR_KM = 10.0  # a swapped point this close to its country counts as in it
# One degree of latitude on a sphere of the mean Earth radius (6,371 km).
KM_PER_DEGREE = 111.195
# Degrees of longitude shrink towards the poles; distances are measured on a
# plane scaled for the rows' own latitude, never below this factor (about 87°).
_MIN_SCALE = 0.05


@dataclass(frozen=True)
class CountryCheck:
    """One boolean array per question, aligned with the points asked about."""

    known: Any    # the row names a country Natural Earth has a shape for
    far: Any      # outside that country by more than ``far_km``
    swapped: Any  # far outside, but in it (or within NEAR_KM) read as (lat, lon)


def check_countries(lon: Any, lat: Any, countries: Any, *, far_km: float = FAR_KM) -> CountryCheck:
    """Check each point (``lon``, ``lat``) against the country its row names.

    ``countries`` are names or ISO codes (``"Ukraine"``, ``"UA"``, ``"UKR"``),
    matched case-insensitively; a blank or unknown one, or a point that is
    not a pair of finite numbers, is not checked (all three answers False).

    A point within ``far_km`` of the border is never called swapped: borders,
    coasts and imprecise places put real events there, and a large country
    (Russia) may hold both readings of a point near the line lat = lon.  A
    swapped reading within :data:`NEAR_KM` of the country counts as in it.
    Distances are measured on a plane whose longitudes are scaled for the
    median latitude of the country's rows: within a few per cent where the
    rows lie close together, as events of one country do.
    """
    import numpy as np
    import pandas as pd

    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    known = np.zeros(len(lon), dtype=bool)
    far = np.zeros(len(lon), dtype=bool)
    swapped = np.zeros(len(lon), dtype=bool)
    names = pd.Series(countries, dtype="string").fillna("").str.strip().str.casefold()
    usable = names.ne("").to_numpy() & np.isfinite(lon) & np.isfinite(lat)
    if not usable.any():
        return CountryCheck(known, far, swapped)
    # Names to Natural Earth's countries by one hash join, however many
    # distinct (or hostile) names a file holds; then one group per country.
    country = names[usable].map(_country_index()).fillna(-1).astype("int64").to_numpy()
    rows = np.flatnonzero(usable)
    order = np.argsort(country, kind="stable")
    found = np.unique(country[country >= 0])
    starts = np.searchsorted(country[order], found)
    ends = np.searchsorted(country[order], found, side="right")
    for position, start, end in zip(found, starts, ends):
        group = rows[order[start:end]]
        shape = _shape(int(position))
        known[group] = True
        outside = group[~_near(shape, lon[group], lat[group], far_km)]
        far[outside] = True
        # Read the other way round: in the country, or on its coast or a
        # border river (Natural Earth's 1:10m land leaves Kherson 300 m out).
        swapped[outside] = _near(shape, lat[outside], lon[outside], NEAR_KM)
    return CountryCheck(known, far, swapped)


def _near(shape: Any, x: Any, y: Any, km: float) -> Any:
    """Which points (``x``, ``y``) lie inside ``shape`` or within ``km`` of it."""
    import numpy as np
    import shapely

    near = shapely.contains_xy(shape, x, y)
    # Only points near the shape's bounds need a distance (a GEOS point
    # each); a degree east is shortest at the bounds' poleward edge.
    west, south, east, north = shapely.bounds(shape)
    reach_lat = km / KM_PER_DEGREE
    edge = min(max(abs(south), abs(north)) + reach_lat, 90.0)
    reach_lon = reach_lat / max(float(np.cos(np.radians(edge))), _MIN_SCALE)
    ask = ~near & (y >= south - reach_lat) & (y <= north + reach_lat) \
        & (x >= west - reach_lon) & (x <= east + reach_lon)
    if not ask.any():
        return near
    # Scale longitudes so that a degree east is as long as a degree north
    # where these points are: then one distance in degrees is the same
    # number of km both ways.
    scale = max(float(np.cos(np.radians(np.median(y[ask])))), _MIN_SCALE)
    scaled = shapely.transform(shape, lambda xy: xy * (scale, 1.0))
    shapely.prepare(scaled)
    near[ask] = shapely.dwithin(scaled, shapely.points(x[ask] * scale, y[ask]), reach_lat)
    return near


@functools.lru_cache(maxsize=1)
def _country_index() -> dict[str, int]:
    """Every name and code of a Natural Earth country, case-folded, to its
    position: the same answer as :func:`mapapp.geo.basemap.country_row`."""
    from mapapp.geo.basemap import COUNTRY_KEYS, country_table  # read only when asked

    frame = country_table()
    index: dict[str, int] = {}
    for column in COUNTRY_KEYS:
        for position, key in enumerate(frame[column].astype(str).str.strip().str.casefold()):
            if key and key != "-99":  # Natural Earth's "no code"
                index.setdefault(key, position)
    return index


@functools.lru_cache(maxsize=256)
def _shape(position: int) -> Any:
    """The prepared shape of the Natural Earth country at ``position``."""
    import shapely

    from mapapp.geo.basemap import country_shape_at

    shape = country_shape_at(position)
    # Preparing builds an index once for all the points tested against it;
    # the shape itself, maybe shared with the basemap, is unchanged.
    shapely.prepare(shape)
    return shape


__all__ = ["FAR_KM", "CountryCheck", "check_countries"]
