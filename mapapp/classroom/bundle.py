"""The offline lesson: one HTML file holding the map and a story's steps.

The page is the self-contained offline web map (Leaflet and the Natural
Earth basemap inlined, no outside requests) plus a panel that walks through
the story (``mapapp/web/assets/lesson.js``, ``lesson.css``, ``lesson.html``):
Previous/Next, arrow keys, PageUp/PageDown, Home/End, and the step in the
address (``#step-3``) so a link opens that step.  Each step flies the map
to its bounds, shows only its layers and highlights its features (class
``mapapp-highlight``).

Printing gives one step per page: title, map, text, question.  The one
Leaflet map shows one step at a time and does not survive printing, so
each step also carries its map as a PNG drawn by :mod:`mapapp.static` (the
handout's map: same view, layers, highlight and print resolution), shown
only in print.  Steps with the same view share one image.

Story text never becomes markup: it travels as JSON in the one call
``mapapp.lesson(map, story, groups)`` and is put on the page with
``textContent``.  The printed maps follow in ``mapapp.lessonPrint(map,
print)``, as base64 that the script only ever puts behind a fixed
``data:image/png;base64,`` prefix: an image source that can never be a URL.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import Any

import folium

from mapapp.classroom.handout import MAP_DPI, MAP_ENLARGE, highlight_names
from mapapp.classroom.story import Step, Story
from mapapp.errors import OptionError
from mapapp.files import check_output, write_output
from mapapp.model import LAYER_LABELS, LAYERS, ReportMap
from mapapp.styles import css_token
from mapapp.web.elements import PageCall, RawElement
from mapapp.web.map import build_map, render_html
from mapapp.web.resources import web_asset


def story_payload(story: Story) -> dict[str, Any]:
    """The story as the lesson script reads it (plain text, never markup).

    >>> from mapapp.classroom.story import Story
    >>> story_payload(Story("a", "</script><b>", "", ()))["title"]
    '</script><b>'
    """
    return {
        "id": story.id, "title": story.title, "summary": story.summary,
        "steps": [{"id": s.id, "title": s.title, "text": s.text,
                   "bounds": [list(s.bounds[0]), list(s.bounds[1])],
                   "layers": list(s.layers),
                   "highlight": list(s.highlight),
                   "classes": [f"mapapp-f-{css_token(f)}" for f in s.highlight],
                   "question": s.question} for s in story.steps],
    }


# The printed map's box on the page, in inches: A4's width inside 12 mm
# margins (Letter is wider), at 4:3; the page scales it to fit, never up
# by much, so labels print at about the handout's size.
PRINT_MAP_IN = (7.2, 5.4)


def print_map_png(report_map: ReportMap, step: Step) -> bytes:
    """The step's map for paper: a PNG of :data:`PRINT_MAP_IN` at the
    handout's resolution, reduced to a 256-colour palette.

    A map is flat colours and a few smooth edges: the palette keeps it
    looking the same on paper at about a third of the bytes.
    """
    from PIL import Image

    from mapapp.static.export import render_bytes
    from mapapp.static.figure import ImageSpec

    spec = ImageSpec(round(PRINT_MAP_IN[0] * MAP_DPI), round(PRINT_MAP_IN[1] * MAP_DPI),
                     dpi=MAP_DPI * MAP_ENLARGE)
    png = render_bytes(report_map, fmt="png", spec=spec, view=step.view,
                       highlight=step.highlight, title="", subtitle="")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # No dithering: it would speckle the flat land and water.
    image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(MAP_DPI, MAP_DPI))
    return out.getvalue()


def print_maps(report_map: ReportMap, story: Story) -> tuple[list[str], list[int]]:
    """The story's printed maps as base64 PNGs, one per distinct view, and
    for each step the index of its map."""
    drawn: dict[tuple, int] = {}
    maps: list[str] = []
    index: list[int] = []
    for step in story.steps:
        key = (step.bounds, step.layers, step.highlight)
        if key not in drawn:
            drawn[key] = len(maps)
            maps.append(base64.b64encode(print_map_png(report_map, step)).decode("ascii"))
        index.append(drawn[key])
    return maps, index


def print_payload(report_map: ReportMap, story: Story) -> dict[str, Any]:
    """What ``mapapp.lessonPrint`` gets: the printed maps (base64 PNGs) and
    for each step its map's index and the names of what it highlights
    (plain text, never markup).

    A call of its own, after ``mapapp.lesson``: the story's JSON stays
    exactly :func:`story_payload`.
    """
    maps, index = print_maps(report_map, story)
    return {"maps": maps,
            "steps": [{"map": n, "names": highlight_names(report_map, step)}
                      for step, n in zip(story.steps, index)]}


def story_layers(story: Story) -> tuple[str, ...]:
    """Every layer some step shows, in drawing order."""
    used = {layer for step in story.steps for layer in step.layers}
    return tuple(layer for layer in LAYERS if layer in used)


def build_lesson(report_map: ReportMap, story: Story) -> folium.Map:
    """The lesson page as a folium map (offline, assets inlined)."""
    if not story.steps:
        raise OptionError(f"story {story.id!r} has no steps")
    first = story.steps[0].bounds
    # The lesson frames every step itself: no fit of the page's own, which
    # would land after the lesson framed (say) step 3 and undo it.
    m = build_map(report_map, layers=story_layers(story), basemap="offline",
                  inline_assets=True, bounds=first, fit=False)
    labels = {label: layer for layer, label in LAYER_LABELS.items()}
    groups = {labels[child.layer_name]: child for child in m._children.values()
              if isinstance(child, folium.FeatureGroup) and child.layer_name in labels}
    root = m.get_root()
    root.title = html.escape(story.title)  # HTML text: escaped once, here
    css = web_asset("lesson.css").read_text(encoding="utf-8")
    root.header.add_child(RawElement(f"<style>{css}</style>"), name="mapapp_lesson_css")
    root.html.add_child(RawElement(web_asset("lesson.html").read_text(encoding="utf-8")),
                        name="mapapp_lesson_panel")
    script = web_asset("lesson.js").read_text(encoding="utf-8")
    root.header.add_child(RawElement(f"<script>{script}</script>"), name="mapapp_lesson_js")
    PageCall("lesson", story_payload(story), refs=groups).add_to(m)
    PageCall("lessonPrint", print_payload(report_map, story)).add_to(m)
    return m


def render_bundle(report_map: ReportMap, story: Story) -> str:
    """The lesson as one HTML string."""
    return render_html(build_lesson(report_map, story))


def write_bundle(report_map: ReportMap, story: Story, output: str | os.PathLike[str], *,
                 overwrite: bool = False) -> Path:
    """Write the lesson for ``story`` to ``output``: one self-contained HTML file.

    An existing ``output`` is an :class:`OptionError` unless ``overwrite``;
    an unwritable one an :class:`OutputError` (nothing partial is left).
    """
    path = check_output(Path(output), overwrite=overwrite)
    return write_output(path, render_bundle(report_map, story), overwrite=overwrite)
