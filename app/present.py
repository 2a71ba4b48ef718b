"""Present mode: a lesson one step at a time on one projector screen (map
beside the words, big type, the arrow keys for steps), the offline lesson
page and the handout; and keeping the explorer's view while it is away.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from app import ASSET_BASE, text
from mapapp.classroom.bundle import render_bundle
from mapapp.classroom.handout import render_handout
from mapapp.classroom.story import load_story
from mapapp.errors import MapAppError
from mapapp.model import LAYERS
from mapapp.web.elements import PageCall
from mapapp.web.map import build_map

# The frame's height until the page's stylesheet sizes it to the screen.
PRESENT_MAP_HEIGHT = 560
# Leaflet's names for the keys that change step (Streamlit's "left", "right").
STEP_KEYS = ("ArrowLeft", "ArrowRight")
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


def explorer_keys() -> list[str]:
    """The session keys of the explorer's view: widgets Streamlit forgets
    while Present mode does not draw them."""
    return ([f"layer_{layer}" for layer in LAYERS]
            + ["types", "statuses", "basemap", "sources", "dates", "selected", "areas",
               "map_date"])


def start_presenting() -> None:
    st.session_state["_explorer"] = {key: st.session_state[key] for key in explorer_keys()
                                     if key in st.session_state}
    st.session_state.update(mode="present", step=0, _from_step=None)


def leave_presenting() -> None:
    # The view the reader left, as it was; a lesson opened from a link
    # has none and the explorer starts from the link (seeded on this run).
    st.session_state.update(st.session_state.pop("_explorer", {}))
    st.session_state["mode"] = "explore"


def go_to_step(index: int) -> None:
    st.session_state["_from_step"] = st.session_state.get("step", 0)
    st.session_state["step"] = index


def present_lesson(report_map, story, version: tuple) -> None:
    """Present mode: one step at a time, big type, on one projector screen.

    The map and the step's words sit side by side and the map's height
    follows the screen (``app.css``), so title, map, text and question fit
    1280x720 without scrolling; the teacher's downloads come below.
    """
    steps = story.steps
    # The story file may have shrunk since the last run: keep the step real.
    index = min(max(st.session_state.get("step", 0), 0), len(steps) - 1)
    st.session_state["step"] = index
    step = steps[index]
    with st.container(key="lesson_nav"):
        back, counter, forward, leave = st.columns([2, 3, 2, 2], vertical_alignment="center")
        back.button("◀ Previous", key="lesson_prev", disabled=index == 0, shortcut="left",
                    on_click=go_to_step, args=(index - 1,), width="stretch")
        with counter.container(key="mapapp_counter_lesson"):
            st.markdown(f"**Step {index + 1} of {len(steps)}**", text_alignment="center")
        forward.button("Next ▶", key="lesson_next", disabled=index == len(steps) - 1,
                       shortcut="right", on_click=go_to_step, args=(index + 1,),
                       type="primary", width="stretch")
        leave.button("Leave present mode", key="lesson_leave", width="stretch",
                     on_click=leave_presenting)
    previous = st.session_state.get("_from_step")
    fly_from = (steps[previous].bounds
                if previous is not None and 0 <= previous < len(steps) and previous != index
                else None)
    folium_map = build_map(report_map, layers=step.layers, selected=step.highlight,
                           bounds=step.bounds, fly_from=fly_from, asset_base=ASSET_BASE)
    # A click on the map gives its frame the keyboard: the page's script
    # passes the arrows on to the Previous/Next shortcuts instead of panning.
    PageCall("lessonKeys", {"keys": list(STEP_KEYS)}).add_to(folium_map)
    on_map, words = st.columns([3, 2], gap="medium")
    with on_map.container(key="mapapp_map_lesson"):
        # Nothing comes back from the map: in a lesson only the buttons move it.
        st_folium(folium_map, height=PRESENT_MAP_HEIGHT, use_container_width=True,
                  returned_objects=[], key="lesson_map")
    with words:
        # Beside the map, not in the nav row: wrapped there, a long title
        # would push the map down by a line at some widths.
        with st.container(key="mapapp_story_lesson"):
            st.text(story.title)
        text.heading(step.title, key="lesson")
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
