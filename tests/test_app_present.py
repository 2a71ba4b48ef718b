"""Present mode through AppTest: stepping, the step in the link, the layout, the keys."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.classroom.story import load_story
from mapapp.sources.report_folder import load_report_map

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
ASSETS = Path(__file__).resolve().parent.parent / "mapapp" / "web" / "assets"
STORY = "report-2022-11-16"


@pytest.fixture(scope="module")
def story():
    return load_story(STORY, report_map=load_report_map())


def present(query=None):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "story": STORY, **(query or {})})
    return at.run()


def map_script(at) -> str:
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)["script"]


def texts(at) -> list[str]:
    """Plain-text elements, in page order (lesson text is never Markdown)."""
    return [t.value for t in at.text]


def test_present_mode_shows_the_first_step(story):
    at = present()
    assert not at.exception and not at.error
    first = story.steps[0]
    assert texts(at)[:3] == [story.title, first.title, first.text]
    assert f"Step 1 of {len(story.steps)}" in " ".join(m.value for m in at.markdown)
    assert at.button(key="lesson_prev").disabled
    assert at.query_params["step"] == "1" and at.query_params["mode"] == "present"
    script = map_script(at)
    for feature_id in first.highlight:
        assert feature_id in script


def test_next_and_previous_walk_the_story(story):
    at = present()
    for number, step in enumerate(story.steps[1:], start=2):
        at.button(key="lesson_next").click().run()
        assert texts(at)[1] == step.title
        assert at.query_params["step"] == str(number)
        # The map flies from the previous step's view to this one.
        script = map_script(at)
        south, west = step.bounds[0]
        assert '"fly":true' in script and f"[[{south},{west}]" in script
    assert at.button(key="lesson_next").disabled
    at.button(key="lesson_prev").click().run()
    assert texts(at)[1] == story.steps[-2].title


def test_a_link_opens_step_3(story):
    at = present({"step": "3"})
    assert texts(at)[1] == story.steps[2].title
    if story.steps[2].question:
        assert story.steps[2].question in texts(at)


@pytest.mark.parametrize("raw", ["0", "99", "x"])
def test_a_bad_step_in_the_link_still_opens(story, raw):
    at = present({"step": raw})
    assert not at.exception
    assert texts(at)[1] in [step.title for step in story.steps]


def test_the_map_sits_beside_the_words(story):
    # Side by side, so a projector's 1280x720 holds both (sizes: app.css,
    # checked in a browser by test_present_browser.py).
    at = present({"step": "2"})
    step = story.steps[1]
    columns = list(at.columns)
    words = [n for n, c in enumerate(columns) if step.text in [t.value for t in c.text]]
    assert len(words) == 1
    beside = columns[words[0] - 1]
    assert [t.value for t in columns[words[0]].text][:4] == [story.title, step.title, step.text,
                                                             step.question]
    assert len(beside.get("component_instance")) == 1 and not beside.text
    assert beside.weight > columns[words[0]].weight  # the map is the larger


def test_the_map_hands_the_arrow_keys_to_the_step_buttons():
    at = present()
    assert at.button(key="lesson_prev").proto.shortcut == "left"
    assert at.button(key="lesson_next").proto.shortcut == "right"
    call = re.search(r"mapapp\.lessonKeys\(\w+, (\{.*?\})\);", map_script(at))
    assert call and json.loads(call.group(1)) == {"keys": ["ArrowLeft", "ArrowRight"]}
    assert "mapapp.lessonKeys = function" in (ASSETS / "mapapp.js").read_text(encoding="utf-8")


def test_step_layers_and_highlights_reach_the_map(story):
    at = present({"step": "2"})
    step = story.steps[1]
    script = map_script(at)
    shown = {f"mapapp-layer-{layer}" for layer in step.layers}
    for layer in ("strikes", "front_lines", "control_areas", "places", "mentions"):
        marker = f"mapapp-layer-{layer}"
        if marker not in shown:
            assert marker not in script, layer


def test_leaving_present_mode_returns_to_the_explorer():
    at = present()
    at.button(key="lesson_leave").click().run()
    assert not at.exception
    assert at.get("dataframe")  # the feature table is back
    assert "mode" not in at.query_params


def test_presenting_starts_from_the_sidebar():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.button(key="present_start").click().run()
    assert at.query_params["mode"] == "present" and at.query_params["step"] == "1"


def test_lesson_and_handout_downloads():
    at = present()
    at.button(key="lesson_bundle").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download lesson.html" in labels
    at.button(key="lesson_handout").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download handout.pdf" in labels and not at.exception


@pytest.mark.parametrize("story_id", ["../../../etc/os-release", "/tmp/x.json", "nope"])
def test_a_link_cannot_name_a_file_as_the_story(story_id):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "story": story_id})
    at.run()
    assert not at.exception
    assert at.error[0].value == "The link names a lesson that does not exist."
    assert f"No lesson called “{story_id}”" in "\n".join(texts(at))
    assert at.get("dataframe")  # back in the explorer


def test_a_missing_lesson_stays_reported_until_dismissed():
    # The app rewrites the address and leaves present mode at once, and the
    # map's first report of its extent reruns the script: the error must
    # survive both, like the link's other notes.
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"mode": "present", "story": "nope", "layers": "rumours"})
    at.run()
    assert "story" not in at.query_params
    at.run()
    at.checkbox(key="layer_places").uncheck().run()
    assert [e.value for e in at.error] == ["The link names a lesson that does not exist."]
    shown = "\n".join(texts(at))
    assert "No lesson called “nope”" in shown and "rumours" in shown
    at.button(key="link_notes_dismiss").click().run()
    assert not at.error and not at.warning and not at.exception
    assert "No lesson called" not in "\n".join(texts(at))
