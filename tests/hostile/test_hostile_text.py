"""Hostile text through every surface that is not a browser: the loader,
``html``, ``bundle``, the Streamlit app (explore, details, table, Present
mode, links), ``export`` (SVG and PDF text) and ``handout`` (PDF text).

Each payload must come out literally (the same characters, no evaluation,
no double escaping) or, where a field refuses it, give a clear message.
The browser half is test_hostile_browser.py.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mapapp import cli
from mapapp.model.describe import feature_details, feature_rows
from mapapp.schema import text_problem
from mapapp.web.layers import display_properties

import hostile_data
from hostile_data import FIELDS, PAYLOADS, fits, page_calls

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
# What a template engine would make of the template payloads.
EVALUATED = ("ZZ42ZZ", "uid=0(root)")


def hostile_ids(folder) -> list[str]:
    return sorted({fid for fid, _ in folder.placed if fid.startswith("hostile-")})


# -- the corpus and the folder --------------------------------------------------

def test_the_corpus_covers_every_kind_of_attack():
    assert len(PAYLOADS) >= 100
    kinds = {p["category"] for p in PAYLOADS}
    assert kinds >= {"script", "event-handler", "url", "breakout", "encoded", "template",
                     "markdown", "streamlit-markdown", "mathtext", "control", "bidi",
                     "zero-width", "long"}
    assert any(len(p["text"]) >= 10_000 for p in PAYLOADS)
    assert len({p["id"] for p in PAYLOADS}) == len(PAYLOADS)


def test_every_payload_lands_in_every_field_that_takes_it(hostile):
    per_feature = [w for w in FIELDS if not w.startswith(("report.", "story.", "step.",
                                                          "geometry.", "geocache.query"))]
    for i, payload in enumerate(PAYLOADS):
        for where in per_feature:
            placed = (f"hostile-{i}", where) in hostile.placed
            assert placed == fits(payload["text"], where), (payload["id"], where)
    # Most payloads fit the multi-line fields; the refused ones are control characters.
    long_ok = [p for p in PAYLOADS if fits(p["text"], "feature.summary")]
    assert len(long_ok) >= 120


def test_the_loader_keeps_every_payload_as_given(hostile, hostile_map):
    def value(feature, where):
        return {
            "feature.name": feature.name, "feature.name_local": feature.name_local,
            "feature.summary": feature.summary,
            "claim.by": feature.claims[0].by, "claim.says": feature.claims[0].says,
            "figure.label": feature.figures[0].label if feature.figures else None,
            "figure.claimed_by": feature.figures[0].claimed_by if feature.figures else None,
            "figure.qualifier": feature.figures[0].qualifier if feature.figures else None,
            "geometry.source": feature.location.source,
            "place.query": feature.location.query,
        }.get(where)

    checked = 0
    for (fid, where), text in hostile.placed.items():
        if not fid.startswith("hostile-"):
            continue
        feature = hostile_map.by_id(fid)
        got = value(feature, where)
        # Spaces around a text are trimmed on load: every surface shows it so.
        if where in ("geocache.reference", "geocache.note"):
            assert text.strip().rstrip(".") in feature.location.text(), (fid, where)
        elif got is not None:
            assert got == text.strip(), (fid, where)
        checked += 1
    assert checked > 1000


def test_refused_text_names_the_file_the_feature_and_the_field(tmp_path, capsys):
    # One refused payload per kind of refusal, in a feature name.
    refused = [p for p in PAYLOADS if not fits(p["text"], "feature.name")]
    kinds = {}
    for p in refused:
        kinds.setdefault(text_problem(p["text"]).split(" ")[1], p)
    assert len(kinds) >= 3  # control character, line break, too long
    for n, payload in enumerate(kinds.values()):
        folder = hostile_data.build(tmp_path / str(n), [])
        path = folder.data_dir / "features.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["features"][2]["name"] = payload["text"]
        path.write_text(json.dumps(doc), encoding="utf-8")
        before = path.read_bytes()
        assert cli.main(["check", "--data-dir", str(folder.data_dir),
                         "--cache-dir", str(folder.cache_dir)]) != 0
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "Traceback" not in err[0], err
        assert "features.json" in err[0] and doc["features"][2]["id"] in err[0]
        assert "'name'" in err[0]
        assert path.read_bytes() == before


# -- pages: html and bundle -----------------------------------------------------

class _Tags(HTMLParser):
    """The page's element structure: tag names and attribute names, in order
    (text, attribute values and script bodies left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(("<", tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag):
        self.tags.append((">", tag))


def structure(page: str) -> list[tuple]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def _write_page(command: list[str], folder, out: Path) -> str:
    assert cli.main([*command, "-o", str(out), "--data-dir", str(folder.data_dir),
                     "--cache-dir", str(folder.cache_dir)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["html", "--layers", "places,strikes"],
                                     ["bundle", "--story", "hostile"]], ids=["html", "bundle"])
def test_pages_carry_every_payload_as_data_and_nothing_as_markup(command, hostile, twin,
                                                                 hostile_map, tmp_path):
    page = _write_page(command, hostile, tmp_path / "hostile.html")
    plain = _write_page(command, twin, tmp_path / "twin.html")
    # Not one element, attribute or script more than with plain words.
    assert structure(page) == structure(plain)
    for marker in EVALUATED:
        assert marker not in page
    features = {f["id"]: f["properties"] for name, value in page_calls(page) if name == "features"
                for f in value["data"]["features"]}
    for fid in hostile_ids(hostile):
        feature = hostile_map.by_id(fid)
        expected = display_properties(feature, kind="point", default_as_of=hostile_map.front_line_as_of)
        got = {k: features[fid][k] for k in expected}
        assert got == expected, fid
    if command[0] == "bundle":
        (story,) = [value for name, value in page_calls(page) if name == "lesson"]
        for i, step in enumerate(story["steps"]):
            for where in ("title", "text", "question"):
                text = hostile.placed.get((f"step-{i}", f"step.{where}"))
                if text is not None:
                    assert step[where] == text.strip(), (i, where)


HEADLINES = hostile_data.usable(PAYLOADS, "report.headline")  # the others are refused (above)


@pytest.mark.parametrize("payload", HEADLINES, ids=[p["id"] for p in HEADLINES])
def test_report_text_reaches_the_page_title_and_the_citations_literally(payload, hostile_map):
    import html as html_lib

    from mapapp.web import map as webmap
    text = payload["text"]
    report = replace(hostile_map.report, headline=text, publisher=text)
    rm = replace(hostile_map, report=report,
                 features=tuple(replace(f, citation=replace(f.citation, headline=text, publisher=text))
                                for f in hostile_map.features if f.id.startswith("hostile-1")))
    page = webmap.render_html(webmap.build_map(rm))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html_lib.unescape(title) == f"Map: {text}"
    for marker in EVALUATED:
        assert marker not in page
    for name, value in page_calls(page):
        if name == "features":
            for f in value["data"]["features"]:
                assert f["properties"]["citation"].startswith(f"{text}, “{text}”")


# -- the Streamlit app (AppTest) --------------------------------------------------

@pytest.fixture(scope="module")
def app_env(hostile):
    mp = pytest.MonkeyPatch()
    mp.setenv("MAPAPP_DATA_DIR", str(hostile.data_dir))
    mp.setenv("MAPAPP_GEOCACHE_DIR", str(hostile.cache_dir))
    yield
    mp.undo()


def run_app(query=None):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    return at.run()


def shown(at) -> list[str]:
    return [t.value for t in at.text]


def map_script(at) -> str:
    """The Leaflet script the app's map component was given."""
    maps = [c for c in at.get("component_instance")
            if c.proto.component_name == "streamlit_folium.st_folium"]
    return json.loads(maps[0].proto.json_args)["script"]


def assert_not_in_markdown(at, texts):
    """Markdown only ever holds our own words."""
    markdown = "\n".join(m.value for m in at.markdown)
    for text in texts:
        if len(text.strip()) > 3:
            assert text not in markdown


def test_app_details_and_table_show_every_payload_literally(app_env, hostile, hostile_map):
    at = run_app()
    assert not at.exception
    table = at.dataframe[0].value
    rows = {row["id"]: row for row in feature_rows(hostile_map.features)}
    for fid in hostile_ids(hostile):
        expected = rows[fid]
        got = table[table["id"] == fid].iloc[0].to_dict()
        assert got == expected, fid
        next(s for s in at.selectbox if s.label == "Feature details").select(fid).run()
        assert not at.exception
        values = shown(at)
        feature = hostile_map.by_id(fid)
        assert feature.display_name in values
        for label, value in feature_details(feature, hostile_map):
            assert value in values, (fid, label)
        assert_not_in_markdown(at, [v for _, v in feature_details(feature, hostile_map)])


LINK_KEYS = ("layers", "types", "status", "basemap", "feature", "at")
# Every key a link may hold (the app test above leaves the event sets' out:
# a folder without them ignores them the same way).
VIEW_KEYS = LINK_KEYS + ("sources", "from", "to")


@pytest.mark.parametrize("mixed", [False, True], ids=["alone", "mixed"])
def test_a_link_full_of_payload_makes_a_view_without_raising(mixed):
    from mapapp.view import ViewState, from_query

    for payload in PAYLOADS:
        text = payload["text"]
        if mixed:  # a payload among real names, and in a list of repeats
            text = f"strikes,{text},confirmed,2022-11-15"
        for query in ({key: text for key in VIEW_KEYS},
                      {key: [text, text] for key in VIEW_KEYS}):
            view, notes = from_query(query, feature_ids={"strike-kyiv"},
                                     source_names=("acled",))
            assert isinstance(view, ViewState) and all(isinstance(n, str) for n in notes)
            # What the link made is a view the constructor accepts as it is.
            fields = {f: getattr(view, f) for f in view.__dataclass_fields__}
            assert ViewState(**fields) == view, payload["id"]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["id"] for p in PAYLOADS])
