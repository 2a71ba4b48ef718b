"""Hostile text in a real browser: the page must show it and never run it.

The non-browser half (test_hostile_text.py) proves every payload reaches
the pages as data.  Here Debian's Chromium opens them and checks what a
reader really gets:

* ``mapapp html``: every hostile feature's popup, tooltip and marker label,
  built by mapapp.js, against the feature's JSON decoded from the page;
* ``mapapp bundle``: every step of the hostile lesson in the panel and in
  the printed handout, against the story JSON decoded from the page;
* the Streamlit app: feature details, a link full of payloads, Present mode.

Before any page script runs, a trap is set in every frame: writing
``window.__pwned`` is recorded, and ``alert``, ``confirm``, ``prompt`` and
``print`` record their calls instead of opening anything.  After each page
nothing may have been recorded, no dialog opened, no script error thrown,
no request left the machine and the title was never set to ``pwned``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import textwrap
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from mapapp import cli
from mapapp.model.describe import feature_details
from mapapp.view import from_query

from browser_support import ARTIFACTS, launch_chromium, open_offline_page, serve_app
from hostile_data import PAYLOADS, page_calls

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
BY_ID = {p["id"]: (i, p) for i, p in enumerate(PAYLOADS)}

# Set in every frame before its first script: records what a payload would do.
TRAP = """(() => {
  const seen = [], titles = [];
  Object.defineProperty(window, '__mapappTrap', {value: seen});
  Object.defineProperty(window, '__mapappTitles', {value: titles});
  const record = (what) => seen.push(String(what).slice(0, 300));
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = function () {
      record(name + '(' + Array.from(arguments).map(String).join(', ') + ')');
    };
  }
  let pwned;
  Object.defineProperty(window, '__pwned', {configurable: false, enumerable: true,
    get() { return pwned; }, set(v) { pwned = v; record('__pwned = ' + v); }});
  const title = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(Document.prototype, 'title', {configurable: true,
    get() { return title.get.call(this); },
    set(v) { titles.push(String(v)); title.set.call(this, v); }});
  window.addEventListener('error', (e) => record('error: ' + e.message));
})();"""

TRAP_STATE = """() => ({trap: window.__mapappTrap ? Array.from(window.__mapappTrap) : null,
  titles: window.__mapappTitles ? Array.from(window.__mapappTitles) : null,
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  title: document.title})"""


def assert_nothing_ran(page, *, outside, errors, dialogs, title: str) -> None:
    """The trap caught nothing in any frame; the page kept ``title``."""
    for frame in page.frames:
        state = frame.evaluate(TRAP_STATE)
        where = frame.url[:80]
        assert state["trap"] is not None, f"the trap was not set in {where}"
        assert state["trap"] == [], f"{where}: {state['trap']}"
        assert state["pwned"] is None, f"{where}: window.__pwned = {state['pwned']}"
        assert "pwned" not in state["titles"], f"{where}: title set to {state['titles']}"
    assert page.title() == title
    assert dialogs == [], dialogs
    assert errors == [], errors
    assert outside == [], f"the page asked the network for: {outside}"


class _Trapped:
    """A browser whose new pages carry the trap (open_offline_page opens
    the page and goes to the address in one call)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.add_init_script(TRAP)
        return page


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as b:
        yield b


def test_the_trap_sees_a_payload_that_runs(browser, tmp_path, request):
    # Without this, a trap that never fired would pass every test below.
    page_path = tmp_path / "run.html"
    page_path.write_text("<title>ok</title><body><img src=x onerror=\"window.__pwned=10;"
                         "alert(10)\"><img src='https://evil.example/b.png'>"
                         "<iframe srcdoc='<script>parent.print()</script>'></iframe>"
                         "<script>document.title='pwned'</script>", encoding="utf-8")
    page, outside, errors, dialogs = open_offline_page(_Trapped(browser), page_path.as_uri(),
                                                       request, allow=("file://",))
    page.wait_for_function("window.__mapappTrap.length >= 3", timeout=5_000)
    state = page.evaluate(TRAP_STATE)
    assert state["pwned"] == "10" and state["titles"] == ["pwned"]
    assert set(state["trap"]) == {"__pwned = 10", "alert(10)", "print()"}
    assert outside == ["https://evil.example/b.png"]
    with pytest.raises(AssertionError):
        assert_nothing_ran(page, outside=[], errors=[], dialogs=[], title="pwned")


