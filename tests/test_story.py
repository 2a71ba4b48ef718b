"""Story files: the default story, every validation fault, safe embedding."""

import copy
import json
import re

import pytest

from mapapp.classroom.bundle import render_bundle, story_layers, story_payload, write_bundle
from mapapp.classroom.story import (
    STORIES_DIR,
    Story,
    list_stories,
    load_story,
    resolve_story_option,
    story_path,
)
from mapapp.cli import main
from mapapp.errors import DataError, OptionError, OutputError
from mapapp.model import LAYERS
from mapapp.schema import MAX_STORY_BYTES
from mapapp.web.payload import script_json
from mapapp.web.resources import web_asset

DEFAULT = "report-2022-11-16"

# A small valid story; each case below breaks one thing in a copy of it.
VALID = {
    "id": "mini",
    "title": "Mini lesson",
    "summary": "Two steps.",
    "steps": [
        {"id": "one", "title": "Strikes", "text": "Missiles hit cities.",
         "bounds": [[44, 22], [53, 41]], "layers": ["strikes"],
         "highlight": ["strike-kyiv"], "question": "Why?"},
        {"id": "two", "title": "Kherson", "text": "The city changed hands.",
         "bounds": [[46, 31], [47.6, 34]], "layers": ["places", "control_areas"],
         "highlight": []},
    ],
}


def write_story(tmp_path, record, name="mini.json"):
    path = tmp_path / name
    text = record if isinstance(record, str) else json.dumps(record)
    path.write_text(text, encoding="utf-8")
    return path


def broken(step, field, value=..., *, top=False):
    """A copy of VALID with one field of step ``step`` (or the story) set or removed."""
    record = copy.deepcopy(VALID)
    target = record if top else record["steps"][step]
    if value is ...:
        del target[field]
    else:
        target[field] = value
    return record


def test_default_story_loads(report_map):
    story = load_story(DEFAULT, report_map=report_map)
    assert DEFAULT in list_stories()
    assert story_path(DEFAULT) == STORIES_DIR / f"{DEFAULT}.json"
    assert story.id == DEFAULT and len(story.steps) == 6
    assert len({s.id for s in story.steps}) == 6
    known = {f.id for f in report_map.features}
    for step in story.steps:
        assert step.title and step.text and step.question
        assert set(step.layers) <= set(LAYERS)
        assert set(step.highlight) <= known
        (s, w), (n, e) = step.bounds
        assert s < n and w < e
    assert story.steps[0].highlight == ("strike-kyiv", "strike-kharkiv", "strike-lviv")
    assert story.steps[1].highlight == ("explosion-przewodow",)
    assert "place-henichesk" in story.steps[4].highlight


def test_load_by_path(report_map, tmp_path):
    story = load_story(write_story(tmp_path, VALID), report_map=report_map)
    assert isinstance(story, Story)
    assert story.steps[1].layers == ("control_areas", "places")  # drawing order
    assert story.steps[1].question == ""
    assert story.steps[0].bounds == ((44.0, 22.0), (53.0, 41.0))


def test_unknown_story_id_lists_known(report_map, tmp_path):
    (tmp_path / "stories").mkdir()
    write_story(tmp_path / "stories", VALID, "mini.json")
    with pytest.raises(DataError, match=r"no such story \(known: mini\)"):
        load_story("nope", report_map=report_map, data_dir=tmp_path)
    assert list_stories(data_dir=tmp_path) == ["mini"]
    assert list_stories(data_dir=tmp_path / "none") == []
    with pytest.raises(OptionError):
        story_path("../etc/passwd")


