"""The offline lesson: one HTML file holding the map and a story's steps.

The page is the self-contained offline web map (Leaflet and the Natural
Earth basemap inlined, no outside requests) plus a panel that walks through
the story: Previous/Next, arrow keys, PageUp/PageDown, Home/End, and the
step in the address (``#step-3``) so a link opens that step.  Each step
flies the map to its bounds, shows only its layers and highlights its
features (class ``mapapp-highlight``).  Printing gives one step per page.

Story text never becomes markup: it travels as JSON (with ``<``, ``>`` and
``&`` escaped, so nothing can close the script) and is put on the page with
``textContent``.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from .errors import OptionError
from .files import check_output, write_output
from .model import LAYER_LABELS, LAYERS, ReportMap
from .story import Story
from .styles import css_token
from .webmap import build_map, render_html


def story_json(story: Story) -> str:
    """The story as JSON safe inside ``<script>`` (and HTML attributes).

    >>> from mapapp.story import Story
    >>> story_json(Story("a", "</script><b>", "", ()))
    '{"id": "a", "title": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e", "summary": "", "steps": []}'
    """
    data = {
        "id": story.id, "title": story.title, "summary": story.summary,
        "steps": [{"id": s.id, "title": s.title, "text": s.text,
                   "bounds": [list(s.bounds[0]), list(s.bounds[1])],
                   "layers": list(s.layers),
                   "highlight": list(s.highlight),
                   "classes": [f"mapapp-f-{css_token(f)}" for f in s.highlight],
                   "question": s.question} for s in story.steps],
    }
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def story_layers(story: Story) -> tuple[str, ...]:
    """Every layer some step shows, in drawing order."""
    used = {layer for step in story.steps for layer in step.layers}
    return tuple(layer for layer in LAYERS if layer in used)


LESSON_CSS = """
html, body { overflow: hidden; }
.folium-map { position: fixed !important; top: 0 !important; bottom: 0 !important;
  left: 0 !important; right: 0 !important; width: auto !important; height: auto !important; }
body.mapapp-lesson .folium-map { left: min(36vw, 560px) !important; }
.mapapp-lesson-panel { position: fixed; top: 0; bottom: 0; left: 0; width: min(36vw, 560px);
  box-sizing: border-box; display: flex; flex-direction: column; padding: 24px 28px;
  background: #fbfaf7; color: #151515; border-right: 1px solid #ccc; overflow-y: auto;
  font: 22px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; z-index: 1000; }
.mapapp-lesson-panel .lesson-story { font-size: 15px; color: #555; margin: 0 0 10px;
  text-transform: uppercase; letter-spacing: .04em; }
