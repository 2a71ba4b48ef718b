"""Loading the report's data folder: the real data, and broken copies of it."""

import json
import shutil

import pytest
from shapely.geometry import Point

from mapapp.errors import DataError
from mapapp.geo.basemap import country_shape
from mapapp.model import LAYERS, STATUSES
from mapapp.sources.report_folder import DATA_DIR, load_report_map


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of data/ to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_features(data_dir, change):
    path = data_dir / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc["features"])
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def feature(features, feature_id):
    return next(f for f in features if f["id"] == feature_id)


# -- the real data ----------------------------------------------------------

def test_every_layer_has_features(report_map):
    # All but ground fighting: the first report's fighting, round Bakhmut,
    # is an analyst's assessment of the east, kept as the place it names.
    # Drafted reports hold that layer (tests/test_draft.py).
    for layer in LAYERS:
        assert bool(report_map.in_layer(layer)) == (layer != "fighting"), layer


def test_every_feature_carries_its_provenance(report_map):
    report = report_map.report
    for f in report_map.features:
        assert f.summary and f.claims and f.claimed_by, f.id
        assert f.status in STATUSES
        assert f.citation.publisher == report.publisher
        assert f.citation.headline == report.headline
        assert f.citation.paragraphs and max(f.citation.paragraphs) <= report.paragraphs
        assert f.report_date == "2022-11-16" and f.event_date, f.id
        assert f.location.method and f.location.source, f.id
        if f.layer in ("front_lines", "control_areas"):
            assert f.approximate and f.as_of, f.id


def test_event_and_report_dates_are_separate(report_map):
    assert report_map.by_id("strike-kyiv").event_date == "2022-11-15"
    assert report_map.by_id("strike-kyiv").report_date == "2022-11-16"


def test_strike_wave_figures_name_who_stated_them(report_map):
    wave = report_map.by_id("strike-wave-2022-11-15")
    figures = {f.label: f for f in wave.figures}
    assert figures["missiles launched"].value == 85
    assert "Zelensky" in figures["missiles launched"].claimed_by
    assert figures["missiles shot down"].value == 70
    assert "Tymoshenko" in figures["missiles shot down"].claimed_by
    assert wave.geometry is None
    for strike in ("strike-kyiv", "strike-kharkiv", "strike-lviv"):
        assert report_map.by_id(strike).part_of == wave.id


def test_przewodow_is_in_poland_and_disputed_or_unclear(report_map):
    f = report_map.by_id("explosion-przewodow")
    assert country_shape("PL").contains(f.geometry)
    assert f.status in ("unclear", "disputed")
    assert any(c.stance == "denies" and "Russia" in c.by for c in f.claims)


@pytest.mark.parametrize("feature_id, russian", [
    ("place-henichesk", True), ("place-melitopol", True), ("place-nova-kakhovka", True),
    ("place-crimea", True), ("place-kherson", False), ("strike-kyiv", False),
    ("place-bakhmut", False), ("strike-lviv", False), ("strike-kharkiv", False),
])
def test_control_area_agrees_with_the_places(report_map, feature_id, russian):
    held = report_map.by_id("area-russian-held-2022-11-15").geometry
    assert held.contains(report_map.by_id(feature_id).geometry) is russian


def test_kherson_is_in_the_returned_area(report_map):
    returned = report_map.by_id("area-returned-kherson-2022-11").geometry
    held = report_map.by_id("area-russian-held-2022-11-15").geometry
    kherson = report_map.by_id("place-kherson").geometry
    # GeoNames puts the city centre ~100 m into the Dnipro as Natural Earth
    # draws it, so "in" means within ~1 km of the area, and far from the other.
    assert returned.distance(kherson) < 0.01
    assert held.distance(kherson) > 0.02
    assert returned.contains(report_map.by_id("place-bucha").geometry) is False
    assert returned.intersection(held).area == pytest.approx(0, abs=1e-9)
    assert 0.2 < returned.area < 2.0  # square degrees: a bridgehead, not a region


