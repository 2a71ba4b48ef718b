"""Control maps in the app: choosing one, the snapshot in force, what
changed between two of its dates, and how it compares with another map.

The work is done by the core package (:mod:`mapapp.store.snapshots`,
:mod:`mapapp.sources.control_maps`, :mod:`mapapp.geo.compare`); this
module only asks and shows.  Every text from a control map (its names,
publisher, title) goes through ``st.text`` or a dataframe, never Markdown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from app import text
from mapapp.errors import MapAppError
from mapapp.geo import compare as measure
from mapapp.geo.gazetteer import country_geometry
from mapapp.sources.control_maps import (change_features, credit_changes, map_credit,
                                         outline_feature, shown_features, with_control_map)
from mapapp.sources.report_folder import THEATRE_COUNTRY
from mapapp.store.catalogue import get_source
from mapapp.store.snapshots import read_snapshot, snapshot_dates

REPORT_OWN = ""  # the choice that keeps the report's own, assessed line and areas


def choose(sb, area_names: tuple[str, ...], *, report: bool = True) -> tuple[str, object]:
    """The sidebar's "Control map" box: the chosen area source ("" for the
    report's own, offered when there is a ``report``), and a place under it
    for the choice of its date."""
    if not area_names:
        return REPORT_OWN, None
    sb.header("Control map")
    choices = (REPORT_OWN, *area_names) if report else area_names
    if st.session_state.get("areas") not in choices:
        st.session_state["areas"] = choices[0]
    chosen = sb.selectbox("Areas and front line from", choices, key="areas",
                          format_func=lambda n: n or "The report's own (assessed)",
                          help="Imported control maps (`python -m mapapp import FILE --format "
                               "areas --date ...`); the map shows the one in force on the "
                               "chosen day.")
    return chosen or REPORT_OWN, sb.container()


def _version(data_dir: str, name: str) -> tuple:
    folder = Path(get_source(Path(data_dir), name).folder)
    return tuple((d.isoformat(), (folder / "areas" / f"{d}.parquet").stat().st_mtime_ns)
                 for d in snapshot_dates(folder))


@st.cache_resource(max_entries=16, show_spinner="Loading the control map…")
def _snapshot(data_dir: str, name: str, day: dt.date, version: tuple):
    return read_snapshot(Path(data_dir), name, day)


def snapshot_day(sb, data_dir: str, name: str, events_end: dt.date | None) -> dt.date | None:
    """The snapshot shown: the one in force on the events' last day when
    event sets are shown, otherwise the one chosen on a slider of its dates."""
    days = snapshot_dates(Path(get_source(Path(data_dir), name).folder))
    if not days:
        return None
    link_day = st.session_state.pop("_link_map_day", "")
    if link_day and events_end is None:  # a shared link's day, once
        earlier = [d for d in days if d <= dt.date.fromisoformat(link_day)]
        st.session_state["map_date"] = earlier[-1] if earlier else days[0]
    if events_end is not None:
        earlier = [d for d in days if d <= events_end]
        return earlier[-1] if earlier else None
    if len(days) == 1:
        return days[0]
    if st.session_state.get("map_date") not in days:
        st.session_state["map_date"] = days[-1]
    return sb.select_slider("Control map of", days, key="map_date",
                            format_func=lambda d: d.isoformat())


def link_day(data_dir: str, name: str, day: dt.date | None) -> str:
    """The day to keep in the link (as ``to``) for a control map shown
    without events: "" for its latest, which a link without a day opens."""
    days = snapshot_dates(Path(get_source(Path(data_dir), name).folder))
    return "" if day is None or not days or day == days[-1] else day.isoformat()


def apply(report_map, data_dir: str, name: str, day: dt.date | None):
    """``report_map`` with the control map's snapshot of ``day``, and the
    credit line naming it (or the report map unchanged and "")."""
    if not name:
        return report_map, ""
    source = get_source(Path(data_dir), name)
    if day is None:
        instead = ("the report's own line and areas are drawn" if report_map.has_report
                   else "no areas are drawn")
        text.problem("No control map in force.",
                     f"{name} begins on {source.first_date}, after the days shown: {instead}.",
                     kind="warning", key="areas")
        return report_map, ""
    credit = map_credit(source, day)
    features = _features(data_dir, name, day, _version(data_dir, name))
    return with_control_map(report_map, features, day), credit


@st.cache_resource(max_entries=16)
def _features(data_dir: str, name: str, day: dt.date, version: tuple):
    # A derived line is a union and a difference of the whole map: once per map and day.
    return shown_features(get_source(Path(data_dir), name), day,
                          _snapshot(data_dir, name, day, version))


def _changed(data_dir: str, name: str, start: dt.date, end: dt.date):
    return _changes(data_dir, name, start, end, _version(data_dir, name))


@st.cache_resource(max_entries=16, show_spinner="Measuring what changed…")
def _changes(data_dir: str, name: str, start: dt.date, end: dt.date, version: tuple):
    # Unions and differences of whole maps: once per pair of dates, not per rerun.
    return measure.changes(_snapshot(data_dir, name, start, version),
                           _snapshot(data_dir, name, end, version), country=THEATRE_COUNTRY)


@st.cache_resource(max_entries=16, show_spinner="Comparing the maps…")
def _comparison(data_dir: str, name: str, day: dt.date, other: str, other_day: dt.date,
                versions: tuple):
    country = country_geometry(THEATRE_COUNTRY)
    if country is None:
        raise MapAppError(f"no outline of {THEATRE_COUNTRY} to derive front lines inside")
    return measure.compare(_snapshot(data_dir, name, day, versions[0]),
                           _snapshot(data_dir, other, other_day, versions[1]), country)


def changes_key() -> tuple:
    """What the change and comparison layers drawn depend on (for caches of images)."""
    return tuple(st.session_state.get(k) for k in ("draw_changes", "change_from",
                                                   "overlay_other", "compare_with"))


def overlay_layer(report_map, data_dir: str, name: str, day: dt.date | None):
    """``report_map`` with the compared map's held land outlined on it, when
    the reader asked for it below the map (read before the map is drawn)."""
    other = st.session_state.get("compare_with")
    if not (name and day and other and other != name and st.session_state.get("overlay_other")):
        return report_map, ""
    try:
        source = get_source(Path(data_dir), other)
    except MapAppError:  # the map compared with was removed meanwhile
        return report_map, ""
    days = [d for d in snapshot_dates(Path(source.folder)) if d <= day]
    if not days:
        return report_map, ""
    areas = _snapshot(data_dir, other, days[-1], _version(data_dir, other))
    outline = outline_feature(source, days[-1], areas)
    credit = (f"Outlined: held by Russia in {source.title} ({source.publisher}; "
              f"{source.licence}), as of {days[-1]}")
    return replace(report_map, features=report_map.features + (outline,)), credit


def _earlier(data_dir: str, name: str, day: dt.date | None) -> list[dt.date]:
    days = snapshot_dates(Path(get_source(Path(data_dir), name).folder))
    return [d for d in days if day is not None and d < day]


def change_layer(report_map, data_dir: str, name: str, day: dt.date | None,
                 events_shown: bool = False):
    """``report_map`` with what changed hands from an earlier date up to the
    map shown (``day``) drawn on it, when the reader asked for it below the
    map (read before the map is drawn, from the last run's widgets) or a
    link's ``from`` did; and the change in words for the credits."""
    if not name or day is None:
        return report_map, ""
    earlier = _earlier(data_dir, name, day)
    link_from = st.session_state.pop("_link_change_from", "")
    if link_from and not events_shown and earlier:  # a shared link's, once
        since = [d for d in earlier if d <= dt.date.fromisoformat(link_from)]
        st.session_state["change_from"] = since[-1] if since else earlier[0]
        st.session_state["draw_changes"] = True
    start, end = st.session_state.get("change_from"), day
    if not (st.session_state.get("draw_changes") and start in earlier):
        return report_map, ""
    source = get_source(Path(data_dir), name)
    try:
        changed = _changed(data_dir, name, start, end)
    except MapAppError:  # said where the changes are listed, below the map
        return report_map, ""
    pieces = change_features(source, start, end, changed)
    said = credit_changes(changed, start, end)
    return replace(report_map, features=report_map.features + pieces), said


def change_since(data_dir: str, name: str, day: dt.date | None) -> str:
    """The earlier date whose changes are drawn, for the link's ``from`` ("" if none)."""
    start = st.session_state.get("change_from")
    drawn = st.session_state.get("draw_changes") and start in _earlier(data_dir, name, day)
    return start.isoformat() if drawn else ""


def show_changes(data_dir: str, name: str, day: dt.date | None) -> None:
    """What changed hands from an earlier date of the control map up to the
    one shown (``day``), in km²."""
    earlier = _earlier(data_dir, name, day)
    if not earlier:
        return
    end = day
    if st.session_state.get("change_from") not in earlier:  # the map shown moved before it
        st.session_state["change_from"] = earlier[-1]
    with st.expander(f"What changed up to {end} on this control map"):
        start = st.selectbox("Since", earlier, key="change_from",
                             format_func=lambda d: d.isoformat())
        st.checkbox("Draw them on the map", key="draw_changes",
                    help="Outlined over the control map: red taken by Russia, blue returned "
                         "to Ukraine; also in the exported image.")
        try:
            changed = _changed(data_dir, name, start, end)
        except MapAppError as err:
            text.problem("What changed could not be measured.", str(err), key="changes")
            return
        if changed.empty:
            st.text(f"No area of {measure.MIN_CHANGE_KM2:g} km² or more changed hands "
                    f"between {start} and {end}.")
            return
        totals = changed.groupby("change")["km2"].sum()
        words = {c: measure.CHANGE_WORDS[c][0].upper() + measure.CHANGE_WORDS[c][1:]
                 for c in totals.index}
        st.text(" · ".join(f"{words[c]}: {measure.about_km2(totals[c])}" for c in totals.index))
        st.dataframe(pd.DataFrame({
            "Change": [measure.change_text(c, k, p, start, end)
                       for c, k, p in zip(changed["change"], changed["km2"], changed["place"])],
            "km² (measured)": changed["km2"].round().astype(int)}), hide_index=True,
            width="stretch")
        st.caption("Areas in an equal-area projection; pieces under "
                   f"{measure.MIN_CHANGE_KM2:g} km² are the two maps' drawing, not fighting.")


def show_comparison(data_dir: str, name: str, day: dt.date | None,
                    area_names: tuple[str, ...]) -> None:
    """This control map against another one, for the day shown."""
    others = tuple(n for n in area_names if n != name)
    if not others or day is None:
        return
    with st.expander("Compare with another control map"):
        other = st.selectbox("Other map", others, key="compare_with")
        st.checkbox("Outline it on the map", key="overlay_other",
                    help="Its land held by Russia as a dashed purple outline over the map "
                         "shown; also in the exported image.")
        other_days = [d for d in snapshot_dates(Path(get_source(Path(data_dir), other).folder))
                      if d <= day]
        if not other_days:
            st.text(f"{other} has no snapshot on or before {day}.")
            return
        try:
            result = _comparison(data_dir, name, day, other, other_days[-1],
                                 (_version(data_dir, name), _version(data_dir, other)))
        except MapAppError as err:
            text.problem("The maps could not be compared.", str(err), key="compare")
            return
        st.text(f"{name} of {day} and {other} of {other_days[-1]}:")
        st.dataframe(pd.DataFrame(result.rows(name, other), columns=["", "Value"]),
                     hide_index=True, width="stretch")
