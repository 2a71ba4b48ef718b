"""A small synthetic ReportMap for the web-map tests.

Coordinates are rough and made up for testing; they are not data.
"""

from __future__ import annotations

from shapely.geometry import LineString, Point, Polygon

from mapapp.model import Citation, Claim, Feature, Figure, Location, Report, ReportMap

REPORT = Report(id="test-report", publisher="Test Wire", headline="Missiles hit cities",
                date="2022-11-16", paragraphs=12)
CITE = Citation(publisher="Test Wire", headline="Missiles hit cities", date="2022-11-16", paragraphs=(1, 3))
GEOCODED = Location(method="geocoded", source="test", query="x", precision="city")
DERIVED = Location(method="derived", source="test", precision="approximate", note="Drawn by hand.")

EVIL = "<script>alert(1)</script>"
EVIL_IMG = '<img src=x onerror="alert(2)">'


def feature(fid: str, layer: str, type_: str, geometry, *, status: str = "reported",
            name: str | None = None, **kw) -> Feature:
    return Feature(
        id=fid, layer=layer, type=type_, name=name or fid.replace("-", " ").title(),
        summary=kw.pop("summary", f"Summary of {fid}."), status=status,
        event_date=kw.pop("event_date", "2022-11-15"), report_date="2022-11-16",
        citation=CITE, location=kw.pop("location", GEOCODED), geometry=geometry, **kw,
    )


def synthetic_map() -> ReportMap:
    """Features of every layer, several statuses, one hostile name."""
    features = (
        feature("kyiv-strike", "strikes", "missile_strike", Point(30.52, 50.45), status="reported",
                claims=(Claim(by="Mayor", says="Two residential buildings were hit", paragraph=3),
                        Claim(by="Ministry", says="no civilian targets", paragraph=4, stance="denies")),
                figures=(Figure(label="dead", value=1, claimed_by="Mayor", paragraph=3, qualifier="at least"),)),
        feature("lviv-strike", "strikes", "missile_strike", Point(24.03, 49.84), status="confirmed"),
        feature("kharkiv-strike", "strikes", "missile_strike", Point(36.23, 49.99), status="claimed"),
        feature("przewodow-explosion", "strikes", "explosion", Point(23.93, 50.47), status="disputed",
                name="Przewodów", event_date="2022-11-15"),
        feature("strike-wave", "strikes", "strike_wave", None, status="confirmed"),
        feature("front-line", "front_lines", "front_line",
                LineString([(31.0, 46.6), (32.6, 46.75), (33.4, 47.2), (35.5, 47.5), (37.5, 47.9),
                            (38.2, 49.0)]),
                status="assessed", approximate=True, as_of="2022-11-15", location=DERIVED),
        feature("former-front-line", "front_lines", "former_front_line",
                LineString([(32.0, 47.0), (33.2, 47.3), (33.9, 47.1)]), status="assessed",
                approximate=True, as_of="2022-11-09", location=DERIVED),
        feature("russian-held", "control_areas", "russian_held",
                Polygon([(33.0, 46.0), (35.0, 45.5), (38.0, 47.0), (38.2, 49.0), (35.5, 47.5),
                         (33.4, 47.2), (32.6, 46.75), (33.0, 46.0)]),
                status="assessed", approximate=True, location=DERIVED),
        feature("returned-west-bank", "control_areas", "returned_to_ukraine",
                Polygon([(32.0, 46.6), (32.6, 46.75), (33.4, 47.2), (33.0, 47.6), (32.0, 47.2),
                         (32.0, 46.6)]),
                status="confirmed", approximate=True, location=DERIVED),
        feature("kherson", "places", "city", Point(32.62, 46.64), status="confirmed", name_local="Херсон"),
        feature("henichesk", "places", "town", Point(34.82, 46.17), status="assessed"),
        feature("dnipro-river", "places", "river", LineString([(32.5, 46.6), (33.4, 46.9), (34.2, 47.5)]),
                status="confirmed"),
        feature("bali-meeting", "mentions", "meeting", Point(115.2, -8.7), status="confirmed"),
        feature("evil", "places", "village", Point(28.0, 49.0), status="unclear", name=EVIL,
                summary=f"Summary with {EVIL_IMG} inside",
                claims=(Claim(by=EVIL, says=EVIL_IMG, paragraph=2),)),
    )
    return ReportMap(report=REPORT, features=features, front_line_as_of="2022-11-15",
                     notes=("synthetic",))


def many_features_map(n: int = 30) -> ReportMap:
    """``synthetic_map()`` padded with extra points to about ``n`` features."""
    base = synthetic_map()
    extra = []
    kinds = [("strikes", "missile_strike"), ("places", "town"), ("places", "village"), ("mentions", "statement")]
    statuses = ["confirmed", "reported", "assessed", "claimed", "disputed", "unclear"]
    for i in range(max(0, n - len(base.features))):
        layer, type_ = kinds[i % len(kinds)]
        extra.append(feature(f"extra-{i}", layer, type_, Point(24 + (i * 0.57) % 15, 45.5 + (i * 0.31) % 6),
                             status=statuses[i % len(statuses)]))
    return ReportMap(report=base.report, features=base.features + tuple(extra),
                     front_line_as_of=base.front_line_as_of)
