"""Features to GeoJSON, one FeatureCollection per map layer.

Each GeoJSON feature carries display properties that are already
HTML-escaped (the data is untrusted text from a news report), the
ready-made tooltip and popup HTML, and the drawing instructions from
:mod:`mapapp.styles` (``icon`` for points, ``style`` for lines/areas), so
the browser side is a few lines of generic JavaScript.

>>> from mapapp.layers import filter_features
>>> filter_features((), layers={"strikes"})
()
"""

from __future__ import annotations

import html
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


def esc(text: Any) -> str:
    """HTML-escape any value as text (quotes too: safe inside attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


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
    """Who says what, in one line (plain text; escape it for HTML).

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
    """The feature's text fields, each HTML-escaped, for GeoJSON properties.

    ``parent`` is the event the feature is part of (the strike wave), whose
    name and figures (85 launched, 70 shot down) the popup repeats.
    """
    return {
        "id": esc(feature.id),
        "css_id": styles.css_token(feature.id),
        "layer": esc(feature.layer),
        "type": esc(feature.type),
        "type_label": esc(type_label(feature.type)),
        "status": esc(feature.status),
        "status_label": esc(STATUS_LABELS.get(feature.status, feature.status)),
        "name": esc(feature.display_name),
        "event_date": esc(date_text(feature.event_date)),
        "report_date": esc(feature.report_date),
        "summary": esc(feature.summary),
        "claims": [esc(claim_text(c)) for c in feature.claims],
        "figures": [esc(fig.text()) for fig in feature.figures],
        "citation": esc(feature.citation.text()),
        "location": esc(feature.location.text()),
        "approximate": bool(feature.approximate),
        "as_of": esc(as_of_text(feature, default_as_of)),
        "part_of": esc(feature.part_of),
        "part_of_name": esc(parent.name) if parent else "",
        "part_of_figures": [esc(fig.text()) for fig in parent.figures] if parent else [],
        "kind": kind or "",
    }


def tooltip_html(props: dict[str, Any]) -> str:
    """Name and status, from already-escaped properties."""
    return (f'<b>{props["name"]}</b><br><span class="mapapp-status">'
            f'{props["type_label"]} · {props["status_label"]}</span>')


def popup_html(props: dict[str, Any]) -> str:
    """The popup, from already-escaped properties (no raw data reaches it)."""
    parts = [
        f'<div class="mapapp-popup-body mapapp-popup-{props["css_id"]}">',
        f'<h4>{props["name"]}</h4>',
        f'<div class="mapapp-meta">{props["type_label"]} · <b>Status:</b> {props["status_label"]}</div>',
    ]
    if props["as_of"]:
        parts.append(f'<div class="mapapp-approx">{props["as_of"]}</div>')
    if props["summary"]:
        parts.append(f'<p>{props["summary"]}</p>')
    parts.append(
        "<dl>"
        f'<dt>Event date</dt><dd>{props["event_date"] or "not given"}</dd>'
        f'<dt>Report date</dt><dd>{props["report_date"] or "not given"}</dd>'
        "</dl>"
    )
    if props["claims"]:
        items = "".join(f"<li>{c}</li>" for c in props["claims"])
        parts.append(f"<h5>Who says what</h5><ul>{items}</ul>")
    if props["figures"]:
        items = "".join(f"<li>{f}</li>" for f in props["figures"])
        parts.append(f"<h5>Figures</h5><ul>{items}</ul>")
    if props.get("part_of_name"):
        items = "".join(f"<li>{f}</li>" for f in props["part_of_figures"])
        parts.append(f'<h5>Part of: {props["part_of_name"]}</h5>'
                     + (f"<ul>{items}</ul>" if items else ""))
    parts.append(f'<div class="mapapp-cite"><b>Source:</b> {props["citation"]}</div>')
    parts.append(f'<div class="mapapp-loc"><b>Located:</b> {props["location"]}</div>')
    parts.append("</div>")
    return "".join(parts)


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
    props["tooltip_html"] = tooltip_html(props)
    props["popup_html"] = popup_html(props)
    if kind == "point":
        props["icon"] = styles.marker_icon(feature.id, feature.layer, feature.type, feature.status,
                                           selected=selected, label=feature.display_name)
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
