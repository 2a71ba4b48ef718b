"""Static exports a reader can read (issue 11): a compact legend, presets
framed on the content, names clear of markers and the front line, a
locator whose box stays inside it, and stripes that survive PDF viewers
(poppler and Chromium's PDFium) with the Dnipro and the names drawn."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import matplotlib.text
import matplotlib.transforms
import numpy as np
import pytest
import shapely
from matplotlib.colors import to_rgb
from PIL import Image
from pyproj import Transformer

from mapapp import styles
from mapapp.geo import physical
from mapapp.static import figure as render
from mapapp.static.export import image_spec, render_bytes
from mapapp.static.presets import PRESETS
from mapapp.view import INITIAL_BOUNDS, ViewState

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Print presets drawn at screen resolution: the same paper, framing and
# layout, a ninth of the pixels.
SPECS = {name: image_spec(p.at_dpi(100) if p.is_print else p) for name, p in PRESETS.items()}
# Names the reader must find wherever they are in the frame (tests only:
# the code takes its names from the data).
PLACES = {"Kyiv", "Kharkiv", "Lviv", "Przewodów", "Kherson", "Henichesk", "Nova Kakhovka",
          "Melitopol", "Bakhmut", "Crimea", "Bucha", "Kharkiv region", "Kherson region"}
WATER = {"Dnipro", "Kakhovka Reservoir", "Black Sea", "Sea of Azov"}
OBLASTS = ("ZAPORIZHZHIA", "DONETSK", "LUHANSK")  # Kherson's is the report's "Kherson region"


@pytest.fixture(scope="module")
def figures(report_map):
    out = {}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, spec in SPECS.items():
        fig = render.render_figure(report_map, spec=spec)
        fig.savefig(ARTIFACTS / f"export-{name}.png")  # to look at
        out[name] = fig
    return out


def _axes(fig, gid):
    (ax,) = [a for a in fig.axes if a.get_gid() == gid]
    return ax


def _texts(fig, *prefixes):
    return [t for t in _axes(fig, "mapapp-map").texts
            if (t.get_gid() or "").startswith(prefixes) and t.get_gid() != "mapapp-halo"]


def _label_texts(fig):
    return _texts(fig, "mapapp-label", "mapapp-name-", "mapapp-country")


def _marker_boxes(fig):
    """Display boxes of the report's markers as drawn: centre and size of
    each scatter (matplotlib scales a marker path to its size in points)."""
    ax = _axes(fig, "mapapp-map")
    boxes = []
    for coll in ax.collections:
        if coll.get_gid() != "mapapp-marker":
            continue
        (x, y), = ax.transData.transform(coll.get_offsets())[:1]
        half = np.sqrt(coll.get_sizes()[0]) / 2 * fig.dpi / 72
        boxes.append((x - half, y - half, x + half, y + half))
    return boxes


# ---- the legend


def test_legend_covers_less_than_an_eighth_of_the_social_card(figures, report_map):
    fig = figures["social"]
    legend = _axes(fig, "mapapp-legend").get_window_extent()
    share = legend.width * legend.height / (fig.bbox.width * fig.bbox.height)
    assert 0.01 < share < 0.12
    # Over the map, not under it, and one row per symbol: no status rows.
    assert _axes(fig, "mapapp-map").bbox.contains(legend.x0 + 1, legend.y0 + 1)
    rows = [t.get_text() for t in fig.findobj(matplotlib.text.Text)
            if t.get_gid() == "mapapp-legend-entry"]
    assert rows == render.legend_entries(report_map)
    assert len(rows) == len(set(rows)) and not {"Confirmed", "Reported", "Unclear"} & set(rows)
    note = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text)
                    if t.get_gid() == "mapapp-legend-note")
    for status in ("confirmed", "reported", "assessed", "claimed", "unclear"):
        assert status in note


def test_status_note_names_only_the_statuses_shown():
    assert render.status_note(["confirmed"]) == "Marker outline: solid = confirmed"
    assert render.status_note([]) == ""
    assert "disputed" not in render.status_note(["claimed", "unclear"])


def test_legend_stays_over_the_map_and_clear_of_the_markers(figures):
    fig = figures["social"]
    legend = _axes(fig, "mapapp-legend").get_window_extent()
    for box in _marker_boxes(fig):
        assert not legend.overlaps(matplotlib.transforms.Bbox.from_extents(*box))


# ---- framing


def _frame_lonlat(fig, report_map, view=None):
    """The map's frame as a lon/lat polygon, and the CRS it is drawn in."""
    crs = render._view_crs(render.frame_box(report_map, view or ViewState()))
    x0, x1 = _axes(fig, "mapapp-map").get_xlim()
    y0, y1 = _axes(fig, "mapapp-map").get_ylim()
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        *render._densified_ring(x0, y0, x1, y1, 16))
    return shapely.Polygon(np.column_stack([lon, lat])), crs


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_framed_on_the_content(figures, report_map, name):
    frame, crs = _frame_lonlat(figures[name], report_map)
    shown = [f.geometry for f in ViewState().visible(report_map) if f.geometry is not None]
    content = shapely.union_all(shown)
    assert frame.contains(content)
    # Not on whatever a screen showed: the content fills the frame one way.
    ax = _axes(figures[name], "mapapp-map")
    w, s, e, n = render._project(content, crs).bounds
    (fw, fe), (fs, fn) = ax.get_xlim(), ax.get_ylim()
    assert (e - w) / (fe - fw) > 0.8 or (n - s) / (fn - fs) > 0.8


