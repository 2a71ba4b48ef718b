"""Static exports: exact sizes, DPI, vector text, paper sizes, determinism,
and no file at all when anything goes wrong."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from mapapp.errors import OptionError, OutputError
from mapapp.static import export
from mapapp.static import figure as render
from mapapp.static.export import FORMATS, export_image, export_presets, render_bytes
from mapapp.static.presets import PRESETS, resolve_spec
from mapapp.view import ViewState

SMALL = "640x400"  # where the size does not matter: quick to draw
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def svg_texts(data: bytes) -> list[str]:
    """The text content of every <text> element (text kept as text)."""
    return ["".join(t.itertext()) for t in ET.fromstring(data).iter(SVG_TEXT)]


def media_box(data: bytes) -> tuple[float, float]:
    boxes = re.findall(rb"/MediaBox \[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", data)
    assert len(boxes) == 1, boxes  # one page
    x0, y0, x1, y1 = (float(v) for v in boxes[0])
    return x1 - x0, y1 - y0


def files_in(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(scope="module")
def small_svg(report_map):
    return render_bytes(report_map, fmt="svg", spec=resolve_spec(size=SMALL))


# ---- PNG: pixels and DPI


@pytest.mark.parametrize("kwargs, size, dpi", [
    ({"preset": "social"}, (1200, 675), 100),
    ({"size": "1000x700", "dpi": 200}, (1000, 700), 200),  # same pixels, DPI recorded
    ({"preset": "a4-portrait", "dpi": 72}, (595, 842), 72),  # A4 paper at 72 dpi
])
def test_png_has_the_exact_pixels_and_dpi(report_map, tmp_path, kwargs, size, dpi):
    path = export_image(report_map, tmp_path / "map.png", **kwargs)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == size
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)  # stored per metre
    assert files_in(tmp_path) == ["map.png"]


def test_png_is_not_blank(report_map):
    data = render_bytes(report_map, fmt="png", spec=resolve_spec(size=SMALL))
    with Image.open(io.BytesIO(data)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50


# ---- SVG: vector, text as text


def test_svg_keeps_title_legend_and_credit_as_text(report_map, small_svg):
    texts = svg_texts(small_svg)
    joined = " ".join(texts)
    assert render.default_title(report_map) in joined  # wrapped over lines at spaces
    assert render.default_subtitle(report_map) in texts
    for entry in render.legend_entries(report_map, ViewState(layers=("control_areas",
                                                                     "front_lines", "strikes",
                                                                     "places"))):
        assert entry in texts, entry
    for part in render.credit_parts(report_map):
        assert any(part in t for t in texts), part
    assert b"<image" not in small_svg  # nothing rasterised
    assert b'id="DejaVuSans' not in small_svg  # no glyph outlines: text stays text


def test_svg_custom_title_and_only_the_visible_layers(report_map, tmp_path):
    lines = ViewState(layers=["front_lines"])
    path = export_image(report_map, tmp_path / "lines.svg", size=SMALL, view=lines,
                        title="The Dnipro front", subtitle="")
    texts = svg_texts(path.read_bytes())
    assert "The Dnipro front" in texts
    assert "Front line" in texts and "Former front line" in texts
    assert "Missile strike" not in texts and "Russian-held" not in texts
    assert render.legend_entries(report_map, lines) == ["Front line", "Former front line"]


# ---- PDF: paper size, fonts


@pytest.mark.parametrize("preset, points", [
    ("a4-portrait", (595.28, 841.89)),
    ("a4-landscape", (841.89, 595.28)),
    ("letter-portrait", (612, 792)),
    ("letter-landscape", (792, 612)),
    ("social", (864, 486)),  # 1200x675 px at 100 dpi
])
def test_pdf_page_size(report_map, preset, points):
    data = render_bytes(report_map, fmt="pdf", spec=PRESETS[preset])
    assert data.startswith(b"%PDF-")
    assert media_box(data) == pytest.approx(points, abs=0.01)
    assert b"/FontFile2" in data  # TrueType fonts embedded
    assert b"/Subtype /Image" not in data  # vector


def test_pdf_from_a_size_in_mm(report_map, tmp_path):
    path = export_image(report_map, tmp_path / "a4.pdf", size="210x297mm")
    assert media_box(path.read_bytes()) == pytest.approx((595.28, 841.89), abs=0.01)


# ---- determinism


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_same_inputs_give_identical_bytes(report_map, tmp_path, fmt, monkeypatch):
    first = export_image(report_map, tmp_path / f"a.{fmt}", size=SMALL).read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a build date must not leak in
    second = export_image(report_map, tmp_path / f"b.{fmt}", size=SMALL).read_bytes()
    assert first == second
    assert b"CreationDate" not in first and b"<dc:date>" not in first


# ---- options checked before drawing; nothing left behind


@pytest.mark.parametrize("name, kwargs, option", [
    ("map.gif", {}, "output"),
    ("map", {}, "output"),
    ("map.png", {"fmt": "gif"}, "--format"),
    ("map.png", {"fmt": "svg"}, "--format svg does not match"),
    ("map.png", {"preset": "poster"}, "--preset"),
    ("map.png", {"size": "0x400"}, "--size"),
    ("map.png", {"size": "-5x400"}, "--size"),
    ("map.png", {"size": "-5"}, "--size"),
    ("map.png", {"size": "30000x10"}, "--size"),
    ("map.png", {"size": "20001x1000"}, "--size"),  # just over the limit
    ("map.png", {"size": SMALL, "preset": "social"}, "--preset and --size"),
    ("map.png", {"dpi": 5}, "--dpi"),
    ("map.png", {"theme": "sepia"}, "--theme"),
    ("map.png", {"view": {"layers": ["strikes"]}}, "view must be a ViewState"),
    ("map.png", {"size": SMALL, "title": "A very long title " * 30}, "title"),
])
def test_bad_options_write_nothing(report_map, tmp_path, name, kwargs, option):
    with pytest.raises(OptionError) as info:
        export_image(report_map, tmp_path / name, **kwargs)
    assert option in str(info.value)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("fields, option", [
    ({"layers": ["strikes", "nope"]}, "--layers: unknown nope"),
    ({"statuses": ["rumoured"]}, "--status: unknown rumoured"),
    ({"bounds": ((53, 22), (44, 41))}, "--bounds"),
])
def test_a_bad_view_writes_nothing(report_map, tmp_path, fields, option):
    # The view refuses itself before any export can start.
    with pytest.raises(OptionError) as info:
        export_image(report_map, tmp_path / "map.png", view=ViewState(**fields))
    assert option in str(info.value)
    assert files_in(tmp_path) == []


def test_an_existing_output_needs_overwrite(report_map, tmp_path):
    target = tmp_path / "map.svg"
    target.write_text("old")
    with pytest.raises(OptionError, match="--overwrite"):
        export_image(report_map, target, size=SMALL)
    assert target.read_text() == "old"
    export_image(report_map, target, size=SMALL, overwrite=True)
    assert target.read_bytes().startswith(b"<?xml")
    assert files_in(tmp_path) == ["map.svg"]


def test_a_folder_is_not_an_output(report_map, tmp_path):
    (tmp_path / "x.png").mkdir()
    with pytest.raises(OptionError, match="is a folder"):
        export_image(report_map, tmp_path / "x.png", overwrite=True)


@pytest.mark.parametrize("where, words", [
    ("missing/map.png", "does not exist"),
    ("a-file/map.png", "not a folder"),
])
def test_unusable_folders_are_output_errors(report_map, tmp_path, where, words):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(OutputError, match=words):
        export_image(report_map, tmp_path / where, size=SMALL)
    assert files_in(tmp_path) == ["a-file"]


def test_an_unwritable_folder_is_an_output_error(report_map, tmp_path, monkeypatch):
    # As root, chmod does not stop writes: the permission check is faked.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path)
                        else real_access(p, mode))
    with pytest.raises(OutputError, match="not writable"):
        export_image(report_map, tmp_path / "map.png", size=SMALL)
    assert files_in(tmp_path) == []


def test_a_failed_write_leaves_no_file_or_temp_file(report_map, tmp_path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # fails after the temp file was written
    monkeypatch.setattr(os, "link", refuse)  # a new file is linked into place, not renamed
    with pytest.raises(OutputError, match="Permission denied"):
        export_image(report_map, tmp_path / "map.svg", size=SMALL)
    assert files_in(tmp_path) == []


def test_a_render_failure_leaves_nothing(report_map, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(render, "render_figure", broken)
    with pytest.raises(RuntimeError, match="renderer bug"):
        export_image(report_map, tmp_path / "map.pdf", size=SMALL)
    assert files_in(tmp_path) == []


def test_format_comes_from_the_option_or_the_suffix(report_map, tmp_path, small_svg):
    assert export.format_for("a/b.SVG", None) == "svg"
    assert export.format_for("b.pdf", "PDF") == "pdf"
    path = export_image(report_map, tmp_path / "noext", fmt="svg", size=SMALL)
    assert path.name == "noext.svg" and path.read_bytes() == small_svg


# ---- every preset at once


def test_export_presets_writes_one_file_per_preset(report_map, tmp_path):
    seen = []
    paths = export_presets(report_map, tmp_path, fmt="svg",
                           presets=["social", "story", "a4-landscape"],
                           progress=lambda done, total, path: seen.append((done, total, path.name)))
    names = ["map-social.svg", "map-story.svg", "map-a4-landscape.svg"]
    assert [p.name for p in paths] == names
    assert files_in(tmp_path) == sorted(names)
    assert seen == [(i + 1, 3, name) for i, name in enumerate(names)]
    assert _svg_size(paths[1].read_bytes()) == pytest.approx((1080 * 0.72, 1920 * 0.72))


def _svg_size(data: bytes) -> tuple[float, float]:
    root = ET.fromstring(data)
    return float(root.attrib["width"].removesuffix("pt")), float(root.attrib["height"].removesuffix("pt"))


def test_export_presets_checks_every_target_first(report_map, tmp_path):
    (tmp_path / "map-story.png").write_text("old")
    with pytest.raises(OptionError, match="--overwrite"):
        export_presets(report_map, tmp_path, fmt="png")
    assert files_in(tmp_path) == ["map-story.png"]  # nothing else was drawn or written
    with pytest.raises(OptionError, match="--preset"):
        export_presets(report_map, tmp_path, fmt="png", presets=["social", "poster"])
    with pytest.raises(OptionError, match="--format"):
        export_presets(report_map, tmp_path, fmt="tiff")
    with pytest.raises(OutputError, match="--out-dir"):
        export_presets(report_map, "/proc/mapapp-cannot-be-here", fmt="png")
    assert files_in(tmp_path) == ["map-story.png"]


def test_export_presets_makes_a_missing_folder(report_map, tmp_path):
    written = export_presets(report_map, tmp_path / "new" / "images", fmt="svg",
                             presets=["social"])
    assert [p.relative_to(tmp_path).as_posix() for p in written] == ["new/images/map-social.svg"]


def test_formats():
    assert FORMATS == ("png", "svg", "pdf")


# ---- text options are plain text: no mathtext, no control characters

PUNCTUATION = "<>&\"'{{ }}{% %}$\\"


def _pdf_text(data: bytes) -> str:
    from pdf_text import page_text, pdf_pages  # the project's small PDF text reader

    return " ".join(page_text(page) for page in pdf_pages(data))


@pytest.mark.parametrize("title", [r"$\frac{1}$", PUNCTUATION, "$a$ and $b$ \\alpha"])
def test_svg_and_pdf_draw_titles_literally(report_map, title):
    spec = resolve_spec(size=SMALL)
    svg = render_bytes(report_map, fmt="svg", spec=spec, title=title, subtitle=r"$x^2$")
    assert title in svg_texts(svg) and r"$x^2$" in svg_texts(svg)  # parsed as XML, too
    pdf = render_bytes(report_map, fmt="pdf", spec=spec, title=title, subtitle=r"$x^2$")
    assert title in _pdf_text(pdf) and r"$x^2$" in _pdf_text(pdf)


@pytest.mark.parametrize("kwargs, message", [
    ({"title": "ab\x07"}, "--title: contains a control character (U+0007) at position 3"),
    ({"subtitle": "\x1b[2J"}, "--subtitle: contains a control character (U+001B) at position 1"),
    ({"title": "x\udcff"}, "--title: contains a lone surrogate (not valid UTF-8) (U+DCFF) at position 2"),
])
def test_control_characters_in_text_options_write_nothing(report_map, tmp_path, kwargs, message):
    with pytest.raises(OptionError) as info:
        export_image(report_map, tmp_path / "map.svg", size=SMALL, **kwargs)
    assert str(info.value) == message
    with pytest.raises(OptionError, match="^--"):
        export_presets(report_map, tmp_path / "new", fmt="svg", presets=["social"], **kwargs)
    assert files_in(tmp_path) == []  # not even the batch's folder


def test_render_bytes_checks_the_text_it_is_given(report_map):
    # The app passes what was typed into its boxes straight to render_bytes.
    with pytest.raises(OptionError, match=r"^title: contains a control character \(U\+0007\)"):
        render_bytes(report_map, fmt="svg", spec=resolve_spec(size=SMALL), title="Alarm\x07")
    with pytest.raises(OptionError, match=r"^subtitle: .*\(U\+0085\) at position 1"):
        render_bytes(report_map, fmt="png", spec=resolve_spec(size=SMALL), subtitle="\x85")


@pytest.mark.parametrize("fmt, size", [("png", "social"), ("png", None), ("pdf", None),
                                       ("svg", None)])
def test_every_point_type_draws_in_every_status(fmt, size):
    # Agg cannot stroke a dashed outline through a straight-angle corner: a
    # hexagon drawn as a star with its inner points on its edges failed
    # with "Exceeded cell block limit" once its status was "reported".
    from dataclasses import replace

    from shapely.geometry import Point

    from mapapp.model import LAYER_TYPES, STATUSES
    from tests.webmap_fixtures import feature, synthetic_map

    points = [feature(f"{t}-{s}", layer, t, Point(30 + n % 10 * 0.6, 46 + n // 10 * 0.4),
                      status=s)
              for n, (layer, t, s) in enumerate(
                  (layer, t, s) for layer in ("fighting", "strikes", "places", "mentions")
                  for t in LAYER_TYPES[layer] for s in STATUSES)]
    base = synthetic_map()
    data = render_bytes(replace(base, features=tuple(points)), fmt=fmt,
                        spec=PRESETS[size] if size else resolve_spec(size=SMALL))
    assert len(data) > 1000


def test_spread_apart_moves_only_markers_that_overlap():
    import numpy as np

    from mapapp.static.figure import SPREAD_OVERLAP, spread_apart

    xy = np.array([[0.0, 0.0], [3.0, 1.0], [3.0, 1.0], [200.0, 0.0]])
    radius = np.array([10.0, 12.0, 8.0, 10.0])
    moved = spread_apart(xy, radius)
    assert (moved[3] == xy[3]).all()  # clear of the others: stays
    for i in range(3):
        for j in range(i + 1, 3):
            gap = np.hypot(*(moved[i] - moved[j]))
            assert gap >= (radius[i] + radius[j]) * SPREAD_OVERLAP - 1e-6
    assert np.hypot(*(moved[:3].mean(axis=0) - xy[:3].mean(axis=0))) < 1.0  # no drift


def test_an_image_moves_neighbouring_markers_apart_on_leaders(tmp_path):
    from dataclasses import replace

    from shapely.geometry import Point

    from tests.webmap_fixtures import feature, synthetic_map

    base = synthetic_map()
    near = (feature("robotyne", "fighting", "fighting", Point(35.834, 47.446)),
            feature("novoprokopivka", "fighting", "fighting", Point(35.836, 47.411)))
    far = (feature("robotyne", "fighting", "fighting", Point(35.834, 47.446)),)
    spec = resolve_spec(size=SMALL)
    svg_near = render_bytes(replace(base, features=base.features + near), fmt="svg", spec=spec)
    svg_far = render_bytes(replace(base, features=base.features + far), fmt="svg", spec=spec)
    assert b"mapapp-marker-leader" in svg_near
    assert b"mapapp-marker-leader" not in svg_far


def test_the_names_of_events_of_every_kind_are_placed_first_and_bold():
    # A fight's name was drawn as a village's (regular, placed late) once.
    from mapapp.model import LAYER_TYPES
    from mapapp.static.figure import LABEL_PRIORITY

    for layer in ("strikes", "fighting"):
        for ftype in LAYER_TYPES[layer]:
            assert LABEL_PRIORITY.get(ftype) == 0, ftype


def test_an_image_names_large_cities_for_orientation(report_map):
    # The web map names Dnipro, Zaporizhzhia and Kryvyi Rih; an image did not.
    svg = render_bytes(report_map, fmt="svg", spec=PRESETS["social"])
    assert b'id="mapapp-name-city' in svg
    assert b"Zaporizhzhia" in svg or b"Kryvyi Rih" in svg or b"Dnipro" in svg