# (record, step number or None, field, words in the message)
CASES = {
    "missing text": (broken(0, "text"), 1, "text", "is missing"),
    "unknown field": (broken(1, "colour", "red"), 2, "colour", "not a known field"),
    "empty title": (broken(1, "title", "   "), 2, "title", "is empty"),
    "empty text": (broken(0, "text", ""), 1, "text", "is empty"),
    "unknown layer": (broken(1, "layers", ["places", "rivers"]), 2, "layers", "unknown layer 'rivers'"),
    "no layers": (broken(0, "layers", []), 1, "layers", "at least one layer"),
    "unknown feature": (broken(0, "highlight", ["strike-paris"]), 1, "highlight",
                        "unknown feature id 'strike-paris'"),
    "highlight not text": (broken(0, "highlight", [3]), 1, "highlight", "unknown feature id 3"),
    "south above north": (broken(1, "bounds", [[48, 31], [46, 34]]), 2, "bounds", "south"),
    "west right of east": (broken(1, "bounds", [[46, 34], [48, 31]]), 2, "bounds", "west"),
    "latitude off the world": (broken(0, "bounds", [[-95, 22], [53, 41]]), 1, "bounds", "-80..80"),
    "longitude off the world": (broken(0, "bounds", [[44, 22], [53, 181]]), 1, "bounds", "-180..180"),
    "too near the pole to draw": (broken(0, "bounds", [[81, 0], [85, 1]]), 1, "bounds", "-80..80"),
    "the whole globe": (broken(0, "bounds", [[40, -170], [60, 170]]), 1, "bounds", "span at most"),
    "highlight hidden by the step's layers": (broken(0, "highlight", ["place-kherson"]), 1,
                                              "highlight", "does not show"),
    "bounds not pairs": (broken(0, "bounds", [44, 22, 53, 41]), 1, "bounds", "[[south, west]"),
    "bounds not numbers": (broken(0, "bounds", [["44", 22], [53, 41]]), 1, "bounds", "[[south, west]"),
    "bounds type": (broken(0, "bounds", "44,22,53,41"), 1, "bounds", "must be a list"),
    "bad step id": (broken(0, "id", "Step One"), 1, "id", "lower-case"),
    "duplicate step id": (broken(1, "id", "one"), 2, "id", "duplicate step id 'one'"),
    "question not text": (broken(1, "question", 7), 2, "question", "must be text"),
    "no steps": (broken(0, "steps", [], top=True), None, "steps", "at least one step"),
    "missing summary": (broken(0, "summary", top=True), None, "summary", "is missing"),
    "unknown story field": (broken(0, "author", "x", top=True), None, "author", "not a known field"),
}


TEXT_CASES = {
    "title with escape": (broken(0, "title", "Mini\x1b[2J", top=True), None, "title", "U+001B"),
    "summary too long": (broken(0, "summary", "x" * 20_001, top=True), None, "summary",
                         "at most 20,000"),
    "step title two lines": (broken(0, "title", "Strikes\nand more"), 1, "title", "one line"),
    "step text lone surrogate": (broken(1, "text", "half \ud83d"), 2, "text", "lone surrogate"),
    "question with NUL": (broken(0, "question", "Why\x00?"), 1, "question", "U+0000"),
    "empty story title": (broken(0, "title", " ", top=True), None, "title", "is empty"),
}


@pytest.mark.parametrize("record, step, field, words", [*CASES.values(), *TEXT_CASES.values()],
                         ids=[*CASES, *TEXT_CASES])
def test_validation_names_file_step_and_field(report_map, tmp_path, record, step, field, words):
    path = write_story(tmp_path, record)
    with pytest.raises(DataError) as info:
        load_story(path, report_map=report_map)
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert words in str(err)
    assert str(path) in str(err) and repr(field) in str(err)
    if step is not None:
        step_id = record["steps"][step - 1].get("id")
        assert err.feature == f"mini step {step} ({step_id})"
        assert f"mini step {step}" in str(err)


def test_bad_json_names_the_file(report_map, tmp_path):
    path = write_story(tmp_path, '{"id": "mini", "steps": [')
    with pytest.raises(DataError, match="invalid JSON") as info:
        load_story(path, report_map=report_map)
    assert info.value.file == str(path)


