"""Features to GeoJSON, one FeatureCollection per map layer.

Each GeoJSON feature carries its display properties as plain text (the
data is untrusted text from a news report: the page's script puts it on
screen with ``textContent``, never as markup) and the drawing instructions
from :mod:`mapapp.styles`: the key of a shared marker ``symbol`` for
points, a ``style`` for lines and areas, and the CSS ``classes`` that
browser tests and lessons use to find a feature.

>>> from mapapp.layers import filter_features
>>> filter_features((), layers={"strikes"})
()
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely

from mapapp import styles
from mapapp.errors import OptionError
from mapapp.model import ALL_TYPES, LAYERS, STATUS_LABELS, STATUSES, Feature, ReportMap

COORD_DECIMALS = 5  # about 1 m

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


def type_label(type_: str) -> str:
    for table in (styles.POINT_SYMBOLS, styles.LINE_STYLES, styles.AREA_STYLES):
        if type_ in table:
            return str(table[type_]["label"])
    return type_.replace("_", " ").capitalize()


def date_text(value: str) -> str:
    """``"2022-11-15/2022-11-16"`` -> ``"2022-11-15 to 2022-11-16"``."""
    if "/" in value:
        start, _, end = value.partition("/")
        return f"{start} to {end}"
    return value


def claim_text(claim) -> str:
    """Who says what, in one line (plain text).

    >>> from mapapp.model import Claim
    >>> claim_text(Claim(by="Russian government", says="Not us.", paragraph=5, stance="denies"))
    'Russian government (denies): Not us. (para. 5)'
    """
    who = f"{claim.by} (denies)" if claim.stance == "denies" else claim.by
    return f"{who}: {claim.says} (para. {claim.paragraph})"


# Layers whose geometry is an assessment of a moving situation.
SITUATION_LAYERS = ("front_lines", "control_areas")


def as_of_text(feature: Feature, default_as_of: str = "") -> str:
    """"Approximate, as of DATE" for front lines, control areas and any
    feature flagged approximate; "As of DATE" when only a date is given."""
    situation = feature.layer in SITUATION_LAYERS
    date = feature.as_of or (default_as_of if situation else "")
    if situation or feature.approximate:
        return f"Approximate, as of {date}" if date else "Approximate"
    return f"As of {date}" if date else ""


def display_properties(feature: Feature, *, kind: str | None = None,
                       default_as_of: str = "", parent: Feature | None = None) -> dict[str, Any]:
    """The feature's text fields, as plain text, for GeoJSON properties.

    ``parent`` is the event the feature is part of (the strike wave), whose
    name and figures (85 launched, 70 shot down) the popup repeats.
    """
    return {
        "id": feature.id,
        "css_id": styles.css_token(feature.id),
        "layer": feature.layer,
        "type": feature.type,
        "type_label": type_label(feature.type),
        "status": feature.status,
        "status_label": STATUS_LABELS.get(feature.status, feature.status),
        "name": feature.display_name,
        "event_date": date_text(feature.event_date),
        "report_date": feature.report_date,
        "summary": feature.summary,
        "claims": [claim_text(c) for c in feature.claims],
        "figures": [fig.text() for fig in feature.figures],
        "citation": feature.citation.text(),
        "location": feature.location.text(),
        "approximate": bool(feature.approximate),
        "as_of": as_of_text(feature, default_as_of),
        "part_of": feature.part_of,
        "part_of_name": parent.name if parent else "",
        "part_of_figures": [fig.text() for fig in parent.figures] if parent else [],
        "kind": kind or "",
    }


def _rounded_geojson(geometry: Any) -> dict[str, Any]:
    geom = shapely.transform(geometry, lambda xy: np.round(xy, COORD_DECIMALS))
    return json.loads(shapely.to_geojson(geom))


def feature_to_geojson(feature: Feature, *, selected: bool = False, default_as_of: str = "",
                       parent: Feature | None = None) -> dict[str, Any] | None:
    """One GeoJSON Feature, or ``None`` when the feature has no geometry."""
    kind = geometry_kind(feature.geometry)
    if kind is None:
        return None
    props = display_properties(feature, kind=kind, default_as_of=default_as_of, parent=parent)
    props["selected"] = bool(selected)
    if kind == "point":
        props["symbol"] = styles.marker_key(feature.layer, feature.type, feature.status,
                                            selected=selected)
        props["classes"] = styles.feature_classes(feature.id, feature.layer, feature.type,
                                                  feature.status, selected=selected)
    else:
        props["style"] = styles.path_style(kind, feature.id, feature.layer, feature.type,
                                           feature.status, selected=selected)
    return {"type": "Feature", "id": feature.id, "properties": props,
            "geometry": _rounded_geojson(feature.geometry)}


def layer_collections(report_map: ReportMap, *, layers: Iterable[str] | None = None,
                      types: Iterable[str] | None = None, statuses: Iterable[str] | None = None,
                      selected: str | Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """``{layer: FeatureCollection}`` in drawing order, for the shown layers.

    Layers left with no drawable feature after filtering are omitted.
    Features without geometry (listed, not drawn) are skipped.  ``selected``
    is one feature id or several (a lesson step highlights a few).
    """
    chosen = {selected} if isinstance(selected, str) else set(selected or ())
    shown = filter_features(report_map.features, layers=layers, types=types, statuses=statuses)
    by_id = {f.id: f for f in report_map.features}
    out: dict[str, dict[str, Any]] = {}
    for layer in LAYERS:
        feats = []
        for feature in shown:
            if feature.layer != layer:
                continue
            gj = feature_to_geojson(feature, selected=feature.id in chosen,
                                    default_as_of=report_map.front_line_as_of,
                                    parent=by_id.get(feature.part_of))
            if gj is not None:
                feats.append(gj)
        if feats:
            out[layer] = {"type": "FeatureCollection", "features": feats}
    return out
