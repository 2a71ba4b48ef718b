"""Features to GeoJSON, one FeatureCollection per map layer.

Each GeoJSON feature carries its display properties as plain text (the
data is untrusted text from a news report: the page's script puts it on
screen with ``textContent``, never as markup) and the drawing instructions
from :mod:`mapapp.styles`: the key of a shared marker ``symbol`` for
points, a ``style`` for lines and areas, and the CSS ``classes`` that
browser tests and lessons use to find a feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import numpy as np
import shapely

from mapapp import styles
from mapapp.model import LAYERS, STATUS_LABELS, Feature, ReportMap
from mapapp.model.describe import as_of_text, claim_text, date_text, located_text, type_label
from mapapp.model.filters import filter_features, geometry_kind

COORD_DECIMALS = 5  # about 1 m


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
        # For the reader, in plain words; the technical record (gazetteer
        # and version, reference, population) travels beside it as data.
        "location": located_text(feature, default_as_of),
        "location_source": {**asdict(feature.location), "text": feature.location.text()},
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
