"""Control maps: reading GeoJSON, KML and KMZ layers we draw here, mapping
their categories, storing dated snapshots, and measuring them against
shapes whose answers are known by construction."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import zipfile
from pathlib import Path
from dataclasses import replace

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

from mapapp.errors import DataError, OptionError, OutputError
from mapapp.geo import compare as measure
from mapapp.geo.gazetteer import country_geometry
from mapapp.sources.area_layers import load_rules, read_layer_file
from mapapp.store.catalogue import Source, get_source, list_sources
from mapapp.store.snapshots import in_force, save_snapshot, snapshot_dates, snapshots_between

# Around Kherson: the river runs roughly along 46.6 N here.  Drawn for the
# tests, not taken from any published map.
EAST = box(32.8, 46.3, 33.6, 46.6)        # "occupied": the left bank
WEST = box(32.4, 46.6, 33.0, 46.9)        # "returned": the right bank
HOLE = box(33.1, 46.4, 33.2, 46.5)
FRONT = LineString([(32.4, 46.6), (33.6, 46.6)])


def kml(placemarks: str, folder: str = "Map") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><Folder><name>{folder}</name>{placemarks}</Folder></Document></kml>")


def ring(polygon, height=None) -> str:
    coords = polygon.exterior.coords
    return " ".join(f"{x},{y}" + (f",{height}" if height is not None else "") for x, y in coords)


def placemark(name: str, body: str, extra: str = "") -> str:
    return f"<Placemark><name>{name}</name>{extra}{body}</Placemark>"


def polygon_kml(polygon, height=None, holes=()) -> str:
    inner = "".join(f"<innerBoundaryIs><LinearRing><coordinates>{ring(h, height)}"
                    f"</coordinates></LinearRing></innerBoundaryIs>" for h in holes)
    return (f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring(polygon, height)}"
            f"</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>")


def geojson(path, features, crs=None):
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        for props, geom in features]}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# -- reading ------------------------------------------------------------------------

def test_geojson_with_our_categories_needs_no_rules(tmp_path):
    path = geojson(tmp_path / "map.geojson", [
        ({"category": "occupied", "name": "Left bank"}, EAST),
        ({"category": "returned", "name": "Right bank"}, WEST),
        ({"category": "front_line"}, FRONT)])
    areas, log = read_layer_file(path)
    assert list(areas["category"]) == ["occupied", "returned", "front_line"]
    assert areas.crs.to_epsg() == 4326 and log.skipped == []
    assert areas.geometry.iloc[0].equals(EAST)  # no simplification


def test_kml_folders_map_through_rules_and_unmapped_features_are_reported(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [
        {"layer": "*russian*", "category": "occupied"},  # two stars: once a crash
        {"name": "Right bank*", "category": "returned"}]}), encoding="utf-8")
    document = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                "<Document><Folder><name>Assessed Russian control</name>"
                + placemark("Left bank", polygon_kml(EAST, height=0))
                + "</Folder><Folder><name>Other</name>"
                + placemark("Right bank, Kherson", polygon_kml(WEST))
                + placemark("Mystery", polygon_kml(box(33, 47, 33.2, 47.2)))
                + "</Folder></Document></kml>")
    path = tmp_path / "map.kml"
    path.write_text(document, encoding="utf-8")
    areas, log = read_layer_file(path, rules=load_rules(rules))
    assert sorted(areas["category"]) == ["occupied", "returned"]
    assert not shapely.has_z(areas.geometry.values).any()  # heights dropped
    (skipped,) = log.skipped
    assert skipped.column == "category"
    assert "layer 'Other', name 'Mystery'" in skipped.text()


def test_kmz_holes_multipolygons_and_an_invalid_ring(tmp_path):
    bowtie = Polygon([(33.0, 47.0), (33.4, 47.4), (33.4, 47.0), (33.0, 47.4), (33.0, 47.0)])
    body = (placemark("With a hole", polygon_kml(EAST, holes=[HOLE]),
                      "<ExtendedData><Data name='category'><value>occupied</value></Data>"
                      "</ExtendedData>")
            + placemark("Two parts", "<MultiGeometry>" + polygon_kml(box(34, 47, 34.2, 47.2))
                        + polygon_kml(box(34.5, 47, 34.7, 47.2)) + "</MultiGeometry>",
                        "<ExtendedData><Data name='category'><value>unknown</value></Data>"
                        "</ExtendedData>")
            + placemark("Crossed", polygon_kml(bowtie),
                        "<ExtendedData><Data name='category'><value>occupied_before_2022"
                        "</value></Data></ExtendedData>"))
    path = tmp_path / "map.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml(body))
    areas, log = read_layer_file(path)
    by_name = dict(zip(areas["name"], areas.geometry))
    assert len(by_name["With a hole"].interiors) == 1
    assert by_name["Two parts"].geom_type == "MultiPolygon"
    assert by_name["Crossed"].is_valid and by_name["Crossed"].area == pytest.approx(0.08)
    assert any("repaired 1 invalid geometry" in note for note in log.notes)


def test_a_layer_in_another_coordinate_system_is_reprojected(tmp_path):
    projected = gpd.GeoSeries([EAST], crs="EPSG:4326").to_crs("EPSG:3857").iloc[0]
    path = geojson(tmp_path / "map.geojson", [({"category": "occupied"}, projected)],
                   crs="urn:ogc:def:crs:EPSG::3857")
    areas, log = read_layer_file(path)
    assert areas.geometry.iloc[0].equals_exact(EAST, tolerance=1e-9)
    assert any("reprojected" in note for note in log.notes)


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: geojson(p / "m.geojson", [({"category": "occupied"}, shapely.Point(33, 47))]),
     "holds no polygons"),
    (lambda p: geojson(p / "m.geojson", [({"category": "occupied"}, box(-74, 40, -73, 41))]),
     "lies far from UA"),
    (lambda p: geojson(p / "m.geojson", [({"category": "occupied"}, box(46.3, 32.8, 46.6, 33.6))]),
     "swapped"),
    (lambda p: geojson(p / "m.geojson", [({"category": "occupied", "name": "x"},
                                          LineString([(33, 47), (34, 47)]))]),
     "an area category, but not a polygon"),
    (lambda p: _write(p / "m.kmz", b"not a zip"), "is not a KMZ"),
    (lambda p: _zip(p / "m.kmz", {"readme.txt": b"hello"}), "no .kml file inside"),
    (lambda p: _zip(p / "m.kmz", {"doc.kml": b" " * 50_000_000}), "zip bomb"),
    (lambda p: _big(p / "m.kmz", 200_000_000), "over the import limit"),
    (lambda p: _write(p / "m.geojson", b"<!DOCTYPE html><html></html>"), "web page"),
    (lambda p: _write(p / "m.shp", b"x"), "suffix '.shp'"),
    # GDAL's "virtual" format would read other files (or URLs) named inside.
    (lambda p: _write(p / "m.geojson", VRT), "is not GeoJSON"),
    (lambda p: _write(p / "m.kml", VRT), "is not KML"),
    (lambda p: _zip(p / "m.geojson", {"doc.kml": b"<kml/>"}), "is a zip archive"),
    (lambda p: _write(p / "m.kml", kml_folders(("Near", EAST), ("Swapped", box(46.3, 32.8,
                                                                               46.6, 33.6)))),
     "layer 'Swapped' lies far from UA"),
    (lambda p: _write(p / "m.geojson", b"{"), "cannot be read"),
])
def test_bad_layers_get_one_clear_message(tmp_path, make, words):
    path = make(tmp_path)
    with pytest.raises(DataError, match=words) as info:
        read_layer_file(path)
    assert str(path) in str(info.value)


VRT = (b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
       b"</OGRVRTLayer></OGRVRTDataSource>")


def kml_folders(*folders) -> bytes:
    body = "".join(f"<Folder><name>{name}</name>"
                   + placemark(name, polygon_kml(shape),
                               "<ExtendedData><Data name='category'><value>occupied</value>"
                               "</Data></ExtendedData>") + "</Folder>"
                   for name, shape in folders)
    return ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{body}</Document></kml>").encode()


def test_nested_and_empty_folders_are_read(tmp_path):
    inner = placemark("Left bank", polygon_kml(EAST),
                      "<ExtendedData><Data name='category'><value>occupied</value></Data>"
                      "</ExtendedData>")
    document = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/'
                "2.2\"><Document><Folder><name>Outer</name><Folder><name>Inner</name>"
                f"{inner}</Folder></Folder><Folder><name>Empty</name></Folder></Document></kml>")
    path = tmp_path / "nested.kml"
    path.write_text(document, encoding="utf-8")
    areas, log = read_layer_file(path)
    assert list(areas["name"]) == ["Left bank"] and log.skipped == []


def _write(path, data):
    path.write_bytes(data)
    return path


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _big(path, size):
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(size)  # sparse: no 200 MB written
    return path


@pytest.mark.parametrize(("rules", "words"), [
    ({"rules": [{"layer": "x", "category": "russian"}]}, "rule 1: category 'russian'"),
    ({"rules": [{"layer": "x", "name": "y", "category": "occupied"}]}, "rule 1: give exactly one"),
    ({"rules": [{"property": "status", "category": "occupied"}]}, "rule 1: the pattern"),
    ({"rules": "all occupied"}, '"rules" list'),
    ({"rules": [], "colour": 1}, "unknown key"),
])
def test_bad_rules_name_the_rule(tmp_path, rules, words):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    with pytest.raises(DataError, match=words):
        load_rules(path)


# -- the store ----------------------------------------------------------------------

def entry(name="isw", notes=()):
    return Source(name=name, kind="areas", title="Drawn map", publisher="tests",
                  licence="ours", rows_read=2, rows_kept=2, notes=tuple(notes))


def drawn(*pieces):
    return gpd.GeoDataFrame({"category": [c for c, _ in pieces], "name": "",
                             "layer": "Map", "feature": range(1, len(pieces) + 1)},
                            geometry=[g for _, g in pieces], crs="EPSG:4326")


def test_each_import_adds_a_dated_snapshot_and_the_one_in_force_is_found(tmp_path):
    data = tmp_path / "data"
    nov1 = drawn(("occupied", EAST.union(WEST)))
    nov15 = drawn(("occupied", EAST), ("returned", WEST))
    save_snapshot(data, entry(notes=["2022-11-01: a"]), dt.date(2022, 11, 1), nov1)
    save_snapshot(data, entry(notes=["2022-11-15: b"]), dt.date(2022, 11, 15), nov15)
    source = get_source(data, "isw")
    assert (source.first_date, source.last_date) == ("2022-11-01", "2022-11-15")
    assert source.notes == ("2022-11-01: a", "2022-11-15: b")
    assert snapshot_dates(source.folder) == [dt.date(2022, 11, 1), dt.date(2022, 11, 15)]
    day, shown = in_force(data, "isw", dt.date(2022, 11, 10))
    assert day == dt.date(2022, 11, 1) and len(shown) == 1
    assert in_force(data, "isw", dt.date(2022, 10, 31)) is None
    with pytest.raises(OptionError, match="--replace"):
        save_snapshot(data, entry(), dt.date(2022, 11, 15), nov15)
    both = snapshots_between(data, "isw", None, None)
    assert sorted(set(both["date"])) == ["2022-11-01", "2022-11-15"]
    assert list_sources(data)[0].summary().startswith(
        "isw  areas  4 features, snapshots 2022-11-01 to 2022-11-15  tests; licence: ours")
    # The files are GeoParquet that geopandas reads back with their CRS.
    back = gpd.read_parquet(source.folder + "/areas/2022-11-15.parquet")
    assert back.crs.to_epsg() == 4326 and back.geometry.iloc[1].equals(WEST)


# -- measuring (answers known by construction) ---------------------------------------

def test_area_change_between_two_dates_in_km2():
    before = drawn(("occupied", EAST.union(WEST)))
    after = drawn(("occupied", EAST), ("returned", WEST))
    changed = measure.changes(before, after)
    assert list(changed["change"]) == ["returned"]
    # West minus its overlap with East (none: they share an edge only).
    assert changed["km2"].iloc[0] == pytest.approx(measure.area_km2(WEST), rel=1e-6)
    assert measure.area_km2(WEST) == pytest.approx(0.6 * 0.3 * 111.2 * 111.2 * math.cos(
        math.radians(46.75)), rel=0.01)
    assert measure.changes(after, before)["change"].tolist() == ["gained"]
    # Named by the largest settlement inside the piece: the right bank holds Kherson.
    assert changed["place"].iloc[0] == "Kherson"
    assert measure.change_text("returned", changed["km2"].iloc[0], "Kherson",
                               dt.date(2022, 11, 1), dt.date(2022, 11, 15)).startswith(
        "Around Kherson, about 1,500 km² returned to Ukraine between 2022-11-01 and")


def test_comparing_two_maps_of_one_date():
    a = drawn(("occupied", box(32.0, 47.0, 33.0, 48.0)),
              ("front_line", LineString([(33.0, 47.0), (33.0, 48.0)])))
    b = drawn(("occupied", box(32.5, 47.0, 33.5, 48.0)),
              ("front_line", LineString([(33.5, 47.0), (33.5, 48.0)])))
    result = measure.compare(a, b, country_geometry("UA"))
    assert result.overlap == pytest.approx(1 / 3, rel=0.01)  # half of each overlaps
    assert result.only_a_km2 == pytest.approx(result.only_b_km2, rel=0.01)
    # 0.5° of longitude at 47-48° N.
    assert result.line_mean_km == pytest.approx(37.6, rel=0.02)
    assert result.line_max_km == pytest.approx(37.9, rel=0.02)


def test_a_line_is_derived_from_areas_away_from_borders_and_coasts():
    country = box(30, 45, 36, 50)
    # Held: the east of the country, up to 34 E; its other edges are the border.
    areas = drawn(("occupied", box(34, 45, 36, 50)))
    line = measure.derived_line(areas, country)
    assert line.length > 0
    xs = shapely.get_coordinates(line)[:, 0]
    assert xs.min() == pytest.approx(34) and xs.max() == pytest.approx(34)
    # All of the 34 E edge (556 km) but the 5 km at each end that touch the border.
    length_km = measure.to_metres(line).length / 1000
    whole_km = measure.to_metres(LineString([(34, 45), (34, 50)])).length / 1000
    assert length_km == pytest.approx(whole_km - 2 * measure.OUTLINE_GAP_M / 1000, abs=1.0)


# -- the command line (a contract other tools call) ----------------------------------

def test_import_export_and_compare_from_the_command_line(tmp_path, capsys):
    from mapapp.cli import main

    data = tmp_path / "data"
    nov1 = geojson(tmp_path / "nov1.geojson", [({"category": "occupied"}, EAST.union(WEST))])
    nov15 = geojson(tmp_path / "nov15.geojson", [
        ({"category": "occupied", "name": "Left bank"}, EAST),
        ({"category": "returned"}, WEST), ({"category": "front_line"}, FRONT)])
    other = geojson(tmp_path / "other.geojson", [
        ({"category": "occupied"}, shapely.affinity.translate(EAST, xoff=0.1))])
    for path, day, name in ((nov1, "2022-11-01", "drawn"), (nov15, "2022-11-15", "drawn"),
                            (other, "2022-11-15", "other")):
        assert main(["import", str(path), "--format", "areas", "--date", day, "--source", name,
                     "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Imported drawn for 2022-11-15: 3 features read, 3 kept, 0 left out" in out
    assert main(["sources", "--data-dir", str(data)]) == 0
    assert "drawn  areas  4 features, snapshots 2022-11-01 to 2022-11-15" in \
        capsys.readouterr().out

    target = tmp_path / "out.geojson"
    assert main(["export", "--source", "drawn", "--from", "2022-11-10", "--to", "2022-11-30",
                 "--format", "geojson", "-o", str(target), "--data-dir", str(data)]) == 0
    exported = gpd.read_file(target)
    assert exported.crs.to_epsg() == 4326
    assert list(exported["category"]) == ["occupied", "returned", "front_line"]
    assert set(exported["source"]) == {"drawn"}
    assert set(exported["publisher"]) == {"the importing user"}
    assert set(exported["licence"]) == {"not stated"}
    raw = json.loads(target.read_text(encoding="utf-8"))["features"][0]["properties"]
    assert (raw["date"], raw["category"]) == ("2022-11-15", "occupied")  # plain values
    assert exported.geometry.iloc[0].equals_exact(EAST, tolerance=1e-9)  # not simplified

    assert main(["compare-areas", "drawn", "other", "--date", "2022-11-20",
                 "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "drawn (snapshot 2022-11-15) and other (snapshot 2022-11-15), in force on " \
           "2022-11-20:" in out
    shift = measure.area_km2(EAST.difference(shapely.affinity.translate(EAST, xoff=0.1)))
    assert f"Only drawn marks as held: {shift:,.0f} km²" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["--format", "areas", "--source", "x"], "--date YYYY-MM-DD is required"),
    (["--format", "areas", "--source", "x", "--date", "15/11/2022"], "expected a date"),
    (["--format", "areas", "--source", "x", "--date", "2099-01-01"], "between 2014-01-01"),
    (["--format", "csv", "--source", "x", "--date", "2022-11-15"], "--date is for --format areas"),
])
def test_bad_area_imports_write_nothing(tmp_path, capsys, argv, words):
    from mapapp.cli import main

    data = tmp_path / "data"
    path = geojson(tmp_path / "m.geojson", [({"category": "occupied"}, EAST)])
    assert main(["import", str(path), *argv, "--data-dir", str(data)]) == 2
    assert words in capsys.readouterr().err
    assert not data.exists()


def two_dates(tmp_path, data, second, *options) -> None:
    """The source "drawn": both banks held on 1 November, ``second`` on the 15th."""
    from mapapp.cli import main

    for day, pieces in (("2022-11-01", [({"category": "occupied"}, EAST.union(WEST))]),
                        ("2022-11-15", second)):
        path = geojson(tmp_path / f"{day}.geojson", pieces)
        assert main(["import", str(path), "--format", "areas", "--date", day, "--source",
                     "drawn", *options, "--data-dir", str(data)]) == 0


def drawn_svg(tmp_path, data, capsys, *options) -> str:
    """An SVG (social preset) of the source "drawn", with ``options``."""
    from mapapp.cli import main

    image = tmp_path / "map.svg"
    assert main(["export", "--source", "drawn", *options, "--format", "svg", "--preset",
                 "social", "-o", str(image), "--data-dir", str(data)]) == 0, \
        capsys.readouterr().err
    return image.read_text(encoding="utf-8")


def test_an_image_shows_the_control_map_in_force_with_its_date_and_source(tmp_path, capsys):
    from mapapp.cli import main

    data = tmp_path / "data"  # no report here: the control map alone
    two_dates(tmp_path, data,
              [({"category": "occupied"}, EAST), ({"category": "returned"}, WEST)],
              "--title", "Drawn map", "--publisher", "Tests", "--licence", "CC0")
    svg = drawn_svg(tmp_path, data, capsys, "--to", "2022-11-10")
    assert "Control areas: Drawn map (Tests; CC0), as of 2022-11-01" in svg
    assert "Russian-held" in svg and "Returned to Ukraine" not in svg  # the 1 November map
    assert main(["export", "--source", "drawn", "--to", "2022-10-01", "--format", "svg",
                 "-o", str(tmp_path / "early.svg"), "--data-dir", str(data)]) == 2
    assert "no snapshot on or before 2022-10-01" in capsys.readouterr().err


def test_a_map_of_areas_alone_gets_the_line_they_imply():
    from mapapp.sources.control_maps import snapshot_features

    source = Source(name="drawn", kind="areas", title="Drawn", publisher="Tests", licence="CC0")
    country = country_geometry("UA")
    held = box(34.0, 47.0, 36.0, 48.0)  # inland: every edge of it but none of the border
    features = snapshot_features(source, dt.date(2022, 11, 15), drawn(("occupied", held)),
                                 country)
    (line,) = [f for f in features if f.type == "front_line"]
    assert line.name == "The front line (derived)" and line.location.method == "derived"
    assert line.status == "assessed" and line.as_of == "2022-11-15"
    assert line.geometry.length == pytest.approx(held.length, rel=0.01)
    given = drawn(("occupied", held), ("front_line", LineString([(34, 47), (34, 48)])))
    lines = [f for f in snapshot_features(source, dt.date(2022, 11, 15), given, country)
             if f.type == "front_line"]
    assert [f.name for f in lines] == ["The front line"]  # its own, not a derived one


def test_an_image_of_a_period_draws_and_says_what_changed(tmp_path, capsys):
    data = tmp_path / "data"
    two_dates(tmp_path, data, [({"category": "occupied"}, EAST)])
    svg = drawn_svg(tmp_path, data, capsys, "--from", "2022-11-01", "--to", "2022-11-20")
    # The credit line says it (wrapped over two lines of the image).
    assert "Around Kherson, about 1,500 km² returned to Ukraine between" in svg
    assert "2022-11-01 and 2022-11-15" in svg
    assert "Returned to Ukraine in the period" in svg  # the legend names the change layer


def test_land_that_becomes_contested_is_not_counted_as_returned():
    before = drawn(("occupied", EAST.union(WEST)))
    after = drawn(("occupied", EAST), ("unknown", WEST))
    changed = measure.changes(before, after)
    assert list(changed["change"]) == ["contested"]
    from mapapp.sources.control_maps import change_features

    (piece,) = change_features(Source(name="d", kind="areas", title="D", publisher="P",
                                      licence="L"), dt.date(2022, 11, 1), dt.date(2022, 11, 15),
                               changed)
    assert piece.type == "change_contested" and "now contested" in piece.summary
    assert changed["km2"].iloc[0] == pytest.approx(measure.area_km2(WEST), rel=1e-4)


def test_a_derived_line_stops_at_the_border():
    country = box(30, 45, 36, 50)
    across = drawn(("occupied", box(34, 46, 38, 48)))  # drawn on into the next country
    line = measure.derived_line(across, country)
    xs = shapely.get_coordinates(line)[:, 0]
    assert xs.max() < 36.0 and xs.min() == pytest.approx(34.0)  # nothing beyond the border


def test_replacing_a_date_keeps_counts_and_notes_true_and_a_failed_write_changes_nothing(
        tmp_path, monkeypatch):
    data = tmp_path / "data"
    first = drawn(("occupied", EAST))
    save_snapshot(data, replace_entry(2, "2022-11-15: first"), dt.date(2022, 11, 15), first)
    save_snapshot(data, replace_entry(3, "2022-11-20: other"), dt.date(2022, 11, 20), first)
    save_snapshot(data, replace_entry(1, "2022-11-15: second"), dt.date(2022, 11, 15),
                  drawn(("returned", WEST)), replace_date=True)
    source = get_source(data, "isw")
    assert source.rows_kept == 4  # 1 + 3: the replaced date's 2 are gone
    assert source.notes == ("2022-11-20: other", "2022-11-15: second")
    before = sorted((p.name, p.read_bytes()) for p in (data / "sources" / "isw").rglob("*")
                    if p.is_file())

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("mapapp.store.snapshots.write_atomic", broken)
    with pytest.raises(OutputError, match="No space left.*nothing was changed"):
        save_snapshot(data, replace_entry(9, "2022-11-15: third"), dt.date(2022, 11, 15),
                      drawn(("occupied", EAST.union(WEST))), replace_date=True)
    after = sorted((p.name, p.read_bytes()) for p in (data / "sources" / "isw").rglob("*")
                   if p.is_file())
    assert after == before  # the old snapshot is back, nothing left over
    with pytest.raises(OutputError):
        save_snapshot(data, replace(replace_entry(1, "x"), name="fresh"), dt.date(2022, 11, 1),
                      first)
    assert not (data / "sources" / "fresh").exists()


def replace_entry(kept: int, note: str) -> Source:
    return Source(name="isw", kind="areas", title="Drawn map", publisher="tests", licence="ours",
                  rows_read=kept, rows_kept=kept, notes=(note,))


def test_a_date_is_written_as_the_contract_says():
    from mapapp.cli_areas import parse_area_date

    for text in ("20221115", "2022-W46-2", "2022-11-15T00:00"):
        with pytest.raises(OptionError, match="expected a date as YYYY-MM-DD"):
            parse_area_date(text)


def test_areas_that_share_an_edge_are_measured_and_drawn_after_projection(tmp_path, capsys):
    # Occupied since and before 2022 side by side, as every published map has
    # them: projecting bends the shared edge, which once broke GEOS.
    crimea = Polygon([(33.0, 45.0), (35.0, 45.0), (35.0, 46.1), (34.0, 46.2), (33.0, 46.1)])
    north = Polygon([(33.0, 46.1), (34.0, 46.2), (35.0, 46.1), (35.0, 47.2), (33.0, 47.2)])
    a = drawn(("occupied_before_2022", crimea), ("occupied", north))
    b = drawn(("occupied_before_2022", crimea), ("occupied", shapely.affinity.translate(
        north, xoff=0.013, yoff=0.007)))
    result = measure.compare(a, b, country_geometry("UA"))
    assert 0.95 < result.overlap < 1
    assert not measure.changes(a, b).empty


def test_a_pocket_inside_held_land_is_not_front_line():
    pocket = box(34.8, 47.4, 35.2, 47.6)
    held = drawn(("occupied", box(34, 47, 36, 48).difference(pocket)), ("unknown", pocket))
    line = measure.derived_line(held, country_geometry("UA"))
    assert line.length == pytest.approx(box(34, 47, 36, 48).length, rel=0.01)


MAPS = Path(__file__).resolve().parent / "control_maps"


def test_drawn_maps_in_the_style_of_published_ones(tmp_path, capsys):
    # Shared edges between categories once broke GEOS after projecting, and a
    # rule with two stars once broke pandas' regular expressions.
    from mapapp.cli import main

    data = tmp_path / "data"
    for day in ("2022-11-01", "2022-11-15"):
        assert main(["import", str(MAPS / f"isw-{day}.kmz"), "--format", "areas", "--date", day,
                     "--source", "isw", "--rules", str(MAPS / "isw-rules.json"),
                     "--data-dir", str(data)]) == 0
    assert main(["import", str(MAPS / "deepmap-2022-11-15.geojson"), "--format", "areas",
                 "--date", "2022-11-15", "--source", "deepmap", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["compare-areas", "isw", "deepmap", "--date", "2022-11-15",
                 "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    overlap = float(re.search(r"intersection over union\): ([0-9.]+)", out).group(1))
    assert 0.95 < overlap < 1
    image = tmp_path / "changes.svg"
    assert main(["export", "--source", "isw", "--from", "2022-11-01", "--to", "2022-11-15",
                 "--format", "svg", "--bounds", "45.8,31.5,48.2,35.5", "-o", str(image),
                 "--data-dir", str(data)]) == 0
    assert "about 4,200 km² returned to Ukraine" in image.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("m.geojson", b'{"type": "FeatureCollection", "features": []}', "holds no features"),
    ("m.kmz", b"not a zip", "is not a KMZ"),
    ("m.geojson", VRT, "is not GeoJSON"),
])
def test_a_bad_file_on_the_command_line_writes_nothing(tmp_path, capsys, name, data, words):
    from mapapp.cli import main

    path = _write(tmp_path / name, data)
    assert main(["import", str(path), "--format", "areas", "--date", "2022-11-15", "--source",
                 "x", "--data-dir", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and str(path) in err
    assert not (tmp_path / "data").exists()


def test_each_date_cites_its_own_file(tmp_path):
    from mapapp.cli_areas import control_map
    from mapapp.model import ReportMap

    data = tmp_path / "data"
    two_dates(tmp_path, data, [({"category": "occupied"}, EAST)])
    for day in ("2022-11-01", "2022-11-15"):
        shown, _ = control_map(data, "drawn", ReportMap.empty(), dt.date.fromisoformat(day))
        (area,) = [f for f in shown.features if f.type == "russian_held"]
        assert f"in {day}.geojson" in area.location.note
