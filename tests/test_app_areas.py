"""Control maps in the app through AppTest: choosing one, its dates, what
changed, the comparison with another map, and the link."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest
from test_app import APP, map_script, shown_text
from test_areas_import import EAST, WEST, drawn

from mapapp.sources.report_folder import DATA_DIR
from mapapp.store.catalogue import Source
from mapapp.store.snapshots import save_snapshot


def entry(name: str, title: str) -> Source:
    return Source(name=name, kind="areas", title=title, publisher="Tests", licence="CC0",
                  file=f"{name}.geojson")


@pytest.fixture(scope="module")
def areas_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("app-areas") / "data"
    shutil.copytree(DATA_DIR, data)
    save_snapshot(data, entry("drawn", "Drawn map"), dt.date(2022, 11, 1),
                  drawn(("occupied", EAST.union(WEST))))
    save_snapshot(data, entry("drawn", "Drawn map"), dt.date(2022, 11, 15),
                  drawn(("occupied", EAST), ("returned", WEST)))
    save_snapshot(data, entry("other", "Other map"), dt.date(2022, 11, 14),
                  drawn(("occupied", box(32.9, 46.3, 33.6, 46.6))))
    return data


def start(monkeypatch, data, query) -> AppTest:
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    return at.run()


def test_a_control_map_replaces_the_reports_areas_with_its_date_and_source(monkeypatch,
                                                                         areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn"})
    assert not at.exception and not at.error
    assert at.selectbox(key="areas").value == "drawn"
    assert at.select_slider(key="map_date").value == dt.date(2022, 11, 15)  # the latest
    script = map_script(at)
    assert "map-drawn-2022-11-15-1" in script and "map-drawn-2022-11-15-2" in script
    assert "area-russian-held-2022-11-15" not in script  # the report's own, replaced
    assert "Control areas: Drawn map (Tests; CC0), as of 2022-11-15" in shown_text(at)
    assert at.query_params["areas"] == "drawn"

    at.select_slider(key="map_date").set_value(dt.date(2022, 11, 1)).run()
    script = map_script(at)
    assert "map-drawn-2022-11-01-1" in script and "map-drawn-2022-11-15" not in script
    assert "as of 2022-11-01" in shown_text(at)
    assert at.query_params["to"] == "2022-11-01"  # the day is kept in the link
    # The header speaks of the report, whatever control map is shown.
    assert "front line as of 2022-11-15, approximate" in " ".join(t.value for t in at.text)


def test_a_link_reopens_the_control_map_of_its_day_and_its_feature(monkeypatch, areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn", "to": "2022-11-10",
                                        "feature": "map-drawn-2022-11-01-1"})
    assert not at.exception and not at.error
    assert at.select_slider(key="map_date").value == dt.date(2022, 11, 1)  # in force then
    assert "Ignored unknown feature" not in shown_text(at)
    assert at.session_state["selected"] == "map-drawn-2022-11-01-1"


def test_what_changed_and_the_comparison_are_shown(monkeypatch, areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn"})
    text = shown_text(at)
    assert "Returned to Ukraine: about" in text
    table = at.dataframe[0].value
    assert table["Change"].iloc[0].startswith("Around Kherson, about ")
    assert "returned to Ukraine between 2022-11-01 and 2022-11-15" in table["Change"].iloc[0]
    assert "drawn of 2022-11-15 and other of 2022-11-14:" in text
    rows = dict(zip(at.dataframe[1].value.iloc[:, 0], at.dataframe[1].value["Value"]))
    assert 0 < float(rows["Overlap of the areas held by Russia (intersection over union)"]) < 1


def test_the_reports_own_line_is_the_fallback(monkeypatch, areas_dir):
    at = start(monkeypatch, areas_dir, {})
    assert at.selectbox(key="areas").value == ""
    assert "area-russian-held-2022-11-15" in map_script(at)
    at = start(monkeypatch, areas_dir, {"areas": "nope"})
    assert "Ignored unknown control map in the link: nope" in shown_text(at)


def test_what_changed_can_be_drawn_on_the_map(monkeypatch, areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn"})
    assert "change-drawn" not in map_script(at)
    at.checkbox(key="draw_changes").check().run()  # read before the map is drawn
    assert at.query_params["from"] == "2022-11-01"  # the link keeps them drawn
    script = map_script(at)
    assert "change-drawn-2022-11-01-2022-11-15-1" in script
    assert "Returned to Ukraine in the period" in script  # its legend entry


def test_a_folder_of_control_maps_alone_opens_on_one(monkeypatch, tmp_path):
    data = tmp_path / "data"
    save_snapshot(data, entry("drawn", "Drawn map"), dt.date(2022, 11, 15),
                  drawn(("occupied", EAST), ("returned", WEST)))
    at = start(monkeypatch, data, {})
    assert not at.exception and not at.error
    assert at.selectbox(key="areas").value == "drawn"
    assert at.selectbox(key="areas").options == ["drawn"]  # no report to fall back on
    assert "map-drawn-2022-11-15-1" in map_script(at)
    assert "0 event set(s) and 1 control map(s)" in shown_text(at)


def test_the_compared_map_can_be_outlined_on_the_map(monkeypatch, areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn"})
    assert "compare-other" not in map_script(at)
    at.checkbox(key="overlay_other").check().run()
    script = map_script(at)
    assert "compare-other-2022-11-14" in script  # in force on the 15th
    assert "Held by Russia in the map compared" in script  # its legend entry
    assert "Outlined: held by Russia in Other map (Tests; CC0), as of 2022-11-14" in \
        shown_text(at)


def test_a_link_with_changes_reopens_them_and_an_earlier_map_shows_none(monkeypatch,
                                                                          areas_dir):
    at = start(monkeypatch, areas_dir, {"areas": "drawn", "from": "2022-11-01"})
    assert not at.exception and not at.error
    assert at.checkbox(key="draw_changes").value
    assert "change-drawn-2022-11-01-2022-11-15-1" in map_script(at)
    at.select_slider(key="map_date").set_value(dt.date(2022, 11, 1)).run()
    assert "change-drawn" not in map_script(at)  # nothing earlier to change from
    assert "from" not in at.query_params


def test_a_control_map_gives_a_report_without_areas_their_boxes(monkeypatch, tmp_path):
    """A report that draws no areas or front lines has no box for them,
    until a control map brings both."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"] = [f for f in doc["features"]
                       if f["layer"] not in ("control_areas", "front_lines")]
    path.write_text(json.dumps(doc), encoding="utf-8")

    def boxes(at: AppTest) -> set[str]:
        assert not at.exception and not at.error
        return {b.key for b in at.checkbox if (b.key or "").startswith("layer_")}

    assert boxes(start(monkeypatch, data, {})) == {"layer_strikes", "layer_places",
                                                   "layer_mentions"}
    save_snapshot(data, entry("drawn", "Drawn map"), dt.date(2022, 11, 15),
                  drawn(("occupied", EAST), ("returned", WEST)))
    at = start(monkeypatch, data, {"areas": "drawn"})
    assert {"layer_control_areas", "layer_front_lines"} <= boxes(at)
    assert "map-drawn-2022-11-15-1" in map_script(at)
