"""The interactive web map: a ``folium.Map`` built from a ``ReportMap``.

One ``FeatureGroup`` per layer (named as in ``LAYER_LABELS``, switchable in
the layer control), each holding one GeoJSON layer.  folium builds the map,
its panes, tiles and controls; everything drawn from data goes through
:class:`mapapp.web.elements.PageCall`: the features as one JSON payload per
layer (plain text, no markup), turned into markers, tooltips and popups by
``mapapp/web/assets/mapapp.js`` with ``textContent``.  A legend lists only
what is shown, with the same symbols.  In offline mode the page loads
nothing but Leaflet, the full-screen plugin and mapapp's own script and
stylesheet, from ``asset_base`` (Streamlit static serving) or inlined into
the page.

Every drawn element has CSS classes ``mapapp-f-<id> mapapp-layer-<layer>``
(and type/status, see :func:`mapapp.styles.feature_classes`), so browser
tests can find them.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import folium
import xyzservices.providers as xyz
from folium.plugins import Fullscreen

from mapapp import styles
from mapapp.errors import OptionError
from mapapp.files import write_output
from mapapp.geo import basemap as ne
from mapapp.geo import physical
from mapapp.model import LAYER_LABELS, LAYER_TYPES, LAYERS, STATUS_LABELS, STATUSES, ReportMap
from mapapp.model.describe import type_label
from mapapp.model.events import EVENT_TYPES
from mapapp.view import BASEMAPS, INITIAL_BOUNDS
from mapapp.web import resources as assets
from mapapp.web.elements import PageCall, RawElement
from mapapp.web.events import events_payload, filter_spec, layer_options
from mapapp.web.layers import layer_collections

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

INITIAL_CENTER: tuple[float, float] = (48.5, 31.5)

# Map panes: the Natural Earth basemap under the tiles (so it shows only
# where tiles are missing), then areas < lines < other paths; markers stay
# in Leaflet's markerPane (600) above all paths.
BASEMAP_PANE = ("mapapp-basemap", 150)
LABEL_PANE = ("mapapp-basemap-labels", 160)
LAYER_PANES: dict[str, tuple[str, int]] = {
    layer: (f"mapapp-pane-{layer}", 410 + 10 * i) for i, layer in enumerate(LAYERS)
}


def _guard(text: str, tag: str) -> str:
    # Only "</script" / "</style" could end the element early; "<\/" means
    # the same inside JS strings and CSS.
    return re.sub(rf"</(?={tag})", r"<\\/", text, flags=re.IGNORECASE)


def _inline_html(js: list[tuple[str, str]], css: list[tuple[str, str]]) -> str:
    """``<style>`` and ``<script>`` elements holding our files' contents."""
    parts = [f"<style>/* {name} */\n{_guard(text, 'style')}</style>" for name, text in css]
    parts += [f"<script>/* {name} */\n{_guard(text, 'script')}</script>" for name, text in js]
    return "\n".join(parts)


# On a smaller map (width, height in px) the legend starts closed.
LEGEND_OPEN_MIN = (760, 700)


def legend_spec(collections: dict[str, dict[str, Any]], *, front_line_as_of: str = "",
                event_types: Iterable[str] = ()) -> dict[str, Any]:
    """The legend for what is drawn, as data for ``mapapp.legend``: one
    section per shown layer, one row per shown type (same symbols as the
    map), the types of imported events, then the shown statuses;
    ``symbols`` holds the swatch markup."""
    sections: list[dict[str, Any]] = []
    symbols: dict[str, str] = {}
    event_rows = []
    for type_ in (t for t in EVENT_TYPES if t in set(event_types)):
        symbols[f"event/{type_}"] = styles.event_swatch_svg(type_)
        event_rows.append({"cls": f"mapapp-legend-event-{type_}", "symbol": f"event/{type_}",
                           "label": EVENT_TYPES[type_]})
    if event_rows:
        sections.append({"layer": "events", "title": "Event sets", "rows": event_rows})
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
            symbol = f"legend/{kind}/{type_}"
            symbols[symbol] = styles.legend_swatch_svg(kind, type_)
            rows.append({"cls": f"mapapp-legend-type-{styles.css_token(type_)}", "symbol": symbol,
                         "label": type_label(type_)})
        sections.append({"layer": layer, "title": LAYER_LABELS[layer], "rows": rows})
    shown = [s for s in STATUSES if s in statuses]
    status_rows = []
    for status in shown:
        symbol = f"status/{status}"
        symbols[symbol] = styles.status_swatch_svg(status)
        status_rows.append({"cls": f"mapapp-legend-status-{status}", "symbol": symbol,
                            "label": status.capitalize(), "title": STATUS_LABELS[status]})
    note = ""
    if collections.get("front_lines") or collections.get("control_areas"):
        when = f", as of {front_line_as_of}" if front_line_as_of else ""
        note = f"Lines and areas are approximate{when}."
    return {"position": "bottomleft", "sections": sections, "statuses": status_rows,
            "note": note, "symbols": symbols, "open_min": list(LEGEND_OPEN_MIN)}


