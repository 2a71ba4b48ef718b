"""Choosing features: by layer, type and status, and what kind of shape each is.

>>> from mapapp.model.filters import filter_features
>>> filter_features((), layers={"strikes"})
()
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mapapp.errors import OptionError
from mapapp.model import ALL_TYPES, LAYERS, STATUSES, Feature

_KIND_BY_GEOM = {
    "Point": "point", "MultiPoint": "point",
    "LineString": "line", "MultiLineString": "line", "LinearRing": "line",
    "Polygon": "area", "MultiPolygon": "area",
}



def _check(kind: str, given: Iterable[str] | None, known: Iterable[str]) -> frozenset[str] | None:
    if given is None:
        return None
    if isinstance(given, str):
        given = (given,)
    wanted = frozenset(given)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise OptionError(f"unknown {kind}: {', '.join(unknown)} (known: {', '.join(known)})")
    return wanted


def filter_features(features: Iterable[Feature], *, layers: Iterable[str] | None = None,
                    types: Iterable[str] | None = None,
                    statuses: Iterable[str] | None = None) -> tuple[Feature, ...]:
    """Features whose layer, type and status are all in the given sets.

    ``None`` means "no filter"; an empty set shows nothing.  Unknown names
    raise ``ValueError`` (a typo would otherwise hide features silently).
    """
    layer_set = _check("layers", layers, LAYERS)
    type_set = _check("types", types, ALL_TYPES)
    status_set = _check("statuses", statuses, STATUSES)
    return tuple(
        f for f in features
        if (layer_set is None or f.layer in layer_set)
        and (type_set is None or f.type in type_set)
        and (status_set is None or f.status in status_set)
    )


def geometry_kind(geometry: Any) -> str | None:
    """``"point"``, ``"line"``, ``"area"``, or ``None`` for no geometry."""
    if geometry is None or getattr(geometry, "is_empty", False):
        return None
    kind = _KIND_BY_GEOM.get(geometry.geom_type)
    if kind is None:
        raise ValueError(f"cannot draw a {geometry.geom_type}")
    return kind
