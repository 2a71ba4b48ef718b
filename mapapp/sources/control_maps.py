"""A control map's snapshot as map features, in place of the report's own.

A snapshot (see :mod:`mapapp.store.snapshots`) becomes features of the
report's ``control_areas`` and ``front_lines`` layers, so the web map, the
details panel, the tables and the static exports draw and describe it as
they do the report's: each feature names its source, the day it shows, the
layer and feature number in the imported file, and its status "assessed"
(a published control map is an analyst's assessment).  The report's own
hand-drawn line and areas are the fallback when no control map is chosen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from mapapp.geo.compare import derived_line
from mapapp.model import Citation, Feature, Location, ReportMap
from mapapp.model.vocab import AREA_CATEGORIES, FRONT_LINE_CATEGORY

# A control map's categories as the map's feature types.
CATEGORY_TYPES: dict[str, str] = {
    "occupied": "russian_held",
    "occupied_before_2022": "held_before_2022",
    "unknown": "contested",
    "returned": "returned_to_ukraine",
    FRONT_LINE_CATEGORY: "front_line",
}
# The report's features a control map stands in for: its areas and its
# current line (a former line is history the report tells, and stays).
REPLACED_TYPES = ("russian_held", "held_before_2022", "contested", "returned_to_ukraine",
                  "front_line")


def snapshot_features(source: Any, day: dt.date, areas: Any, country: Any = None, *,
                      file: str = "") -> tuple[Feature, ...]:
    """The snapshot ``areas`` of area source ``source`` (a catalogue entry)
    dated ``day``, as features.  A control map has tens of features, so one
    object each is fine here (events are never made into features).

    A map that draws areas but no line gets the line its areas imply
    inside ``country`` (see :func:`mapapp.geo.compare.derived_line`),
    labelled as derived.  ``file`` names the file this date came from (the
    source's entry names only the last one imported)."""
    stem = "map-" + re.sub(r"[^a-z0-9]+", "-", source.name.lower()).strip("-")
    citation = Citation(publisher=source.publisher, headline=source.title,
                        date=day.isoformat(), paragraphs=())
    features = []
    for n, row in enumerate(areas.itertuples(index=False), 1):
        type_ = CATEGORY_TYPES[row.category]
        line = type_ == "front_line"
        what = "The front line" if line else AREA_CATEGORIES[row.category]
        name = str(row.name or "").strip() or what
        location = Location(method="cited", source=f"control map {source.name}",
                            precision="approximate",
                            note=f"Feature {row.feature} of layer “{row.layer}” in "
                                 f"{file or source.file or 'the imported file'}"
                                 f"; licence: {source.licence}")
        features.append(Feature(
            id=f"{stem}-{day.isoformat()}-{n}", layer="front_lines" if line else "control_areas",
            type=type_, name=name, status="assessed", event_date=day.isoformat(),
            report_date=day.isoformat(), citation=citation, location=location,
            summary=f"{what}, as {source.publisher} mapped it for {day.isoformat()}.",
            geometry=row.geometry, approximate=True, as_of=day.isoformat()))
    if country is not None and not (areas["category"] == FRONT_LINE_CATEGORY).any():
        line = derived_line(areas, country)
        if not line.is_empty:
            features.append(Feature(
                id=f"{stem}-{day.isoformat()}-line", layer="front_lines", type="front_line",
                name="The front line (derived)", status="assessed",
                event_date=day.isoformat(), report_date=day.isoformat(), citation=citation,
                location=Location(method="derived", source=f"control map {source.name}",
                                  precision="approximate",
                                  note="the edge of the areas it marks as Russian-held, "
                                       "without the stretches along borders and coasts"),
                summary=f"Where the areas {source.publisher} mapped for {day.isoformat()} "
                        "as Russian-held meet the rest of the country.",
                geometry=line, approximate=True, as_of=day.isoformat()))
    return tuple(features)


def shown_features(source: Any, day: dt.date, areas: Any) -> tuple[Feature, ...]:
    """The snapshot of ``day`` as the app and images draw it: with the line
    its areas imply inside the country, and the file of that date cited."""
    from mapapp.geo.gazetteer import country_geometry
    from mapapp.sources.report_folder import THEATRE_COUNTRY
    from mapapp.store.snapshots import snapshot_file_name

    return snapshot_features(source, day, areas, country_geometry(THEATRE_COUNTRY),
                             file=snapshot_file_name(Path(source.folder), day))


def map_credit(source: Any, day: dt.date) -> str:
    """The credit line of a control map shown: whose it is, on what terms, of when."""
    return f"Control areas: {source.title} ({source.publisher}; {source.licence}), as of {day}"


CHANGE_TYPES = {"gained": "change_taken", "returned": "change_returned",
                "contested": "change_contested"}


def change_features(source: Any, start: dt.date, end: dt.date,
                    changed: Any) -> tuple[Feature, ...]:
    """The pieces that changed hands between ``start`` and ``end`` (a frame
    from :func:`mapapp.geo.compare.changes`) as features of the control
    areas layer, each summarised in words with its km²."""
    from mapapp.geo.compare import change_text

    stem = "change-" + re.sub(r"[^a-z0-9]+", "-", source.name.lower()).strip("-")
    citation = Citation(publisher=source.publisher, headline=source.title,
                        date=end.isoformat(), paragraphs=())
    location = Location(method="derived", source=f"control map {source.name}",
                        precision="approximate",
                        note=f"the difference between its maps of {start} and {end}, "
                             "measured in an equal-area projection")
    return tuple(Feature(
        id=f"{stem}-{start}-{end}-{n}", layer="control_areas", type=CHANGE_TYPES[row.change],
        name=f"Around {row.place}" if row.place else "Changed hands",
        summary=change_text(row.change, row.km2, row.place, start, end) + ".",
        status="assessed", event_date=f"{start}/{end}", report_date=end.isoformat(),
        citation=citation, location=location, geometry=row.geometry, approximate=True,
        as_of=end.isoformat())
        for n, row in enumerate(changed.itertuples(index=False), 1))


def outline_feature(source: Any, day: dt.date, areas: Any) -> Feature:
    """The land control map ``source`` (its snapshot ``areas`` of ``day``)
    marks as held by Russia, as one outline to lay over another map."""
    from mapapp.geo.compare import held

    stem = "compare-" + re.sub(r"[^a-z0-9]+", "-", source.name.lower()).strip("-")
    return Feature(
        id=f"{stem}-{day.isoformat()}", layer="control_areas", type="other_map_held",
        name=f"Held by Russia in {source.name}",
        summary=f"What {source.publisher} mapped as held by Russia for {day.isoformat()}, "
                "laid over the map shown to compare them.",
        status="assessed", event_date=day.isoformat(), report_date=day.isoformat(),
        citation=Citation(publisher=source.publisher, headline=source.title,
                          date=day.isoformat(), paragraphs=()),
        location=Location(method="cited", source=f"control map {source.name}",
                          precision="approximate", note=f"Licence: {source.licence}"),
        geometry=held(areas), approximate=True, as_of=day.isoformat())


# Changes said on a credit line: the largest few, and none a sliver.
CREDIT_CHANGES = 2
CREDIT_MIN_KM2 = 10.0


def credit_changes(changed: Any, start: dt.date, end: dt.date) -> str:
    """The largest changes in words, for a credit line ("" if none)."""
    from mapapp.geo.compare import change_text

    big = changed[changed["km2"] >= CREDIT_MIN_KM2].head(CREDIT_CHANGES)
    return ". ".join(change_text(r.change, r.km2, r.place, start, end)
                     for r in big.itertuples(index=False))


def with_control_map(report_map: ReportMap, features: tuple[Feature, ...],
                     day: dt.date) -> ReportMap:
    """``report_map`` with ``features`` (a snapshot's) in place of its own
    control areas and current front line, and the situation dated ``day``."""
    kept = tuple(f for f in report_map.features if f.type not in REPLACED_TYPES)
    return replace(report_map, features=kept + features, front_line_as_of=day.isoformat())
