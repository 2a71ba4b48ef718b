"""The hostile corpus through the "New report" surfaces: a pasted report
holding every payload, its marked text on the review page, a draft saved
with a hostile headline and publisher, and that source on the map, in the
app and in an image.  Everything comes out as the text it was.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from hostile_data import PAYLOADS, page_calls, usable
from streamlit.testing.v1 import AppTest
from test_hostile_text import EVALUATED, structure

from mapapp import cli
from mapapp.geo.nameindex import load_index
from mapapp.sources.geoparse.draft import draft_report, feature_records, save_draft
from mapapp.sources.report_folder import DATA_DIR, load_report_map
from mapapp.web.map import build_map

APP = str(DATA_DIR.parent / "streamlit_app.py")
# Payloads a report's paragraph can hold (the review page takes what the
# browser can type: no lone surrogates) and a one-line headline can.
IN_TEXT = usable(PAYLOADS, "report.summary")
IN_LINE = usable(PAYLOADS, "report.headline")


def report_with(payloads: list[str]) -> str:
    paragraphs = [f"Missiles struck Lviv on Tuesday. {text}" for text in payloads]
    return "Missiles Hit Ukrainian Cities\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def index():
    return load_index()


def test_the_marked_text_is_the_report_as_data(index):
    from app.review import highlight_page

    text = report_with([p["text"] for p in IN_TEXT])
    plain = report_with([f"Plain {i}." for i in range(len(IN_TEXT))])
    drafts = [draft_report(t, publisher="Daily", date="2022-11-16", index=index)
              for t in (text, plain)]
    page, twin = (highlight_page(d, d.rows) for d in drafts)
    # Not one element more than with plain words; nothing evaluated.
    assert structure(page) == structure(twin)
    for marker in EVALUATED:
        assert marker not in page
    data = re.search(r'<script type="application/json" id="mapapp-data">(.*?)</script>',
                     page, re.DOTALL).group(1)
    assert json.loads(data)["text"] == text  # every payload, as typed
    assert page.count("<script") == 2  # the data and our own script


def test_a_draft_with_a_hostile_headline_and_publisher_goes_out_as_data(index, tmp_path,
                                                                        monkeypatch, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("sources"))
    text = report_with([p["text"] for p in IN_TEXT[:40]])
    names = []
    for n, payload in enumerate(IN_LINE[:12]):
        draft = draft_report(text, headline=payload["text"], publisher=payload["text"],
                             date="2022-11-16", index=index)
        records = feature_records(draft.rows, draft.report)
        name = f"hostile-{n}"
        save_draft(data, name, {**draft.report, "headline": payload["text"],
                                "publisher": payload["text"]}, text, records)
        names.append((name, payload["text"]))

    for name, title in names:
        folder = data / "sources" / name
        report_map = load_report_map(folder)
        assert report_map.report.headline == title.strip()
        page = build_map(report_map).get_root().render()
        twin = build_map(replace(report_map, features=tuple(
            replace(f, name="plain", summary="plain") for f in report_map.features))
        ).get_root().render()
        assert structure(page) == structure(twin)
        for marker in EVALUATED:
            assert marker not in page
        assert {f["properties"]["name"] for call, value in page_calls(page)
                if call == "features" for f in value["data"]["features"]} >= {"Lviv"}

    # An SVG image of one: the headline is text of the document, never markup.
    name, title = names[0]
    image = tmp_path / "map.svg"
    assert cli.main(["export", "--data-dir", str(data / "sources" / name), "--format", "svg",
                     "-o", str(image)]) == 0
    root = ET.parse(image).getroot()
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert title.strip() in "".join(root.itertext())
    capsys.readouterr()

    # The app shows each as plain text, never Markdown.
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    for name, title in names[:4]:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["report"] = name
        at.run()
        assert not at.exception and not at.error
        assert at.text[0].value == title.strip()
        assert not any(title.strip() in m.value for m in at.markdown)


def test_a_hostile_report_pasted_into_the_review_page_stays_text(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("sources"))
    monkeypatch.setenv("MAPAPP_DATA_DIR", str(data))
    text = report_with([p["text"] for p in IN_TEXT])
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "review"
    at.run()
    at.text_area(key="review_text").set_value(text)
    at.text_input(key="review_publisher_in").set_value(IN_LINE[0]["text"])
    at.button(key="review_find").click().run()
    assert not at.exception and not at.error
    assert at.text_input(key="review_publisher").value == IN_LINE[0]["text"].strip()
    for element in at.markdown:  # only our own words go through Markdown
        assert not any(p["text"] in element.value for p in IN_TEXT if len(p["text"]) > 8)
