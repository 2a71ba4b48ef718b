"""The feature schema: every fault names file, feature and field."""

import copy

import pytest

from mapapp.errors import DataError, MapAppError
from mapapp.schema import check_feature, check_report, read_json

GOOD = {
    "id": "strike-x",
    "layer": "strikes",
    "type": "missile_strike",
    "name": "X",
    "summary": "Something happened.",
    "status": "reported",
    "event_date": "2022-11-15",
    "geometry": {"place": "x"},
    "paragraphs": [1],
    "claims": [{"by": "Someone", "says": "It happened.", "paragraph": 1}],
}


def check(record, paragraphs=5):
    check_feature(record, file="features.json", paragraphs=paragraphs)


def broken(**changes):
    record = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is KeyError:
            del record[key]
        else:
            record[key] = value
    return record


def test_good_record_passes():
    check(GOOD)


@pytest.mark.parametrize("record, field, words", [
    (broken(summary=KeyError), "summary", "missing"),
    (broken(colour="red"), "colour", "not a known field"),
    (broken(layer="rumours"), "layer", "unknown layer"),
    (broken(type="city"), "type", "for layer 'strikes'"),
    (broken(status="likely"), "status", "unknown status"),
    (broken(event_date="15 Nov"), "event_date", "ISO date"),
    (broken(event_date="2022-13-45"), "event_date", "not a real date"),
    (broken(event_date="2022-11-15\n"), "event_date", "ISO date"),
    (broken(event_date="2022-11-11/2022-11-09"), "event_date", "ends before it starts"),
    (broken(id="a--b"), "id", "single hyphens"),
    (broken(paragraphs=[99]), "paragraphs", "outside the report"),
    (broken(paragraphs=[]), "paragraphs", "at least one"),
    (broken(claims=[]), "claims", "who says so"),
    (broken(claims=[{"by": "A", "paragraph": 1}]), "claims[0].says", "missing"),
    (broken(claims=[{"by": "A", "says": "b", "paragraph": 1, "stance": "maybe"}]),
     "claims[0].stance", "asserts"),
    (broken(id="Bad Id"), "id", "lower-case"),
    (broken(name=""), "name", "empty"),
    (broken(paragraphs=[True]), "paragraphs", "integers"),
    (broken(approximate=True), "as_of", "as of"),
    (broken(geometry={"coordinates": [200, 50], "source": "s"}), "geometry.coordinates",
     "longitude 200"),
    (broken(geometry={"coordinates": [30, -91], "source": "s"}), "geometry.coordinates",
     "latitude -91"),
    (broken(geometry={"coordinates": [30, 50]}), "geometry.source", "source"),
    (broken(geometry={"coordinates": ["30", 50], "source": "s"}), "geometry.coordinates",
     "numbers"),
    (broken(geometry={"line": "l"}), "geometry", "does not belong"),
    (broken(geometry={}), "geometry", "exactly one"),
    (broken(geometry={"place": "x", "line": "l"}), "geometry", "exactly one"),
    (broken(layer="places", type="city", geometry=None), "geometry", "only the strike wave"),
    (broken(layer="control_areas", type="russian_held", geometry={"area": "lake", "line": "l"}),
     "geometry.area", "unknown area rule"),
    (broken(layer="control_areas", type="returned_to_ukraine",
            geometry={"area": "returned", "line": "l"}), "geometry.now", "current line"),
])
def test_faults_name_the_field(record, field, words):
    with pytest.raises(DataError) as info:
        check(record)
    err = info.value
    assert err.file == "features.json"
    assert err.field == field
    assert err.feature == record.get("id")
    assert words in str(err)
    assert "features.json" in str(err) and field in str(err)


def test_several_faults_are_reported_together():
    with pytest.raises(DataError) as info:
        check(broken(summary=KeyError, status=KeyError))
    assert "summary" in str(info.value) and "status" in str(info.value)


def test_not_an_object():
    with pytest.raises(DataError, match="expected an object"):
        check(["not", "a", "record"])


def test_errors_are_catchable_as_builtin_and_root():
    with pytest.raises(ValueError):
        check(broken(status="nope"))
    with pytest.raises(MapAppError):
        check(broken(status="nope"))


def test_read_json_names_file_and_position(tmp_path):
    path = tmp_path / "features.json"
    path.write_text('{"features": [\n  {"id": "a",}\n]}', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_json(path)
    assert str(path) in str(info.value) and "line 2" in str(info.value)


def test_read_json_missing_file(tmp_path):
    with pytest.raises(DataError, match="cannot read"):
        read_json(tmp_path / "nope.json")


def test_report_date_must_be_a_day():
    record = {"id": "r", "publisher": "P", "headline": "H", "date": "2022-11", "paragraphs": 3}
    with pytest.raises(DataError) as info:
        check_report(record, file="report.json")
    assert info.value.field == "date"
