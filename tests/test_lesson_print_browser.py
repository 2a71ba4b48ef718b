"""Printing the offline lesson: one page per step, each with its title, its
map, its text and its question, in Chromium's own print (``page.pdf``).

The maps are checked in the PDF itself: the one image on page n is step n's
map (its pixels, not just any picture), placed between the title and the
question, undistorted and large.  Pages are rasterised with pdfium into
``test-artifacts/`` to be looked at.
"""

from __future__ import annotations

import base64
import dataclasses
import io

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from browser_support import ARTIFACTS, open_offline_page
from PIL import Image
from pypdf import PdfReader

from mapapp.classroom.bundle import PRINT_MAP_IN, print_payload, write_bundle
from mapapp.classroom.handout import MAP_DPI, highlight_names

# What a reader picks in the print dialog: both orientations, both papers.
PAPERS = {"a4-portrait": {"format": "A4"},
          "letter-landscape": {"format": "Letter", "landscape": True}}
MAP_PX = (round(PRINT_MAP_IN[0] * MAP_DPI), round(PRINT_MAP_IN[1] * MAP_DPI))
EVIL = "<img src=x onerror=alert(1)> & </figure><script>alert(2)</script>"





def open_lesson(browser, path, request, **kwargs):
    page, outside, errors, dialogs = open_offline_page(browser, path.as_uri(), request, **kwargs)
    page.wait_for_function("window.mapappLesson && mapappLesson.step > 0", timeout=15_000)
    return page, outside, errors, dialogs


def printed_maps(page) -> list[np.ndarray]:
    """Each printed page's map as the page holds it, decoded."""
    urls = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.mapapp-lesson-print section')).map((s) => s.querySelector('.lesson-map img').src)""")
    prefix = "data:image/png;base64,"
    assert all(url.startswith(prefix) for url in urls)
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(url[len(prefix):]))).convert("RGB"),
                       dtype=np.int16) for url in urls]


def flat(text: str) -> str:
    return " ".join(text.split())


def box_of(textpage, text: str):
    """(left, bottom, right, top) of the first line of ``text`` on the page."""
    found = textpage.search(text[:40]).get_next()
    assert found, f"{text[:40]!r} is not on the page"
    boxes = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


# -- the print payload, without a browser ------------------------------------------

def test_each_view_is_drawn_once(report_map, story):
    twice = dataclasses.replace(story, steps=story.steps + (dataclasses.replace(
        story.steps[0], id="again", title="The first view again"),))
    data = print_payload(report_map, twice)
    assert len(data["maps"]) == len(story.steps)  # the six views differ; the seventh repeats one
    assert [s["map"] for s in data["steps"]] == [*range(len(story.steps)), 0]
    for step, printed in zip(twice.steps, data["steps"]):
        assert printed["names"] == highlight_names(report_map, step)
    images = [Image.open(io.BytesIO(base64.b64decode(m))) for m in data["maps"]]
    assert {im.size for im in images} == {MAP_PX}
    assert {im.format for im in images} == {"PNG"}