def _set_assets(m: folium.Map, fullscreen: Fullscreen, *, offline: bool, inline: bool, asset_base: str) -> None:
    """Replace folium's CDN list (Leaflet, jQuery, Bootstrap, awesome
    markers, Font Awesome) by Leaflet + full screen + mapapp's own script
    and stylesheet, from the chosen place."""
    header = m.get_root().header
    if inline:
        js: list[tuple[str, str]] = []
        css: list[tuple[str, str]] = []
        header.add_child(RawElement(_inline_html(*assets.offline_resources(inline=True))),
                         name="mapapp_assets")
    elif offline:
        js, css = assets.offline_resources(asset_base)
    else:
        js, css = assets.online_resources()
        # No CDN has our files: an online page carries them inline.
        header.add_child(RawElement(_inline_html(*assets.own_resources())), name="mapapp_assets")
    # Instance attributes: folium's class-level lists stay untouched for
    # any other map in the process.
    m.default_js = [item for item in js if item[0] in (assets.LEAFLET_JS, assets.MAPAPP_JS)]
    m.default_css = [item for item in css if item[0] in (assets.LEAFLET_CSS, assets.MAPAPP_CSS)]
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


# Credit for the offline basemap's sources (our own words and links).
ATTRIBUTION = ('<a href="https://www.naturalearthdata.com/">Natural Earth</a>; rivers: '
               '<a href="https://www.soest.hawaii.edu/pwessel/gshhg/">GSHHG</a> (WDB II)')


def labels_payload(report_map: ReportMap, drawn: set[str] | None = None) -> dict:
    """Every name the map may write, countries included, as one GeoJSON
    FeatureCollection; the page places them by zoom and rank, never over
    each other or the report's markers.  Only the report's features in
    ``drawn`` (ids; all when None) are named: a filtered-out one is not on
    the page at all."""
    # A country's name may also go anywhere inside it: zoomed in on a border,
    # both sides stay named.
    anchors = physical.country_anchors()
    countries = []
    for f in ne.country_labels()["features"]:
        lon, lat = f["geometry"]["coordinates"]
        # The spots nearest the country's own label point are tried first;
        # the report's places and seas are named before it (rank), as it may
        # now go anywhere inside.
        spots = sorted(anchors.get(f["properties"]["name"], []),
                       key=lambda a: (a[0] - lon) ** 2 + (a[1] - lat) ** 2)
        countries.append(dict(f, properties={**f["properties"], "kind": "country", "rank": 3,
                                             "minzoom": 0, "angle": 0, "anchors": spots}))
    shown = report_map
    if drawn is not None:
        shown = replace(report_map, features=tuple(
            f for f in report_map.features if f.id in drawn))
    # The regions the report is about stay first whichever layers are drawn.
    named = physical.labels_geojson(shown, about=report_map)
    return {"type": "FeatureCollection", "features": countries + named["features"]}