def shown_by_st_text(value: str) -> str:
    """What ``st.text(value)`` puts on the page: Streamlit dedents and strips
    the body (streamlit.string_util.clean_text), and changes nothing else."""
    return textwrap.dedent(value).strip()


# -- pages written by the CLI -------------------------------------------------------

def write_page(command: list[str], folder, out: Path) -> tuple[Path, str]:
    assert cli.main([*command, "-o", str(out), "--data-dir", str(folder.data_dir),
                     "--cache-dir", str(folder.cache_dir)]) == 0
    return out, out.read_text(encoding="utf-8")


def open_page(browser, path: Path, request):
    page, outside, errors, dialogs = open_offline_page(_Trapped(browser), path.as_uri(), request,
                                                       allow=("file://",))
    page.wait_for_function("window.L !== undefined && document.querySelector('.mapapp-marker')",
                           timeout=15_000)
    return page, outside, errors, dialogs


def map_name(page_text: str) -> str:
    return re.search(r"var (map_[0-9a-f]{32}) = L\.map\(", page_text).group(1)


# Tags mapapp.js builds popups and tooltips from (details/summary: the
# popup's folded "More"); anything else came from data.
OWN_TAGS = ["div", "h4", "h5", "p", "dl", "dt", "dd", "ul", "li", "b", "bdi", "span", "br",
            "details", "summary"]

READ_POPUPS = """([mapName, ids, ownTags]) => {
  const map = window[mapName], own = new Set(ownTags), layers = {};
  map.eachLayer((l) => { if (l.feature && l.feature.properties) { layers[l.feature.properties.id] = l; } });
  // Leaflet's own close button is the one element of another kind.
  const strays = (pane) => Array.from(document.querySelectorAll(pane + ' *'))
    .filter((e) => !own.has(e.localName) && !e.closest('a.leaflet-popup-close-button'))
    .map((e) => e.outerHTML.slice(0, 120));
  const text = (root, sel) => { const e = root.querySelector(sel); return e ? e.textContent : null; };
  const out = {};
  for (const id of ids) {
    const layer = layers[id];
    if (!layer) { out[id] = null; continue; }
    layer.openTooltip();
    layer.openPopup();
    const tip = layer.getTooltip().getElement(), pop = layer.getPopup().getElement();
    const box = pop.querySelector('.leaflet-popup-content');
    out[id] = {
      open: layer.isPopupOpen() && layer.isTooltipOpen(),
      name: text(box, 'h4'),
      summary: text(box, '.mapapp-summary'),
      lists: Array.from(box.querySelectorAll('ul')).map((ul) => [
        ul.previousElementSibling && ul.previousElementSibling.textContent,
        Array.from(ul.children).map((li) => li.textContent)]),
      cite: text(box, '.mapapp-cite'),
      loc: text(box, '.mapapp-loc'),
      tipName: text(tip, '.mapapp-tip-name'),
      tipStatus: text(tip, '.mapapp-status'),
      label: layer.getElement().querySelector('[role="img"]').getAttribute('aria-label'),
      strays: strays('.leaflet-popup-pane').concat(strays('.leaflet-tooltip-pane')),
    };
    layer.closePopup();
    layer.closeTooltip();
  }
  return out;
}"""

# Names on the map are placed where they fit, so how many show depends on
# their widths: the label pane is left out of the count (its texts are
# checked on their own, LABEL_TEXTS).
TAG_COUNTS = """() => { const n = {};
  document.querySelectorAll('*').forEach((e) => {
    if (e.closest('.leaflet-mapapp-basemap-labels-pane')) { return; }
    n[e.localName] = (n[e.localName] || 0) + 1; });
  return n; }"""
LABEL_TEXTS = """() => Array.from(document.querySelectorAll('.mapapp-label')).map((e) => ({
  text: e.textContent, tags: Array.from(e.querySelectorAll('*')).map((c) => c.localName)}))"""


