"""The interactive web map: a ``folium.Map`` built from a ``ReportMap``.

One ``FeatureGroup`` per layer (named as in ``LAYER_LABELS``, switchable in
the layer control), each holding one GeoJSON layer whose features bring
their own symbol, tooltip and popup (see :mod:`mapapp.layers`).  A legend
lists only what is shown, with the same symbols.  In offline mode the page
loads nothing but Leaflet, the full-screen plugin and inline CSS, from
``asset_base`` (Streamlit static serving) or inlined into the page.

Every drawn element has CSS classes ``mapapp-f-<id> mapapp-layer-<layer>``
(and type/status, see :func:`mapapp.styles.feature_classes`), so browser
tests can find them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import folium
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen
from folium.template import Template
from folium.utilities import JsCode

from mapapp import assets, basemap as ne, styles
from mapapp.errors import OptionError
from mapapp.files import write_output
from mapapp.layers import esc, layer_collections, type_label
from mapapp.model import LAYER_LABELS, LAYER_TYPES, LAYERS, STATUS_LABELS, STATUSES, ReportMap

# Basemap ids and what the reader is told about each.
BASEMAPS: dict[str, str] = {
    "offline": "Offline: Natural Earth borders (no network)",
    "light": "Light grey (web tiles)",
    "osm": "OpenStreetMap (web tiles)",
    "satellite": "Satellite, Esri (web tiles)",
}

# Web tile layers: xyzservices provider and the name in the layer control.
# CARTO's tiles need an API key since xyzservices 2025; without one,
# "light" uses Esri's keyless light-grey canvas instead.
TILE_BASEMAPS: dict[str, tuple[Any, str]] = {
    "light": (xyz.CartoDB.Positron, "Light (CARTO Positron)"),
    "osm": (xyz.OpenStreetMap.Mapnik, "OpenStreetMap"),
    "satellite": (xyz.Esri.WorldImagery, "Satellite (Esri World Imagery)"),
}
LIGHT_WITHOUT_KEY: tuple[Any, str] = (xyz.Esri.WorldGrayCanvas, "Light (Esri World Gray Canvas)")
OFFLINE_BASEMAP_NAME = "Offline basemap (Natural Earth)"

# Initial view, (south, west), (north, east): all of Ukraine plus
# Przewodów on the Polish border.
INITIAL_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((44.0, 22.0), (53.0, 41.0))
INITIAL_CENTER: tuple[float, float] = (48.5, 31.5)

# Map panes: the Natural Earth basemap under the tiles (so it shows only
# where tiles are missing), then areas < lines < other paths; markers stay
# in Leaflet's markerPane (600) above all paths.
BASEMAP_PANE = ("mapapp-basemap", 150)
LABEL_PANE = ("mapapp-basemap-labels", 160)
LAYER_PANES: dict[str, tuple[str, int]] = {
    layer: (f"mapapp-pane-{layer}", 410 + 10 * i) for i, layer in enumerate(LAYERS)
}

_ON_EACH_FEATURE = JsCode("""function (feature, layer) {
    var p = feature.properties || {};
    if (p.tooltip_html) {
        // A highlighted place keeps its name on show (a lesson step points at it).
        var named = !!p.selected && p.kind === 'point';
        layer.bindTooltip(p.tooltip_html, {className: 'mapapp-tooltip', direction: 'top',
                                           sticky: p.kind !== 'point', permanent: named});
    }
    if (p.popup_html) {
        layer.bindPopup(p.popup_html, {className: 'mapapp-popup', maxWidth: 360, minWidth: 220,
                                       autoPanPadding: [24, 24]});
    }
}""")

_POINT_TO_LAYER = JsCode("""function (feature, latlng) {
    var i = feature.properties.icon;
    return L.marker(latlng, {
        icon: L.divIcon({html: i.html, className: i.className, iconSize: i.iconSize,
                         iconAnchor: i.iconAnchor, tooltipAnchor: i.tooltipAnchor,
                         popupAnchor: i.popupAnchor}),
        zIndexOffset: i.zIndexOffset || 0, keyboard: true, riseOnHover: true
    });
}""")

_LABEL_TO_LAYER = JsCode("""function (feature, latlng) {
    return L.marker(latlng, {
        icon: L.divIcon({html: feature.properties.label_html, className: 'mapapp-country-label',
                         iconSize: null}),
        interactive: false, keyboard: false, pane: %s
    });
}""" % json.dumps(LABEL_PANE[0]))

_STYLE = JsCode("function (feature) { return (feature.properties && feature.properties.style) || {}; }")


class _RawHeader(Element):
    """Header content emitted verbatim (never parsed as a Jinja template:
    Leaflet's source could contain ``{{``)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawHeader"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _guard(text: str, tag: str) -> str:
    # Only "</script" / "</style" could end the element early; "<\/" means
    # the same inside JS strings and CSS.
    return re.sub(rf"</(?={tag})", r"<\\/", text, flags=re.IGNORECASE)


def _inline_assets_html() -> str:
    js, css = assets.offline_resources(inline=True)
    parts = [f"<style>/* {name} */\n{_guard(text, 'style')}</style>" for name, text in css]
    parts += [f"<script>/* {name} */\n{_guard(text, 'script')}</script>" for name, text in js]
    return "\n".join(parts)


class MapSetup(MacroElement):
    """Marks the map container, adds the SVG fill patterns once, and keeps
    the view right when the container changes size.

    Inside Streamlit the map's iframe is laid out after Leaflet starts, so
    the first fit is made for the wrong size and the SVG renderer clips
    vectors (the basemap) to that first, smaller box.  On every resize the
    map re-measures itself, redraws its vectors, and re-fits the initial
    view until the reader has moved the map themselves.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var container = map.getContainer();
            container.classList.add('mapapp-map');
            if (!document.getElementById('mapapp-svg-defs')) {
                document.body.insertAdjacentHTML('beforeend', {{ this.defs|tojson }});
            }
            var bounds = {{ this.bounds|tojson }};
            var touched = false;
            ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
                container.addEventListener(name, function () { touched = true; },
                                           {passive: true});
            });
            var flown = !{{ this.fly|tojson }};
            var refit = function () {
                map.invalidateSize({pan: false});
                if (!touched && {{ this.refit|tojson }}) {
                    if (flown) {
                        map.fitBounds(bounds);
                    } else {
                        // Once the frame has its size: glide from the previous view.
                        flown = true;
                        setTimeout(function () { map.flyToBounds(bounds, {duration: 1.2}); }, 150);
                    }
                }
                map.fire('moveend');  // renderers recompute their clip box
            };
            if (window.ResizeObserver) {
                new ResizeObserver(refit).observe(container);
            } else {
                window.addEventListener('resize', refit);
            }
        })();
        {% endmacro %}
    """)

    def __init__(self, bounds, *, fly: bool = False, refit: bool = True):
        super().__init__()
        self._name = "MapSetup"
        self.defs = styles.svg_defs()
        self.bounds = [list(corner) for corner in bounds]
        self.fly = fly
        self.refit = refit


