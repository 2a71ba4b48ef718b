"""Names on the web map, in Chromium with no network: the report's places,
the rivers, the reservoir, the seas and the southern and eastern oblasts
are written inside the view, never on each other or on a marker, at a
desktop, a projector and a phone size.  Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from browser_support import ARTIFACTS, launch_chromium, open_offline_page

from mapapp import cli

pytestmark = pytest.mark.browser

NAMES = ("Kyiv", "Kharkiv", "Lviv", "Przewodów", "Kherson", "Henichesk", "Dnipro",
         "Kakhovka Reservoir", "Black Sea", "Sea of Azov", "Zaporizhzhia Oblast",
         "Donetsk Oblast", "Luhansk Oblast", "Kherson region")
# On a phone the whole theatre is too small for every name: the reader
# zooms in, on the south and then on the east, as this test does.
PHONE_VIEWS = {
    "south": (([46.9, 34.0], 6.5), {"Kherson", "Henichesk", "Dnipro", "Kakhovka Reservoir",
                                    "Sea of Azov", "Zaporizhzhia Oblast", "Kherson region",
                                    "Black Sea"}),
    "east": (([48.4, 38.3], 6.5), {"Donetsk Oblast", "Luhansk Oblast", "Bakhmut"}),
}

READ = r"""() => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const view = box(document.querySelector('.leaflet-container'));
  // A region's name may be broken onto two lines: read as one.
  const labels = Array.from(document.querySelectorAll('.mapapp-label > span')).map((e) =>
    ({name: e.textContent.replace(/\s+/g, ' '), box: box(e)}));
  const markers = Array.from(document.querySelectorAll('.mapapp-marker')).map(box);
  return {view, labels, markers};
}"""


def overlap(a, b, slack=1.0) -> bool:
    return (a[0] + slack < b[2] and b[0] + slack < a[2]
            and a[1] + slack < b[3] and b[1] + slack < a[3])


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("labels") / "map.html"
    assert cli.main(["html", "-o", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as b:
        yield b


def check_names(page, wanted: set[str], name: str) -> None:
    """Every name in ``wanted`` written inside the map, none on another or
    on a marker; a screenshot kept as ``name``."""
    got = page.evaluate(READ)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    shown = {label["name"] for label in got["labels"]}
    assert wanted <= shown, sorted(wanted - shown)
    view = got["view"]
    boxes = [label["box"] for label in got["labels"]]
    for label in got["labels"]:
        b = label["box"]
        assert view[0] - 1 <= b[0] and b[2] <= view[2] + 1, label
        assert view[1] - 1 <= b[1] and b[3] <= view[3] + 1, label
    for i, a in enumerate(boxes):
        assert not any(overlap(a, b) for b in boxes[i + 1:]), got["labels"][i]
        assert not any(overlap(a, m, slack=3) for m in got["markers"]), got["labels"][i]


def open_map(browser, page_path, request, width: int, height: int):
    page, outside, errors, dialogs = open_offline_page(browser, page_path.as_uri(), request,
                                                       viewport=(width, height))
    page.wait_for_selector(".mapapp-label", state="attached", timeout=30_000)
    page.wait_for_timeout(1500)  # the page has framed its view
    return page, outside, errors, dialogs


@pytest.mark.parametrize("width, height", [(1400, 900), (1280, 720)])
def test_the_names_a_reader_needs_are_on_the_map(browser, page_path, request, width, height):
    page, outside, errors, dialogs = open_map(browser, page_path, request, width, height)
    check_names(page, set(NAMES), f"labels-{width}x{height}")
    assert not outside and not errors and not dialogs


@pytest.mark.parametrize("part", list(PHONE_VIEWS))
def test_on_a_phone_the_names_show_once_zoomed_in(browser, page_path, request, part):
    page, outside, errors, dialogs = open_map(browser, page_path, request, 390, 844)
    (centre, zoom), wanted = PHONE_VIEWS[part]
    page.evaluate("""([centre, zoom]) => { for (const k in window) {
        const v = window[k];
        if (v && v._container && v.setView) { v.setView(centre, zoom, {animate: false}); } } }""",
                  [centre, zoom])
    page.wait_for_timeout(800)
    check_names(page, wanted, f"labels-390x844-{part}")
    assert not outside and not errors and not dialogs


def test_a_place_is_named_only_while_its_layer_is_shown(browser, page_path, request):
    page, outside, errors, dialogs = open_map(browser, page_path, request, 1400, 900)

    def names() -> set[str]:
        return {label["name"] for label in page.evaluate(READ)["labels"]}

    assert {"Henichesk", "Kyiv"} <= names()
    page.get_by_label("Other places").uncheck()  # Henichesk is one; Kyiv a strike point
    page.wait_for_timeout(500)
    assert "Henichesk" not in names() and "Kyiv" in names()
    page.get_by_label("Other places").check()
    page.wait_for_timeout(500)
    assert "Henichesk" in names()
    assert not outside and not errors and not dialogs