def test_a_link_full_of_payload_opens_and_shows_it_literally(app_env, payload):
    text = payload["text"]
    at = run_app({key: text for key in LINK_KEYS})
    assert not at.exception and not at.error
    if text.strip(",") and text != "none":
        notes = "\n".join(shown(at))
        for key in ("basemap", "feature"):
            # st.text trims the ends of what it shows (spaces only)
            assert f"Ignored unknown {key} in the link: {text}".rstrip() in notes
        # A position is numbers or nothing: the payload never reaches the map.
        assert "Ignored a map position in the link" in notes
        assert '"at":null' in map_script(at)
    assert_not_in_markdown(at, [text])
    # A hostile lesson name or step in a link.
    at = run_app({"mode": "present", "story": text, "step": text})
    assert not at.exception
    if text != "hostile":
        assert at.error[0].value == "The link names a lesson that does not exist."
        assert f"No lesson called “{text}”" in "\n".join(shown(at))
    assert_not_in_markdown(at, [text])


def test_present_mode_shows_every_step_literally(app_env, hostile_story):
    steps = hostile_story.steps
    for number, step in enumerate(steps, start=1):
        at = run_app({"mode": "present", "story": "hostile", "step": str(number)})
        assert not at.exception and not at.error
        values = shown(at)
        assert values[:3] == [hostile_story.title, step.title, step.text], number
        assert step.question in values
        assert_not_in_markdown(at, [step.title, step.text, step.question])