def test_every_hostile_popup_and_tooltip_shows_its_text_literally(browser, hostile, twin,
                                                                  tmp_path, request):
    command = ["html", "--layers", "places,strikes"]
    path, text = write_page(command, hostile, tmp_path / "hostile.html")
    props = {f["id"]: f["properties"] for name, value in page_calls(text) if name == "features"
             for f in value["data"]["features"]}
    ids = [f"hostile-{i}" for i in range(len(PAYLOADS))] + \
          [f"hostile-src-{i}" for i in range(len(PAYLOADS))]
    page, outside, errors, dialogs = open_page(browser, path, request)
    title = page.title()
    before = page.evaluate(TAG_COUNTS)
    got = page.evaluate(READ_POPUPS, [map_name(text), ids, OWN_TAGS])

    for fid in ids:
        p, shown = props[fid], got[fid]
        assert shown is not None, f"{fid} is not on the map"
        assert shown["open"], fid
        assert shown["name"] == p["name"], fid
        assert shown["summary"] == (p["summary"] or None), fid
        lists = [[head, items] for head, items in (("Who says what", p["claims"]),
                                                   ("Figures", p["figures"])) if items]
        assert shown["lists"] == lists, fid
        assert shown["cite"] == f"Source: {p['citation']}", fid
        assert shown["loc"] == f"Located: {p['location']}", fid
        assert shown["tipName"] == p["name"], fid
        assert shown["tipStatus"] == f"{p['type_label']} · {p['status_label']}", fid
        assert shown["label"] == p["name"], fid
        assert shown["strays"] == [], (fid, shown["strays"])
    # The JSON the popups were checked against holds the payloads themselves
    # (the loader trims the ends of text fields).
    for (fid, where), payload in hostile.placed.items():
        if where == "feature.summary":
            assert props[fid]["summary"] == payload.strip(), fid
        elif where == "geometry.source":
            assert payload.strip() in props[fid]["location"], fid
    # The names placed on the map are the payloads as typed, in text only.
    names = {f["properties"]["name"] for name, value in page_calls(text) if name == "labels"
             for f in value["data"]["features"]}
    placed = page.evaluate(LABEL_TEXTS)
    assert any(label["text"] in {p["text"].strip() for p in PAYLOADS} for label in placed)
    for label in placed:
        assert label["text"] in names and label["tags"] == ["span", "bdi"], label
    assert_nothing_ran(page, outside=outside, errors=errors, dialogs=dialogs, title=title)

    # With plain words in the same places the drawn page has the same elements.
    plain_path, _ = write_page(command, twin, tmp_path / "twin.html")
    plain, *_ = open_page(browser, plain_path, request)
    assert before == plain.evaluate(TAG_COUNTS)


READ_STEPS = """(count) => {
  const panel = document.querySelector('.mapapp-lesson-panel');
  const text = (sel) => panel.querySelector(sel).textContent;
  const out = [];
  for (let n = 1; n <= count; n++) {
    mapappLesson.go(n);
    out.push({step: mapappLesson.step, counter: text('.lesson-counter'),
              title: text('.lesson-title'), text: text('.lesson-text'),
              question: text('.lesson-question'), story: text('.lesson-story'),
              elements: panel.querySelectorAll('*').length, doc: document.title});
  }
  return out;
}"""

READ_PANEL = """() => { const panel = document.querySelector('.mapapp-lesson-panel');
  return ['.lesson-title', '.lesson-text', '.lesson-question']
    .map((sel) => panel.querySelector(sel).textContent); }"""

READ_PRINT = """() => Array.from(document.querySelectorAll('.mapapp-lesson-print section'))
  .map((s) => Array.from(s.children)
                .filter((e) => e.className !== 'lesson-answer' && e.className !== 'lesson-map')
                .map((e) => [e.localName + (e.className ? '.' + e.className : ''), e.textContent]))"""

# Each printed page's map: where it sits, what it holds, its alt text and caption.
READ_PRINT_MAPS = """() => Array.from(document.querySelectorAll('.mapapp-lesson-print section'))
  .map((s) => { const f = s.querySelector('figure.lesson-map');
    return {after: f.previousElementSibling.localName,
            children: Array.from(f.children).map((e) => e.localName),
            png: f.querySelector('img').src.startsWith('data:image/png;base64,'),
            alt: f.querySelector('img').alt, caption: f.querySelector('figcaption').textContent}; })"""

MARKUP = "img, script, iframe, a, object, embed, svg, style, link, video, audio, input, form"