def test_the_story_is_not_half_black_sea_and_turkey(figures, report_map):
    frame, _ = _frame_lonlat(figures["story"], report_map)
    content_south = shapely.union_all([f.geometry for f in ViewState().visible(report_map)
                                       if f.geometry is not None]).bounds[1]
    below = shapely.intersection(frame, shapely.box(-180, -80, 180, content_south))
    assert below.area / frame.area < 0.2
    # Turkey's north coast (about 42 N at Sinop) is out of the picture.
    assert frame.bounds[1] > 42.0


def test_fit_to_features_and_as_on_screen(report_map):
    screen = ViewState(bounds=((40.0, 5.0), (60.0, 70.0)))  # zoomed out: Germany to Kazakhstan
    fig = render.render_figure(report_map, spec=SPECS["social"], view=screen)
    frame, _ = _frame_lonlat(fig, report_map, screen)
    assert frame.contains(shapely.box(5.0, 40.0, 70.0, 60.0))
    fitted, _ = _frame_lonlat(render.render_figure(report_map, spec=SPECS["social"]), report_map)
    assert fitted.area < 0.4 * frame.area
    assert render.frame_box(report_map, screen) == (5.0, 40.0, 70.0, 60.0)


@pytest.mark.parametrize("layers", [("strikes",), ("front_lines",), ("places",), ()])
def test_fit_follows_the_layers_shown(report_map, layers):
    view = ViewState(layers=layers)
    box = render.frame_box(report_map, view)
    shown = [f.geometry for f in view.visible(report_map) if f.geometry is not None]
    if not shown:  # nothing to fit: the app's first view
        (s, w), (n, e) = INITIAL_BOUNDS
        assert box == (w, s, e, n)
    else:
        assert shapely.box(*box).buffer(1e-9).contains(shapely.union_all(shown))


def test_one_place_is_shown_with_its_surroundings(report_map):
    view = ViewState(layers=("strikes",), types=("explosion",))
    fig = render.render_figure(report_map, spec=SPECS["square"], view=view)
    frame, _ = _frame_lonlat(fig, report_map, view)
    w, s, e, n = frame.bounds
    assert n - s > 1.0 and e - w > 1.0
    assert frame.contains(report_map.by_id("explosion-przewodow").geometry)


# ---- names


@pytest.mark.parametrize("name", list(PRESETS))
def test_the_names_a_reader_needs_are_drawn(figures, name):
    drawn = {t.get_text() for t in _label_texts(figures[name])}
    assert PLACES | WATER <= drawn, sorted(PLACES | WATER - drawn)
    for oblast in OBLASTS:
        assert any(t.startswith(oblast) for t in drawn), oblast
    rivers = [line for line in _axes(figures[name], "mapapp-map").lines
              if line.get_gid() == "mapapp-river"]
    assert len(rivers) > 5


@pytest.mark.parametrize("name", ["social", "story"])
def test_names_sit_on_no_marker_and_across_no_front_line(figures, name):
    fig = figures[name]
    ax = _axes(fig, "mapapp-map")
    markers = _marker_boxes(fig)
    assert len(markers) >= 12
    fronts = [shapely.LineString(ax.transData.transform(line.get_xydata()))
              .buffer(line.get_linewidth() * fig.dpi / 72 / 2)
              for line in ax.lines if line.get_gid() in ("mapapp-line-front_line",
                                                        "mapapp-line-former_front_line")]
    assert len(fronts) == 2
    front = shapely.union_all(fronts)
    labels = _label_texts(fig)
    assert len(labels) > 20
    for text in labels:
        bb = text.get_window_extent()
        box = shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)
        assert not any(box.intersects(shapely.box(*m)) for m in markers), text.get_text()
        assert not box.intersects(front), text.get_text()


def test_a_name_on_a_leader_line_starts_at_its_marker(figures):
    for fig in figures.values():
        ax = _axes(fig, "mapapp-map")
        centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / 2) for b in _marker_boxes(fig)]
        for line in ax.lines:
            if line.get_gid() == "mapapp-leader":
                x, y = ax.transData.transform(line.get_xydata())[0]
                assert min(np.hypot(x - cx, y - cy) - r for cx, cy, r in centres) < 3


# ---- locator


