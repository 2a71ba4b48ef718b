"""Published control maps: areas and front lines from GeoJSON, KML or KMZ.

A control map (ISW's daily KMZ layers, a DeepStateMap export, a community
map) has its own legend.  Its features are mapped to the project's
categories (:data:`~mapapp.model.vocab.AREA_CATEGORIES`, and
``front_line`` for lines) by a small rules file per source format, or by
their own ``category`` property; a feature nothing maps is reported with
its layer and name, never guessed.

The file is read through pyogrio (GDAL's GeoJSON, KML and LIBKML drivers),
every layer of it.  Heights are dropped, multi-geometries and holes kept,
invalid rings repaired (and said), other coordinate systems reprojected to
WGS84.  A whole-file fault (too big, not what its name says, a zip that is
not a KMZ or that would unpack to far more than it holds, no polygons, a
layer far from the country) is one :class:`~mapapp.errors.DataError` naming
the file; nothing is written.

A rules file (JSON)::

    {"rules": [
      {"layer": "Assessed Russian-controlled*", "category": "occupied"},
      {"name": "Crimea*", "category": "occupied_before_2022"},
      {"property": "status", "value": "liberated", "category": "returned"},
      {"layer": "Front*", "category": "front_line"}
    ]}

Each rule looks at one thing: the layer (a KML folder), the feature's name,
or one property's value, matched as a case-blind shell pattern (``*``,
``?``).  The first rule that matches decides; a feature no rule matches
keeps its own ``category`` property if that is one of ours.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.errors import DataError
from mapapp.model.vocab import AREA_CATEGORIES, FRONT_LINE_CATEGORY
from mapapp.schema import check_texts, read_json, text_problem
from mapapp.sources.tables import RowLog, check_input_file

# A country's control map is a few MB (ISW's KMZ of all of Ukraine, under 10).
MAX_AREA_BYTES = 100_000_000
# What a KMZ may unpack to (no more than a plain KML may be), and how much
# more than its packed size a member may grow: a real KML compresses about
# 5 to 20 times, a zip bomb millions.
MAX_UNPACKED_BYTES = MAX_AREA_BYTES
MAX_PACK_RATIO = 200
MAX_RULES_BYTES = 1_000_000
CATEGORIES: tuple[str, ...] = (*AREA_CATEGORIES, FRONT_LINE_CATEGORY)
# What a rule may look at.
RULE_FIELDS = ("layer", "name", "property")
_ZIP_MAGIC = b"PK\x03\x04"
_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".kmz": "KMZ"}
# The GDAL drivers each kind of file may be read by, and no other.
_DRIVERS = {"GeoJSON": ("GeoJSON",), "KML": ("KML", "LIBKML"), "KMZ": ("KML", "LIBKML")}
# How far (degrees) a layer may lie from the country and still be its map.
NEAR_COUNTRY_DEG = 1.0


@dataclass(frozen=True)
class Rule:
    """Features whose ``field`` (layer, name, or the property ``key``) matches
    ``pattern`` belong to ``category``."""
    field: str
    pattern: str
    category: str
    key: str = ""  # the property, for field "property"

    def describe(self) -> str:
        what = f"property {self.key!r}" if self.field == "property" else self.field
        return f"{what} matching {self.pattern!r} -> {self.category}"


def load_rules(path: str | Path) -> tuple[Rule, ...]:
    """The rules in a JSON rules file; a DataError naming the file and the rule."""
    file = str(path)
    document = read_json(path, max_bytes=MAX_RULES_BYTES)
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise DataError('expected an object with a "rules" list', file=file)
    unknown = sorted(set(document) - {"rules", "about"})
    if unknown:
        raise DataError(f"unknown key(s) {', '.join(map(repr, unknown))}; expected "
                        '"rules" (and "about")', file=file)
    rules = []
    for n, raw in enumerate(document["rules"], 1):
        where = f"rule {n}"
        if not isinstance(raw, dict):
            raise DataError(f"{where}: expected an object", file=file)
        fields = [f for f in RULE_FIELDS if f in raw]
        extra = sorted(set(raw) - {*RULE_FIELDS, "value", "category"})
        if len(fields) != 1 or extra:
            raise DataError(f"{where}: give exactly one of layer, name or property (with "
                            f"value) and a category" + (f"; unknown {', '.join(extra)}"
                                                         if extra else ""), file=file)
        category = raw.get("category")
        if category not in CATEGORIES:
            raise DataError(f"{where}: category {category!r} is not one of "
                            f"{', '.join(CATEGORIES)}", file=file)
        field = fields[0]
        if field == "property":
            key, pattern = raw["property"], raw.get("value")
        else:
            key, pattern = "", raw[field]
        for label, text in (("pattern", pattern), ("property", key if field == "property"
                                                   else "x")):
            if not isinstance(text, str) or not text.strip() or len(text) > 300:
                raise DataError(f"{where}: the {label} must be a text of 1 to 300 characters",
                                file=file)
        check_texts({"pattern": pattern, "property": key}, short=("pattern", "property"),
                    long=(), file=file, feature=where)
        rules.append(Rule(field=field, pattern=pattern.strip(), category=category,
                          key=key.strip()))
    return tuple(rules)


def check_layer_file(path: Path) -> str:
    """What the file is (GeoJSON, KML or KMZ), or a DataError saying why it
    cannot be read; a KMZ is checked as a zip before GDAL opens it."""
    file = str(path)
    check_input_file(path, max_bytes=MAX_AREA_BYTES)
    with path.open("rb") as handle:
        head = handle.read(512)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC):
        if suffix != ".kmz":
            raise DataError(f"is a zip archive, not {_SUFFIXES.get(suffix, 'a map layer')}; a "
                            "zipped KML is read when named .kmz", file=file)
        _check_kmz(path)
        return "KMZ"
    if suffix == ".kmz":
        raise DataError("is not a KMZ: a KMZ is a zip archive holding a .kml file", file=file)
    if suffix not in _SUFFIXES:
        raise DataError(f"has suffix {suffix or '(none)'!r}; control maps are read from "
                        ".geojson, .json, .kml or .kmz files", file=file)
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        raise DataError("is a web page, not a map layer (was the page saved instead of the "
                        "download?)", file=file)
    # GDAL opens whatever it recognises, whatever the name says: a "virtual"
    # file (OGR VRT) would have it read other files or URLs.  The content
    # must be what the suffix says.
    kind = _SUFFIXES[suffix]
    if kind == "GeoJSON" and not text.startswith(b"{"):
        raise DataError("is not GeoJSON: a GeoJSON file starts with '{'", file=file)
    if kind == "KML" and b"<kml" not in text:
        raise DataError("is not KML: no <kml> element at its start", file=file)
    return kind


def _check_kmz(path: Path) -> None:
    file = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DataError(f"is not a readable zip archive ({err})", file=file) from err
    if not any(m.filename.lower().endswith(".kml") for m in members):
        names = ", ".join(m.filename for m in members[:5]) or "nothing"
        raise DataError(f"is a zip archive with no .kml file inside ({names}): not a KMZ",
                        file=file)
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError(f"would unpack to {unpacked:,} bytes, over the limit of "
                        f"{MAX_UNPACKED_BYTES:,}", file=file)
    for member in members:
        if member.file_size > MAX_PACK_RATIO * max(member.compress_size, 1) \
                and member.file_size > 1_000_000:
            raise DataError(f"member {member.filename!r} would grow {member.file_size:,} bytes "
                            f"from {member.compress_size:,}: a zip bomb, not a map", file=file)


def read_layer_file(path: str | Path, *, rules: tuple[Rule, ...] = (),
                    country: str = "UA") -> tuple[Any, RowLog]:
    """The control map at ``path`` as a GeoDataFrame (``category``, ``name``,
    ``layer``, ``feature``, geometry in EPSG:4326), and what was left out.

    ``feature`` numbers features within their layer from 1, as a GIS shows
    them; the log's rows are those numbers too, with the layer in the column.
    """
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    path = Path(path)
    file = str(path)
    kind = check_layer_file(path)
    log = RowLog(file=file, unit="feature")
    try:
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
        driver = pyogrio.read_info(path, layer=layers[0])["driver"] if layers else kind
    except Exception as err:  # pyogrio's errors carry GDAL's words; none is ours
        raise DataError(f"cannot be read as {kind}: {_first_line(err)}", file=file) from err
    if driver not in _DRIVERS[kind]:
        raise DataError(f"is read by GDAL as {driver}, not {kind}: refused", file=file)
    frames = []
    for layer in layers:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # GDAL's notes on fields; the log says what matters
                frame = pyogrio.read_dataframe(path, layer=layer)
        except Exception as err:
            raise DataError(f"layer {layer!r} cannot be read: {_first_line(err)}",
                            file=file) from err
        if frame.crs is None:
            frame = frame.set_crs("EPSG:4326")  # GeoJSON and KML are WGS84 by definition
        elif not frame.crs.equals("EPSG:4326"):
            log.notes.append(f"layer {layer!r} reprojected from {frame.crs.to_string()} to "
                             "WGS84")
            frame = frame.to_crs("EPSG:4326")
        if frame.empty:  # a KML folder that only holds folders, or nothing
            continue
        frame = frame.reset_index(drop=True)
        frame["layer"] = layer
        frame["feature"] = range(1, len(frame) + 1)
        frames.append(frame)
    if not frames:
        raise DataError("holds no features", file=file)
    kept = [_mapped(frame, rules, log) for frame in frames]
    log.read = sum(len(f) for f in frames)
    areas = pd.concat([k for k in kept if len(k)], ignore_index=True) \
        if any(len(k) for k in kept) else None
    if areas is None or not (areas["category"] != FRONT_LINE_CATEGORY).any():
        why = "; ".join(s.text() for s in log.skipped[:3])
        unmapped = any(s.column == "category" for s in log.skipped)
        raise DataError(f"holds no polygons this project can use ({log.read:,} features read"
                        + (f": {why}" if why else "") + ")"
                        + ("; map its layers, names or properties to categories with --rules "
                           "RULES (see the README)" if unmapped and not rules else ""),
                        file=file)
    result = gpd.GeoDataFrame(areas[["category", "name", "layer", "feature", "geometry"]],
                              geometry="geometry", crs="EPSG:4326")
    _check_near(result, country, file=file)
    return result, log


def glob_regex(pattern: str) -> str:
    """A shell pattern (``*`` any text, ``?`` one character) as a plain regular
    expression: fnmatch's own makes atomic groups that pandas' pyarrow
    strings cannot run.

    >>> import re
    >>> bool(re.fullmatch(glob_regex("*before Feb 24*"), "Territory before Feb 24, 2022"))
    True
    """
    return re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:300]


def _text(frame, column: str):
    """A column as lower-case text ("" where missing)."""
    if column not in frame.columns:
        return frame["layer"].map(lambda _: "")
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str).str.strip()


def _mapped(frame, rules: tuple[Rule, ...], log: RowLog):
    """The features of one layer with their category and cleaned geometry;
    the rest logged with why."""
    import numpy as np
    import shapely

    names = _text(frame, "Name") if "Name" in frame.columns else _text(frame, "name")
    # A name is one line, as in every import: tabs and line breaks become a space.
    names = names.str.replace(r"[\t\r\n]+", " ", regex=True).str.strip()
    category = frame["layer"].map(lambda _: None).astype(object)
    for rule in rules:
        values = {"layer": frame["layer"].astype(str), "name": names}.get(rule.field)
        if values is None:
            if rule.key not in frame.columns:
                continue
            values = _text(frame, rule.key)
        hits = values.str.fullmatch(glob_regex(rule.pattern), case=False) & category.isna()
        category = category.where(~hits, rule.category)
    own = _text(frame, "category")
    own_ok = own.isin(CATEGORIES)
    category = category.where(category.notna() | ~own_ok, own)

    geometry = np.asarray(frame.geometry.values, dtype=object)
    missing = np.array([g is None or g.is_empty for g in geometry], dtype=bool)
    flat = shapely.force_2d(np.where(missing, None, geometry))
    invalid = ~missing & ~shapely.is_valid(flat)
    if invalid.any():
        flat[invalid] = shapely.make_valid(flat[invalid])
        log.notes.append(f"layer {frame['layer'].iloc[0]!r}: repaired {int(invalid.sum())} "
                         "invalid geometr" + ("y" if invalid.sum() == 1 else "ies")
                         + " (self-crossing or badly ordered rings)")
    polygons = np.array([_polygonal(g) for g in flat], dtype=object)
    is_line = np.isin(shapely.get_type_id(flat), (1, 5))  # LineString, MultiLineString

    why = np.full(len(frame), "", dtype=object)
    unmapped = category.isna().to_numpy()
    layer = frame["layer"].iloc[0]
    why[unmapped] = [f"nothing maps it to a category (layer {layer!r}, name {n!r})"
                     + (f"; its category {c!r} is not one of ours" if c else "")
                     for n, c in zip(names[unmapped], own[unmapped])]
    is_area = category.isin(tuple(AREA_CATEGORIES)).to_numpy()
    has_polygon = np.array([p is not None for p in polygons], dtype=bool)
    why[~unmapped & is_area & ~has_polygon & ~missing] = "an area category, but not a polygon"
    wants_line = (category == FRONT_LINE_CATEGORY).to_numpy()
    why[wants_line & ~is_line & ~missing] = "a front line category, but not a line"
    why[missing] = "no geometry"
    # A name is shown in the app and on maps: one the project's rules refuse
    # is dropped, and said, but its area stays (its land counts in every figure).
    name_problems = np.array([text_problem(n) or "" for n in names], dtype=object)
    wrong_name = (name_problems != "") & (why == "")
    for number, problem in zip(frame["feature"][wrong_name], name_problems[wrong_name]):
        log.notes.append(f"feature {number} of layer {layer!r}: its name {problem}; kept "
                         "without a name")
    names = names.where(~wrong_name, "")
    bad = why != ""
    # The column at fault: the category nothing gave, or the geometry that
    # does not fit the category.
    column = np.where(unmapped, "category", "geometry")
    for name in ("category", "geometry"):
        rows = bad & (column == name)
        if rows.any():
            log.skip(frame["feature"][rows], name,
                     [f"{text} (layer {layer!r})" if name == "geometry" else text
                      for text in why[rows]])
    keep = ~bad
    out = frame.loc[keep, ["layer", "feature"]].copy()
    out["category"] = category[keep].astype(str).to_numpy()
    out["name"] = names[keep].to_numpy()
    out["geometry"] = np.where(wants_line[keep], flat[keep], polygons[keep])
    return out


def _polygonal(geometry):
    """The polygons of ``geometry`` (a repaired ring may come back as a
    collection with stray lines), as one geometry; None if it has none."""
    import shapely

    if geometry is None:
        return None
    parts = [p for p in shapely.get_parts(geometry)
             if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _check_near(areas, country: str, *, file: str) -> None:
    """A DataError if a layer has no feature near the country: a map of
    somewhere else, or one with its longitudes and latitudes swapped."""
    from mapapp.geo import gazetteer

    outline = gazetteer.country_geometry(country)
    if outline is None:
        return
    near = areas.geometry.intersects(outline.buffer(NEAR_COUNTRY_DEG))
    for layer, close in near.groupby(areas["layer"], sort=False):
        if not close.any():
            west, south, east, north = areas.geometry[areas["layer"] == layer].total_bounds
            raise DataError(f"layer {layer!r} lies far from {country}: its features span "
                            f"longitude {west:.1f} to {east:.1f}, latitude {south:.1f} to "
                            f"{north:.1f} (are longitude and latitude swapped?)", file=file)
