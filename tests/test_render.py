"""The static renderer: sizes, what the figure says, legend, labels, errors,
themes, determinism, greyscale legibility, and what is left out of view."""

import io
import re

import matplotlib.text
import numpy as np
import pytest
from PIL import Image

from mapapp.errors import OptionError
from mapapp.static import figure as render
from mapapp.static.figure import (
    THEMES,
    ImageSpec,
    default_subtitle,
    default_title,
    legend_entries,
    render_figure,
)
from mapapp.view import INITIAL_BOUNDS, ViewState

SMALL = ImageSpec(640, 400)  # where the size does not matter
SIZES = [
    pytest.param(ImageSpec(1200, 675), id="social"),
    pytest.param(ImageSpec(1080, 1080), id="square"),
    pytest.param(ImageSpec(1080, 1920), id="story"),
    pytest.param(ImageSpec(2480, 3508, dpi=300), id="a4-portrait"),
    pytest.param(ImageSpec(3508, 2480, dpi=300), id="a4-landscape"),
    pytest.param(ImageSpec(2550, 3300, dpi=300), id="letter-portrait"),
]
# A spot in the Black Sea, well off every coast (tests only: the code takes
# no coordinates from literals).
BLACK_SEA = (31.8, 44.4)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _texts(fig) -> list[matplotlib.text.Text]:
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def _all_text(fig) -> str:
    return re.sub(r"\s+", " ", " ".join(t.get_text() for t in _texts(fig)))


def _by_gid(fig, prefix: str) -> list[matplotlib.text.Text]:
    return [t for t in _texts(fig) if (t.get_gid() or "").startswith(prefix)]


def _axes(fig, gid: str):
    (ax,) = [a for a in fig.axes if a.get_gid() == gid]
    return ax


def _to_pixel(fig, lon, lat, bounds=INITIAL_BOUNDS):
    """Image pixel (column, row from the top) of a lon/lat on a map drawn
    as on screen with ``bounds``."""
    from pyproj import Transformer

    crs = render._view_crs(render._box(ViewState(bounds=bounds)))
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    px, py = _axes(fig, "mapapp-map").transData.transform((x, y))
    return round(px), round(fig.bbox.height - py)


@pytest.fixture(scope="module")
def full(report_map):
    """Everything shown, small."""
    fig = render_figure(report_map, spec=SMALL)
    fig.canvas.draw()
    return fig


@pytest.mark.parametrize("spec", SIZES)
def test_figure_has_exactly_the_pixels_asked_for(report_map, spec):
    fig = render_figure(report_map, spec=spec)
    w_in, h_in = fig.get_size_inches()
    assert (round(w_in * fig.dpi, 6), round(h_in * fig.dpi, 6)) == (spec.width_px, spec.height_px)
    assert Image.open(io.BytesIO(_png(fig))).size == (spec.width_px, spec.height_px)


def test_figure_says_what_a_publisher_needs(report_map, full):
    text = _all_text(full)
    title = " ".join(t.get_text() for t in _by_gid(full, "mapapp-title"))
    assert title == default_title(report_map)
    assert " ".join(t.get_text() for t in _by_gid(full, "mapapp-subtitle")) == default_subtitle(report_map)
    assert report_map.report.publisher in default_subtitle(report_map)
    for entry in legend_entries(report_map):
        assert entry in {t.get_text() for t in _by_gid(full, "mapapp-legend-entry")}
    for part in ("The Reference", report_map.report.headline, report_map.report.date,
                 "Basemap: Natural Earth; rivers: GSHHG", "Geocoding: GeoNames", "Map: mapapp"):
        assert part in text
    assert "Front line and areas approximate, as of 2022-11-15" in text
    (scale,) = _by_gid(full, "mapapp-scalebar")
    assert re.fullmatch(r"[\d,.]+ km", scale.get_text())
    assert "N" in {t.get_text() for t in _by_gid(full, "mapapp-north")}


def test_legend_shows_exactly_the_entries(report_map, full):
    shown = [t.get_text() for t in _by_gid(full, "mapapp-legend-entry")]
    assert shown == legend_entries(report_map)
    # One row per symbol; the statuses are one note under them.
    assert shown == ["Russian-held", "Returned to Ukraine", "Front line", "Former front line",
                     "Missile strike", "Explosion", "City", "Town", "Region"]
    note = " · ".join(t.get_text() for t in _by_gid(full, "mapapp-legend-note"))  # wrapped in lines
    assert "solid = confirmed" in note and "claimed, unclear" in note