def test_areas_follow_the_front_line(report_map):
    line = report_map.by_id("front-dnipro-2022-11-15").geometry
    held = report_map.by_id("area-russian-held-2022-11-15").geometry
    ukraine = country_shape("UA")
    # The line is the area's boundary: every vertex on land is on it (vertices
    # in the estuary or the reservoir are water, outside every area).
    on_land = [Point(xy) for xy in line.coords if ukraine.contains(Point(xy))]
    assert len(on_land) > 15
    for vertex in on_land:
        assert held.boundary.distance(vertex) < 1e-6


def test_far_mentions_are_outside_the_theatre(report_map):
    for f in report_map.in_layer("mentions"):
        assert f.geometry is not None
        assert not (22 <= f.geometry.x <= 41 and 44 <= f.geometry.y <= 53) or f.id in (
            "mention-hungary",), f.id


# -- broken copies ----------------------------------------------------------

def expect_error(data_dir, *, file_name, feature=None, field=None, words=""):
    with pytest.raises(DataError) as info:
        load_report_map(data_dir)
    err = info.value
    message = str(err)
    assert file_name in message, message
    if feature:
        assert err.feature == feature and feature in message, message
    if field:
        assert err.field == field and field in message, message
    assert words in message, message
    return err


def test_bad_json_names_the_file(data_copy):
    (data_copy / "features.json").write_text('{"features": [', encoding="utf-8")
    expect_error(data_copy, file_name="features.json", words="invalid JSON")


def test_missing_field(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-kyiv").pop("status"))
    expect_error(data_copy, file_name="features.json", feature="strike-kyiv", field="status",
                 words="missing")


def test_unknown_layer(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(layer="gossip"))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv", field="layer")


def test_unknown_status(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(status="probable"))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv", field="status")


def test_duplicate_id(data_copy):
    edit_features(data_copy, lambda fs: fs.append(dict(feature(fs, "strike-lviv"))))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv", field="id",
                 words="duplicate")


def test_coordinates_out_of_range(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(
        geometry={"coordinates": [24.0, 149.8], "source": "test"}))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv",
                 field="geometry.coordinates", words="latitude 149.8")


def test_unknown_place(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(
        geometry={"place": "atlantis"}))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv",
                 field="geometry.place", words="atlantis")


def test_unknown_front_line(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "front-dnipro-2022-11-15").update(
        geometry={"line": "front-1812"}))
    expect_error(data_copy, file_name="features.json", feature="front-dnipro-2022-11-15",
                 field="geometry.line")


def test_unknown_part_of(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(part_of="wave-x"))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv", field="part_of")


def test_front_line_with_unknown_waypoint(data_copy):
    path = data_copy / "front_lines.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["lines"][0]["waypoints"][3] = {"ua": "kherson", "ru": "nowhere"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                 field="waypoints[3].ru", words="nowhere")


def test_place_the_geocoder_cannot_find(data_copy):
    path = data_copy / "places.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["places"].append({"id": "nowhere-town", "name": "Nowhere", "query": "Qwxzyville",
                          "country": "UA", "kind": "town"})
    path.write_text(json.dumps(doc), encoding="utf-8")
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(
        geometry={"place": "nowhere-town"}))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv",
                 field="geometry", words="python -m mapapp geocode")


def test_a_line_that_cannot_cut_the_areas_is_a_data_error(data_copy):
    path = data_copy / "front_lines.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    # One point twice: no length, so nothing to cut with.
    doc["lines"][0]["waypoints"] = [{"ua": "kherson", "ru": "hola-prystan"}] * 2
    path.write_text(json.dumps(doc), encoding="utf-8")
    # The fault is in the line: the message says where to fix it, and which
    # area could not be cut.
    err = expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                       field="extend_km", words="does not cut")
    assert "cutting area 'area-" in str(err)


def test_a_waypoint_cannot_be_a_pair_and_a_place(data_copy):
    path = data_copy / "front_lines.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["lines"][0]["waypoints"][2]["on"] = "kherson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                 field="waypoints[2]")


def test_non_utf8_data_file(data_copy):
    (data_copy / "features.json").write_bytes(b"\xff\xfe{}")
    expect_error(data_copy, file_name="features.json", words="not UTF-8")


