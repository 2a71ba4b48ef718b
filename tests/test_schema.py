"""The feature schema: every fault names file, feature and field."""

import copy

import pytest

from mapapp.errors import DataError, MapAppError
from mapapp.schema import check_feature, check_report, date_problem, read_json, text_problem

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


# -- limits of read_json ------------------------------------------------------------

def write(tmp_path, data: bytes, name="features.json"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_error(path, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        read_json(path, **kwargs)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    return message


@pytest.mark.parametrize("data, words", [
    (b"", "is empty"),
    (b" \n\t", "is empty"),
    (b'\xef\xbb\xbf{"a": 1}', "byte-order mark (BOM)"),
    ('{"a": "x"}'.encode("utf-16"), "UTF-16"),
    ('{"a": "é"}'.encode("latin-1"), "not UTF-8 text (byte 7, line 1)"),
    (b'{"a":\n "\xff"}', "line 2"),
    (b'{"a": NaN}', "NaN is not a number JSON allows"),
    (b'{"a": [1,\n  Infinity]}', "Infinity is not a number JSON allows; write a number or null "
                                 "(line 2, column 3)"),
    (b'{"a": -Infinity}', "-Infinity"),
    (b'{"a": 1e400}', "the number 1e400 is too large (line 1, column 7)"),
    (b'{"a": -1.5e309}', "too large"),
    (b'{"a": 1' + b"0" * 400 + b"}", "integers go up to 2**53"),
    (b'{"a": ' + b"9" * 5000 + b"}", "too large"),  # past Python's own 4,300-digit limit
    (b'{"a": 9007199254740993}', "too large"),
    (b'{"a": 1, "b": {"c": 2, "c": 3}}', "key 'c' appears twice in one object (line 1, column 24)"),
    # Keys repeat across objects; the one repeated within an object is found.
    (b'[{"id": 1},\n {"id": 2, "x": {"id": 0}, "id": 3}]',
     "key 'id' appears twice in one object (line 2, column 28)"),
    (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels deep at line 1, column 33"),
    (b'{"a": ' + b"{\"b\": " * 40 + b"1" + b"}" * 41, "nested more than 32 levels"),
    (b'{"a": [1, 2', "invalid JSON at line 1, column 12"),
])
def test_read_json_refuses_with_file_and_position(tmp_path, data, words):
    assert words in read_error(write(tmp_path, data))


def test_read_json_within_the_limits(tmp_path):
    text = '{"a": ' + "[" * 31 + "1" + "]" * 31 + ', "b": "' + "[[[[{{{{" * 20 + '"}'
    assert read_json(write(tmp_path, text.encode()))["b"].startswith("[[[[")
    assert read_json(write(tmp_path, b'{"n": 9007199254740992, "x": -1.5e308}')) == {
        "n": 2 ** 53, "x": -1.5e308}
    # Brackets inside strings, escaped quotes included, do not nest.
    deep_text = '"\\"' + "[" * 1000 + '"'
    assert read_json(write(tmp_path, f'{{"t": {deep_text}}}'.encode()))["t"].startswith('"[')


def test_read_json_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # a sparse file: 30 MB on paper, nothing on disk
        handle.truncate(30_000_000)
    assert "is 30,000,000 bytes, over the limit of 20,000,000" in read_error(path)
    small = write(tmp_path, b'{"a": "' + b"x" * 100 + b'"}', "small.json")
    assert "is 109 bytes, over the limit of 100" in read_error(small, max_bytes=100)


def test_read_json_only_reads_regular_files(tmp_path):
    import os
    assert "not a regular file" in read_error(tmp_path)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    assert "not a regular file" in read_error(fifo)


def test_read_json_missing_file_keeps_the_cause(tmp_path):
    with pytest.raises(DataError) as info:
        read_json(tmp_path / "nope.json")
    assert isinstance(info.value.__cause__, FileNotFoundError)


# -- text fields ----------------------------------------------------------------------

@pytest.mark.parametrize("value, long, words", [
    ("bell\x07", False, "control character U+0007 at character 5"),
    ("esc \x1b[31mred", True, "control character U+001B at character 5"),
    ("nul\x00", True, "U+0000"),
    ("del\x7f", False, "U+007F"),
    ("next line\x85", True, "U+0085"),  # C1
    ("csi\x9b", False, "U+009B"),
    ("half \ud800 a char", False, "lone surrogate U+D800"),
    ("low \udfff", True, "lone surrogate U+DFFF"),
    ("two\nlines", False, "a line break (U+000A) at character 4; this field is one line"),
    ("tab\there", False, "a tab (U+0009)"),
    ("carriage\rreturn", True, "U+000D"),
    ("x" * 301, False, "is 301 characters long; at most 300"),
    ("x" * 20_001, True, "is 20,001 characters long; at most 20,000"),
])
def test_text_problems(value, long, words):
    problem = text_problem(value, long=long)
    assert problem is not None and words in problem


@pytest.mark.parametrize("value, long", [
    ("Kyiv (Київ)", False),
    ("two\nparagraphs\twith a tab", True),
    ("right-to-left \u202eoverride and \u2067isolate\u2069", False),  # scripts need them
    ("zero\u200bwidth \u200d joiner \ufeff", False),
    ("emoji \U0001F600", False),
    ("x" * 300, False),
    ("x" * 20_000, True),
])
def test_text_that_passes(value, long):
    assert text_problem(value, long=long) is None


@pytest.mark.parametrize("record, field, words", [
    (broken(name="Kyiv\x1b[2J"), "name", "U+001B"),
    (broken(name_local="\ud800"), "name_local", "lone surrogate"),
    (broken(name="line\nbreak"), "name", "one line"),
    (broken(summary="x" * 20_001), "summary", "at most 20,000"),
    (broken(claims=[{"by": "A\x00", "says": "b", "paragraph": 1}]), "claims[0].by", "U+0000"),
    (broken(claims=[{"by": "A", "says": "b\x07", "paragraph": 1}]), "claims[0].says", "U+0007"),
    (broken(figures=[{"label": "x" * 301, "value": 1, "claimed_by": "A", "paragraph": 1}]),
     "figures[0].label", "at most 300"),
    (broken(figures=[{"label": "m", "value": 1, "claimed_by": "A\x85", "paragraph": 1}]),
     "figures[0].claimed_by", "U+0085"),
    (broken(figures=[{"label": "m", "value": 1, "claimed_by": "A", "paragraph": 1,
                      "qualifier": "at\tleast"}]), "figures[0].qualifier", "tab"),
    (broken(geometry={"coordinates": [30, 50], "source": "s\x1b"}), "geometry.source", "U+001B"),
    (broken(geometry={"place": "x\x00"}), "geometry.place", "U+0000"),
])
def test_text_faults_name_feature_and_field(record, field, words):
    with pytest.raises(DataError) as info:
        check(record)
    assert info.value.field == field and info.value.feature == "strike-x"
    assert words in str(info.value)


def test_report_text_faults():
    record = {"id": "r", "publisher": "P\x1b", "headline": "H", "date": "2022-11-16",
              "paragraphs": 3}
    with pytest.raises(DataError) as info:
        check_report(record, file="report.json")
    assert info.value.field == "publisher" and info.value.feature == "r"


# -- figures ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, -0.5, 1e13, 10 ** 400],
                         ids=["nan", "inf", "-1", "-0.5", "1e13", "10**400"])
def test_a_figure_must_be_a_finite_count(value):
    record = broken(figures=[{"label": "m", "value": value, "claimed_by": "A", "paragraph": 1}])
    with pytest.raises(DataError) as info:
        check(record)
    assert info.value.field == "figures[0].value" and "finite number from 0" in str(info.value)


@pytest.mark.parametrize("value", [0, 85, 2.5, 1e12])
def test_a_figure_in_range_passes(value):
    check(broken(figures=[{"label": "m", "value": value, "claimed_by": "A", "paragraph": 1}]))


def test_a_date_in_other_digits_is_not_a_date():
    # \d matches Arabic-Indic digits; dates are written in ASCII.
    assert "not an ISO date" in date_problem("٢٠٢٢-11-15")
