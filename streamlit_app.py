"""mapapp in the browser: a thin Streamlit layer over the ``mapapp`` package.

It reads widgets, asks the core for a map, and shows results.  The view lives
in the URL so a shared link reopens it.  Text from data or from a link is
shown with :mod:`app.text` (plain text, never Markdown).  Loading the data (geocoding, cutting
the control areas) is cached until a data file changes; the map itself is
assembled fresh each run, which takes milliseconds.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from app import text
from mapapp.classroom.bundle import render_bundle
from mapapp.classroom.handout import render_handout
from mapapp.classroom.story import list_stories, load_story
from mapapp.errors import MapAppError
from mapapp.model import ALL_TYPES, LAYER_LABELS, LAYERS, STATUS_LABELS, STATUSES
from mapapp.model.describe import feature_details, feature_rows, type_label
from mapapp.sources.report_folder import DATA_DIR, GEOCACHE_DIR, data_version, load_report_map
from mapapp.static.export import FORMATS, render_bytes
from mapapp.static.figure import THEMES, default_subtitle, default_title
from mapapp.static.presets import PRESETS, get_preset
from mapapp.view import BASEMAPS, INITIAL_BOUNDS, ViewState, bounds_from_leaflet, from_query
from mapapp.web.map import build_map
from mapapp.web.resources import install_static

APP_DIR = Path(__file__).resolve().parent
# Streamlit serves ./static/ at /app/static/ (see .streamlit/config.toml).
STATIC_DIR = APP_DIR / "static"
ASSET_BASE = "/app/static/vendor"
MAP_HEIGHT = 620
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
logger = logging.getLogger("mapapp.app")


@st.cache_resource(show_spinner="Loading the report…", max_entries=4)
def get_report_map(data_dir: str, cache_dir: str, version: tuple):
    # ``version`` is only part of the cache key: editing a data file reloads.
    return load_report_map(Path(data_dir), cache_dir=Path(cache_dir))


@st.cache_resource
def prepare_static_files() -> None:
    install_static(STATIC_DIR)


def get_map(report_map, view: ViewState):
    """A fresh folium map for this run.

    Not cached on purpose: st_folium mutates the Map it is given, and a cached
    Map rendered a second time references layers it no longer defines.  The
    costly parts (loading, geometry, basemap) are cached; assembling the map
    takes milliseconds (see bench/bench_map.py).  The selected feature is shown
    beside the map, not in it, so a click does not rebuild and re-zoom it.
    """
    return build_map(report_map, layers=view.layers, types=view.types,
                     statuses=view.statuses, basemap=view.basemap, asset_base=ASSET_BASE,
                     carto_api_key=os.environ.get("MAPAPP_CARTO_API_KEY") or None)


def init_widgets_from_link(query: dict, feature_ids: set[str]) -> None:
    """Seed widget state from the URL once per session; later the widgets lead.

    What the link held that we ignored is kept until the reader dismisses
    it: the page rewrites its address at once, so the link itself cannot
    be read again on the next run.
    """
    if st.session_state.get("_seeded"):
        return
    view, notes = from_query(query, feature_ids=feature_ids)
    st.session_state["_link_notes"] = notes
    for layer in LAYERS:
        st.session_state[f"layer_{layer}"] = layer in view.layers
    st.session_state["types"] = list(view.types)
    st.session_state["statuses"] = list(view.statuses)
    st.session_state["basemap"] = view.basemap
    st.session_state["selected"] = view.selected or None
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


def sidebar_view() -> ViewState:
    sb = st.sidebar
    sb.header("Layers")
    layers = tuple(layer for layer in LAYERS
                   if sb.checkbox(LAYER_LABELS[layer], key=f"layer_{layer}"))
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
    sb.button("Present the lesson", key="present_start", on_click=start_presenting,
              help="Step through the report on a projector: big type, ← and → keys")
    sb.caption("Web basemaps need internet; the offline one is bundled. Layers, "
               "filters and the selected feature are kept in the page address, "
               "so a copied link reopens this view.")
    return ViewState(layers=layers, types=tuple(t for t in ALL_TYPES if t in types),
                     statuses=tuple(s for s in STATUSES if s in statuses), basemap=basemap)


def clicked_feature_id(result: dict | None) -> str:
    drawing = (result or {}).get("last_active_drawing") or {}
    return str((drawing.get("properties") or {}).get("id") or "")


# The selected feature is plain session state, set by a click on the map or
# by the picker beside it.  The picker is not keyed to it: a rerun that the
# browser asked for before a click's run reached it (the popup's pan reports
# a new extent) carries the picker's old value, and Streamlit lets a
# widget's browser value win over state set from Python.  So each click
# makes a new picker (a new key), and a stale value for an old one is dropped.
def note_click(clicked: str, ids: set[str]) -> None:
    if clicked in ids and clicked != st.session_state.get("_last_click"):
        st.session_state["_last_click"] = clicked
        st.session_state["selected"] = clicked
        st.session_state["_picker"] = st.session_state.get("_picker", 0) + 1


def picked(key: str) -> None:
    # A stale browser value for an earlier picker still calls its callback.
    if key == f"picker_{st.session_state.get('_picker', 0)}":
        st.session_state["selected"] = st.session_state[key]


def feature_picker(names: dict[str, str]) -> str | None:
    """The "Feature details" box, showing the selected feature; returns it."""
    selected = st.session_state.get("selected")  # a pick's callback has already run
    options = list(names)
    key = f"picker_{st.session_state.get('_picker', 0)}"
    st.selectbox("Feature details", options, key=key, on_change=picked, args=(key,),
                 index=options.index(selected) if selected in names else None,
                 format_func=names.get, placeholder="Choose a feature")
    return selected if selected in names else None


def show_header(report_map) -> None:
    report = report_map.report
    text.heading(report.headline, key="report")
    if report.summary:
        st.text(report.summary)
    text.caption(
        f"Source: {report.publisher}"
        + (f" (via {report.distributor})" if report.distributor else "")
        + f", published {report.date}. Front line as of {report_map.front_line_as_of},"
          " approximate. Summaries are ours; each feature cites its paragraphs.", key="report")


def show_details(report_map, feature_id: str | None) -> None:
    if not feature_id:
        st.info("Click a feature on the map, or choose one above, to see who says what "
                "and how sure it is.")
        return
    feature = report_map.by_id(feature_id)
    text.heading(feature.display_name, key="details", level=3)
    text.facts(feature_details(feature, report_map), key="details")


@st.cache_data(max_entries=16, show_spinner="Drawing the image…")
def export_files(_report_map, version: tuple, fmt: str, preset: str, title: str, subtitle: str,
                 theme: str, view: ViewState, bounds) -> tuple[bytes, bytes]:
    """The image in ``fmt`` and a PNG of it to preview (the same bytes for PNG)."""
    spec = get_preset(preset)
    options = dict(layers=view.layers, types=view.types, statuses=view.statuses,
                   bounds=bounds, title=title, subtitle=subtitle, theme=theme)
    data = render_bytes(_report_map, fmt=fmt, spec=spec, **options)
    preview = data if fmt == "png" else render_bytes(_report_map, fmt="png", spec=spec, **options)
    return data, preview


def show_export_panel(report_map, version: tuple, view: ViewState, bounds) -> None:
    """Format, size, title: a publishable image of exactly this view."""
    with st.expander("Export a publishable image (PNG, SVG, PDF)"):
        st.caption("Same layers, filters and extent as the map above, with title, legend, "
                   "scale bar, north arrow, locator and credits. No internet needed.")
        left, middle, right = st.columns(3)
        fmt = left.selectbox("Format", FORMATS, key="export_format", format_func=str.upper)
        preset = middle.selectbox("Size", list(PRESETS), key="export_preset",
                                  format_func=lambda name: PRESETS[name].label)
        theme = right.radio("Theme", THEMES, key="export_theme", horizontal=True)
        title = st.text_input("Title", value=default_title(report_map), key="export_title")
        subtitle = st.text_input("Subtitle", value=default_subtitle(report_map),
                                 key="export_subtitle")
        settings = (fmt, preset, title, subtitle, theme, view, bounds)
        if st.button("Make image", key="export_make", type="primary"):
            st.session_state["export_settings"] = settings
        made = st.session_state.get("export_settings")
        if made is None:
            return
        if made != settings:
            st.info("The view or the options changed since this image was made: "
                    "press “Make image” again to update it.")
        try:
            data, preview = export_files(report_map, version, *made)
        except MapAppError as err:
            text.problem("The image could not be made.", str(err), key="export")
            return
        made_fmt, made_preset = made[0], made[1]
        name = f"map-{made_preset}.{made_fmt}"
        st.image(preview, caption=f"{name}: {PRESETS[made_preset].label}", width="stretch")
        st.download_button(f"Download {name}", data, file_name=name, mime=MIME[made_fmt],
                           key="export_download")


PRESENT_MAP_HEIGHT = 560


DEFAULT_STORY = "report-2022-11-16"


@st.cache_resource(max_entries=8)
def _load_story(_report_map, data_dir: str, version: tuple, story_id: str):
    return load_story(story_id, report_map=_report_map, data_dir=Path(data_dir))


def get_story(report_map, data_dir: str, version: tuple, story_id: str):
    """The lesson, or None after showing why it cannot be presented."""
    try:
        return _load_story(report_map, data_dir, version, story_id)
    except MapAppError as err:
        text.problem("This lesson cannot be presented.", str(err), key="story")
        return None


def step_from_link(raw, count: int) -> int:
    """A 0-based step index from a 1-based ``step`` in the link; bad values give step 1."""
    try:
        return min(max(int(str(raw)) - 1, 0), count - 1)
    except ValueError:
        return 0


def start_presenting() -> None:
    st.session_state.update(mode="present", step=0, _from_step=None)


def go_to_step(index: int) -> None:
    st.session_state["_from_step"] = st.session_state.get("step", 0)
    st.session_state["step"] = index


def present_lesson(report_map, story, version: tuple) -> None:
    """Present mode: one step at a time, map full width, big type."""
    steps = story.steps
    # The story file may have shrunk since the last run: keep the step real.
    index = min(max(st.session_state.get("step", 0), 0), len(steps) - 1)
    st.session_state["step"] = index
    step = steps[index]
    with st.container(key="lesson_nav"):
        back, counter, forward, leave = st.columns([2, 3, 2, 2])
        back.button("◀ Previous", key="lesson_prev", disabled=index == 0, shortcut="left",
                    on_click=go_to_step, args=(index - 1,), width="stretch")
        counter.markdown(f"**Step {index + 1} of {len(steps)}**")
        counter.text(story.title)
        forward.button("Next ▶", key="lesson_next", disabled=index == len(steps) - 1,
                       shortcut="right", on_click=go_to_step, args=(index + 1,),
                       type="primary", width="stretch")
        leave.button("Leave present mode", key="lesson_leave", width="stretch",
                     on_click=lambda: st.session_state.update(mode="explore"))
    text.heading(step.title, key="lesson")
    previous = st.session_state.get("_from_step")
    fly_from = (steps[previous].bounds
                if previous is not None and 0 <= previous < len(steps) and previous != index
                else None)
    folium_map = build_map(report_map, layers=step.layers, selected=step.highlight,
                           bounds=step.bounds, fly_from=fly_from, asset_base=ASSET_BASE)
    # Nothing comes back from the map: in a lesson only the buttons move it.
    st_folium(folium_map, height=PRESENT_MAP_HEIGHT, use_container_width=True,
              returned_objects=[], key="lesson_map")
    with st.container(key="mapapp_text_lesson"):
        st.text(step.text)
    if step.question:
        with st.container(key="mapapp_question_lesson"):
            st.markdown("**Question for the class**")
            st.text(step.question)
    text.caption("Keys: ← and → move between steps. Source: "
                 + report_map.report.citation_text(), key="lesson")
    lesson, handout = st.columns(2)
    # Built on request (the handout draws a map per step, a few seconds) and
    # kept with the story and data they were made from, so never offered stale.
    made_from = (story.id, version)
    if lesson.button("Prepare the offline lesson (HTML)", key="lesson_bundle"):
        st.session_state["_bundle"] = (made_from, render_bundle(report_map, story).encode())
    bundle = st.session_state.get("_bundle")
    if bundle and bundle[0] == made_from:
        lesson.download_button("Download lesson.html", bundle[1],
                               file_name=f"lesson-{story.id}.html", mime="text/html",
                               key="lesson_bundle_download")
    if handout.button("Prepare the handout (PDF)", key="lesson_handout"):
        try:
            st.session_state["_handout"] = (made_from, render_handout(report_map, story))
        except MapAppError as err:
            with handout:
                text.problem("The handout could not be made.", str(err), key="handout")
    pdf = st.session_state.get("_handout")
    if pdf and pdf[0] == made_from:
        handout.download_button("Download handout.pdf", pdf[1],
                                file_name=f"handout-{story.id}.pdf", mime="application/pdf",
                                key="lesson_handout_download")


def main() -> None:
    link = st.query_params.to_dict()
    if "mode" not in st.session_state:  # the link decides once, then the buttons do
        st.session_state["mode"] = "present" if link.get("mode") == "present" else "explore"
    presenting = st.session_state["mode"] == "present"
    st.set_page_config(page_title="mapapp: report map", layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "auto")
    text.use_styles()
    data_dir = os.environ.get("MAPAPP_DATA_DIR", str(DATA_DIR))
    cache_dir = os.environ.get("MAPAPP_GEOCACHE_DIR", str(GEOCACHE_DIR))
    try:
        prepare_static_files()
        version = data_version(data_dir, cache_dir)
        report_map = get_report_map(data_dir, cache_dir, version)
    except MapAppError as err:
        # Our own message, for whoever edits the data folder: it names the
        # file, feature and field.  Anything else is a bug: Streamlit shows
        # readers a short notice and the details go to the server log.
        logger.warning("data not loaded: %s", err)
        text.problem("The map data could not be loaded.", str(err), key="load")
        st.stop()
    for n, note in enumerate(report_map.notes):
        text.problem("A data problem was skipped.", note, kind="warning", key=f"note{n}")

    if presenting:
        # Only a story of this data folder, by id: a link must never name a file.
        story_id = link.get("story") or DEFAULT_STORY
        known = list_stories(data_dir=Path(data_dir))
        story = (get_story(report_map, data_dir, version, story_id) if story_id in known
                 else None)
        if story is None and story_id not in known:
            # Shown in the explorer below, and kept: this run is the last to see the link.
            st.session_state["_link_error"] = (
                "The link names a lesson that does not exist.",
                f"No lesson called “{story_id}”. Lessons: {', '.join(known) or 'none'}.")
        if story is not None:
            if "step" not in st.session_state:
                st.session_state["step"] = step_from_link(link.get("step"), len(story.steps))
            present_lesson(report_map, story, version)
            st.query_params.from_dict({"mode": "present", "story": story.id,
                                       "step": str(st.session_state["step"] + 1)})
            return
        st.session_state["mode"] = "explore"

    ids = {f.id for f in report_map.features}
    init_widgets_from_link(st.query_params.to_dict(), ids)
    show_link_notes()

    show_header(report_map)
    view = sidebar_view()
    visible = view.visible(report_map)

    map_col, detail_col = st.columns([2, 1])
    with map_col:
        try:
            folium_map = get_map(report_map, view)
        except MapAppError as err:
            text.problem("The map could not be drawn.", str(err), key="map")
            st.stop()
        # Clicks and the visible extent come back (the extent is what an
        # exported image frames); nothing else reruns the script.
        result = st_folium(folium_map, height=MAP_HEIGHT, use_container_width=True,
                           returned_objects=["last_active_drawing", "bounds"], key="map")
        note_click(clicked_feature_id(result), ids)
        st.caption(f"{len(visible)} of {len(report_map.features)} features shown.")

    with detail_col:
        names = {f.id: f"{f.display_name} ({LAYER_LABELS[f.layer].lower()})"
                 for f in report_map.features}
        selected = feature_picker(names)
        show_details(report_map, selected)

    # Until the browser reports the map's extent, st_folium echoes the
    # Python-side content bounds: those mean nothing to the reader.
    bounds = bounds_from_leaflet((result or {}).get("bounds"),
                                 ignore=folium_map.get_bounds()) or INITIAL_BOUNDS
    show_export_panel(report_map, version, view, bounds)

    st.subheader("All features")
    st.caption("The table lists the same facts as the map, as text.")
    st.dataframe(feature_rows(visible), hide_index=True, width="stretch")

    mentions = report_map.in_layer("mentions")
    if mentions:
        with st.expander(f"Mentioned far from the map ({len(mentions)})"):
            for feature in mentions:
                st.text(f"• {feature.name}: {feature.summary} "
                        f"(para. {', '.join(map(str, feature.citation.paragraphs))})")

    query = view.with_selected(selected or "").to_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


main()