# -- Chromium's print ---------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("paper", list(PAPERS))
def test_print_gives_one_page_per_step_with_its_map(browser, lesson, story, paper, request):
    page, outside, errors, dialogs = open_lesson(browser, lesson, request)
    maps = printed_maps(page)
    pdf = page.pdf(**PAPERS[paper])  # backgrounds off, as the dialog's default
    (ARTIFACTS / f"lesson-print-{paper}.pdf").write_bytes(pdf)
    total = len(story.steps)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == total
    document = pdfium.PdfDocument(pdf)
    for n, (step, sheet, drawn) in enumerate(zip(story.steps, reader.pages, document), start=1):
        what = f"{paper} page {n} ({step.id})"
        text = flat(sheet.extract_text())
        assert f"STEP {n} OF {total}" in text, what
        for words in (step.title, step.text, step.question):
            assert flat(words) in text, f"{what}: {words[:40]!r} missing"
        # One image on the page, and it is this step's map, whole.
        (image,) = sheet.images
        pixels = np.asarray(image.image.convert("RGB"), dtype=np.int16)
        assert pixels.shape == maps[n - 1].shape, what
        diffs = [np.abs(pixels - other).mean() for other in maps]
        assert diffs[n - 1] < 1.0, f"{what}: the image is not the step's map ({diffs})"
        # Placed between the title and the text, at its own shape, big.
        objects = list(drawn.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
        assert len(objects) == 1, what
        left, bottom, right, top = objects[0].get_bounds()
        width, height = drawn.get_size()
        assert 0 <= left < right <= width and 0 <= bottom < top <= height, what
        assert abs((right - left) / (top - bottom) - MAP_PX[0] / MAP_PX[1]) < 0.02, what
        assert (right - left) * (top - bottom) > 0.3 * width * height, f"{what}: map too small"
        textpage = drawn.get_textpage()
        assert box_of(textpage, step.title)[1] > top, f"{what}: the title is not above the map"
        for words in (step.text, step.question):
            box = box_of(textpage, words)
            if width < height:  # portrait: the words under the map
                assert box[3] < bottom, f"{what}: {words[:20]!r} is not under the map"
            else:  # landscape: beside it
                assert box[0] > right and box[3] <= top + 1, f"{what}: {words[:20]!r} not beside"
        raster = drawn.render(scale=2).to_pil()
        raster.save(ARTIFACTS / f"lesson-print-{paper}-{n}.png")
        # ... and drawn: that part of the page looks like the map, far more
        # than like blank paper.
        scale = raster.width / width
        region = raster.convert("L").crop(
            (round(left * scale), round((height - top) * scale),
             round(right * scale), round((height - bottom) * scale)))
        expected = np.asarray(Image.fromarray(maps[n - 1].astype(np.uint8)).convert("L")
                              .resize(region.size, Image.Resampling.BOX), dtype=np.int16)
        off_map = np.abs(np.asarray(region, dtype=np.int16) - expected).mean()
        off_paper = np.abs(255 - expected).mean()
        assert off_map < off_paper / 3, f"{what}: map area drawn? {off_map:.1f} vs {off_paper:.1f}"
    assert errors == [] and dialogs == [], (errors, dialogs)
    assert outside == [], f"printing asked the network for: {outside}"


@pytest.mark.browser
def test_print_media_shows_pages_not_the_web_map(browser, lesson, story, request):
    # An A4 page at 96 px per inch, as the print preview lays it out.
    page, outside, errors, _ = open_lesson(browser, lesson, request, viewport=(794, 1123))
    page.emulate_media(media="print")
    assert page.locator(".folium-map").is_hidden()
    assert page.locator(".mapapp-lesson-panel").is_hidden()
    sections = page.locator(".mapapp-lesson-print section")
    assert sections.count() == len(story.steps)
    page.screenshot(path=str(ARTIFACTS / "lesson-print-media.png"), full_page=True)
    laid_out = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.mapapp-lesson-print section')).map((s) => {
          const box = (el) => el.getBoundingClientRect().toJSON();
          const img = s.querySelector('.lesson-map img');
          return {section: box(s), title: box(s.querySelector('h2')), img: box(img),
                  text: box(s.querySelector('.lesson-text')), decoded: img.naturalWidth,
                  breakAfter: getComputedStyle(s).breakAfter,
                  order: Array.from(s.children).map((e) => e.localName + '.' + e.className)}; })""")
    for n, (step, got) in enumerate(zip(story.steps, laid_out), start=1):
        assert got["decoded"] == MAP_PX[0], n
        assert got["order"][:5] == ["p.lesson-story", "h2.", "figure.lesson-map", "p.lesson-text",
                                    "p.lesson-question"], n
        assert got["title"]["bottom"] <= got["img"]["top"] < got["img"]["bottom"] <= got["text"]["top"]
        assert got["img"]["width"] > 0.9 * got["section"]["width"], n
        # One page a step: each section is one page high.
        assert abs(got["section"]["height"] - 1123) < 2, n
        assert got["breakAfter"] == ("page" if n < len(story.steps) else "auto"), n
    assert sections.nth(2).locator("h2").inner_text() == story.steps[2].title
    assert errors == [] and outside == []


@pytest.mark.browser
def test_printed_words_stay_text(browser, report_map, story, tmp_path, request):
    evil = dataclasses.replace(story, title=EVIL, steps=(dataclasses.replace(
        story.steps[2], title=EVIL, text=EVIL, question=EVIL),) + story.steps[:2])
    path = write_bundle(report_map, evil, tmp_path / "evil.html")
    page, outside, errors, dialogs = open_lesson(browser, path, request)
    page.emulate_media(media="print")
    first = page.locator(".mapapp-lesson-print section").first
    assert first.locator("h2").text_content() == EVIL
    assert first.locator(".lesson-text").text_content() == EVIL
    assert first.locator(".lesson-map img").get_attribute("alt") == f"Map for step 1: {EVIL}"
    names = ", ".join(highlight_names(report_map, story.steps[2]))
    assert first.locator("figcaption").text_content() == f"Highlighted on the map: {names}"
    # The maps are the only images, and nothing else became an element.
    assert page.locator(".mapapp-lesson-print img").count() == len(evil.steps)
    assert page.locator(".mapapp-lesson-print :is(script, iframe, svg, a, object)").count() == 0
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(reader.pages) == len(evil.steps)
    assert EVIL in flat(reader.pages[0].extract_text())
    assert dialogs == [] and errors == [] and outside == []
