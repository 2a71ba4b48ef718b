"""The "New report" page through AppTest: a pasted report becomes a saved
source that the map, Present mode and the link then show."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.sources.report_folder import DATA_DIR

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
REPORT = """Missiles Hit Ukrainian Cities After Kherson Retreat

Wednesday 16/November/2022
The Daily Example

Russian missiles struck Lviv on Tuesday, the mayor said.

An explosion hit the village of Przewodów in Poland, Polish authorities said.

Russian forces withdrew from Kherson last week, according to the Ukrainian southern command.
"""


@pytest.fixture()
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("sources"))
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(folder))
    return folder


def review(text: str = REPORT, publisher: str = "The Daily Example") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "review"
    at.run()
    at.text_area(key="review_text").set_value(text)
    at.text_input(key="review_publisher_in").set_value(publisher)
    return at.button(key="review_find").click().run()


def editor_rows(at) -> list[dict]:
    (table,) = at.dataframe
    return table.value.to_dict("records")


def test_a_pasted_report_becomes_a_saved_source_on_the_map(data):
    at = review()
    assert not at.exception and not at.error
    assert at.text_input(key="review_headline").value == (
        "Missiles Hit Ukrainian Cities After Kherson Retreat")
    assert at.text_input(key="review_date").value == "2022-11-16"
    rows = {r["name"]: r for r in editor_rows(at)}
    assert rows["Lviv"]["layer"] == "strikes" and rows["Lviv"]["keep"]
    assert rows["Przewodów"]["type"] == "explosion"
    assert not rows["Poland"]["keep"]
    # The preview shows the kept places.
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    assert maps and "Przewodów" in json.loads(maps[0].proto.json_args)["script"]

    at.text_input(key="review_name").set_value("daily-example")
    at.button(key="review_save").click().run()
    assert not at.error and at.success
    folder = data / "sources" / "daily-example"
    assert (folder / "report.txt").read_text(encoding="utf-8") == REPORT
    assert not (data / "report.txt").exists()  # the text only in its own folder

    at.button(key="review_open").click().run()
    assert not at.exception and not at.error
    assert at.query_params["report"] == "daily-example"
    assert at.text[0].value == "Missiles Hit Ukrainian Cities After Kherson Retreat"
    assert at.selectbox(key="report_pick").value == "daily-example"
    assert at.text_input(key="export_title").value == (
        "Missiles Hit Ukrainian Cities After Kherson Retreat")
    picker = next(b for b in at.selectbox if b.label == "Feature details")
    assert "Lviv (strike points)" in picker.options
    # Another report picked: the image's title and subtitle follow it.
    own = next(o for o in at.selectbox(key="report_pick").options if o != "daily-example")
    at.selectbox(key="report_pick").set_value(own).run()
    assert at.text_input(key="export_title").value != (
        "Missiles Hit Ukrainian Cities After Kherson Retreat")
    assert "The Daily Example" not in at.text_input(key="export_subtitle").value


def test_a_saved_report_opens_from_a_link_and_in_present_mode(data):
    at = review()
    at.text_input(key="review_name").set_value("daily-example")
    at.button(key="review_save").click().run()

    link = AppTest.from_file(APP, default_timeout=120)
    link.query_params["report"] = "daily-example"
    link.run()
    assert not link.exception and not link.error
    assert link.text[0].value == "Missiles Hit Ukrainian Cities After Kherson Retreat"

    lesson = AppTest.from_file(APP, default_timeout=120)
    lesson.query_params.update({"mode": "present", "report": "daily-example"})
    lesson.run()
    assert not lesson.exception and not lesson.error
    texts = [t.value for t in lesson.text]
    assert texts[:2] == ["Missiles Hit Ukrainian Cities After Kherson Retreat",
                         "Where the report's places are"]
    lesson.button(key="lesson_next").click().run()
    assert lesson.query_params["report"] == "daily-example"
    assert lesson.query_params["step"] == "2"


def test_saving_never_overwrites_a_source(data):
    at = review()
    at.text_input(key="review_name").set_value("daily-example")
    at.button(key="review_save").click().run()
    before = (data / "sources" / "daily-example" / "features.json").read_bytes()
    at = review(REPORT.replace("Lviv", "Kyiv"))
    at.text_input(key="review_name").set_value("daily-example")
    at.button(key="review_save").click().run()
    reason = " ".join(t.value for t in at.text)  # the reason, under the error box
    assert "“daily-example” exists already" in reason
    assert "--replace" not in reason and str(data) not in reason  # no command-line advice
    assert at.error and not at.exception
    assert (data / "sources" / "daily-example" / "features.json").read_bytes() == before


def test_two_reports_saved_under_one_headline_can_each_be_picked(data):
    for name in ("first-draft", "second-draft"):
        at = review(REPORT.replace("Lviv", "Kyiv") if name == "second-draft" else REPORT)
        at.text_input(key="review_name").set_value(name)
        at.button(key="review_save").click().run()
        assert not at.error
    at.button(key="review_open").click().run()
    picker = at.selectbox(key="report_pick")
    # The browser tells options apart by their labels: one per report.
    labels = [label for label in picker.options if "Kherson Retreat" in label]
    assert len(labels) == len(set(labels)) == 2
    assert picker.value == "second-draft" and at.query_params["report"] == "second-draft"
    picker.set_value("first-draft").run()
    assert not at.exception and at.query_params["report"] == "first-draft"


def test_a_saved_report_opens_framed_on_its_own_places(data):
    at = review("KYIV, 3 March 2023 - Russian missiles struck Irpin and Bucha overnight, "
                "and drones hit Brovary, officials said.\n")
    at.text_input(key="review_name").set_value("kyiv-suburbs")
    at.button(key="review_save").click().run()
    at.button(key="review_open").click().run()
    assert not at.exception and not at.error
    script = json.loads(next(c for c in at.get("component_instance") if c.proto.component_name
                             == "streamlit_folium.st_folium").proto.json_args)["script"]
    bounds = re.search(r"mapapp\.setup\(\w+, \{\"bounds\":(\[\[[^]]+\],\[[^]]+\]\])", script)
    (south, west), (north, east) = json.loads(bounds.group(1))
    # Around Kyiv (50.45 N, 30.52 E), two degrees or so across; not all of Ukraine.
    assert south < 50.45 < north and west < 30.52 < east
    assert north - south < 3 and east - west < 3


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("   \n\n", "empty"),
])
def test_an_empty_report_gets_a_message_and_the_page_keeps_working(data, text, words):
    at = review(text)
    assert not at.exception
    assert at.error and any(words in t.value for t in at.text)
    at.text_area(key="review_text").set_value(REPORT)
    at.button(key="review_find").click().run()
    assert not at.error and editor_rows(at)


def test_text_without_places_says_so(data):
    at = review("The committee met on Monday and said nothing new.")
    assert not at.exception and not at.error
    assert any("No places were found" in i.value for i in at.info)


def test_an_unknown_report_in_the_link_is_ignored_with_a_note(data):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["report"] = "no-such-report"
    at.run()
    assert not at.exception
    assert any("Ignored unknown report in the link: no-such-report" in t.value for t in at.text)
    assert "report" not in at.query_params  # the data folder's own report, as by default


def test_online_lookup_is_off_by_default_and_asks_only_when_ticked(data, monkeypatch):
    import app.review
    from mapapp.geo.geocode import NominatimClient
    from tests.geocode_fixtures import NOMINATIM_PRZEWODOW, FakeClock, FakeTransport

    clock = FakeClock()
    transport = FakeTransport([dict(NOMINATIM_PRZEWODOW[0], lat="49.0467", lon="37.3881",
                                    name="Dovhenke")], clock=clock)
    monkeypatch.setattr(app.review, "nominatim_client", lambda: NominatimClient(
        transport.nominatim(), clock=clock.clock, sleep=clock.sleep))
    text = REPORT + "\nShelling hit the village of Dovhenke, officials said.\n"
    at = review(text)
    assert transport.calls == []  # nothing left the machine
    assert {r["name"]: r for r in editor_rows(at)}["Dovhenke"]["lat"] is None or \
        pd_isna({r["name"]: r for r in editor_rows(at)}["Dovhenke"]["lat"])
    at.checkbox(key="review_online").check()
    at.button(key="review_find").click().run()
    assert not at.exception and not at.warning
    assert len(transport.calls) == 1 and "Dovhenke" in transport.calls[0]["url"]
    assert {r["name"]: r for r in editor_rows(at)}["Dovhenke"]["lat"] == 49.0467


def test_online_lookup_without_internet_warns_and_keeps_the_draft(data):
    # The real client, as a user would have it; this machine has no internet.
    text = REPORT + "\nShelling hit the village of Dovhenke, officials said.\n"
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "review"
    at.run()
    at.text_area(key="review_text").set_value(text)
    at.checkbox(key="review_online").check()
    at.button(key="review_find").click().run()
    assert not at.exception and not at.error
    assert at.warning and any("Dovhenke" in t.value for t in at.text)
    assert editor_rows(at)  # the offline draft is there all the same


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_report_without_a_dateline_says_its_date_is_a_stand_in(data):
    at = review("Russian missiles struck Lviv on Tuesday, the mayor said.")
    assert not at.exception and not at.error
    assert any("no full date" in w.value for w in at.warning)
    at.date_input(key="review_date_in").set_value(dt.date(2022, 11, 16))
    at.button(key="review_find").click().run()
    assert not any("no full date" in w.value for w in at.warning)
    assert {r["name"]: r for r in editor_rows(at)}["Lviv"]["event_date"] == "2022-11-15"


def test_a_folder_without_a_report_of_its_own_offers_its_saved_reports(tmp_path, monkeypatch):
    from mapapp.sources.geoparse.draft import draft_report, feature_records, save_draft

    folder = tmp_path / "sets-only"
    folder.mkdir()
    draft = draft_report(REPORT, publisher="The Daily Example")
    save_draft(folder, "daily-example", draft.report, REPORT,
               feature_records(draft.rows, draft.report))
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and not at.error
    assert at.text[0].value == "Imported sources"
    assert at.selectbox(key="report_pick").options == ["None: imported sources only",
                                                      REPORT.splitlines()[0] + " (The Daily "
                                                      "Example, 2022-11-16)"]
    at.selectbox(key="report_pick").set_value("daily-example").run()
    assert not at.exception and at.text[0].value == REPORT.splitlines()[0]
    assert at.query_params["report"] == "daily-example"


def test_the_marked_text_is_as_tall_as_the_text_up_to_a_screenful():
    from app.review import MARKED_MAX_PX, marked_text_height

    short, longer = marked_text_height("Missiles hit Kyiv."), marked_text_height(REPORT)
    assert short < longer < MARKED_MAX_PX == marked_text_height("word " * 5000)


def test_the_source_name_follows_the_headline_until_the_reviewer_types_one(data):
    at = review()
    # Cut between words ("Missiles Hit Ukrainian Cities After Kherson Retreat").
    assert at.text_input(key="review_name").value == "missiles-hit-ukrainian-cities-after"
    at.text_input(key="review_headline").set_value("Night of Strikes").run()
    assert at.text_input(key="review_name").value == "night-of-strikes"
    at.text_input(key="review_name").set_value("my-own-name").run()
    at.text_input(key="review_headline").set_value("Another Headline").run()
    assert at.text_input(key="review_name").value == "my-own-name"
    # Where each row's event date comes from is in the table.
    rows = {r["name"]: r for r in editor_rows(at)}
    assert rows["Lviv"]["date_basis"] == "“Tuesday” in the text"


def edit_table(at, edits: dict[int, dict]) -> AppTest:
    """Edit cells of the candidates' table as the browser's editor reports them."""
    key = next(k for k in at.session_state.keys() if k.startswith("review_table_"))
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    return at.run()


def test_a_kept_row_without_a_point_is_named_and_the_rest_still_previews(data):
    text = REPORT + "\nShelling hit the village of Dovhenke, officials said.\n"
    at = review(text)
    names = [r["name"] for r in editor_rows(at)]
    edit_table(at, {names.index("Dovhenke"): {"keep": True}})
    assert not at.exception
    assert len(at.error) == 1
    shown = " ".join(t.value for t in at.text)
    # The table's words, and how to give the place a point.
    assert "Dovhenke" in shown and "column “Latitude”" in shown and "'lat'" not in shown
    assert "Type its latitude and longitude" in shown
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    assert maps and "Lviv" in json.loads(maps[0].proto.json_args)["script"]  # the others
    assert at.button(key="review_save").disabled
    # Untick it again: the fault is gone and the report can be saved.
    edit_table(at, {names.index("Dovhenke"): {"keep": False}})
    assert not at.error and not at.button(key="review_save").disabled


def test_a_drafted_denial_is_a_column_the_reviewer_can_clear(data):
    text = REPORT.replace("Russian missiles struck Lviv on Tuesday, the mayor said.",
                          "Russian missiles struck Lviv on Tuesday. Moscow denied it.")
    at = review(text)
    rows = editor_rows(at)
    lviv = next(n for n, r in enumerate(rows) if r["name"] == "Lviv")
    assert (rows[lviv]["denied_by"], rows[lviv]["status"]) == ("Moscow", "disputed")
    at.text_input(key="review_name").set_value("kept-denial")
    at.button(key="review_save").click().run()
    edit_table(at, {lviv: {"denied_by": None, "status": "reported"}})
    at.text_input(key="review_name").set_value("cleared-denial")
    at.button(key="review_save").click().run()
    assert not at.error and not at.exception

    def claims(name: str) -> list[dict]:
        doc = json.loads((data / "sources" / name / "features.json").read_text("utf-8"))
        return next(f for f in doc["features"] if f["name"] == "Lviv")["claims"]

    assert [c["stance"] for c in claims("kept-denial")] == ["asserts", "denies"]
    assert [c["stance"] for c in claims("cleared-denial")] == ["asserts"]


def test_a_report_without_headline_or_publisher_asks_for_them(data):
    body = REPORT.split("\n\n", 1)[1].replace("The Daily Example\n", "")
    at = review(body.replace("Wednesday 16/November/2022\n", "KYIV, 16 November 2022 - "),
                publisher="")
    assert not at.exception
    asked = [w.value for w in at.warning if "gives no headline and no publisher" in w.value]
    assert asked
    at.text_input(key="review_headline").set_value("Lviv struck").run()
    at.text_input(key="review_publisher").set_value("The Daily Example").run()
    assert not [w for w in at.warning if "gives no" in w.value]
    # A report that gives both is not asked.
    assert not [w for w in review().warning if "gives no" in w.value]
