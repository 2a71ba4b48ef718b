"""mapapp in the browser: a thin Streamlit layer over the ``mapapp`` package.

It reads widgets, asks the core for a map, and shows results.  The view lives
in the URL so a shared link reopens it.  Event sets (:mod:`app.event_sets`),
control maps (:mod:`app.control_maps`) and Present mode (:mod:`app.present`)
have their own modules beside this page.  Text from data or from a link is
shown with :mod:`app.text` (plain text, never Markdown).  Loading the data (geocoding, cutting
the control areas) is cached until a data file changes; the map itself is
assembled fresh each run, which takes milliseconds.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from app import ASSET_BASE, STATIC_DIR, control_maps, event_sets, present, reports, review, text
from mapapp.classroom.story import list_stories
from mapapp.errors import MapAppError
from mapapp.model import ALL_TYPES, LAYER_LABELS, LAYERS, STATUS_LABELS, STATUSES, ReportMap
from mapapp.model.describe import (
    event_rows,
    feature_details,
    feature_rows,
    type_label,
)
from mapapp.sources.collection import event_span, events_version
from mapapp.sources.report_folder import (
    DATA_DIR,
    GEOCACHE_DIR,
    data_version,
    has_report,
    load_report_map,
)
from mapapp.static.export import FORMATS, render_bytes
from mapapp.static.figure import THEMES, default_subtitle, default_title
from mapapp.static.presets import PRESETS, get_preset
from mapapp.store.catalogue import get_source, list_sources
from mapapp.store.query import EventFilter, select
from mapapp.view import (
    BASEMAPS,
    DEFAULT_LAYERS,
    ViewState,
    at_from_leaflet,
    bounds_from_leaflet,
    from_query,
)
from mapapp.web.map import build_map, event_filter_group, selection_group
from mapapp.web.resources import install_static
from mapapp.web.snapshot import content_bounds

# The map's frame before the page's stylesheet sizes it to the window (app.css).
MAP_HEIGHT = 620
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
# The popups' pointer to the panel that shows everything about a feature.
DETAILS_NOTE = "All details: in the panel beside the map (below it on a phone)"
# How an exported image is framed: on what it shows, or on the map's view.
FRAMES = {"fit": "Fit to features", "screen": "As on screen"}
logger = logging.getLogger("mapapp.app")


@st.cache_resource(show_spinner="Loading the report…", max_entries=4)
def get_report_map(data_dir: str, cache_dir: str, version: tuple):
    # ``version`` is only part of the cache key: editing a data file reloads.
    return load_report_map(Path(data_dir), cache_dir=Path(cache_dir))


@st.cache_resource
def prepare_static_files() -> None:
    install_static(STATIC_DIR)


def get_map(report_map, view: ViewState, url: str | None = None, event_types=(), at=None, *,
            frame):
    """A fresh folium map for this run.

    Not cached on purpose: st_folium mutates the Map it is given, and a cached
    Map rendered a second time references layers it no longer defines.  The
    costly parts (loading, geometry, basemap) are cached; assembling the map
    takes milliseconds (see bench/bench_map.py).  The selected feature is
    marked by a small group added to the map already drawn
    (:func:`selection_group`), so a click does not rebuild and re-zoom it;
    for the same reason ``at``, where a link opened the map, stays the same
    for the whole visit.  Without it the map opens on ``frame``.
    """
    return build_map(report_map, **view.feature_filter(), basemap=view.basemap,
                     asset_base=ASSET_BASE, at=at, bounds=frame, details_note=DETAILS_NOTE,
                     carto_api_key=os.environ.get("MAPAPP_CARTO_API_KEY") or None,
                     events_url=url, event_types=event_types)


def init_widgets_from_link(query: dict, feature_ids: set[str],
                           source_names: tuple[str, ...] = (), *, every_set: bool = False,
                           area_names: tuple[str, ...] = ()) -> None:
    """Seed widget state from the URL once per session; later the widgets lead.

    What the link held that we ignored is kept until the reader dismisses
    it: the page rewrites its address at once, so the link itself cannot
    be read again on the next run.
    """
    if st.session_state.get("_seeded"):
        return
    view, notes = from_query(query, feature_ids=feature_ids, source_names=source_names,
                             area_names=area_names)
    st.session_state["_link_notes"] = [*st.session_state.get("_link_notes", []), *notes]
    for layer in LAYERS:
        st.session_state[f"layer_{layer}"] = layer in view.shown_layers
    st.session_state["types"] = list(ALL_TYPES if view.types is None else view.types)
    st.session_state["statuses"] = list(STATUSES if view.statuses is None else view.statuses)
    st.session_state["basemap"] = view.basemap
    st.session_state["selected"] = view.selected or None
    # With no report, a map of no set would be empty: all of them, unless the link chose.
    st.session_state["sources"] = list(view.sources or (source_names if every_set else ()))
    st.session_state["_link_dates"] = (view.start, view.end)
    # Likewise a control map: the first, unless the link chose one.
    st.session_state["areas"] = view.areas or (area_names[0] if every_set and area_names else "")
    st.session_state["_link_map_day"] = view.end  # a control map's day, when no events are shown
    st.session_state["_link_change_from"] = view.start  # ...and the changes drawn since
    st.session_state["_link_at"] = view.at  # where the map opens, for the whole visit
    st.session_state["_seeded"] = True


def dismiss_link_notes() -> None:
    st.session_state["_link_notes"] = []
    st.session_state["_link_error"] = None


def show_link_notes() -> None:
    """What the link got wrong, until the reader dismisses it."""
    error = st.session_state.get("_link_error")
    notes = st.session_state.get("_link_notes") or []
    if not (error or notes):
        return
    with st.container(key="link_notes"):
        if error:
            text.problem(*error, key="story_link")
        if notes:
            text.problem("Parts of the link were not understood and are ignored.",
                         "\n".join(notes), kind="warning", key="link")
        st.button("Dismiss", key="link_notes_dismiss", on_click=dismiss_link_notes)


def sidebar_view(source_names: tuple[str, ...] = (), *, report: bool = True,
                 area_names: tuple[str, ...] = (),
                 drawn_layers: frozenset[str] | None = None) -> tuple[ViewState, object, object]:
    """The view the sidebar's widgets set, a place under the event sets for
    their date range and one under the control map for its date (drawn
    once they are loaded).  Without a ``report``, its layers, filters and
    lesson are left out.  Only ``drawn_layers`` (the layers this data can
    draw; all when None) get a box."""
    sb = st.sidebar
    sources: tuple[str, ...] = ()
    dates_box = None
    if source_names:
        sb.header("Event sets")
        chosen = sb.multiselect("Shown with the report", source_names, key="sources",
                                help="Imported event sets (`python -m mapapp import`); "
                                     "the report's own layers stay below.")
        sources = tuple(n for n in source_names if n in chosen)
        dates_box = sb.container()
    areas, map_box = control_maps.choose(sb, area_names, report=report)
    if not report:
        sb.header("Basemap")
        basemap = sb.radio("Basemap", list(BASEMAPS), key="basemap",
                           format_func=BASEMAPS.get, label_visibility="collapsed")
        return ViewState(basemap=basemap, sources=sources, areas=areas), dates_box, map_box
    sb.header("Layers")
    layers = tuple(layer for layer in LAYERS if layer_box(sb, layer, drawn_layers))
    sb.header("Filters")
    # Twelve types make a tall box: folded away unless a link narrowed them.
    narrowed = len(st.session_state.get("types", ALL_TYPES)) < len(ALL_TYPES)
    with sb.expander("Type", expanded=narrowed):
        types = st.multiselect("Type", ALL_TYPES, key="types", label_visibility="collapsed",
                               format_func=type_label)
    statuses = sb.multiselect("Status", STATUSES, key="statuses",
                              help="How sure each item is: " + "; ".join(
                                  f"{s}: {STATUS_LABELS[s].lower()}" for s in STATUSES))
    sb.header("Basemap")
    basemap = sb.radio("Basemap", list(BASEMAPS), key="basemap",
                       format_func=BASEMAPS.get, label_visibility="collapsed")
    sb.header("Classroom")
    sb.button("Present the lesson", key="present_start", on_click=present.start_presenting,
              help="Step through the report on a projector: big type, ← and → keys")
    sb.caption("Web basemaps need internet; the offline one is bundled. Layers, "
               "filters, the selected feature and where the map looks are kept in the "
               "page address, so a copied link reopens this view.")
    return ViewState(layers=layers, types=tuple(t for t in ALL_TYPES if t in types),
                     statuses=tuple(s for s in STATUSES if s in statuses), basemap=basemap,
                     sources=sources, areas=areas), dates_box, map_box


def layer_box(sb, layer: str, drawn_layers: frozenset[str] | None) -> bool:
    """Whether ``layer`` is on: its box, if this data can draw it.  A layer
    it cannot (a report with no ground fighting) gets no box, so the list
    says what the map holds; its choice is kept for the link and for a map
    that has it (set anew each run, as Streamlit drops the state of a
    widget that was not drawn)."""
    key = f"layer_{layer}"
    if drawn_layers is None or layer in drawn_layers:
        return sb.checkbox(LAYER_LABELS[layer], key=key)
    st.session_state[key] = on = bool(st.session_state.get(key, layer in DEFAULT_LAYERS))
    return on


# The features table: long texts get room (a row's full text is also in
# the details panel once it is clicked).
TABLE_COLUMNS = {
    "Name": st.column_config.TextColumn(width="medium"),
    "Summary": st.column_config.TextColumn(width="large"),
    "Who says so": st.column_config.TextColumn(width="large"),
    "How it was located": st.column_config.TextColumn(width="large"),
}


# The selected feature is plain session state, set by a click on the map or
# by the picker beside it.  The picker is not keyed to it: a rerun that the
# browser asked for before a click's run reached it (the popup's pan reports
# a new extent) carries the picker's old value, and Streamlit lets a
# widget's browser value win over state set from Python.  So each click
# makes a new picker (a new key), and a stale value for an old one is dropped.
def choose_feature(feature_id: str, *, new_picker: bool = True) -> None:
    """Select a feature and show its details; chosen anywhere but the picker
    itself, the picker is made anew (a new key) to show it."""
    st.session_state["selected"] = feature_id
    st.session_state["details"] = "feature"
    if new_picker:
        st.session_state["_picker"] = st.session_state.get("_picker", 0) + 1


def note_click(clicked: str, ids: set[str]) -> None:
    """Select a feature clicked on the map, once per click (a later run
    still carries the last click)."""
    if clicked in ids and clicked != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = clicked
        choose_feature(clicked)


def picked(key: str) -> None:
    # A stale browser value for an earlier picker still calls its callback.
    if key == f"picker_{st.session_state.get('_picker', 0)}":
        choose_feature(st.session_state[key], new_picker=False)


def table_picked(key: str) -> None:
    """A row ticked in the features table selects its feature."""
    rows = st.session_state[key]["selection"]["rows"]
    ids = st.session_state.get("_table_ids", [])
    if rows and 0 <= rows[0] < len(ids):
        choose_feature(ids[rows[0]])


def feature_picker(names: dict[str, str]) -> str | None:
    """The "Feature details" box, showing the selected feature; returns it."""
    selected = st.session_state.get("selected")  # a pick's callback has already run
    options = list(names)
    key = f"picker_{st.session_state.get('_picker', 0)}"
    st.selectbox("Feature details", options, key=key, on_change=picked, args=(key,),
                 index=options.index(selected) if selected in names else None,
                 format_func=names.get, placeholder="Choose a feature")
    return selected if selected in names else None


def show_header(report_map, source_names: tuple[str, ...] = (),
                area_names: tuple[str, ...] = ()) -> None:
    report = report_map.report
    if not report_map.has_report:
        text.heading("Imported sources", key="report")
        text.caption(f"This data folder holds no report, only imported sources: "
                     f"{len(source_names)} event set(s) and {len(area_names)} control map(s). "
                     "Choose them and their dates in the sidebar; each event names its source "
                     "and row, each area its map and day.", key="report")
        return
    text.heading(report.headline, key="report")
    # One line under the headline: the map should start near the top.
    text.caption(
        f"Source: {report.publisher}"
        + (f" (via {report.distributor})" if report.distributor else "")
        + f", published {report.date}"
        + (f" · front line as of {report_map.front_line_as_of}, approximate"
           if report_map.front_line_as_of else "")
        + " · summaries are ours; each feature cites its paragraphs", key="report")


def show_details(report_map, feature_id: str | None) -> None:
    """The chosen feature's facts; before a choice, what the report says
    (kept out of the header so the map starts near the top of the page)."""
    if not feature_id:
        if report_map.has_report and report_map.report.summary:
            with st.container(key="mapapp_text_summary"):
                st.text(report_map.report.summary)
        st.info("Click a feature on the map, or choose one above, to see who says what "
                "and how sure it is." if report_map.has_report else
                "Click an event or an area on the map to see what it is, who reported it "
                "and when.")
        return
    feature = report_map.by_id(feature_id)
    text.heading(feature.display_name, key="details", level=3)
    text.facts(feature_details(feature, report_map), key="details")


@st.cache_data(max_entries=16, show_spinner="Drawing the image…")
def export_files(_report_map, version: tuple, fmt: str, preset: str, title: str, subtitle: str,
                 theme: str, view: ViewState, _events=None,
                 credits: tuple[str, ...] = (), events_version: tuple = ()) -> tuple[bytes, bytes]:
    """The image in ``fmt`` and a PNG of it to preview (the same bytes for PNG).

    ``view`` (part of the cache key) is the map's, framed on its extent;
    ``_events`` are the events of its sources, ``credits`` their sets."""
    spec = get_preset(preset)
    if _events is not None:  # the image shows the range it was asked for
        # Its days only: the sidebar's layers, types and statuses are the report's.
        days = view.event_filter()
        _events = select(_events, EventFilter(start=days.start, end=days.end))
    options = dict(view=view, title=title, subtitle=subtitle, theme=theme, events=_events,
                   event_credits=credits)
    data = render_bytes(_report_map, fmt=fmt, spec=spec, **options)
    preview = data if fmt == "png" else render_bytes(_report_map, fmt="png", spec=spec, **options)
    return data, preview


def show_export_panel(report_map, version: tuple, view: ViewState, bounds, events=None,
                      data_dir: str = "", events_version: tuple = (),
                      area_credit: str = "") -> None:
    """Format, size, title: a publishable image of this view, framed on the
    features it shows (each size its own frame) or on the map's extent ``bounds``."""
    with st.expander("Export a publishable image (PNG, SVG, PDF)"):
        st.caption("Same layers and filters as the map above, with title, legend, "
                   "scale bar, north arrow, locator and credits. No internet needed.")
        left, middle, right = st.columns(3)
        fmt = left.selectbox("Format", FORMATS, key="export_format", format_func=str.upper)
        preset = middle.selectbox("Size", list(PRESETS), key="export_preset",
                                  format_func=lambda name: PRESETS[name].label)
        theme = right.radio("Theme", THEMES, key="export_theme", horizontal=True)
        framing = st.radio("Frame", list(FRAMES), key="export_frame", format_func=FRAMES.get,
                           horizontal=True,
                           help="Fit to features: each size framed on what the map shows. "
                                "As on screen: the extent you are looking at now.")
        named = [get_source(Path(data_dir), n).title
                 for n in ((view.areas,) if view.areas else ()) + view.sources]
        dated = default_subtitle(report_map)
        if events is not None and len(events):  # the events' own days, as the CLI says them
            lo, hi = event_span(events)
            dated = " · ".join(p for p in (dated, f"events {view.start or lo} to "
                                                  f"{view.end or hi}") if p)
        # The boxes keep what the user typed, until another report or set
        # changes what they should say by default.
        defaults = (default_title(report_map) or " · ".join(named), dated)
        if st.session_state.get("_export_defaults") != defaults:
            st.session_state.update(export_title=defaults[0], export_subtitle=defaults[1],
                                    _export_defaults=defaults)
        title = st.text_input("Title", key="export_title")
        subtitle = st.text_input("Subtitle", key="export_subtitle")
        # The position in the link is not the image's business.
        settings = (fmt, preset, title, subtitle, theme, replace(view, at=None),
                    bounds if framing == "screen" else None)
        if st.button("Make image", key="export_make", type="primary"):
            st.session_state["export_settings"] = settings
        made = st.session_state.get("export_settings")
        if made is None:
            return
        if made != settings:
            st.info("The view or the options changed since this image was made: "
                    "press “Make image” again to update it.")
        credits = tuple(f"Events: {s.title} ({s.publisher}; {s.licence})"
                        for s in (get_source(Path(data_dir), n) for n in made[5].sources))
        credits += (area_credit,) if area_credit else ()
        try:
            # An extent no image can frame (the far north) is refused here;
            # None frames each size on the features shown.
            framed = replace(made[5], bounds=made[6])
            data, preview = export_files(report_map, version, *made[:5], framed,
                                         _events=events if made[5].sources else None,
                                         credits=credits, events_version=events_version)
        except MapAppError as err:
            text.problem("The image could not be made.", str(err), key="export")
            return
        made_fmt, made_preset = made[0], made[1]
        name = f"map-{made_preset}.{made_fmt}"
        st.image(preview, caption=f"{name}: {PRESETS[made_preset].label}", width="stretch")
        st.download_button(f"Download {name}", data, file_name=name, mime=MIME[made_fmt],
                           key="export_download")