def test_every_lesson_step_shows_its_text_literally(browser, hostile, tmp_path, request):
    # The lesson's title becomes the page's title: make it a payload that
    # would retitle the page if it ran.
    title = BY_ID["script-002"][1]["text"]
    folder = dataclasses.replace(hostile, data_dir=tmp_path / "data")
    shutil.copytree(hostile.data_dir, folder.data_dir)
    story_file = folder.data_dir / "stories" / "hostile.json"
    story_file.write_text(json.dumps({**json.loads(story_file.read_text(encoding="utf-8")),
                                      "title": title}), encoding="utf-8")
    path, text = write_page(["bundle", "--story", "hostile"], folder, tmp_path / "lesson.html")
    (story,) = [value for name, value in page_calls(text) if name == "lesson"]
    steps, total = story["steps"], len(story["steps"])
    assert total == len(PAYLOADS) and story["title"] == title
    page, outside, errors, dialogs = open_page(browser, path, request)
    page.wait_for_function("window.mapappLesson && mapappLesson.step === 1", timeout=15_000)

    # A few steps with the keyboard, as a teacher would.
    for n in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"mapappLesson.step === {n}", timeout=5_000)
        step = steps[n - 1]
        assert page.evaluate(READ_PANEL) == [step["title"], step["text"], step["question"]], n

    shown = page.evaluate(READ_STEPS, total)
    for n, (step, got) in enumerate(zip(steps, shown), start=1):
        assert got["step"] == n
        assert got["counter"] == f"Step {n} of {total}"
        assert [got["title"], got["text"], got["question"]] == \
               [step["title"], step["text"], step["question"]], (n, PAYLOADS[n - 1]["id"])
        assert got["story"] == story["title"] and got["doc"] == story["title"], n
        # The panel holds the same elements whatever the step's text.
        assert got["elements"] == shown[0]["elements"], (n, PAYLOADS[n - 1]["id"])
    # The payloads themselves: step i carries payload i where it fits.
    for (where_id, where), payload in hostile.placed.items():
        if where.startswith("step."):
            n = int(where_id.split("-")[1])
            assert steps[n][where.split(".")[1]] == payload.strip(), (where_id, where)

    printed = page.evaluate(READ_PRINT)
    assert len(printed) == total
    for n, (step, section) in enumerate(zip(steps, printed), start=1):
        assert section == [["p.lesson-story", f"{story['title']} — step {n} of {total}"],
                           ["h2", step["title"]], ["p.lesson-text", step["text"]],
                           ["p.lesson-question", step["question"]]], n
    (printing,) = [value for name, value in page_calls(text) if name == "lessonPrint"]
    maps = page.evaluate(READ_PRINT_MAPS)
    assert len(maps) == total
    for n, (step, printed, got) in enumerate(zip(steps, printing["steps"], maps), start=1):
        assert got == {"after": "h2", "children": ["img", "figcaption"], "png": True,
                       "alt": f"Map for step {n}: {step['title']}",
                       "caption": "Highlighted on the map: " + ", ".join(printed["names"])}, n
    # The maps' own images aside, nothing in the panel or the print is markup.
    markup = page.evaluate(f"""() => Array.from(document.querySelectorAll(
        '.mapapp-lesson-panel :is({MARKUP}), '
        + '.mapapp-lesson-print :is({MARKUP}):not(figure.lesson-map > img:first-child)'))
        .map((e) => e.outerHTML.slice(0, 120))""")
    assert markup == []
    assert_nothing_ran(page, outside=outside, errors=errors, dialogs=dialogs,
                       title=story["title"])
    titles = page.evaluate("Array.from(window.__mapappTitles)")
    assert set(titles) == {story["title"]}, titles


# -- the Streamlit app ----------------------------------------------------------------

@pytest.fixture(scope="module")
def app_url(hostile):
    """One Streamlit server on the hostile folder for the whole module."""
    with serve_app("streamlit-hostile-server.log", MAPAPP_DATA_DIR=str(hostile.data_dir),
                   MAPAPP_GEOCACHE_DIR=str(hostile.cache_dir)) as url:
        yield url


# The run has ended and its one map frame has drawn ``drawn`` (so it has run
# its scripts on the data).  While a rerun replaces the frame, Streamlit
# keeps the old one beside the new for a moment.
SETTLED = """([frame, drawn]) => { const fs = document.querySelectorAll('iframe');
  const d = fs.length === 1 && fs[0].matches(frame) && fs[0].contentDocument;
  return !!(d && d.querySelector(drawn)) && document.querySelector('[data-testid="stApp"]')
    .dataset.testScriptState === 'notRunning'; }"""