def test_not_an_object(report_map, tmp_path):
    with pytest.raises(DataError, match="expected an object"):
        load_story(write_story(tmp_path, [1, 2]), report_map=report_map)


HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)> & \u2028"


def test_story_text_cannot_break_out_of_the_page(report_map, tmp_path):
    record = copy.deepcopy(VALID)
    record["title"] = HOSTILE
    record["steps"][0]["text"] = HOSTILE
    record["steps"][1]["question"] = HOSTILE
    story = load_story(write_story(tmp_path, record), report_map=report_map)
    page = render_bundle(report_map, story)
    # The only HTML is ours: no story text appears raw anywhere in the page.
    assert "alert(" in page  # it is there, as escaped JSON ...
    assert "<script>alert" not in page and "<img src=x" not in page  # ... never as markup
    assert "\u2028" not in page
    assert "<title>&lt;/script&gt;" in page
    embedded = script_json(story_payload(story))
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert embedded in page
    assert json.loads(embedded)["steps"][0]["text"] == HOSTILE.strip()
    # the panel fills itself with textContent only
    assert "innerHTML" not in web_asset("lesson.js").read_text(encoding="utf-8")


def test_bundle_is_self_contained(report_map):
    story = load_story(DEFAULT, report_map=report_map)
    page = render_bundle(report_map, story)
    assert story_layers(story) == ("control_areas", "front_lines", "strikes", "places")
    # nothing is fetched: no src/href pointing at a network address
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page.replace(
        '<a href="https://leafletjs.com"', "").replace('href="https://www.naturalearthdata.com/"', "")
        .replace('href="https://www.soest.hawaii.edu/pwessel/gshhg/"', ""))
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert "@media print" in page and "mapapp-highlight" in page