@pytest.mark.parametrize("layers, present, absent", [
    (["front_lines"], ["Front line", "Former front line"], ["Missile strike", "Russian-held", "Reported"]),
    (["strikes"], ["Missile strike", "Explosion"], ["Front line", "City", "Reported"]),
    (["places"], ["City", "Town", "Region"], ["Missile strike", "Front line", "Claimed"]),
    ([], [], ["Missile strike", "Front line", "Reported"]),
])
def test_legend_follows_the_layers(report_map, layers, present, absent):
    entries = legend_entries(report_map, ViewState(layers=layers))
    fig = render_figure(report_map, spec=SMALL, view=ViewState(layers=layers))
    drawn = [t.get_text() for t in _by_gid(fig, "mapapp-legend-entry")]
    assert drawn == entries
    assert all(e in entries for e in present)
    assert not any(e in entries for e in absent)


def test_type_and_status_filters_reach_the_legend(report_map):
    assert legend_entries(report_map, ViewState(types=["explosion"])) == ["Explosion"]
    assert legend_entries(report_map, ViewState(layers=["strikes"], statuses=["reported"])) == [
        "Missile strike"]
    fig = render_figure(report_map, spec=SMALL, view=ViewState(layers=["strikes"],
                                                                statuses=["reported"]))
    note = " ".join(t.get_text() for t in _by_gid(fig, "mapapp-legend-note"))
    assert "reported" in note and "unclear" not in note


def test_as_of_note_only_with_front_lines_or_areas(report_map):
    fig = render_figure(report_map, spec=SMALL, view=ViewState(layers=["strikes"]))
    assert "approximate" not in _all_text(fig)


@pytest.mark.parametrize("spec", [SIZES[0], SIZES[2], SIZES[3]])
def test_labels_do_not_overlap_each_other_or_the_furniture(report_map, spec):
    fig = render_figure(report_map, spec=spec)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = _by_gid(fig, "mapapp-label")
    assert {"Kyiv", "Kharkiv", "Lviv", "Przewodów"} <= {t.get_text() for t in labels}
    boxes = [t.get_window_extent(renderer) for t in labels + _by_gid(fig, "mapapp-country")]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    map_box = _axes(fig, "mapapp-map").bbox
    furniture = [a.bbox for a in fig.axes if a.get_gid() in ("mapapp-legend", "mapapp-locator")]
    for box in boxes:
        assert map_box.x0 <= box.x0 and box.x1 <= map_box.x1 and map_box.y0 <= box.y0 and box.y1 <= map_box.y1
        assert not any(box.overlaps(f) for f in furniture)


def test_title_that_cannot_fit_is_refused(report_map):
    with pytest.raises(OptionError, match="title"):
        render_figure(report_map, spec=SMALL, title="Missile strikes across Ukraine " * 8)
    with pytest.raises(OptionError, match="title"):
        render_figure(report_map, spec=SMALL, title="Unbreakable" * 12)


def test_title_wraps_to_two_lines_and_empty_title_is_allowed(report_map):
    fig = render_figure(report_map, spec=ImageSpec(700, 700), title="A map title long enough to need two lines here")
    assert len(_by_gid(fig, "mapapp-title")) == 2
    fig = render_figure(report_map, spec=SMALL, title="", subtitle="")
    assert not _by_gid(fig, "mapapp-title") and not _by_gid(fig, "mapapp-subtitle")


@pytest.mark.parametrize("kwargs, word", [
    ({"theme": "sepia"}, "theme"),
    ({"spec": (640, 400)}, "spec"),
    ({"view": {"layers": ["strikes"]}}, "view must be a ViewState"),
])
def test_bad_options_are_refused(report_map, kwargs, word):
    kwargs = {"spec": SMALL, **kwargs}
    with pytest.raises(OptionError, match=word):
        render_figure(report_map, **kwargs)


@pytest.mark.parametrize("fields, word", [
    ({"layers": ["strikes", "nope"]}, "--layers: unknown nope"),
    ({"types": ["rocket"]}, "--types: unknown rocket"),
    ({"statuses": ["rumoured"]}, "--status: unknown rumoured"),
    ({"bounds": ((53, 22), (44, 41))}, "--bounds"),
    ({"bounds": "Ukraine"}, "--bounds"),
])
def test_a_bad_view_cannot_reach_the_renderer(report_map, fields, word):
    # The view refuses itself on construction, so nothing bad is ever drawn.
    with pytest.raises(OptionError, match=word):
        render_figure(report_map, spec=SMALL, view=ViewState(**fields))


@pytest.mark.parametrize("args", [(0, 400), (640, 10**6), (640.5, 400), (640, 400, 0), (640, 400, float("nan"))])
def test_bad_image_spec_is_refused(args):
    with pytest.raises(OptionError):
        ImageSpec(*args)


