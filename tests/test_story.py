"""Story files: the default story, every validation fault, safe embedding."""

import copy
import json
import re

import pytest

from mapapp.bundle import render_bundle, story_json, story_layers, write_bundle
from mapapp.cli import main
from mapapp.errors import DataError, OptionError, OutputError
from mapapp.model import LAYERS
from mapapp.story import STORIES_DIR, Story, list_stories, load_story, story_path

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
    "a 400-digit number": (broken(0, "bounds", [[10**400, 0], [1, 1]]), 1, "bounds", "[[south, west]"),
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


@pytest.mark.parametrize("record, step, field, words", CASES.values(), ids=CASES.keys())
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
    embedded = story_json(story)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded)["steps"][0]["text"] == HOSTILE.strip()
    # the panel fills itself with textContent only
    script = page[page.index("var story = "):]
    assert "innerHTML" not in script[:script.index("})();")]


def test_bundle_is_self_contained(report_map):
    story = load_story(DEFAULT, report_map=report_map)
    page = render_bundle(report_map, story)
    assert story_layers(story) == ("control_areas", "front_lines", "strikes", "places")
    # nothing is fetched: no src/href pointing at a network address
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page.replace(
        '<a href="https://leafletjs.com"', "").replace('href="https://www.naturalearthdata.com/"', ""))
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