# -- static images and the handout ------------------------------------------------

def _svg_text(data: bytes) -> list[str]:
    root = ET.fromstring(data)  # also proves the file is well-formed XML
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def _squash(text: str) -> str:
    # Wrapping turns spaces into line ends and may break a long word.
    return "".join(text.split())


def _in_pdf(text: str, page: str) -> bool:
    """Whether ``text`` is in a PDF page's text layer.

    A PDF stores right-to-left runs in visual order, has no glyph for a
    format character (bidi controls, zero-width joiners) and maps a shaped
    cluster (a letter with combining marks) back to text as a whole: such
    text is compared as a bag of base characters, everything else in order."""
    import unicodedata
    from collections import Counter

    visible = "".join(c for c in _squash(text) if unicodedata.category(c) not in ("Cf", "Mn"))
    if visible == _squash(text) and not any(unicodedata.bidirectional(c) in ("R", "AL")
                                            for c in text):
        return visible in _squash(page)
    drawn = Counter(c for c in _squash(page) if unicodedata.category(c) not in ("Cf", "Mn"))
    return not Counter(visible) - drawn


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["id"] for p in PAYLOADS])
def test_export_titles_come_out_literally_or_are_refused(payload, hostile, tmp_path, capsys):
    from pdf_text import page_text, pdf_pages

    text = payload["text"]
    for fmt in ("svg", "pdf"):
        out = tmp_path / f"map.{fmt}"
        code = cli.main(["export", "--data-dir", str(hostile.data_dir), "--cache-dir",
                         str(hostile.cache_dir), "--layers", "none", "--bounds", "46,30,48,34",
                         "--preset", "square", f"--title={text}", f"--subtitle={text}",
                         "-o", str(out)])
        captured = capsys.readouterr()
        if code != 0:
            # Refused: one line naming the option; no file.
            lines = captured.err.strip().splitlines()
            assert len(lines) == 1 and "Traceback" not in captured.err and not out.exists()
            control = any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in text)
            if control:
                assert lines[0].startswith("error: --title: contains a control character"), lines
            else:  # a long word, or 10,000 characters
                assert lines[0].startswith("error: title does not fit"), lines
            continue
        data = out.read_bytes()
        # The one documented substitution: U+FEFF is drawn as U+2060, its
        # modern spelling (matplotlib's PDF backend fails on U+FEFF).
        text = text.replace("\ufeff", "\u2060")
        if fmt == "svg":  # SVG keeps text as text, in reading order
            drawn = _squash(" ".join(_svg_text(data)))
            assert _squash(text) in drawn
        else:
            drawn = " ".join(page_text(page) for page in pdf_pages(data))
            assert _in_pdf(text, drawn), fmt
        for marker in EVALUATED:
            assert marker not in drawn