def test_write_bundle_overwrite_and_errors(report_map, tmp_path):
    story = load_story(DEFAULT, report_map=report_map)
    out = write_bundle(report_map, story, tmp_path / "lesson.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(OptionError, match="--overwrite"):
        write_bundle(report_map, story, out)
    write_bundle(report_map, story, out, overwrite=True)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_bundle(report_map, story, blocker / "lesson.html")


def test_cli_bundle(tmp_path, capsys):
    out = tmp_path / "lesson.html"
    assert main(["bundle", "--story", DEFAULT, "-o", str(out)]) == 0
    assert "6 steps" in capsys.readouterr().out and out.exists()
    assert main(["bundle", "--story", DEFAULT, "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["bundle", "--story", DEFAULT, "-o", str(out), "--overwrite"]) == 0
    assert main(["bundle", "--story", "no-such-story", "-o", str(tmp_path / "x.html")]) == 2
    assert "no such story" in capsys.readouterr().err


@pytest.mark.parametrize("text, words", [
    ("null", "expected an object, got null"),
    ('"a story"', "expected an object, got text"),
    ("[]", "expected an object, got a list"),
    ("42", "expected an object, got an integer"),
])
def test_top_level_must_be_an_object(report_map, tmp_path, text, words):
    path = write_story(tmp_path, text)
    with pytest.raises(DataError, match=words) as info:
        load_story(path, report_map=report_map)
    assert info.value.file == str(path)


def test_multi_line_step_text_is_kept(report_map, tmp_path):
    record = broken(0, "text", "First paragraph.\n\n\tSecond.")
    story = load_story(write_story(tmp_path, record), report_map=report_map)
    assert story.steps[0].text == "First paragraph.\n\n\tSecond."


def test_a_text_is_an_id_never_a_path(report_map, tmp_path):
    path = write_story(tmp_path, VALID)
    for text in (str(path), "../stories/x.json", "mini.json"):
        with pytest.raises(OptionError, match="story id"):
            load_story(text, report_map=report_map, data_dir=tmp_path)


def test_a_story_found_by_id_carries_that_id(report_map, tmp_path):
    (tmp_path / "stories").mkdir()
    write_story(tmp_path / "stories", VALID, "other.json")
    with pytest.raises(DataError, match="differs from the file name") as info:
        load_story("other", report_map=report_map, data_dir=tmp_path)
    assert info.value.field == "id"


# -- --story on the command line ---------------------------------------------------------

def test_story_option_takes_an_id_or_a_json_file(tmp_path):
    assert resolve_story_option(DEFAULT) == DEFAULT
    path = write_story(tmp_path, VALID)
    assert resolve_story_option(str(path)) == path
    upper = write_story(tmp_path, VALID, "UPPER.JSON")
    assert resolve_story_option(str(upper)) == upper


def story_option_cases(tmp_path):
    import os
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")
    with (tmp_path / "big.json").open("wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_STORY_BYTES + 1)
    (tmp_path / "notes.txt").write_text('{"id": "x"}', encoding="utf-8")
    return {
        "unknown id": ("no-such-story", "no such story 'no-such-story'"),
        "system file": ("/etc/passwd", "neither a story id"),
        "text file": (str(tmp_path / "notes.txt"), "nor a .json file"),
        "missing file": (str(tmp_path / "missing.json"), "cannot open"),
        "folder": (str(tmp_path / "folder.json"), "is not a file"),
        "pipe": (str(tmp_path / "pipe.json"), "is not a file"),
        "too big": (str(tmp_path / "big.json"), "at most 2,000,000"),
        "folder without suffix": (str(tmp_path), "neither a story id"),
        "empty": ("", "neither a story id"),
    }


def test_story_option_refuses_everything_else(tmp_path):
    for name, (value, words) in story_option_cases(tmp_path).items():
        with pytest.raises(OptionError) as info:
            resolve_story_option(value)
        message = str(info.value)
        assert message.startswith("--story: ") and words in message, (name, message)


@pytest.mark.parametrize("command", ["bundle", "handout"])
def test_cli_story_option_never_reads_or_echoes_other_files(tmp_path, capsys, command):
    out = tmp_path / "out.pdf"
    (tmp_path / command).mkdir()
    cases = story_option_cases(tmp_path / command)
    for name, (value, words) in cases.items():
        assert main([command, "--story", value, "-o", str(out)]) == 2, name
        captured = capsys.readouterr()
        assert captured.out == "" and "root:" not in captured.err
        assert captured.err.startswith("error: --story: ") and captured.err.count("\n") == 1
        assert words in captured.err, name
    assert not out.exists()


# -- check reads every story --------------------------------------------------------------

def test_check_reports_every_broken_story_on_one_line_each(tmp_path, capsys):
    import shutil

    from mapapp.sources.report_folder import DATA_DIR
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    stories = data / "stories"
    good = json.loads((stories / f"{DEFAULT}.json").read_text(encoding="utf-8"))
    bad_layer = copy.deepcopy(good) | {"id": "bad-layer"}
    bad_layer["steps"][2]["layers"] = ["rumours"]
    reversed_bounds = copy.deepcopy(good) | {"id": "reversed"}
    reversed_bounds["steps"][0]["bounds"] = [[53, 22], [44, 41]]
    write_story(stories, bad_layer, "bad-layer.json")
    write_story(stories, reversed_bounds, "reversed.json")
    write_story(stories, "null", "nothing.json")
    write_story(stories, good, "Bad Name.json")
    write_story(stories, '{"id": "nan", "steps": [NaN]}', "nan.json")
    assert main(["check", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("error: ")]
    assert len(errors) == 5, err
    for name, words in [("Bad Name.json", "not a story id"), ("bad-layer.json", "'rumours'"),
                        ("nan.json", "NaN"), ("nothing.json", "got null"),
                        ("reversed.json", "'bounds'")]:
        assert sum(name in line and words in line for line in errors) == 1, (name, errors)
    assert err[-1] == "FAILED"


def test_check_counts_the_stories(capsys):
    assert main(["check"]) == 0
    assert "1 story" in capsys.readouterr().out
