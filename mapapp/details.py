"""Plain-text views of features: the details panel and the feature table.

The table is the text alternative to the map (also for screen readers), so
it carries the same facts as a popup.  Values are plain text, to be shown as
plain text (no escaping makes arbitrary text safe in Streamlit's Markdown).
"""

from __future__ import annotations

from .layers import claim_text, type_label
from .model import LAYER_LABELS, STATUS_LABELS, Feature, ReportMap


def feature_details(feature: Feature, report_map: ReportMap | None = None) -> list[tuple[str, str]]:
    """Label/value pairs for everything known about one feature."""
    rows = [
        ("Name", feature.display_name),
        ("Layer", LAYER_LABELS[feature.layer]),
        ("Type", type_label(feature.type)),
        ("Status", f"{feature.status}: {STATUS_LABELS[feature.status]}"),
        ("Summary", feature.summary),
        ("Event date", feature.event_date),
        ("Report date", feature.report_date),
    ]
    if feature.approximate:
        rows.append(("Shape", f"approximate, as of {feature.as_of}"))
    for claim in feature.claims:
        rows.append(("Claim", claim_text(claim)))
    for figure in feature.figures:
        rows.append(("Figure", f"{figure.text()} (para. {figure.paragraph})"))
    if feature.part_of and report_map is not None:
        try:
            wave = report_map.by_id(feature.part_of)
        except KeyError:
            wave = None
        if wave is not None:
            rows.append(("Part of", wave.name))
            for figure in wave.figures:
                rows.append(("Wave figure", f"{figure.text()} (para. {figure.paragraph})"))
    rows.append(("Located", feature.location.text()))
    rows.append(("Source", feature.citation.text()))
    return rows


def feature_rows(features) -> list[dict[str, str]]:
    """One row per feature for the table alternative to the map."""
    rows = []
    for f in features:
        rows.append({
            "id": f.id,
            "name": f.display_name,
            "layer": LAYER_LABELS[f.layer],
            "type": type_label(f.type),
            "status": f.status,
            "event date": f.event_date,
            "report date": f.report_date,
            "summary": f.summary,
            "claimed by": f.claimed_by,
            "located": f.location.text(),
            "paragraphs": ", ".join(str(p) for p in f.citation.paragraphs),
            "shape": f"approximate, as of {f.as_of}" if f.approximate else "",
        })
    return rows