def test_dark_theme_has_a_dark_background(report_map, full):
    dark = render_figure(report_map, spec=SMALL, theme="dark")
    assert THEMES == ("light", "dark")
    light_px = np.asarray(Image.open(io.BytesIO(_png(full))).convert("L"))
    dark_px = np.asarray(Image.open(io.BytesIO(_png(dark))).convert("L"))
    assert light_px[2, 2] > 200 and dark_px[2, 2] < 60  # the paper, outside the map
    assert light_px.mean() - dark_px.mean() > 80


def test_rendering_is_deterministic(report_map):
    a = _png(render_figure(report_map, spec=SMALL, theme="dark"))
    b = _png(render_figure(report_map, spec=SMALL, theme="dark"))
    assert a == b


def _clear_spot(fig, area, r: int = 7) -> tuple[float, float]:
    """A point of ``area`` whose patch of the image holds no text, far from
    every river and boundary line: where a fill shows as itself."""
    from shapely.geometry import Point

    from mapapp.geo import physical

    lines = [*physical.rivers(), physical.region_lines(), physical.borders(), *(
        g.exterior for g in physical.river_lakes() if g.geom_type == "Polygon")]
    height = fig.bbox.height
    texts = [t.get_window_extent() for t in _axes(fig, "mapapp-map").texts]
    west, south, east, north = area.bounds
    for lon in np.arange(west, east, 0.1):
        for lat in np.arange(south, north, 0.1):
            if not area.contains(Point(lon, lat)):
                continue
            col, row = _to_pixel(fig, lon, lat)
            y = height - row
            if any(b.x0 - r <= col <= b.x1 + r and b.y0 - r <= y <= b.y1 + r for b in texts):
                continue
            if min(Point(lon, lat).distance(g) for g in lines) > 0.2:
                return float(lon), float(lat)
    raise AssertionError("no clear spot")


def test_areas_land_and_sea_differ_in_greyscale(report_map):
    """Hatching, not hue, tells Russian-held ground from land and sea."""
    fig = render_figure(report_map, spec=ImageSpec(900, 900),
                        view=ViewState(layers=["control_areas"], bounds=INITIAL_BOUNDS))
    grey = np.asarray(Image.open(io.BytesIO(_png(fig))).convert("L")).astype(float)

    def patch(lon, lat, r=7):
        col, row = _to_pixel(fig, lon, lat)
        return grey[row - r:row + r + 1, col - r:col + r + 1]

    from shapely.geometry import box

    held = report_map.by_id("area-russian-held-2022-11-15").geometry
    inside = _clear_spot(fig, held.buffer(-0.3))  # well inside, away from borders and names
    plain = _clear_spot(fig, box(26.0, 48.0, 32.0, 50.5))  # Ukrainian land west of the front
    hatch, land, sea = patch(*inside), patch(*plain), patch(*BLACK_SEA)
    assert hatch.std() > 20  # stripes
    assert land.std() < 3 and sea.std() < 3  # flat fills
    assert abs(land.mean() - sea.mean()) > 10
    assert abs(hatch.mean() - land.mean()) > 20 and abs(hatch.mean() - sea.mean()) > 20


def test_mentions_outside_the_view_are_not_drawn(report_map):
    mentions = ViewState(layers=["mentions"], bounds=INITIAL_BOUNDS)  # as on screen
    assert legend_entries(report_map, mentions) == []
    fig = render_figure(report_map, spec=ImageSpec(1600, 500), view=mentions)  # wide: shows Hungary
    assert not _by_gid(fig, "mapapp-label")
    # The basemap (land, water, the names' dots) only: no markers.
    assert not [c for c in _axes(fig, "mapapp-map").collections[1:]
                if c.get_gid() not in ("mapapp-water", "mapapp-name-dot")]


def test_mentions_inside_chosen_bounds_are_drawn(report_map):
    bounds = ((44.0, 16.0), (53.0, 41.0))  # west to Hungary
    view = ViewState(layers=["mentions"], bounds=bounds)
    assert legend_entries(report_map, view) == ["Statement"]
    fig = render_figure(report_map, spec=SMALL, view=view)
    assert [t.get_text() for t in _by_gid(fig, "mapapp-label")] == ["Hungary"]


@pytest.mark.parametrize("size", [(800, 300), (300, 800), (2000, 300), (640, 400)])
def test_odd_shapes_draw_or_refuse_cleanly(report_map, size):
    # Projected country outlines can self-touch; clipping them once raised a
    # GEOS TopologyException at 800x300. Any refusal must be an OptionError.
    try:
        fig = render_figure(report_map, spec=ImageSpec(*size), title="Map")
    except OptionError:
        return
    assert fig.get_size_inches().tolist() == [size[0] / 100, size[1] / 100]


# ---- text is data: never mathtext or TeX, never a control character

MATH_NAME = r"Town $x^2$ \alpha"


