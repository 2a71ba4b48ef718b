"""Event sets in the app: loading and publishing them, the date range and
▶ Play, clicks on events, their chart, facts, table and download.

The events reach the page once, as a file the page fetches (see
:mod:`mapapp.web.events`); a new date range only changes a small filter.
Every text from an event goes through :mod:`app.text` or a dataframe.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from app import STATIC_DIR, text
from mapapp import styles
from mapapp.model.describe import event_details
from mapapp.model.events import EVENT_TYPES, row_unit
from mapapp.sources.collection import event_span, load_events
from mapapp.store.catalogue import get_source
from mapapp.store.formats import DATA_FORMATS, SUFFIXES, to_bytes
from mapapp.store.query import PLAY_STEPS, EventFilter, nearest, next_range
from mapapp.view import ViewState
from mapapp.web.events import publish_payload

DATA_URL = "/app/static/data"  # where the event payloads are served from
PLAY_PAUSE_S = 0.8  # how long a step of ▶ Play shows its range
CLICK_PX = 10  # how near an event a click must land, as in the page
TABLE_ROWS = 1000
DATA_FORMAT_LABELS = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "parquet": "GeoParquet",
                      "csv": "CSV"}


@st.cache_resource(show_spinner="Loading the event sets…", max_entries=4)
def get_events(data_dir: str, cache_dir: str, names: tuple[str, ...], version: tuple):
    # ``version`` is only part of the cache key: a new import reloads.
    return load_events(Path(data_dir), names, cache_dir=Path(cache_dir))


@st.cache_resource(max_entries=8)
def events_url(data_dir: str, names: tuple[str, ...], version: tuple, _events) -> str:
    """Where the page fetches the events: a file named by its content, sent once."""
    units = {name: row_unit(get_source(Path(data_dir), name).kind) for name in names}
    return f"{DATA_URL}/{publish_payload(_events, STATIC_DIR / 'data', units)}"


def event_range(events, view: ViewState, sb) -> EventFilter:
    """The date range slider (and play-through) for the shown event sets, in ``sb``."""
    lo, hi = event_span(events)
    link_start, link_end = st.session_state.pop("_link_dates", ("", ""))
    if link_start or link_end:  # a shared link's range, once, inside the data's span
        start = max(lo, dt.date.fromisoformat(link_start)) if link_start else lo
        end = min(hi, dt.date.fromisoformat(link_end)) if link_end else hi
        st.session_state["dates"] = (min(start, end), max(start, end))
    advance = st.session_state.pop("_advance", None)
    if advance is not None:
        st.session_state["dates"] = advance
    if lo == hi:  # one day: nothing to narrow or play through
        sb.caption(f"All events on {lo}.")
        return EventFilter(sources=view.sources, start=lo, end=hi)
    current = st.session_state.get("dates")
    if not current or current[0] < lo or current[1] > hi:
        st.session_state["dates"] = (lo, hi)
    start, end = sb.slider("Event dates", min_value=lo, max_value=hi, key="dates",
                           format="YYYY-MM-DD", help="Events whose dates overlap this range")
    if end >= hi:  # at the end of the data, playing stops
        st.session_state["playing"] = False
    play, step = sb.columns(2)
    playing = st.session_state.get("playing", False)
    play.button("■ Stop" if playing else "▶ Play", key="play", width="stretch",
                on_click=toggle_play, args=(lo, hi),
                help="Move the range forward one step at a time")
    step.selectbox("Step", list(PLAY_STEPS), key="play_step", label_visibility="collapsed")
    return EventFilter(sources=view.sources, start=start, end=end)


def toggle_play(lo: dt.date, hi: dt.date) -> None:
    """Start or stop.  A range already at the end starts again from the
    first day (a week long if it was all of the data)."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if not playing:  # a step the last run queued before Stop was pressed
        st.session_state.pop("_advance", None)
    start, end = st.session_state.get("dates") or (lo, hi)
    if playing and end >= hi:
        length = end - start if (start, end) != (lo, hi) else dt.timedelta(days=6)
        st.session_state["_advance"] = (lo, min(lo + length, hi))