def _add_basemaps(m: folium.Map, basemap: str, carto_api_key: str | None,
                  map_labels: dict) -> None:
    folium.map.CustomPane(BASEMAP_PANE[0], z_index=BASEMAP_PANE[1], pointer_events=False).add_to(m)
    vector_only = basemap == "offline"
    # Under tiles the Natural Earth layer can be switched off in the layer control.
    land = folium.FeatureGroup(name=OFFLINE_BASEMAP_NAME, overlay=True, control=not vector_only,
                               show=True)
    # Land with no cut-off edge, lakes, rivers, Ukraine's regions, borders.
    PageCall("basemap", {
        "data": physical.basemap_geojson(), "pane": BASEMAP_PANE[0],
        "attribution": ATTRIBUTION, "styles": styles.BASEMAP_STYLES,
    }).add_to(land)
    land.add_to(m)
    folium.map.CustomPane(LABEL_PANE[0], z_index=LABEL_PANE[1], pointer_events=False).add_to(m)
    PageCall("labels", {"data": map_labels, "pane": LABEL_PANE[0]}).add_to(m)
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
    at: tuple[float, float, float] | None = None,
    fit: bool = True,
    events: Any = None,
    events_url: str | None = None,
    event_filter: Any = None,
    event_types: Iterable[str] = (),
    details_note: str = "",
) -> folium.Map:
    """The web map for ``report_map``, filtered by layer, type and status.

    ``basemap``: ``"offline"`` (Natural Earth vector land and borders only)
    or a tile layer ``"light"``, ``"osm"``, ``"satellite"``; the Natural
    Earth layer is always drawn underneath, so the map keeps its borders
    when tiles cannot load.  ``offline`` decides where Leaflet and the
    plugin come from: ``asset_base`` URLs (see
    :func:`mapapp.web.resources.install_static`), or inlined into the page with
    ``inline_assets=True``; ``offline=False`` uses jsDelivr.  Tiles are the
    only outside requests an offline map can make, and only when a tile
    basemap is chosen.  ``"light"`` is CARTO Positron when
    ``carto_api_key`` is given, else Esri World Gray Canvas (no key).
    ``selected`` is a feature id (or several) to highlight.  ``bounds`` is
    the view the page opens on, ``((south, west), (north, east))``; with
    ``fly_from`` the page opens there and then glides to ``bounds`` (a
    lesson moving from one step to the next).  ``fit=False`` leaves the
    view to the page's own script (the offline lesson frames each step).
    ``at``, ``(lat, lon, zoom)`` from a shared link, opens the page there
    instead of on ``bounds``.
    ``events`` (an event table) is drawn on a canvas above the report's
    layers, carried in the page, or fetched from ``events_url`` where the
    app serves the same payload (:mod:`mapapp.web.events`); ``event_filter``
    is the first filter the page applies to them; ``event_types`` are the
    types the legend lists for events fetched from ``events_url``.
    ``details_note``, for a page with a details panel of its own (the app),
    replaces the popups' folded "More" by a pointer to that panel.
    """
    if basemap not in BASEMAPS:
        raise OptionError(f"unknown basemap {basemap!r} (choose from {', '.join(BASEMAPS)})")
    collections = layer_collections(report_map, layers=layers, types=types, statuses=statuses,
                                    selected=selected)

    m = folium.Map(location=list(at[:2] if at else INITIAL_CENTER), zoom_start=at[2] if at else 6,
                   tiles=None, control_scale=True,
                   width="100%", height=height, zoom_snap=0.25, prefer_canvas=False)
    # The page title is HTML text: escaped once, here.
    m.get_root().title = html.escape(f"Map: {report_map.report.headline}"
                                     if report_map.report.headline else "Map")
    fullscreen = Fullscreen(position="topleft", title="Full screen", title_cancel="Exit full screen",
                            force_separate_button=True)
    _set_assets(m, fullscreen, offline=offline, inline=inline_assets, asset_base=asset_base)
    PageCall("setup", {"bounds": [list(corner) for corner in bounds], "fly": fly_from is not None,
                       "at": list(at) if at else None,
                       "refit": fit, "defs": styles.svg_defs(), "vars": styles.css_vars()}).add_to(m)

    drawn = {f["properties"]["id"] for collection in collections.values()
             for f in collection["features"]}
    _add_basemaps(m, basemap, carto_api_key, labels_payload(report_map, drawn))

    for layer, collection in collections.items():
        pane, z = LAYER_PANES[layer]
        folium.map.CustomPane(pane, z_index=z, pointer_events=True).add_to(m)
        group = folium.FeatureGroup(name=LAYER_LABELS[layer], overlay=True, control=True, show=True)
        used = {f["properties"]["symbol"] for f in collection["features"] if "symbol" in f["properties"]}
        PageCall("features", {"data": collection, "pane": pane, "details_note": details_note,
                              "symbols": {key: styles.marker_icon(key) for key in sorted(used)}}
                 ).add_to(group)
        group.add_to(m)

    if events is not None or events_url is not None:
        PageCall("events", layer_options(
            data=None if events is None else events_payload(events), url=events_url,
            wanted=event_filter)).add_to(m)

    folium.LayerControl(position="topright", collapsed=False).add_to(m)
    fullscreen.add_to(m)
    shown_types = set(event_types) if events is None else set(events["type"].astype(str))
    PageCall("legend", legend_spec(collections, front_line_as_of=report_map.front_line_as_of,
                                   event_types=shown_types)).add_to(m)
    if fit and not at:
        start = fly_from or bounds
        m.fit_bounds([list(start[0]), list(start[1])])
    return m


def event_filter_group(wanted: Any) -> folium.FeatureGroup:
    """A group whose only content tells the page's events which to show.

    For streamlit-folium's ``feature_group_to_add``: it runs in the page
    already drawn, so a new filter or date range redraws the events there
    without the map being built or sent again.
    """
    group = folium.FeatureGroup(name="Event filter", control=False)
    PageCall("filterEvents", filter_spec(wanted)).add_to(group)
    return group


def selection_group(feature_id: str) -> folium.FeatureGroup:
    """A group that highlights ``feature_id`` in a map already drawn ("" for
    none) and brings it into view when it is a new choice.

    For streamlit-folium's ``feature_group_to_add``, like
    :func:`event_filter_group`: choosing a feature beside the map, in the
    table or in a link marks it without the map being built or sent again.
    """
    group = folium.FeatureGroup(name="Selection", control=False)
    PageCall("select", {"id": feature_id}).add_to(group)
    return group


def render_html(m: folium.Map) -> str:
    """The whole page as one HTML string (the same on every call).

    folium re-adds each layer's ``addTo`` call to the page script with a
    fresh name on every render; all of that script is regenerated during
    rendering, so it is cleared first.
    """
    root = m.get_root()
    root.script._children.clear()
    return root.render()


def save_html(m: folium.Map, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the page to ``path`` atomically (see :func:`mapapp.files.write_output`):
    an existing file only with ``overwrite``, never into a missing folder."""
    return write_output(path, render_html(m), overwrite=overwrite)