def sync_link(query: dict[str, str]) -> None:
    """Make the page's address say ``query`` (only when it differs)."""
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def main() -> None:
    link = st.query_params.to_dict()
    if "mode" not in st.session_state:  # the link decides once, then the buttons do
        st.session_state["mode"] = (link.get("mode") if link.get("mode") in ("present", "review")
                                    else "explore")
    presenting = st.session_state["mode"] == "present"
    st.set_page_config(page_title="mapapp: report map", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    text.use_styles()
    data_dir = os.environ.get("MAPAPP_DATA_DIR", str(DATA_DIR))
    cache_dir = os.environ.get("MAPAPP_GEOCACHE_DIR", str(GEOCACHE_DIR))
    if st.session_state["mode"] == "review":
        prepare_static_files()
        review.review_page(data_dir)
        sync_link({"mode": "review"})
        return
    # The data folder's report, or one saved from the review page.
    report_dir, report_name = reports.choose(data_dir, link)
    review.scroll_to_top()
    st.sidebar.button("New report from text", key="review_start", on_click=review.start_review,
                      help="Paste or upload a report: mapapp finds its places offline, you "
                           "review them, and it becomes a map of its own")
    in_link = {"report": report_name} if report_name else {}
    try:
        prepare_static_files()
        version = data_version(report_dir, cache_dir)
        # A folder of imported event sets alone (`import --data-dir` into an
        # empty folder) has no report: its map shows the sets and nothing else.
        report_map = (get_report_map(report_dir, cache_dir, version)
                      if has_report(Path(report_dir)) else ReportMap.empty())
    except MapAppError as err:
        # Our own message, for whoever edits the data folder: it names the
        # file, feature and field.  Anything else is a bug: Streamlit shows
        # readers a short notice and the details go to the server log.
        logger.warning("data not loaded: %s", err)
        text.problem("The map data could not be loaded.", str(err), key="load")
        st.stop()
    for n, note in enumerate(report_map.notes):
        text.problem("A data problem was skipped.", note, kind="warning", key=f"note{n}")

    if presenting and not report_map.has_report:
        presenting = False  # lessons are stories of a report
        st.session_state["mode"] = "explore"
    if presenting:
        # Only a story of this report's folder, by id: a link must never name a file.
        known = list_stories(data_dir=Path(report_dir))
        story_id = link.get("story") or (present.DEFAULT_STORY
                                         if present.DEFAULT_STORY in known or not known
                                         else known[0])
        story = (present.get_story(report_map, report_dir, version, story_id)
                 if story_id in known
                 else None)
        if story is None and story_id not in known:
            # Shown in the explorer below, and kept: this run is the last to see the link.
            st.session_state["_link_error"] = (
                "The link names a lesson that does not exist.",
                f"No lesson called “{story_id}”. Lessons: {', '.join(known) or 'none'}.")
        if story is not None:
            if "step" not in st.session_state:
                st.session_state["step"] = present.step_from_link(link.get("step"),
                                                                  len(story.steps))
            present.present_lesson(report_map, story, version)
            sync_link({"mode": "present", "story": story.id,
                       "step": str(st.session_state["step"] + 1), **in_link})
            return
        st.session_state["mode"] = "explore"

    try:
        catalogue = [s for s in list_sources(Path(data_dir)) if s.kind != "report"]
    except MapAppError as err:
        text.problem("The catalogue of event sets could not be read.", str(err), key="catalogue")
        catalogue = []
    source_names = tuple(s.name for s in catalogue if s.kind != "areas")
    area_names = tuple(s.name for s in catalogue if s.kind == "areas")
    # A link may name a feature of a control map: those ids are only known
    # once the map is drawn, so such a link's feature is checked below.
    link = st.query_params.to_dict()
    init_widgets_from_link(link, None if link.get("areas") else
                           {f.id for f in report_map.features}, source_names,
                           every_set=not report_map.has_report, area_names=area_names)
    # Control maps may add areas and their front lines to a report that has none.
    drawn = frozenset({f.layer for f in report_map.features}
                      | ({"control_areas", "front_lines"} if area_names else set()))
    view, dates_box, map_box = sidebar_view(source_names, report=report_map.has_report,
                                            area_names=area_names, drawn_layers=drawn)
    events = shown = wanted = url = None
    key: tuple = ()
    if view.sources:
        try:
            names = view.sources
            key = events_version(Path(data_dir), names)
            events = event_sets.get_events(data_dir, cache_dir, names, key)
            url = event_sets.events_url(data_dir, names, key, events)
        except MapAppError as err:
            text.problem("The event sets could not be loaded.", str(err), key="events")
            events = None
    if events is not None and len(events):
        wanted = event_sets.event_range(events, view, dates_box)
        shown = select(events, wanted)
        lo, hi = event_span(events)
        view = replace(view, start="" if wanted.start == lo else f"{wanted.start}",
                       end="" if wanted.end == hi else f"{wanted.end}")
    map_day = (control_maps.snapshot_day(map_box, data_dir, view.areas,
                                         wanted.end if wanted else None)
               if view.areas else None)
    if view.areas and wanted is None:  # the link keeps the control map's day
        view = replace(view, end=control_maps.link_day(data_dir, view.areas, map_day))
    report_only = report_map  # the header speaks of the report alone
    report_map, area_credit = control_maps.apply(report_map, data_dir, view.areas, map_day)
    report_map, changed = control_maps.change_layer(report_map, data_dir, view.areas, map_day,
                                                    events_shown=wanted is not None)
    if view.areas and wanted is None:  # the link keeps the changes drawn, as `from`
        view = replace(view, start=control_maps.change_since(data_dir, view.areas, map_day))
    report_map, outlined = control_maps.overlay_layer(report_map, data_dir, view.areas, map_day)
    area_credit = ". ".join(p for p in (area_credit, changed, outlined) if p)
    ids = {f.id for f in report_map.features}
    if st.session_state.get("selected") and st.session_state["selected"] not in ids:
        if not st.session_state.get("_link_feature_checked"):  # from the link: say so
            st.session_state["_link_notes"] = [
                *st.session_state.get("_link_notes", []),
                f"Ignored unknown feature in the link: {st.session_state['selected']}"]
        st.session_state["selected"] = None  # or a feature of a control map no longer shown
    st.session_state["_link_feature_checked"] = True
    show_link_notes()
    show_header(report_only, source_names, area_names)
    visible = view.visible(report_map)

    # The map is the page: wide beside the details, which fall below it on
    # a narrow screen (Streamlit stacks columns there); app.css sizes it to the window.
    map_col, detail_col = st.columns([7, 3])
    with map_col, st.container(key="mapapp_mapbox"):
        try:
            link_at = st.session_state.get("_link_at")
            # The report's own places, whatever is shown of them and of
            # other maps: a report about Kyiv's suburbs opens on them.
            frame = content_bounds(report_only)
            folium_map = (get_map(report_map, view, at=link_at, frame=frame) if shown is None
                          else get_map(report_map, view, url,
                                       tuple(events["type"].astype(str).unique()), at=link_at,
                                       frame=frame))
        except MapAppError as err:
            text.problem("The map could not be drawn.", str(err), key="map")
            st.stop()
        # Clicks and the visible extent come back (the extent is what an
        # exported image frames, centre and zoom go in the link); nothing
        # else reruns the script.  The selection and the events' filter go
        # in as small extra groups: a new choice or date range shows in the
        # page, and the map itself is not sent again.
        returned = ["last_active_drawing", "bounds", "center", "zoom"]
        if shown is not None:
            returned += ["last_clicked"]
        extra = [selection_group(st.session_state.get("selected") or "")]
        if shown is not None:
            extra.append(event_filter_group(wanted))
        result = st_folium(folium_map, height=MAP_HEIGHT, use_container_width=True,
                           returned_objects=returned, key="map", feature_group_to_add=extra)
        # Until the browser reports, the link's own position stands.
        view = replace(view, at=at_from_leaflet((result or {}).get("center"),
                                                (result or {}).get("zoom")) or link_at)
        # An event drawn over an area wins, as the popup on the map does.
        if not (shown is not None and event_sets.note_event_click(result, shown)):
            note_click(event_sets.clicked_feature_id(result), ids)
        if area_credit:
            text.caption(area_credit + ". Assessed by its publisher" + (
                "; the report's own line and areas are under “The report's own”."
                if report_only.has_report else "."), key="areas")
        if report_map.has_report:
            st.caption(f"{len(visible)} of {len(report_map.features)} features shown.")
        if shown is not None:
            event_sets.show_events_summary(events, shown, wanted)

    with detail_col:
        names = {f.id: f"{f.display_name} ({LAYER_LABELS[f.layer].lower()})"
                 for f in report_map.features}
        selected = feature_picker(names) if report_map.has_report else None
        if shown is None or not event_sets.show_event_details(events, data_dir):
            show_details(report_map, selected)

    # Until the browser reports the map's extent, st_folium echoes the
    # Python-side content bounds: those mean nothing to the reader.
    bounds = bounds_from_leaflet((result or {}).get("bounds"),
                                 ignore=folium_map.get_bounds()) or frame
    image_key = version + (view.areas, str(map_day), control_maps.changes_key())
    show_export_panel(report_map, image_key, view, bounds,
                      events if shown is not None else None, data_dir,
                      key if shown is not None else (), area_credit)
    if view.areas:
        control_maps.show_changes(data_dir, view.areas, map_day)
        control_maps.show_comparison(data_dir, view.areas, map_day, area_names)

    if report_map.has_report:
        st.subheader("All features")
        st.caption("The same facts as the map, as text. Click a row to show it on the map "
                   "and in the details beside it.")
        # A fresh table with each new choice: a row left ticked would say
        # something other than the map.
        table_key = f"feature_table_{st.session_state.get('_picker', 0)}"
        st.session_state["_table_ids"] = [f.id for f in visible]
        st.dataframe(feature_rows(visible, report_map.front_line_as_of), hide_index=True,
                     width="stretch", key=table_key, column_config=TABLE_COLUMNS,
                     on_select=lambda: table_picked(table_key), selection_mode="single-row")

    mentions = report_map.in_layer("mentions")
    if mentions:
        with st.expander(f"Mentioned far from the map ({len(mentions)})"):
            for feature in mentions:
                st.text(f"• {feature.name}: {feature.summary} "
                        f"(para. {', '.join(map(str, feature.citation.paragraphs))})")

    if shown is not None:
        st.subheader("Events")
        rows = event_sets.TABLE_ROWS
        st.caption(f"The earliest {min(len(shown), rows):,} of {len(shown):,} events in the "
                   "range, as text; the download below has them all.")
        # load_events keeps them in date order: these are the earliest.
        st.dataframe(event_rows(shown.iloc[:rows]), hide_index=True, width="stretch")
        event_sets.show_event_export(shown, wanted, key)

    sync_link({**view.with_selected(selected or "").to_query(), **in_link})
    if shown is not None:
        event_sets.play_on(events, wanted)


main()