def test_no_russian_held_ground_west_of_the_dnipro_mouth(report_map):
    # In mid-November 2022 Russia held nothing west of the Kinburn peninsula
    # (about 31.5° E); an estuary-cut coast must not be given to it.
    held = report_map.by_id("area-russian-held-2022-11-15").geometry
    assert held.bounds[0] > 31.3


# -- references and front-line shape ------------------------------------------------

def test_a_feature_cannot_be_part_of_itself(data_copy):
    edit_features(data_copy, lambda fs: feature(fs, "strike-lviv").update(part_of="strike-lviv"))
    expect_error(data_copy, file_name="features.json", feature="strike-lviv", field="part_of",
                 words="part of itself")


def test_part_of_cannot_go_round_in_a_circle(data_copy):
    def ring(fs):
        feature(fs, "strike-wave-2022-11-15")["part_of"] = "strike-kyiv"  # kyiv is part of it
    edit_features(data_copy, ring)
    expect_error(data_copy, file_name="features.json", field="part_of",
                 words="strike-wave-2022-11-15 -> strike-kyiv -> strike-wave-2022-11-15")


def edit_lines(data_dir, change):
    path = data_dir / "front_lines.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc["lines"])
    path.write_text(json.dumps(doc), encoding="utf-8")


def swap(waypoint):
    waypoint["ua"], waypoint["ru"] = waypoint["ru"], waypoint["ua"]


@pytest.mark.parametrize("line", [0, 1])
def test_a_line_with_every_side_swapped_is_refused(data_copy, line):
    # Swapped everywhere, the settlements agree with the cut among
    # themselves; the capital on the Russian-held side gives it away.
    edit_lines(data_copy, lambda lines: [swap(wp) for wp in lines[line]["waypoints"]])
    line_id = ("front-2022-11-15", "front-2022-11-08-kherson-bridgehead")[line]
    expect_error(data_copy, file_name="front_lines.json", feature=line_id, field="waypoints",
                 words="would hold Kyiv, the capital: 'ua' and 'ru' look swapped")


@pytest.mark.parametrize("index, wrong", [(0, "heroiske"), (5, "nova-kakhovka"),
                                          (17, "volodymyrivka"), (27, "troitske")])
def test_one_swapped_waypoint_is_named(data_copy, index, wrong):
    edit_lines(data_copy, lambda lines: swap(lines[0]["waypoints"][index]))
    err = expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                       field=f"waypoints[{index}].ua", words="sides look swapped")
    assert f"{wrong!r} is marked Ukrainian-held but lies" in str(err)


def test_a_swapped_bridgehead_waypoint_is_named(data_copy):
    edit_lines(data_copy, lambda lines: swap(lines[1]["waypoints"][2]))
    expect_error(data_copy, file_name="front_lines.json",
                 feature="front-2022-11-08-kherson-bridgehead", field="waypoints[2].ua",
                 words="'kalynivske' is marked Ukrainian-held")


def test_a_line_that_crosses_itself_is_refused(data_copy):
    def cross(lines):
        waypoints = lines[0]["waypoints"]
        waypoints[3], waypoints[10] = waypoints[10], waypoints[3]
    edit_lines(data_copy, cross)
    expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                 field="waypoints", words="the line crosses itself: waypoints[2]-[3] crosses")


def test_a_line_that_folds_back_is_refused(data_copy):
    # Back to an earlier waypoint and on again: the line runs over itself.
    edit_lines(data_copy, lambda lines: lines[0]["waypoints"].insert(
        5, dict(lines[0]["waypoints"][2])))
    expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                 field="waypoints", words="crosses itself")


def test_control_characters_in_a_line_name(data_copy):
    edit_lines(data_copy, lambda lines: lines[0].update(name="Front\x1b[31m"))
    expect_error(data_copy, file_name="front_lines.json", feature="front-2022-11-15",
                 field="name", words="U+001B")


def test_a_nan_figure_names_the_file_and_line(data_copy):
    path = data_copy / "features.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"value": 85', '"value": NaN', 1), encoding="utf-8")
    expect_error(data_copy, file_name="features.json", words="NaN is not a number JSON allows")
