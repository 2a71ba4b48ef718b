"""Features in words, as plain text: labels, dates, claims, the details
panel and the feature table.

The table is the text alternative to the map (also for screen readers), so
it carries the same facts as a popup.  Values are plain text, to be shown as
plain text (no escaping makes arbitrary text safe in Streamlit's Markdown).
"""

from __future__ import annotations

from typing import Any

from mapapp import styles
from mapapp.model import LAYER_LABELS, STATUS_LABELS, Feature, ReportMap


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
    if feature.evidence:
        spans = ", ".join(f"{start}–{end}" for start, end in feature.evidence[:6])
        more = f" and {len(feature.evidence) - 6} more" if len(feature.evidence) > 6 else ""
        rows.append(("Found in the text", f"characters {spans}{more} of the report's text, "
                                          "drafted by the geoparser and reviewed"))
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


def event_details(event: Any, source: Any = None) -> list[tuple[str, str]]:
    """Label/value pairs for one row of the event table (see
    :mod:`mapapp.model.events`), with its source's catalogue entry."""
    from mapapp.model.events import EVENT_TYPES, PLACE_PRECISIONS, TIME_PRECISIONS

    def given(name: str) -> str:
        value = event.get(name)
        return "" if value is None or (not isinstance(value, str) and pd_isna(value)) else str(value)

    start, end = event["date_start"], event["date_end"]
    when = f"{start:%Y-%m-%d}" + (f" to {end:%Y-%m-%d}" if end is not None and not pd_isna(end)
                                  and end != start else "")
    precision = given("time_precision")
    if precision:
        when += f" ({TIME_PRECISIONS.get(precision, precision).lower()})"
    where = ", ".join(v for v in (given("name"), given("admin1"), given("country")) if v)
    place = given("place_precision")
    rows = [("Type", EVENT_TYPES.get(given("type"), type_label(given("type")))
             + (f": {given('sub_type')}" if given("sub_type") else "")),
            ("Status", f"{given('status')}: " + (
                # A dataset's events are reports it collected, not officials' own.
                "reported in the sources the dataset cites" if given("layer") == "events"
                and given("status") == "reported" else STATUS_LABELS.get(given("status"), ""))),
            ("Event date", when),
            ("Where", where + (f" ({PLACE_PRECISIONS.get(place, place).lower()})" if place
                               else ""))]
    actors = " vs ".join(v for v in (given("actor1"), given("actor2")) if v)
    if actors:
        rows.append(("Actors", actors))
    if given("fatalities"):
        low, high = given("fatalities_low"), given("fatalities_high")
        rows.append(("Fatalities", given("fatalities") + (f" (between {low} and {high})"
                                                          if low and high else "")))
    if given("claimed_by"):
        rows.append(("Reported by", given("claimed_by")))
    if given("summary"):
        rows.append(("Notes (the source's own words)", given("summary")))
    if given("report_date"):
        rows.append(("Report date", given("report_date")[:10]))
    if given("located"):
        rows.append(("Located", given("located")))
    origin = f"{source.title} ({source.publisher}); licence: {source.licence}" if source else \
        given("source")
    from mapapp.model.events import row_unit

    unit = row_unit(source.kind) if source else "row"
    rows.append(("Source", f"{origin}; {unit} {given('row')} of "
                           f"{source.file if source else 'the file'}"))
    return rows


def pd_isna(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def event_rows(events: Any) -> Any:
    """The event table as a reader's table: plain columns, dates as text."""
    import pandas as pd

    from mapapp.model.events import EVENT_TYPES

    return pd.DataFrame({
        "Date": events["date_start"].dt.strftime("%Y-%m-%d"),
        "Type": events["type"].astype(str).map(lambda t: EVENT_TYPES.get(t, t)),
        "Where": events["name"].astype(object).fillna(""),
        "Region": events["admin1"].astype(object).fillna(""),
        "Actors": (events["actor1"].astype(object).fillna("") + " / "
                   + events["actor2"].astype(object).fillna("")).str.strip(" /"),
        "Fatalities": events["fatalities"],
        "Reported by": events["claimed_by"].astype(object).fillna(""),
        "Source": events["source"].astype(str) + ", row " + events["row"].astype(str),
    })