.mapapp-lesson-panel .lesson-counter { font-size: 17px; color: #444; font-weight: 600; margin: 0 0 6px; }
.mapapp-lesson-panel h1 { font-size: 32px; line-height: 1.2; margin: 0 0 14px; }
.mapapp-lesson-panel .lesson-text { margin: 0 0 18px; white-space: pre-line; }
.mapapp-lesson-panel .lesson-question { margin: 0 0 18px; padding: 12px 16px; background: #fff3c4;
  border-left: 6px solid #e0a800; border-radius: 4px; white-space: pre-line; }
.mapapp-lesson-panel .lesson-question[hidden] { display: none; }
.mapapp-lesson-panel .lesson-question::before { content: "Question: "; font-weight: 700; }
.mapapp-lesson-panel nav { margin-top: auto; display: flex; gap: 12px; padding-top: 12px; }
.mapapp-lesson-panel button { font: inherit; font-size: 20px; font-weight: 600; padding: 10px 20px;
  border-radius: 6px; border: 2px solid #1f4e8c; background: #1f4e8c; color: #fff; cursor: pointer; }
.mapapp-lesson-panel button.lesson-prev { background: #fff; color: #1f4e8c; }
.mapapp-lesson-panel button:disabled { opacity: .35; cursor: default; }
.mapapp-lesson-panel button:focus-visible { outline: 4px solid #e0a800; outline-offset: 2px; }
.mapapp-lesson-panel .lesson-keys { font-size: 14px; color: #666; margin-top: 8px; }
.mapapp-lesson-print { display: none; }
/* Highlighted features: a thick halo that shows on any basemap. */
path.mapapp-highlight { stroke-width: 6px !important; stroke-opacity: 1 !important;
  filter: drop-shadow(0 0 2px #ffb400) drop-shadow(0 0 5px #ffb400) drop-shadow(0 0 9px rgba(255, 160, 0, .9)); }
.mapapp-marker.mapapp-highlight { z-index: 10000 !important; }
.mapapp-marker.mapapp-highlight svg { border-radius: 50%;
  box-shadow: 0 0 0 4px #ffb400, 0 0 14px 6px rgba(255, 160, 0, .85); transform: scale(1.5); }
@media (max-width: 800px) {
  body.mapapp-lesson .folium-map { left: 0 !important; top: 50vh !important; }
  .mapapp-lesson-panel { width: 100%; bottom: 50vh; border-right: none; font-size: 18px; padding: 14px 16px; }
  .mapapp-lesson-panel h1 { font-size: 24px; }
}
@media print {
  html, body { overflow: visible; height: auto; }
  .folium-map, .mapapp-lesson-panel { display: none !important; }
  .mapapp-lesson-print { display: block; font: 13pt/1.5 Georgia, "Times New Roman", serif; color: #000; }
  .mapapp-lesson-print section { page-break-after: always; break-after: page; padding: 0 1cm; }
  .mapapp-lesson-print section:last-child { page-break-after: auto; break-after: auto; }
  .mapapp-lesson-print .lesson-story { font-size: 10pt; color: #444; text-transform: uppercase; }
  .mapapp-lesson-print h2 { font-size: 20pt; margin: 4pt 0 10pt; }
  .mapapp-lesson-print .lesson-question { border: 1.5pt solid #000; padding: 8pt 10pt; margin-top: 14pt; }
  .mapapp-lesson-print .lesson-question::before { content: "Question: "; font-weight: 700; }
  .mapapp-lesson-print .lesson-answer { border-bottom: 1pt solid #999; height: 24pt; }
}
"""

PANEL_HTML = """
<aside class="mapapp-lesson-panel" aria-label="Lesson">
  <p class="lesson-story"></p>
  <p class="lesson-counter" aria-live="polite"></p>
  <h1 class="lesson-title"></h1>
  <p class="lesson-text"></p>
  <p class="lesson-question"></p>
  <nav aria-label="Steps">
    <button type="button" class="lesson-prev">&larr; Previous</button>
    <button type="button" class="lesson-next">Next &rarr;</button>
  </nav>
  <p class="lesson-keys">Keys: &larr; &rarr;, Page Up/Down, Home, End</p>
</aside>
<div class="mapapp-lesson-print"></div>
"""


class Lesson(MacroElement):
    """The step panel's behaviour, bound to the map and its layer groups."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var story = {{ this.story_json }};
            var groups = {
                {%- for layer, name in this.groups.items() %}
                {{ layer|tojson }}: {{ name }}{{ "," if not loop.last }}
                {%- endfor %}
            };
            var panel = document.querySelector('.mapapp-lesson-panel');
            var $ = function (sel) { return panel.querySelector(sel); };
            var steps = story.steps, current = -1, highlighted = [];
            document.body.classList.add('mapapp-lesson');
            map.keyboard.disable();  // the arrow keys step through the lesson
            map.invalidateSize({pan: false});
            // The legend stays one click away; open, it would cover the steps' places.
            document.querySelectorAll('.mapapp-legend details').forEach(function (d) { d.open = false; });
            $('.lesson-story').textContent = story.title;
            document.title = story.title;

            function eachFeatureLayer(fn) {
                Object.keys(groups).forEach(function (layer) {
                    groups[layer].eachLayer(function (geojson) {
                        if (geojson.eachLayer) { geojson.eachLayer(fn); }
                    });
                });
            }
            function nameHighlightedPlaces(step) {
                // Students must see which ring is which: highlighted points keep
                // their name on show (a permanent copy of their tooltip).
                eachFeatureLayer(function (layer) {
                    var p = (layer.feature && layer.feature.properties) || {};
                    var tip = layer.getTooltip && layer.getTooltip();
                    if (p.kind !== 'point' || !tip) { return; }
                    var wanted = step.highlight.indexOf(p.id) >= 0;
                    if (wanted !== !!tip.options.permanent) {
                        var content = tip.getContent(), options = L.extend({}, tip.options,
                                                                          {permanent: wanted});
                        layer.unbindTooltip();
                        layer.bindTooltip(content, options);
                        if (wanted && map.hasLayer(layer)) { layer.openTooltip(); }
                    }
                });
            }
            function applyHighlight() {
                var step = steps[current];
                document.querySelectorAll('.mapapp-highlight').forEach(function (el) {
                    el.classList.remove('mapapp-highlight');
                });
                step.classes.forEach(function (cls) {
                    document.querySelectorAll('.' + cls).forEach(function (el) {
                        el.classList.add('mapapp-highlight');
                    });
                });
                nameHighlightedPlaces(step);
            }
            function showLayers(step) {
                Object.keys(groups).forEach(function (layer) {
                    var on = step.layers.indexOf(layer) >= 0;
                    if (on && !map.hasLayer(groups[layer])) { map.addLayer(groups[layer]); }
                    if (!on && map.hasLayer(groups[layer])) { map.removeLayer(groups[layer]); }
                });
            }
            function frame(step, animate) {
                var b = L.latLngBounds(step.bounds);
                lesson.moving = true;
                if (animate) {
                    map.flyToBounds(b, {duration: 1.2});
                } else {
                    map.fitBounds(b, {animate: false});
                    lesson.moving = false;
                }
            }
            function go(index, animate) {
                index = Math.max(0, Math.min(steps.length - 1, index));
                if (index === current) { return; }
                current = index;
                lesson.step = index + 1;
                var step = steps[index];
                $('.lesson-counter').textContent = 'Step ' + (index + 1) + ' of ' + steps.length;
                $('.lesson-title').textContent = step.title;
                $('.lesson-text').textContent = step.text;
                $('.lesson-question').textContent = step.question;
                $('.lesson-question').hidden = !step.question;
                $('.lesson-prev').disabled = index === 0;
                $('.lesson-next').disabled = index === steps.length - 1;
                showLayers(step);
                applyHighlight();
                frame(step, animate !== false);
                var hash = '#step-' + (index + 1);
                if (location.hash !== hash) { history.replaceState(null, '', hash); }
            }
            function fromHash() {
                var m = /^#step-(\\d+)$/.exec(location.hash);
                return m ? parseInt(m[1], 10) - 1 : 0;
            }
            var lesson = window.mapappLesson = {
                map: map, story: story, groups: groups, step: 0, moving: false,
                go: function (n) { go(n - 1); }
            };
            map.on('moveend', function () { lesson.moving = false; });
            map.on('overlayadd', function () { if (current >= 0) { applyHighlight(); } });
            // Keep the step framed when the page is resized.
            if (window.ResizeObserver) {
                new ResizeObserver(function () {
                    if (current >= 0 && !lesson.moving) {
                        map.invalidateSize({pan: false});
                        map.fitBounds(L.latLngBounds(steps[current].bounds), {animate: false});
                    }
                }).observe(map.getContainer());
            }
            $('.lesson-prev').addEventListener('click', function () { go(current - 1); });
            $('.lesson-next').addEventListener('click', function () { go(current + 1); });
            document.addEventListener('keydown', function (e) {
                if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) { return; }
                var t = e.target;
                if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
                var to = {ArrowRight: current + 1, PageDown: current + 1,
                          ArrowLeft: current - 1, PageUp: current - 1,
                          Home: 0, End: steps.length - 1}[e.key];
                if (to === undefined) { return; }
                e.preventDefault();
                go(to);
            });
            window.addEventListener('hashchange', function () { go(fromHash()); });

            // The printed handout: every step on its own page.
            var print = document.querySelector('.mapapp-lesson-print');
            steps.forEach(function (step, i) {
                var section = document.createElement('section');
                var add = function (tag, cls, text) {
                    var el = document.createElement(tag);
                    if (cls) { el.className = cls; }
                    el.textContent = text;
                    section.appendChild(el);
                    return el;
                };
                add('p', 'lesson-story', story.title + ' \u2014 step ' + (i + 1) + ' of ' + steps.length);
                add('h2', '', step.title);
                add('p', 'lesson-text', step.text);
                if (step.question) {
                    add('p', 'lesson-question', step.question);
                    for (var k = 0; k < 4; k++) { add('div', 'lesson-answer', ''); }
                }
                print.appendChild(section);
            });
            go(fromHash(), false);
        })();
        {% endmacro %}
    """)

    def __init__(self, story: Story, groups: dict[str, str]):
        super().__init__()
        self._name = "Lesson"
        self.story_json = story_json(story)
        self.groups = groups


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
    groups = {labels[child.layer_name]: child.get_name() for child in m._children.values()
              if isinstance(child, folium.FeatureGroup) and child.layer_name in labels}
    root = m.get_root()
    root.title = html.escape(story.title)
    root.header.add_child(Element(f"<style>{LESSON_CSS}</style>"), name="mapapp_lesson_css")
    root.html.add_child(Element(PANEL_HTML), name="mapapp_lesson_panel")
    Lesson(story, groups).add_to(m)
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
    return write_output(path, render_bundle(report_map, story))
