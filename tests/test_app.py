"""The Streamlit app's logic through AppTest: controls change the map payload.

AppTest cannot click inside the map (the browser tests do that); it sees the
st_folium component's arguments, which hold the generated Leaflet script.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp.geo.geocode import STORE_NAME
from mapapp.sources.report_folder import DATA_DIR

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def start(query=None, env_data_dir=None, monkeypatch=None):
    if env_data_dir is not None:
        monkeypatch.setenv("MAPAPP_DATA_DIR", str(env_data_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def map_payload(at) -> dict:
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    assert len(maps) == 1, "exactly one map on the page"
    return json.loads(maps[0].proto.json_args)


def map_script(at) -> str:
    return map_payload(at)["script"]


def shown_text(at) -> str:
    """Everything shown as plain text (data and link text go there, never
    into Markdown)."""
    return "\n".join(t.value for t in at.text)


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def picker(at):
    """The "Feature details" box (its key changes with each click on the map)."""
    return next(s for s in at.selectbox if s.label == "Feature details")


@pytest.fixture(scope="module")
def first_run():
    return start()


def test_page_shows_report_header_and_no_errors(first_run):
    at = first_run
    assert not at.exception and not at.error
    assert at.text[0].value.startswith("Russia Strikes Ukrainian Cities")
    shown = shown_text(at)
    assert "front line as of 2022-11-15, approximate" in shown
    assert "The Reference" in shown


def test_default_map_has_every_default_layer_and_local_assets(first_run):
    payload = map_payload(first_run)
    script = payload["script"]
    for feature_id in ("strike-kyiv", "explosion-przewodow", "front-dnipro-2022-11-15",
                       "area-russian-held-2022-11-15", "area-returned-kherson-2022-11",
                       "place-henichesk"):
        assert feature_id in script, feature_id
    assert "mention-g20-indonesia" not in script  # far mentions are off by default
    links = payload["js_links"] + payload["css_links"]
    assert links and all(link.startswith("/app/static/") for link in links), links


def test_unticking_a_layer_removes_it_from_the_map(first_run):
    at = first_run
    at.checkbox(key="layer_strikes").uncheck().run()
    script = map_script(at)
    assert "strike-kyiv" not in script and "explosion-przewodow" not in script
    assert "front-dnipro-2022-11-15" in script
    assert at.query_params["layers"] == "control_areas,front_lines,fighting,places"
    at.checkbox(key="layer_strikes").check().run()
    assert "strike-kyiv" in map_script(at)
    assert "layers" not in at.query_params


def test_status_filter_changes_the_map_and_the_table():
    at = start()
    at.multiselect(key="statuses").unselect("unclear").run()
    assert "explosion-przewodow" not in map_script(at)
    assert "strike-kyiv" in map_script(at)
    table = at.dataframe[0].value
    assert "explosion-przewodow" not in set(table["id"])
    assert "unclear" not in at.query_params["status"]


def test_type_filter_changes_the_map():
    at = start()
    at.multiselect(key="types").unselect("missile_strike").run()
    script = map_script(at)
    assert "strike-kyiv" not in script and "explosion-przewodow" in script


def test_basemap_choice_reaches_the_map():
    at = start()
    assert "tile.openstreetmap.org" not in map_script(at)
    at.radio(key="basemap").set_value("osm").run()
    assert "tile.openstreetmap.org" in map_script(at)
    assert at.query_params["basemap"] == "osm"


def test_choosing_a_feature_shows_details_and_goes_in_the_link():
    at = start()
    picker(at).select("explosion-przewodow").run()
    shown = shown_text(at)
    assert "Russian government (denies)" in shown
    assert "**Report date**" in markdown_text(at) and "2022-11-16" in shown
    assert at.query_params["feature"] == "explosion-przewodow"


def test_a_shared_link_reopens_the_view():
    at = start({"layers": "front_lines,mentions", "status": "reported,confirmed",
                "feature": "place-kherson", "basemap": "light"})
    assert not at.warning
    assert at.checkbox(key="layer_strikes").value is False
    assert at.checkbox(key="layer_mentions").value is True
    assert at.radio(key="basemap").value == "light"
    assert picker(at).value == "place-kherson"
    script = map_script(at)
    assert "mention-g20-indonesia" in script and "strike-kyiv" not in script
    assert "area-russian-held-2022-11-15" not in script


def test_only_layers_the_map_can_draw_get_a_box(tmp_path, monkeypatch):
    """The first report has no ground fighting: no box for it, and a link's
    choice about it is kept through reruns (the address does not change)."""
    at = start({"layers": "front_lines,strikes"})
    keys = {box.key for box in at.checkbox}
    assert "layer_fighting" not in keys and {"layer_strikes", "layer_places"} <= keys
    at.checkbox(key="layer_places").check().run()
    at.checkbox(key="layer_places").uncheck().run()
    assert at.query_params["layers"] == "front_lines,strikes"
    # A report with a fight has the box, on by default.
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    bakhmut = next(f for f in doc["features"] if f["id"] == "place-bakhmut")
    bakhmut.update(id="fighting-bakhmut", layer="fighting", type="fighting")
    path.write_text(json.dumps(doc), encoding="utf-8")
    at = start(env_data_dir=data, monkeypatch=monkeypatch)
    assert not at.exception
    assert at.checkbox(key="layer_fighting").value is True
    assert "fighting-bakhmut" in map_script(at)


def test_a_link_with_a_position_opens_the_map_there_and_keeps_it():
    at = start({"at": "46.75,33.1,9", "feature": "place-kherson"})
    assert not at.warning
    payload = map_payload(at)
    assert "\"at\":[46.75,33.1,9.0]" in payload["script"]
    # The selection travels beside the map, not in it: a new choice does not redraw it.
    assert '"id":"place-kherson"' in payload["feature_group"]
    assert at.query_params["at"] == "46.7500,33.1000,9"
    before = payload["script"]
    picker(at).select("strike-kyiv").run()
    assert map_script(at) == before
    assert '"id":"strike-kyiv"' in map_payload(at)["feature_group"]


@pytest.mark.parametrize("bad", ["95,33,9", "46,33", "46,33,40", "nan,1,5", "<b>x</b>"])
def test_a_bad_position_in_a_link_is_ignored_with_a_note(bad):
    at = start({"at": bad})
    assert not at.exception
    assert "Ignored a map position in the link" in shown_text(at)
    assert "\"at\":null" in map_script(at)
    assert "at" not in at.query_params


def test_a_stale_link_warns_and_still_opens():
    at = start({"layers": "strikes,rumours", "feature": "deleted-feature"})
    assert not at.exception
    assert at.warning[0].value == "Parts of the link were not understood and are ignored."
    assert "rumours" in shown_text(at) and "deleted-feature" in shown_text(at)
    assert "strike-kyiv" in map_script(at)
    # The app rewrites the address at once; the notes stay until dismissed.
    assert "rumours" not in at.query_params.get("layers", "")
    at.checkbox(key="layer_places").uncheck().run()
    assert "rumours" in shown_text(at)
    at.button(key="link_notes_dismiss").click().run()
    assert not at.warning and "rumours" not in shown_text(at)


def test_a_link_cannot_inject_markdown():
    evil = "[Log in again](https://evil.example/login) ![t](https://evil.example/p.png) :red[x]"
    at = start({"basemap": evil})
    assert not at.exception
    assert f"Ignored unknown basemap in the link: {evil}" in shown_text(at)
    assert "evil.example" not in markdown_text(at)


def test_a_rerun_without_changes_sends_the_same_map(first_run):
    # st_folium only redraws when the map changes: equal output, no reload.
    at = first_run
    before = map_script(at)
    at.run()
    assert map_script(at) == before


def test_broken_data_shows_an_error_box_and_keeps_running(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][1]["status"] = "probably"
    path.write_text(json.dumps(doc), encoding="utf-8")
    at = start(env_data_dir=data, monkeypatch=monkeypatch)
    assert not at.exception
    assert at.error[0].value == "The map data could not be loaded."
    message = shown_text(at)
    assert "features.json" in message and "'strike-kyiv'" in message and "'status'" in message


def test_html_in_data_shows_as_text(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    doc["features"][1]["name"] = "Kyiv " + evil
    doc["features"][1]["summary"] = evil
    report_path = data / "report.json"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["headline"] = "Headline [click](https://evil.example) " + evil
    report_path.write_text(json.dumps(report), encoding="utf-8")
    path.write_text(json.dumps(doc), encoding="utf-8")
    at = start({"feature": "strike-kyiv"}, env_data_dir=data, monkeypatch=monkeypatch)
    assert not at.exception
    script = map_script(at)
    assert "<script>alert" not in script and "<img src=x" not in script
    # The text itself, JSON-encoded into the page script (shown with textContent).
    assert "\\u003cscript\\u003ealert(\\u0027x\\u0027)" in script
    assert "&lt;" not in script
    shown = shown_text(at)
    assert "Kyiv " + evil in shown and "Headline [click](https://evil.example) " + evil in shown
    assert "<script>" not in markdown_text(at) and "evil.example" not in markdown_text(at)


def test_editing_a_data_file_reloads_it(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    at = start({"feature": "strike-lviv"}, env_data_dir=data, monkeypatch=monkeypatch)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][3]["summary"] = "Edited by the desk."
    path.write_text(json.dumps(doc), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later save
    at.run()
    assert "Edited by the desk" in shown_text(at)


def test_a_corrupt_geocache_entry_is_reported(tmp_path, monkeypatch):
    cache = tmp_path / "geocache"
    shutil.copytree(DATA_DIR.parent / "geocache", cache)
    store = cache / STORE_NAME
    lines = store.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if '"query": "Kyiv"' in line)
    lines[number - 1] = "{not json"
    store.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("MAPAPP_GEOCACHE_DIR", str(cache))
    at = start()
    assert not at.exception and not at.error
    assert at.warning[0].value == "A data problem was skipped."
    assert f"places.jsonl, line {number}" in shown_text(at) and "invalid JSON" in shown_text(at)
    # Kyiv is still drawn: GeoNames knows it.
    assert "strike-kyiv" in map_script(at)


def test_export_panel_makes_an_image_of_this_view():
    at = start({"layers": "front_lines,control_areas"})
    at.selectbox(key="export_format").select("svg")
    at.selectbox(key="export_preset").select("square")
    at.text_input(key="export_title").input("Where the front stood").run()
    assert not at.get("image")  # nothing drawn until asked
    at.button(key="export_make").click().run()
    assert not at.exception and not at.error
    assert len(at.get("image")) == 1
    download = at.get("download_button")[0].proto
    assert download.label == "Download map-square.svg"
    # A changed view marks the image as out of date instead of redrawing it.
    at.checkbox(key="layer_strikes").check().run()
    assert any("changed since this image was made" in i.value for i in at.info)


def test_export_panel_reports_a_title_that_does_not_fit():
    at = start()
    at.text_input(key="export_title").input("A very long title " * 40).run()
    at.button(key="export_make").click().run()
    assert not at.exception
    assert at.error[0].value == "The image could not be made."
    assert "title" in shown_text(at)
    assert not at.get("download_button")
