"""Present mode on a projector: a real Streamlit server, headless Chromium.

At 1280x720 (a classroom projector) and 1400x900, every step of the seed
lesson shows its titles, map, text and question inside the window, with no
scrolling; and after a click on the map, which gives the map's frame the
keyboard, the arrow keys still change step and never pan the map.
Screenshots of every step are kept as ``test-artifacts/present-*.png``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import ARTIFACTS, refuse_outside, serve_app

pytestmark = pytest.mark.browser

STORY = "report-2022-11-16"
SIZES = [(1280, 720), (1400, 900)]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

# What a class must see without scrolling, by the container keys of app/present.py.
MUST_SEE = {
    "story": ".st-key-mapapp_story_lesson",
    "title": ".st-key-mapapp_h1_lesson",
    "map": MAP_FRAME,
    "text": ".st-key-mapapp_text_lesson",
    "question": ".st-key-mapapp_question_lesson",
}

BOXES = """(selectors) => {
  const out = {};
  for (const [name, selector] of Object.entries(selectors)) {
    const found = document.querySelectorAll(selector);
    if (found.length !== 1) { out[name] = null; continue; }
    const r = found[0].getBoundingClientRect();
    out[name] = {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                 text: found[0].innerText};
  }
  return out;
}"""

# The step on screen, once its map is drawn in the only map frame there is
# (during a rerun Streamlit keeps the old frame beside the new one).
STEP_SHOWN = """([counter, title, mapFrame]) => {
  const c = document.querySelector('.st-key-mapapp_counter_lesson');
  const h = document.querySelector('.st-key-mapapp_h1_lesson');
  const frames = document.querySelectorAll(mapFrame);
  const doc = frames.length === 1 && frames[0].contentDocument;
  return !!(c && h && c.innerText.trim() === counter && h.innerText.trim() === title
            && doc && doc.querySelector('.leaflet-container')
            && frames[0].contentWindow.map && frames[0].contentWindow.map.getCenter);
}"""

CENTRE = "() => { const m = window.map, c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"

# Every move the map starts from now on is written down in the page around
# it, which outlives the frame when the step changes.  Leaflet starts its
# keyboard pan synchronously on keydown, before any rerun could replace it.
WATCH_MOVES = """() => {
  window.parent.mapMoves = [];
  window.map.on('movestart', () => window.parent.mapMoves.push(window.map.getCenter()));
}"""

# A point of the map with nothing on it (no feature, label, control or
# popup), where a click only focuses the map; in page coordinates.
EMPTY_POINT = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  for (let fy = 0.9; fy > 0.2; fy -= 0.05) {
    for (let fx = 0.5; fx < 0.95; fx += 0.05) {
      const x = box.left + box.width * fx, y = box.top + box.height * fy;
      const e = document.elementFromPoint(x, y);
      if (e && e.closest('.leaflet-container') && !e.closest(
          '.leaflet-interactive, .leaflet-marker-icon, .leaflet-tooltip, .leaflet-popup,'
          + ' .leaflet-control, .mapapp-label')) {
        return [x, y];
      }
    }
  }
  return null;
}"""



@pytest.fixture(scope="module")
def app_url():
    with serve_app("streamlit-present.log") as url:
        yield url



def open_lesson(browser, app_url, size, request):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    outside = refuse_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    request.addfinalizer(context.close)
    page.goto(f"{app_url}/?mode=present&story={STORY}&step=1", wait_until="domcontentloaded")
    return page, outside, errors


def wait_for_step(page, story, index):
    page.wait_for_function(STEP_SHOWN, arg=[f"Step {index + 1} of {len(story.steps)}",
                                            story.steps[index].title, MAP_FRAME],
                           timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    # Until it stands still: the map glides in from the previous step's view.
    last = None
    for _ in range(60):
        centre = frame.locator("body").evaluate(CENTRE)
        if centre == last:
            break
        last = centre
        page.wait_for_timeout(400)
    return frame


def focus_map(page, frame):
    """Click an empty spot of the map, as a teacher would, and check that
    the map's frame now has the keyboard."""
    point = frame.locator("body").evaluate(EMPTY_POINT)
    assert point, "no empty spot on the map to click"
    offset = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(offset["x"] + point[0], offset["y"] + point[1])
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"


def counter(page) -> str:
    return page.locator(".st-key-mapapp_counter_lesson").inner_text().strip()


def inside(box, size) -> bool:
    width, height = size
    return (box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width
            and box["bottom"] <= height and box["right"] > box["left"]
            and box["bottom"] > box["top"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_step_fits_the_screen_and_the_arrows_change_step(browser, app_url, story,
                                                               size, request):
    page, outside, errors = open_lesson(browser, app_url, size, request)
    steps = story.steps
    for index, step in enumerate(steps):
        frame = wait_for_step(page, story, index)
        page.screenshot(path=str(ARTIFACTS / f"present-{size[0]}x{size[1]}-step{index + 1}.png"))
        wanted = {name: selector for name, selector in MUST_SEE.items()
                  if name != "question" or step.question}
        boxes = page.evaluate(BOXES, wanted)
        for name, box in boxes.items():
            assert box is not None, name
            assert inside(box, size), (index + 1, name, box)
        assert boxes["title"]["text"].strip() == step.title
        assert boxes["text"]["text"].strip() == step.text
        if step.question:
            assert step.question in boxes["question"]["text"]
        # The map really fills its frame, however tall the screen makes it.
        frame_box = page.locator(MAP_FRAME).bounding_box()
        map_box = frame.locator(".leaflet-container").bounding_box()
        assert map_box["height"] >= frame_box["height"] - 12
        # Type a class can read from the back of the room.
        for name, smallest in (("title", 28), ("text", 20), ("question", 18)):
            if name in boxes:
                found = page.locator(f'{MUST_SEE[name]} [data-testid="stText"]')
                px = float(found.evaluate("e => getComputedStyle(e).fontSize")[:-2])
                assert px >= smallest, (index + 1, name, px)

        frame.locator("body").evaluate(WATCH_MOVES)
        focus_map(page, frame)
        before = frame.locator("body").evaluate(CENTRE)
        if index == 0:
            # Nowhere to go back to: the key must not pan the map either.
            page.keyboard.press("ArrowLeft")
            page.wait_for_timeout(500)  # a pan starts on keydown and lasts 0.25 s
            assert frame.locator("body").evaluate(CENTRE) == before
            assert counter(page) == f"Step 1 of {len(steps)}"
        page.keyboard.press("ArrowRight")
        if index == len(steps) - 1:
            page.wait_for_timeout(500)
            assert frame.locator("body").evaluate(CENTRE) == before
            assert counter(page) == f"Step {len(steps)} of {len(steps)}"
        else:
            wait_for_step(page, story, index + 1)
        assert page.evaluate("window.mapMoves") == [], f"the key moved the map at step {index + 1}"

    # And back, again from inside the map.
    frame = wait_for_step(page, story, len(steps) - 1)
    frame.locator("body").evaluate(WATCH_MOVES)
    focus_map(page, frame)
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, story, len(steps) - 2)
    assert page.evaluate("window.mapMoves") == []
    assert parse_qs(urlparse(page.url).query)["step"] == [str(len(steps) - 1)]
    assert outside == [] and errors == []