def test_feature_labels_in_an_export_are_the_names_as_given(hostile, hostile_map, tmp_path):
    out = tmp_path / "labels.svg"
    assert cli.main(["export", "--data-dir", str(hostile.data_dir), "--cache-dir",
                     str(hostile.cache_dir), "--layers", "places", "--bounds", "46.5,25,54,38",
                     "-o", str(out)]) == 0
    labels = set(_svg_text(out.read_bytes()))
    names = {f.name for f in hostile_map.features if f.id.startswith("hostile-")}
    drawn = labels & names
    # Many collide, with each other and with their markers, and are left out;
    # those drawn are exact.
    assert len(drawn) >= 5
    for label in labels:
        if label.startswith(("<", "{", "$", "&", ":", "\\")):
            assert label in names, label


def test_the_handout_prints_every_step_literally(hostile, hostile_map, hostile_story):
    from mapapp.classroom.handout import render_handout
    from mapapp.classroom.story import Story
    from mapapp.errors import OptionError

    from pdf_text import page_text, pdf_pages

    # A page holds a map and a few paragraphs: a step of thousands of
    # characters is refused with a clear message, the rest print literally.
    short = tuple(s for s in hostile_story.steps if len(s.text) + len(s.question) < 1500)
    long = [s for s in hostile_story.steps if s not in short]
    assert len(short) >= 120 and long
    story = replace(hostile_story, steps=short)
    pages = pdf_pages(render_handout(hostile_map, story))
    assert len(pages) == len(short)
    for page, step in zip(pages, short):
        drawn = page_text(page)
        for text in (step.title, step.text, step.question):
            assert _in_pdf(text, drawn), step.id
    for step in long:
        with pytest.raises(OptionError, match=f"step '{step.id}' does not fit on one page"):
            render_handout(hostile_map, Story("long", "Long", "", (step,)))