def play_on(events, wanted: EventFilter) -> None:
    """While playing: show this range a moment, then move it one step on."""
    if not st.session_state.get("playing"):
        return
    _, hi = event_span(events)
    time.sleep(PLAY_PAUSE_S)
    st.session_state["_advance"] = next_range(wanted.start, wanted.end,
                                              st.session_state.get("play_step") or "day", hi)
    st.rerun()


def note_event_click(result: dict | None, shown) -> bool:
    """A click on the map near an event selects it (the nearest, within a few
    pixels); whether it did.  A feature clicked at the same time is noted as
    seen, so it does not take over on the next run."""
    clicked = (result or {}).get("last_clicked")
    if not clicked or clicked == st.session_state.get("_last_map_click"):
        return False
    st.session_state["_last_map_click"] = clicked
    zoom = (result or {}).get("zoom") or 6
    # Degrees of latitude per pixel at this zoom and latitude (Web Mercator),
    # so "near" means what it means in the page (mapapp.js: 10 px).
    radius = CLICK_PX * 360 / (256 * 2 ** zoom) * math.cos(math.radians(clicked["lat"]))
    position = nearest(shown, clicked["lat"], clicked["lng"], radius)
    if position is None:
        return False
    row = shown.iloc[position]
    st.session_state["event"] = (str(row["source"]), str(row["id"]))
    st.session_state["details"] = "event"
    st.session_state["_last_click"] = clicked_feature_id(result) or st.session_state.get(
        "_last_click")
    return True


def show_events_summary(events, shown, wanted: EventFilter) -> None:
    st.caption(f"{len(shown):,} of {len(events):,} events from "
               f"{', '.join(wanted.sources)}, {wanted.start} to {wanted.end}.")
    if len(shown):
        per_day = shown.groupby([shown["date_start"].dt.date, shown["type"].astype(str)],
                                observed=True).size().unstack(fill_value=0)
        colors = [styles.EVENT_COLORS.get(c, styles.EVENT_COLORS["event"]) for c in per_day.columns]
        per_day.columns = [EVENT_TYPES.get(c, c) for c in per_day.columns]
        # The map's colours, so the chart needs no legend of its own to be read.
        st.bar_chart(per_day, height=260, x_label="Event date", y_label="Events per day",
                     stack=True, color=colors)


def show_event_details(events, data_dir: str) -> bool:
    """The selected event's facts, if one is selected and shown; whether it was."""
    chosen = st.session_state.get("event")
    if st.session_state.get("details") != "event" or not chosen:
        return False
    match = events[(events["source"].astype(str) == chosen[0]) & (events["id"] == chosen[1])]
    if match.empty:
        return False
    row = match.iloc[0]
    source = get_source(Path(data_dir), chosen[0])
    name = row["name"]
    text.heading(str(row["id"] if pd.isna(name) else name), key="details", level=3)
    text.facts(event_details(row, source), key="details")
    return True


def show_event_export(shown, wanted: EventFilter, version: tuple) -> None:
    """The events in the range as GeoJSON, GeoPackage, GeoParquet or CSV,
    made on request (a GeoPackage of 100,000 events takes a second)."""
    fmt_col, make_col = st.columns([1, 2])
    fmt = fmt_col.selectbox("Format", DATA_FORMATS, key="events_format",
                            format_func=DATA_FORMAT_LABELS.get)
    made_for = (fmt, wanted, version)  # a new import makes the file again
    if make_col.button("Prepare the download", key="events_make"):
        st.session_state["_events_file"] = (made_for, to_bytes(shown, fmt))
    made = st.session_state.get("_events_file")
    if made and made[0] == made_for:
        name = f"events-{wanted.start}-{wanted.end}{SUFFIXES[fmt][0]}"
        make_col.download_button(f"Download {name}", made[1], file_name=name,
                                 key="events_download")


def clicked_feature_id(result: dict | None) -> str:
    drawing = (result or {}).get("last_active_drawing") or {}
    return str((drawing.get("properties") or {}).get("id") or "")