@pytest.mark.parametrize("bounds", [None, ((40.0, 5.0), (60.0, 70.0)), ((44.0, 30.0), (47.0, 36.0))])
def test_the_locator_box_stays_inside_the_locator(report_map, bounds):
    fig = render.render_figure(report_map, spec=SPECS["social"], view=ViewState(bounds=bounds))
    fig.canvas.draw()
    inset = _axes(fig, "mapapp-locator")
    (box,) = [p for p in inset.patches if p.get_gid() == "mapapp-locator-frame"]
    drawn = box.get_window_extent()
    outer = inset.get_window_extent()
    assert outer.x0 <= drawn.x0 and drawn.x1 <= outer.x1
    assert outer.y0 <= drawn.y0 and drawn.y1 <= outer.y1
    assert drawn.width > 4 and drawn.height > 4  # it is there, not clipped away


# ---- PDF: stripes, river and names in two renderers


def _poppler(pdf: bytes, dpi: float) -> np.ndarray:
    exe = shutil.which("pdftoppm")
    assert exe, "pdftoppm is missing: `make browser` installs poppler-utils"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "map.pdf"
        source.write_bytes(pdf)
        subprocess.run([exe, "-r", f"{dpi:g}", "-png", "-singlefile", str(source),
                        str(Path(folder) / "page")], capture_output=True, check=True)
        image = Image.open(Path(folder) / "page.png").convert("RGB")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "export-pdf-poppler.png")
    return np.asarray(image).astype(int)


def _pdfium(pdf: bytes, dpi: float) -> np.ndarray:
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72).to_pil().convert("RGB")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "export-pdf-pdfium.png")
    return np.asarray(image).astype(int)


RENDERERS = {"poppler": _poppler, "pdfium": _pdfium}


@pytest.fixture(scope="module")
def pdf_and_figure(report_map):
    spec = PRESETS["social"]
    pdf = render_bytes(report_map, fmt="pdf", spec=spec)
    fig = render.render_figure(report_map, spec=image_spec(spec))
    fig.canvas.draw()
    return pdf, fig


def _pixel(fig, lon, lat, crs):
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    px, py = _axes(fig, "mapapp-map").transData.transform((x, y))
    return round(px), round(fig.bbox.height - py)


def _near(rgb: np.ndarray, colour, tol: float = 40) -> np.ndarray:
    return np.abs(rgb - np.asarray(colour)).sum(axis=-1) < tol


def _open_spot(fig, report_map, area, crs):
    """A pixel well inside ``area`` with no text, marker or line near it."""
    texts = [t.get_window_extent() for t in _axes(fig, "mapapp-map").texts]
    w, s, e, n = area.bounds
    for lon in np.arange(w, e, 0.1):
        for lat in np.arange(s, n, 0.1):
            if not area.contains(shapely.Point(lon, lat)):
                continue
            col, row = _pixel(fig, lon, lat, crs)
            y = fig.bbox.height - row
            if not any(b.x0 - 12 <= col <= b.x1 + 12 and b.y0 - 12 <= y <= b.y1 + 12 for b in texts):
                return col, row
    raise AssertionError("no open spot")


@pytest.mark.parametrize("renderer", list(RENDERERS))
def test_pdf_stripes_river_and_names_survive_the_viewer(pdf_and_figure, report_map, renderer):
    pdf, fig = pdf_and_figure
    image = RENDERERS[renderer](pdf, fig.dpi)
    assert image.shape[:2] == (round(fig.bbox.height), round(fig.bbox.width))
    _, crs = _frame_lonlat(fig, report_map)
    held = report_map.by_id("area-russian-held-2022-11-15").geometry.buffer(-0.35)
    col, row = _open_spot(fig, report_map, held, crs)
    patch = image[row - 8:row + 9, col - 8:col + 9]
    paper = to_rgb(render.THEME_COLORS["light"]["land"])
    stripe = np.asarray(to_rgb(styles.area_style("russian_held")["fillColor"])) * 255
    wash = 0.28 * stripe + 0.72 * np.asarray(paper) * 255
    striped = _near(patch, stripe, 90).mean()
    between = _near(patch, wash, 60).mean()
    assert 0.15 < striped < 0.85 and between > 0.1, (renderer, striped, between)  # stripes, not a fill
    # The Dnipro: river or reservoir blue along its course (where its name
    # may go), away from the names.
    blues = [np.asarray(to_rgb(render.THEME_COLORS["light"][k])) * 255 for k in ("river", "water")]
    (dnipro,) = [lb for lb in physical.map_labels(report_map)
                 if lb.name == "Dnipro" and lb.kind == "river"]
    course = [a[:2] for a in dnipro.anchors]
    hits = 0
    for lon, lat in course:
        c, r = _pixel(fig, lon, lat, crs)
        near = image[r - 3:r + 4, c - 3:c + 4]
        hits += any(_near(near, blue, 60).any() for blue in blues)
    assert hits >= 0.6 * len(course), (renderer, hits, len(course))
    # The names: dark glyph pixels in each label's box.
    for text in _texts(fig, "mapapp-label"):
        if text.get_text() in ("Kyiv", "Kharkiv", "Melitopol"):
            bb = text.get_window_extent()
            box = image[int(fig.bbox.height - bb.y1):int(fig.bbox.height - bb.y0),
                        int(bb.x0):int(bb.x1)]
            assert (box.sum(axis=-1) < 200).mean() > 0.05, (renderer, text.get_text())
