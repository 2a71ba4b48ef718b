"""Which report the map shows: the data folder's own, or one saved from
the "New report" page (a report source in its catalogue).

The choice is in the link (``report=<name>``) so a shared link reopens
it; a name the catalogue does not hold is ignored, with a note.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app import text
from mapapp.errors import MapAppError
from mapapp.store.catalogue import list_sources


def report_folders(data_dir: str) -> dict[str, tuple[str, str]]:
    """Every report of ``data_dir``: name -> (label, folder), its own first."""
    try:
        sources = [s for s in list_sources(Path(data_dir)) if s.kind == "report"]
    except MapAppError as err:
        text.problem("The catalogue of saved reports could not be read.", str(err),
                     key="reports")
        return {}
    labels = {s.name: f"{s.title} ({s.publisher}, {s.published})" for s in sources}
    # Streamlit tells a selectbox's options apart by their labels: two reports
    # saved with one title must not share one, or picking either opens the first.
    shared = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    return {s.name: (labels[s.name] + (f" · {s.name}" if labels[s.name] in shared else ""),
                     s.folder) for s in sources}


def _picked() -> None:
    # Another report: its features and lesson differ, so none stays selected.
    st.session_state.update(report=st.session_state["report_pick"], selected=None, step=0)


def choose(data_dir: str, link: dict) -> tuple[str, str]:
    """The chosen report's folder and, unless it is the data folder's own
    report, its name (for the link).  The sidebar offers the choice only
    when there is one to make."""
    folders = report_folders(data_dir)
    own = next((n for n, (_, f) in folders.items() if Path(f) == Path(data_dir)), None)
    # Plain state, not the widget's: Streamlit forgets a widget's value on a
    # run that does not draw it (the review page), and the choice must stay.
    if "report" not in st.session_state:  # the link decides once, then the sidebar does
        wanted = link.get("report") or own
        if wanted and wanted not in folders:
            st.session_state["_link_notes"] = [
                *st.session_state.get("_link_notes", []),
                f"Ignored unknown report in the link: {wanted}"]
            wanted = own
        st.session_state["report"] = wanted
    if st.session_state["report"] not in folders:  # deleted since, or none at all
        st.session_state["report"] = own
    # A folder of imported sets alone has no report of its own: "none" is a choice.
    options = ([] if own else [None]) + list(folders)
    if len(options) > 1:
        st.session_state["report_pick"] = st.session_state["report"]
        st.sidebar.selectbox("Report", options, key="report_pick",
                             format_func=lambda name: (folders[name][0] if name else
                                                       "None: imported sources only"),
                             on_change=_picked,
                             help="The data folder's report, or one saved from "
                                  "“New report from text”")
    name = st.session_state["report"]
    if name is None:
        return data_dir, ""
    return folders[name][1], "" if name == own else name
