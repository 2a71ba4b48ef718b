"""Event sets in the app through AppTest: the link, the date range, the
map's filter sent apart from the map, play-through and the download."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from mapapp.sources.report_folder import DATA_DIR
from mapapp.store.catalogue import save_source
from mapapp.store.query import EventFilter, select
from test_app import APP
from test_store import entry, synthetic


@pytest.fixture(scope="module")
def events_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("app-events") / "data"
    shutil.copytree(DATA_DIR, data)
    events = synthetic(2000)
    save_source(data, entry("synthetic", events), events)
    return data, events


def start(monkeypatch, data, query) -> AppTest:
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    return at.run()


def map_args(at) -> dict:
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)


def test_a_link_opens_the_sources_and_dates_it_names(monkeypatch, events_dir):
    data, events = events_dir
    at = start(monkeypatch, data, {"sources": "synthetic", "from": "2022-11-01",
                                   "to": "2022-11-15"})
    assert not at.exception and not at.error
    assert at.multiselect(key="sources").value == ["synthetic"]
    assert at.slider(key="dates").value == (dt.date(2022, 11, 1), dt.date(2022, 11, 15))
    expected = select(events, EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 15)))
    assert f"{len(expected):,} of {len(events):,} events from synthetic, 2022-11-01 to " \
           f"2022-11-15." in [c.value for c in at.caption]
    args = map_args(at)
    assert "mapapp.events(" in args["script"] and "/app/static/data/events-" in args["script"]
    # Beside the selection's group (the first), in a group of its own.
    assert 'mapapp.filterEvents(feature_group_feature_group_1, {"sources":["synthetic"],' \
           '"from":19297,"to":19311});' in args["feature_group"]
    assert at.query_params["sources"] == "synthetic" and at.query_params["from"] == "2022-11-01"
    table = at.dataframe[1].value
    assert len(table) == len(expected)
    assert list(table["Date"]) == sorted(table["Date"])  # by date, whatever the file's order


def test_a_new_range_changes_the_filter_not_the_map(monkeypatch, events_dir):
    data, _ = events_dir
    at = start(monkeypatch, data, {"sources": "synthetic"})
    before = map_args(at)
    assert "from" not in at.query_params  # the whole span is the default
    at.slider(key="dates").set_value((dt.date(2022, 12, 1), dt.date(2022, 12, 10))).run()
    after = map_args(at)
    assert after["script"] == before["script"]  # the map and its events stay in the page
    assert '"from":19327,"to":19336' in after["feature_group"]
    assert (at.query_params["from"], at.query_params["to"]) == ("2022-12-01", "2022-12-10")


def test_unknown_sources_and_bad_dates_in_a_link_are_reported(monkeypatch, events_dir):
    data, _ = events_dir
    at = start(monkeypatch, data, {"sources": "synthetic,nope", "from": "15/11/2022"})
    assert not at.exception
    notes = "\n".join(t.value for t in at.text)
    assert "Ignored unknown sources in the link: nope" in notes
    assert "Ignored a from date in the link that is not YYYY-MM-DD: 15/11/2022" in notes
    assert at.multiselect(key="sources").value == ["synthetic"]


def test_play_moves_the_range_a_step_at_a_time_and_stops_at_the_end(monkeypatch, events_dir):
    data, events = events_dir
    last = events["date_end"].max().date()
    at = start(monkeypatch, data, {"sources": "synthetic",
                                   "from": f"{last - dt.timedelta(days=4)}",
                                   "to": f"{last - dt.timedelta(days=2)}"})
    at.button(key="play").click().run()  # plays: two steps of a day, then stops
    assert at.slider(key="dates").value == (last - dt.timedelta(days=2), last)
    assert at.session_state["playing"] is False
    assert at.button(key="play").proto.label == "▶ Play"


def test_the_events_in_the_range_download_as_geojson(monkeypatch, events_dir):
    data, events = events_dir
    at = start(monkeypatch, data, {"sources": "synthetic", "from": "2022-11-01",
                                   "to": "2022-11-07"})
    at.selectbox(key="events_format").set_value("geojson").run()
    at.button(key="events_make").click().run()
    download = [b for b in at.get("download_button")
                if b.proto.label.startswith("Download events-2022-11-01-2022-11-07")]
    assert download, [b.proto.label for b in at.get("download_button")]
    expected = select(events, EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 7)))
    assert f"{len(expected):,} of" in "\n".join(c.value for c in at.caption)


def test_without_sources_the_report_map_is_as_before(monkeypatch, events_dir):
    data, _ = events_dir
    at = start(monkeypatch, data, {})
    args = map_args(at)
    assert "mapapp.events(" not in args["script"]
    assert "mapapp.filterEvents(" not in args["feature_group"]  # the selection's group only
    assert at.multiselect(key="sources").value == []


def test_the_image_export_is_made_with_the_event_sets(monkeypatch, events_dir):
    # What it draws is tested on the renderer (test_store): here, that the
    # app asks for it with the events and their credit, and shows it.
    from mapapp.static import export

    calls = []
    real = export.render_bytes

    def spy(report_map, **options):
        calls.append(options)
        return real(report_map, **options)

    monkeypatch.setattr(export, "render_bytes", spy)
    data, events = events_dir
    at = start(monkeypatch, data, {"sources": "synthetic", "from": "2022-11-01",
                                   "to": "2022-11-07"})
    at.button(key="export_make").click().run()
    assert not at.exception and not at.error
    assert [b for b in at.get("download_button") if b.proto.label.startswith("Download map-")]
    expected = select(events, EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 7)))
    assert calls, "the app drew no image"
    drawn = calls[-1]
    assert sorted(drawn["events"]["id"]) == sorted(expected["id"])
    assert drawn["event_credits"] == ("Events: Synthetic events (the tests; CC0)",)
    assert drawn["subtitle"].endswith("events 2022-11-01 to 2022-11-07")  # as the CLI says


def test_play_over_the_whole_span_starts_a_week_from_the_first_day(monkeypatch, events_dir):
    data, events = events_dir
    first = events["date_start"].min().date()
    at = start(monkeypatch, data, {"sources": "synthetic"})
    monkeypatch.setattr("time.sleep", lambda s: None)
    at.session_state["play_step"] = "month"
    at.button(key="play").click()
    at.run()  # plays a month at a time to the end, then stops
    assert at.session_state["playing"] is False
    lo, hi = at.slider(key="dates").value
    assert hi == events["date_end"].max().date() and hi - lo == dt.timedelta(days=6)
    assert lo > first


def test_a_one_day_set_and_an_event_without_a_name(monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    events = synthetic(3)
    events["date_start"] = events["date_end"] = pd.Timestamp("2022-11-15")
    events["name"] = pd.NA
    save_source(data, entry("oneday", events), events)
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"sources": "oneday"})
    at.session_state["event"] = ("oneday", "e1")
    at.session_state["details"] = "event"
    at.run()
    assert not at.exception and not at.error
    assert not at.get("slider")
    assert "All events on 2022-11-15." in [c.value for c in at.caption]
    shown = [t.value for t in at.text]
    assert "e1" in shown and "2022-11-15 (exact day)" in shown


def test_leaving_present_mode_returns_to_the_view_left(monkeypatch, events_dir):
    # Present mode draws none of the explorer's widgets, and Streamlit forgets
    # the state of widgets a run does not draw: the view must come back anyway.
    data, _ = events_dir
    link = {"sources": "synthetic", "from": "2022-11-01", "to": "2022-11-15",
            "layers": "front_lines,strikes", "status": "confirmed"}
    at = start(monkeypatch, data, link)
    at.button(key="present_start").click().run()
    assert at.query_params["mode"] == "present"
    at.button(key="lesson_next").click().run()
    at.button(key="lesson_leave").click().run()
    assert not at.exception and not at.error
    assert {key: at.query_params[key] for key in at.query_params} == link
    assert at.multiselect(key="sources").value == ["synthetic"]
    assert at.slider(key="dates").value == (dt.date(2022, 11, 1), dt.date(2022, 11, 15))
    assert at.checkbox(key="layer_strikes").value and not at.checkbox(key="layer_places").value
    assert at.multiselect(key="statuses").value == ["confirmed"]


def test_a_folder_of_event_sets_alone_opens_on_them(monkeypatch, tmp_path):
    # What `import --data-dir` into an empty folder leaves: no report, no lesson.
    data = tmp_path / "data"
    events = synthetic(500)
    save_source(data, entry("synthetic", events), events)
    at = start(monkeypatch, data, {})
    assert not at.exception and not at.error
    assert at.multiselect(key="sources").value == ["synthetic"]  # every set, by default
    assert "mapapp.events(" in map_args(at)["script"]
    keys = {widget.key for widget in at.button} | {widget.key for widget in at.checkbox}
    assert "present_start" not in keys and "layer_strikes" not in keys
    assert "This data folder holds no report" in " ".join(t.value for t in at.text)
    at.button(key="export_make").click().run()
    assert not at.exception and not at.error
    assert at.text_input(key="export_title").value == "Synthetic events"  # its title
    assert len(at.get("image")) == 1
    at.query_params["mode"] = "present"  # a lesson link into such a folder: the explorer
    assert not at.run().exception