def _one_place_map(name: str):
    from shapely.geometry import Point
    from webmap_fixtures import REPORT, feature

    from mapapp.model import ReportMap

    # Tests only: a point in open country near the middle of the first view.
    return ReportMap(report=REPORT, features=(feature("odd-town", "places", "town", Point(31.0, 49.0),
                                                      name=name),))


def _svg(fig) -> bytes:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    return buf.getvalue()


def _svg_texts(data: bytes) -> list[str]:
    import xml.etree.ElementTree as ET

    return ["".join(t.itertext()) for t in ET.fromstring(data).iter("{http://www.w3.org/2000/svg}text")]


def test_every_text_artist_is_plain_text(report_map, full):
    texts = _texts(full)
    assert len(texts) > 20
    for t in texts:
        assert t.get_parse_math() is False and t.get_usetex() is False, (t.get_gid(), t.get_text())


def test_dollar_pairs_in_names_and_titles_are_drawn_literally():
    fig = render_figure(_one_place_map(MATH_NAME), spec=SMALL, title=r"$\frac{1}$", subtitle="$a$ and $b$")
    labels = [t.get_text() for t in _by_gid(fig, "mapapp-label")]
    assert labels == [MATH_NAME]
    texts = _svg_texts(_svg(fig))
    assert MATH_NAME in texts and r"$\frac{1}$" in texts and "$a$ and $b$" in texts


def test_usetex_in_the_rc_params_does_not_reach_the_map(report_map):
    import matplotlib

    # No TeX is installed here: a text that went through TeX would fail to draw.
    with matplotlib.rc_context({"text.usetex": True, "text.parse_math": True}):
        fig = render_figure(_one_place_map(MATH_NAME), spec=SMALL, title=r"$\frac{1}$")
        texts = _svg_texts(_svg(fig))
    assert r"$\frac{1}$" in texts and MATH_NAME in texts


def test_wrapping_measures_the_literal_title(report_map):
    # Typeset, "$\mathrm{...}$" would lose its markup; literally it needs
    # two lines, each no wider than what was measured for it.
    title = r"$\mathrm{A\ title\ that\ is\ long\ enough\ to\ wrap\ here}$"
    fig = render_figure(report_map, spec=ImageSpec(700, 700), title=title)
    lines = [t.get_text() for t in _by_gid(fig, "mapapp-title")]
    assert len(lines) == 2 and " ".join(lines) == title
    renderer = fig.canvas.get_renderer()
    map_width = _axes(fig, "mapapp-map").bbox.width
    for t in _by_gid(fig, "mapapp-title"):
        assert t.get_window_extent(renderer).width <= map_width + 1


def test_control_characters_in_data_text_are_shown_as_pictures():
    import warnings

    name = "Bell\x07 esc\x1b[31m del\x7f"
    fig = render_figure(_one_place_map(name), spec=SMALL, title="", subtitle="")
    (label,) = _by_gid(fig, "mapapp-label")
    assert label.get_text() == "Bell\u2407 esc\u241b[31m del\u2421"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph ... missing from font": the fallback font has them
        data = _svg(fig)
        _png(fig)
    assert "Bell\u2407 esc\u241b[31m del\u2421" in _svg_texts(data)  # and the SVG is valid XML


@pytest.mark.parametrize("text, code, position", [
    ("ab\x07", "U+0007", 3),
    ("\x1b[31mred", "U+001B", 1),
    ("two\nlines", "U+000A", 4),
    ("tab\there", "U+0009", 4),
    ("del\x7f", "U+007F", 4),
    ("c1\x85", "U+0085", 3),
    ("bad utf-8 \udcff", "U+DCFF", 11),
    ("non\uffff", "U+FFFF", 4),
])
def test_titles_with_control_characters_are_refused(text, code, position):
    from mapapp.static.figtext import check_title_text

    with pytest.raises(OptionError) as info:
        check_title_text(text, "--title")
    message = str(info.value)
    assert message.startswith("--title: contains ")
    assert f"({code}) at position {position}" in message
    assert message.isprintable()


@pytest.mark.parametrize("text", [None, "", r"$\frac{1}$", "Київ · Херсон", "a\u202eb", "<>&\"'{{ }}{% %}$\\",
                                  "x" * 10_000])
def test_titles_of_plain_text_pass(text):
    from mapapp.static.figtext import check_title_text

    assert check_title_text(text, "--title") is text


def test_render_figure_draws_control_pictures_for_a_title_that_got_past_the_checks(report_map):
    fig = render_figure(report_map, spec=SMALL, title="Alarm\x07", subtitle="")
    assert [t.get_text() for t in _by_gid(fig, "mapapp-title")] == ["Alarm\u2407"]