NOT_LOCAL = re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|data:|about:|blob:)")


@pytest.fixture()
def app(browser, app_url, request):
    """A trapped page on the app, with outside requests refused and counted;
    ``app.open(query)`` loads the app with that link and waits for its run."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(TRAP)
    outside, errors, dialogs = [], [], []

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    # Matched by the browser driver, so the app's own many requests do not
    # each make a round trip to Python.
    context.route(NOT_LOCAL, refuse)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    traffic = [0.0]  # when the app last sent or received a message

    def watch(ws):
        for event in ("framesent", "framereceived"):
            ws.on(event, lambda _: traffic.__setitem__(0, time.monotonic()))

    page.on("websocket", watch)

    def open_app(query: dict[str, str], *, drawn: str = ".leaflet-container") -> None:
        """Load the app with ``query``; wait until the map has drawn ``drawn``
        and the app is quiet (the map's report of its extent reruns it)."""
        page.goto(f"{app_url}/?{urlencode(query, quote_via=quote)}", wait_until="domcontentloaded")
        deadline = time.monotonic() + 60
        while True:
            page.wait_for_function(SETTLED, arg=[MAP_FRAME, drawn],
                                   timeout=max(1, deadline - time.monotonic()) * 1000)
            while time.monotonic() - traffic[0] < 0.5:
                page.wait_for_timeout(100)
            if page.evaluate(SETTLED, [MAP_FRAME, drawn]):
                return
            assert time.monotonic() < deadline, "the app never settled"

    def nothing_ran():
        # Only the app and its map: no frame a payload opened (iframe srcdoc).
        assert [f.url.split("?")[0] for f in page.frames] == \
            [page.url.split("?")[0], f"{app_url}/component/streamlit_folium.st_folium/index.html"]
        assert_nothing_ran(page, outside=outside, errors=errors, dialogs=dialogs,
                           title="mapapp: report map")

    page.open, page.nothing_ran = open_app, nothing_ran
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()


READ_TEXTS = """(keys) => Object.fromEntries(keys.map((key) => [key,
  Array.from(document.querySelectorAll('.st-key-' + key + ' [data-testid="stText"]'))
    .map((e) => e.textContent)]))"""


def assert_link_notes(app, query: dict[str, str], hostile_map) -> list[str]:
    """The link's warning holds every note on it, each payload literally."""
    warning = app.locator(".st-key-mapapp_warning_link")
    assert warning.get_by_test_id("stAlert").text_content() == \
        "Parts of the link were not understood and are ignored."
    _, notes = from_query(query, feature_ids={f.id for f in hostile_map.features})
    got = app.evaluate(READ_TEXTS, ["mapapp_warning_link"])["mapapp_warning_link"]
    assert got == [shown_by_st_text("\n".join(notes))]
    return notes


def first_of_each_category() -> list[tuple[int, dict]]:
    firsts: dict[str, tuple[int, dict]] = {}
    for i, p in enumerate(PAYLOADS):
        firsts.setdefault(p["category"], (i, p))
    return list(firsts.values())


DETAILS = first_of_each_category()


@pytest.mark.parametrize("index, payload", DETAILS, ids=[p["id"] for _, p in DETAILS])
def test_app_details_and_link_notes_show_the_payload_literally(app, hostile_map, index,
                                                               payload):
    # The link chooses the feature, as a shared link does, and carries the
    # payload in its other keys.  Those leave the map empty, which keeps the
    # page light: Present mode (below) draws the hostile features.
    feature, text = hostile_map.by_id(f"hostile-{index}"), payload["text"]
    query = {"feature": feature.id, "layers": text, "types": text, "status": text,
             "basemap": text}
    app.open(query)
    got = app.evaluate(READ_TEXTS, ["mapapp_h3_details", "mapapp_facts_details"])
    assert got["mapapp_h3_details"] == [shown_by_st_text(feature.display_name)]
    assert got["mapapp_facts_details"] == [shown_by_st_text(value) for _, value
                                           in feature_details(feature, hostile_map)]
    notes = assert_link_notes(app, query, hostile_map)
    assert f"Ignored unknown basemap in the link: {text}" in notes
    app.nothing_ran()


# A payload in every key of a link, the feature too.
LINKS = ["script-000", "event-handler-014", "streamlit-markdown-091", "bidi-116", "long-133"]
LINK_KEYS = ("layers", "types", "status", "basemap", "feature")


@pytest.mark.parametrize("payload_id", LINKS)
def test_a_link_full_of_payload_is_reported_literally(app, hostile_map, payload_id):
    text = BY_ID[payload_id][1]["text"]
    query = {key: text for key in LINK_KEYS}
    app.open(query)
    notes = assert_link_notes(app, query, hostile_map)
    assert f"Ignored unknown feature in the link: {text}" in notes
    assert len(notes) == 5
    app.nothing_ran()


PRESENT = ["script-002", "markdown-081", "streamlit-markdown-094"]


@pytest.mark.parametrize("payload_id", PRESENT)
def test_present_mode_shows_the_step_literally(app, hostile_map, hostile_story, payload_id):
    number = BY_ID[payload_id][0] + 1
    step = hostile_story.steps[number - 1]
    app.open({"mode": "present", "story": "hostile", "step": str(number)},
             drawn=f".mapapp-f-hostile-{number - 1}.mapapp-selected")
    # The map draws every hostile feature; the step's own keeps its name on show.
    frame = app.query_selector(MAP_FRAME).content_frame()
    assert frame.evaluate(f"""() => Array.from(document.querySelectorAll(
        '.leaflet-tooltip-pane *')).filter((e) => !{OWN_TAGS!r}.includes(e.localName))
        .length""") == 0
    assert frame.locator(".leaflet-tooltip-pane .mapapp-tip-name").all_text_contents() == \
        [hostile_map.by_id(f"hostile-{number - 1}").display_name]
    got = app.evaluate(READ_TEXTS, ["mapapp_story_lesson", "mapapp_h1_lesson",
                                    "mapapp_text_lesson", "mapapp_question_lesson"])
    assert got == {"mapapp_story_lesson": [shown_by_st_text(hostile_story.title)],
                   "mapapp_h1_lesson": [shown_by_st_text(step.title)],
                   "mapapp_text_lesson": [shown_by_st_text(step.text)],
                   "mapapp_question_lesson": [shown_by_st_text(step.question)]}
    assert app.get_by_text(f"Step {number} of {len(hostile_story.steps)}").count() == 1
    app.nothing_ran()


def test_event_popups_show_imported_payloads_literally(browser, tmp_path, request):
    """Every payload as an imported event's place name, drawn on the canvas
    and put in its popup: the popup's heading is the name as kept, and
    nothing runs."""
    from mapapp.sources.importer import read_events
    from mapapp.sources.report_folder import load_report_map
    from mapapp.web.map import build_map, render_html

    rows = ["event_id_cnty,event_date,event_type,latitude,longitude,location,notes"]
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(rows[0].split(","))
    for i, p in enumerate(PAYLOADS):
        writer.writerow([f"H{i}", "2022-11-15", "Battles", f"{47 + i % 20 * 0.05:.3f}",
                         f"{33 + i // 20 * 0.1:.3f}", p["text"], p["text"]])
    source = tmp_path / "hostile.csv"
    source.write_text(out.getvalue(), encoding="utf-8")
    events, _ = read_events(source, "acled", source="hostile")
    page_path = tmp_path / "events.html"
    page_path.write_text(render_html(build_map(load_report_map(), events=events,
                                               inline_assets=True)), encoding="utf-8")
    page, outside, errors, dialogs = open_offline_page(_Trapped(browser), page_path.as_uri(),
                                                       request)
    page.wait_for_selector(".mapapp-events-ready", state="attached", timeout=30_000)
    shown = page.evaluate("""() => { const layer = window.mapapp.eventsLayer, out = [];
        for (let i = 0; i < layer.d.n; i++) {
          const box = layer.popup(i);
          document.body.appendChild(box);  // in the page, as an open popup is
          out.push([layer.d.id[i], box.querySelector('h4').textContent,
                    box.querySelectorAll('script, img, iframe, a, style').length]);
          box.remove();
        }
        return out; }""")
    names = dict(zip(events["id"], events["name"].astype(object)))
    assert len(shown) == len(events) >= 100
    for event_id, heading, elements in shown:
        assert heading == (names[event_id] or event_id), event_id
        assert elements == 0, event_id
    assert_nothing_ran(page, outside=outside, errors=errors, dialogs=dialogs,
                       title="Map: Russia Strikes Ukrainian Cities With Missiles After Its "
                             "Retreat From Kherson")