class Legend(MacroElement):
    """A Leaflet control (bottom left, over the Black Sea and Romania
    rather than the Donbas) showing ``html``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'mapapp-legend leaflet-control');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                var size = {{ this._parent.get_name() }}.getSize();
                if (size.y < {{ this.open_min_height|tojson }} || size.x < {{ this.open_min_width|tojson }}) {
                    div.querySelector('details').open = false;
                }
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position
        # On a smaller map the open legend would hide the west of Ukraine
        # (Lviv, Przewodów): it starts closed there, one click opens it.
        self.open_min_height = 700
        self.open_min_width = 760


def legend_html(collections: dict[str, dict[str, Any]], *, front_line_as_of: str = "") -> str:
    """Legend for what is drawn: one section per shown layer, one row per
    shown type (same symbols as the map), then the shown statuses."""
    sections = ['<details open><summary>Legend</summary>']
    statuses: set[str] = set()
    for layer in LAYERS:
        coll = collections.get(layer)
        if not coll:
            continue
        seen: list[tuple[str, str]] = []
        for feat in coll["features"]:
            p = feat["properties"]
            statuses.add(p["status"])
            key = (p["kind"], p["type"])
            if key not in seen:
                seen.append(key)
        order = {t: i for i, t in enumerate(LAYER_TYPES.get(layer, ()))}
        seen.sort(key=lambda k: (order.get(k[1], 99), k[0]))
        rows = []
        for kind, type_ in seen:
            swatch = styles.legend_swatch_svg(kind, type_)
            label = type_label(type_)
            rows.append(f'<li class="mapapp-legend-type-{styles.css_token(type_)}">'
                        f'<span class="mapapp-sym">{swatch}</span>{esc(label)}</li>')
        sections.append(f'<div class="mapapp-legend-layer mapapp-legend-layer-{layer}">'
                        f'<h6>{esc(LAYER_LABELS[layer])}</h6><ul class="mapapp-legend-grid">{"".join(rows)}</ul></div>')
    shown = [s for s in STATUSES if s in statuses]
    if shown:
        rows = [f'<li class="mapapp-legend-status-{s}" title="{esc(STATUS_LABELS[s])}">'
                f'{styles.status_swatch_svg(s)}{esc(s.capitalize())}</li>' for s in shown]
        sections.append(f'<div class="mapapp-legend-statuses"><h6>Status (marker outline and fill)</h6>'
                        f'<ul class="mapapp-legend-grid">{"".join(rows)}</ul></div>')
    if collections.get("front_lines") or collections.get("control_areas"):
        when = f", as of {esc(front_line_as_of)}" if front_line_as_of else ""
        sections.append(f'<div class="mapapp-note">Lines and areas are approximate{when}.</div>')
    sections.append("</details>")
    return "".join(sections)


def _set_assets(m: folium.Map, fullscreen: Fullscreen, *, offline: bool, inline: bool, asset_base: str) -> None:
    """Replace folium's CDN list (Leaflet, jQuery, Bootstrap, awesome
    markers, Font Awesome) by Leaflet + full screen from the chosen place."""
    if inline:
        js: list[tuple[str, str]] = []
        css: list[tuple[str, str]] = []
        m.get_root().header.add_child(_RawHeader(_inline_assets_html()), name="mapapp_assets")
    elif offline:
        js, css = assets.offline_resources(asset_base)
    else:
        js, css = assets.online_resources()
    # Instance attributes: folium's class-level lists stay untouched for
    # any other map in the process.
    m.default_js = [item for item in js if item[0] == assets.LEAFLET_JS]
    m.default_css = [item for item in css if item[0] == assets.LEAFLET_CSS]
    fullscreen.default_js = [item for item in js if item[0] == assets.FULLSCREEN_JS]
    fullscreen.default_css = [item for item in css if item[0] == assets.FULLSCREEN_CSS]


def tile_provider(basemap: str, *, carto_api_key: str | None = None) -> tuple[Any, str]:
    """``(xyzservices provider, layer name)`` for a tile basemap."""
    provider, label = TILE_BASEMAPS[basemap]
    if provider.requires_token():
        if basemap == "light" and not carto_api_key:
            return LIGHT_WITHOUT_KEY
        provider = provider(apikey=carto_api_key)
    return provider, label


def _add_basemaps(m: folium.Map, basemap: str, carto_api_key: str | None) -> None:
    folium.map.CustomPane(BASEMAP_PANE[0], z_index=BASEMAP_PANE[1], pointer_events=False).add_to(m)
    vector_only = basemap == "offline"
    folium.GeoJson(
        ne.land_geojson(),
        name=OFFLINE_BASEMAP_NAME,
        overlay=True,
        control=not vector_only,
        style={"color": styles.LAND_BORDER, "weight": 0.8, "opacity": 1, "fillColor": styles.LAND,
               "fillOpacity": 1, "className": "mapapp-basemap"},
        interactive=False,
        pane=BASEMAP_PANE[0],
        attribution=ne.ATTRIBUTION,
    ).add_to(m)
    folium.map.CustomPane(LABEL_PANE[0], z_index=LABEL_PANE[1], pointer_events=False).add_to(m)
    labels = ne.country_labels()
    for feat in labels["features"]:
        feat["properties"]["label_html"] = f'<span>{esc(feat["properties"]["name"])}</span>'
    folium.GeoJson(labels, control=False, point_to_layer=_LABEL_TO_LAYER, interactive=False).add_to(m)
    if not vector_only:
        provider, label = tile_provider(basemap, carto_api_key=carto_api_key)
        folium.TileLayer(tiles=provider, name=label, overlay=False, control=True).add_to(m)


def build_map(
    report_map: ReportMap,
    *,
    layers: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    basemap: str = "offline",
    offline: bool = True,
    selected: str | Iterable[str] | None = None,
    asset_base: str = assets.DEFAULT_BASE_URL,
    inline_assets: bool = False,
    height: str | int = "100%",
    carto_api_key: str | None = None,
    bounds: tuple[tuple[float, float], tuple[float, float]] = INITIAL_BOUNDS,
    fly_from: tuple[tuple[float, float], tuple[float, float]] | None = None,
    fit: bool = True,
) -> folium.Map:
    """The web map for ``report_map``, filtered by layer, type and status.

    ``basemap``: ``"offline"`` (Natural Earth vector land and borders only)
    or a tile layer ``"light"``, ``"osm"``, ``"satellite"``; the Natural
    Earth layer is always drawn underneath, so the map keeps its borders
    when tiles cannot load.  ``offline`` decides where Leaflet and the
    plugin come from: ``asset_base`` URLs (see
    :func:`mapapp.assets.install_static`), or inlined into the page with
    ``inline_assets=True``; ``offline=False`` uses jsDelivr.  Tiles are the
    only outside requests an offline map can make, and only when a tile
    basemap is chosen.  ``"light"`` is CARTO Positron when
    ``carto_api_key`` is given, else Esri World Gray Canvas (no key).
    ``selected`` is a feature id (or several) to highlight.  ``bounds`` is
    the view the page opens on, ``((south, west), (north, east))``; with
    ``fly_from`` the page opens there and then glides to ``bounds`` (a
    lesson moving from one step to the next).  ``fit=False`` leaves the
    view to the page's own script (the offline lesson frames each step).
    """
    if basemap not in BASEMAPS:
        raise OptionError(f"unknown basemap {basemap!r} (choose from {', '.join(BASEMAPS)})")
    collections = layer_collections(report_map, layers=layers, types=types, statuses=statuses,
                                    selected=selected)

    m = folium.Map(location=list(INITIAL_CENTER), zoom_start=6, tiles=None, control_scale=True,
                   width="100%", height=height, zoom_snap=0.25, prefer_canvas=False)
    m.get_root().title = esc(f"Map: {report_map.report.headline}" if report_map.report.headline else "Map")
    fullscreen = Fullscreen(position="topleft", title="Full screen", title_cancel="Exit full screen",
                            force_separate_button=True)
    _set_assets(m, fullscreen, offline=offline, inline=inline_assets, asset_base=asset_base)
    m.get_root().header.add_child(_RawHeader(f"<style>{_guard(styles.map_css(), 'style')}</style>"),
                                  name="mapapp_css")
    MapSetup(bounds, fly=fly_from is not None, refit=fit).add_to(m)

    _add_basemaps(m, basemap, carto_api_key)

    for layer, collection in collections.items():
        pane, z = LAYER_PANES[layer]
        folium.map.CustomPane(pane, z_index=z, pointer_events=True).add_to(m)
        group = folium.FeatureGroup(name=LAYER_LABELS[layer], overlay=True, control=True, show=True)
        folium.GeoJson(
            collection,
            control=False,
            on_each_feature=_ON_EACH_FEATURE,
            point_to_layer=_POINT_TO_LAYER,
            style=_STYLE,
            pane=pane,
        ).add_to(group)
        group.add_to(m)

    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    fullscreen.add_to(m)
    Legend(legend_html(collections, front_line_as_of=report_map.front_line_as_of)).add_to(m)
    if fit:
        start = fly_from or bounds
        m.fit_bounds([list(start[0]), list(start[1])])
    return m


def render_html(m: folium.Map) -> str:
    """The whole page as one HTML string (the same on every call).

    folium re-adds each layer's ``addTo`` call to the page script with a
    fresh name on every render; all of that script is regenerated during
    rendering, so it is cleared first.
    """
    root = m.get_root()
    root.script._children.clear()
    return root.render()


def save_html(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the page to ``path`` atomically (temp file + rename)."""
    return write_output(path, render_html(m))
