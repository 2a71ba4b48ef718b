"""The hostile corpus through control maps: every payload as a feature's
name in a GeoJSON control map, as a KML folder's name, and as the map's
title and publisher; then out through the catalogue, the data export, the
web map, an SVG image and the app.

Kept text comes out literally (names on one line); text the project's
rules refuse leaves its feature out, named, or refuses the option.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from xml.sax.saxutils import escape

import pytest
import shapely
from hostile_data import PAYLOADS, page_calls
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from mapapp import cli
from mapapp.schema import text_problem
from mapapp.sources.area_layers import read_layer_file
from mapapp.sources.report_folder import DATA_DIR

APP = str(DATA_DIR.parent / "streamlit_app.py")


def name_kept(text: str) -> str | None:
    # GDAL's strings end at a NUL: what follows one never reaches us.
    shown = re.sub(r"[\t\r\n]+", " ", text.split("\x00")[0]).strip()
    return None if text_problem(shown) or not shown else shown


def cell(i: int):
    """Payload i's own small square near Kherson (rows of 12)."""
    x, y = 32.0 + (i % 12) * 0.1, 46.0 + (i // 12) * 0.1
    return box(x, y, x + 0.08, y + 0.08)


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-areas")
    path = folder / "map.geojson"
    features = [{"type": "Feature", "properties": {"category": "occupied", "name": p["text"]},
                 "geometry": shapely.geometry.mapping(cell(i))} for i, p in enumerate(PAYLOADS)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8", errors="surrogatepass")
    data = folder / "data"
    shutil.copytree(DATA_DIR, data)
    return path, data


def test_names_are_kept_literally_or_dropped_with_a_note_and_the_area_kept(hostile_map):
    path, _ = hostile_map
    areas, log = read_layer_file(path)
    assert log.skipped == [] and len(areas) == len(PAYLOADS)  # every area counts
    kept = dict(zip(areas["feature"], areas["name"]))
    for i, payload in enumerate(PAYLOADS, 1):
        wanted = name_kept(payload["text"])
        assert kept[i] == (wanted or ""), payload["id"]
        if wanted is None and payload["text"].split("\x00")[0].strip():
            assert any(note.startswith(f"feature {i} of layer ") for note in log.notes), \
                payload["id"]


def test_folder_names_in_kml_are_data(tmp_path):
    usable = [p for p in PAYLOADS if name_kept(p["text"]) and
              not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", p["text"])]
    folders = "".join(
        f"<Folder><name>{escape(p['text'])}</name><Placemark><name>x</name><Polygon>"
        f"<outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y}" for x, y in cell(i).exterior.coords)
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>"
        for i, p in enumerate(usable[:40]))
    path = tmp_path / "map.kml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/'
                    f'kml/2.2"><Document>{folders}</Document></kml>', encoding="utf-8")
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [{"layer": "*", "category": "occupied"}]}))
    from mapapp.sources.area_layers import load_rules

    areas, _ = read_layer_file(path, rules=load_rules(rules))
    # GDAL names layers after the folders; what it keeps of each name comes back as data.
    assert len(areas) == len(usable[:40])
    assert all(isinstance(layer, str) for layer in areas["layer"])


def test_a_hostile_map_goes_out_as_data_everywhere(hostile_map, tmp_path, capsys,
                                                   monkeypatch):
    path, data = hostile_map
    title = next(p["text"] for p in PAYLOADS if p["id"].startswith("script"))
    assert cli.main(["import", str(path), "--format", "areas", "--date", "2022-11-15",
                     "--source", "hostile", "--title", title, "--publisher", title,
                     "--data-dir", str(data)]) == 0
    capsys.readouterr()

    # The data export: names as plain values.
    out = tmp_path / "out.geojson"
    assert cli.main(["export", "--source", "hostile", "--format", "geojson", "-o", str(out),
                     "--data-dir", str(data)]) == 0
    names = {f["properties"]["name"] for f in json.loads(out.read_text())["features"]}
    expected = {name_kept(p["text"]) for p in PAYLOADS} - {None}
    assert names - {""} == expected

    # An SVG image: the title and credit as text of the document, never markup.
    image = tmp_path / "map.svg"
    assert cli.main(["export", "--source", "hostile", "--format", "svg", "-o", str(image),
                     "--data-dir", str(data)]) == 0
    root = ET.parse(image).getroot()  # well-formed: nothing broke out of the text
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert title in "".join(root.itertext())

    # The web map: names travel inside the JSON payload only.
    from test_hostile_text import EVALUATED, structure

    from mapapp.cli_areas import control_map
    from mapapp.sources.report_folder import load_report_map
    from mapapp.web.map import build_map

    report_map, _ = control_map(data, "hostile", load_report_map(data), None)
    page = build_map(report_map).get_root().render()
    twin = build_map(replace(report_map, features=tuple(
        replace(f, name="plain") for f in report_map.features))).get_root().render()
    # Not one element, attribute or script more than with plain names.
    assert structure(page) == structure(twin)
    for marker in EVALUATED:
        assert marker not in page
    drawn = {f["properties"]["name"] for name, value in page_calls(page) if name == "features"
             for f in value["data"]["features"]}
    assert expected <= drawn  # every kept name, as data

    # The app: names and the title as plain text, never Markdown.
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["areas"] = "hostile"
    at.run()
    assert not at.exception and not at.error
    assert any(title in t.value for t in at.text)
    assert not any(title in m.value for m in at.markdown)
