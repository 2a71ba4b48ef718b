"""The "New report" page: a report's text becomes a reviewed map source.

Paste the text or upload a .txt, .html or .pdf; the offline geoparser
drafts one row per place (:mod:`mapapp.sources.geoparse.draft`); the editor
fixes rows in a table while a preview map redraws; the reviewed draft is
saved as a new report source of the data folder, never over another.

The report's text is the user's: it is shown in a frame that puts it on
the page as text (``highlight.html``), kept in this session, and saved
only in the new source's own folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app import ASSET_BASE, text
from mapapp.errors import MapAppError, SourceExistsError
from mapapp.geo.geocode import nominatim_client
from mapapp.geo.nameindex import load_index
from mapapp.model import LAYER_LABELS, LAYER_TYPES, STATUSES
from mapapp.model.describe import type_label
from mapapp.sources.geoparse.draft import (
    COLUMNS,
    UNKNOWN_PUBLISHER,
    UNTITLED,
    checked_records,
    draft_report,
    draft_story,
    locate_online,
    save_draft,
    slug,
)
from mapapp.sources.geoparse.events import EVENT_LABELS
from mapapp.sources.geoparse.text import UPLOAD_TYPES, decode_text, text_from_upload
from mapapp.sources.report_folder import draft_map
from mapapp.web.map import build_map
from mapapp.web.payload import script_json

HIGHLIGHT_FILE = Path(__file__).resolve().with_name("highlight.html")
SCROLL_TOP_FILE = Path(__file__).resolve().with_name("scroll_top.html")
PREVIEW_HEIGHT = 480
# The candidates' table shows up to 16 rows before it scrolls.
TABLE_MAX_HEIGHT = 38 + 35 * 16
# The marked text's frame: the legend, then lines of about 90 characters at
# 15px/1.55 (highlight.html), up to a screenful; a longer text scrolls in it.
MARKED_LEGEND_PX, MARKED_LINE_PX, MARKED_LINE_CHARS, MARKED_MAX_PX = 60, 24, 90, 420
# The kinds of place the geoparser tells apart, and their marks' colours.
KIND_COLOURS = {"settlement": "#d1495b", "region": "#edae49", "district": "#edae49",
                "country": "#00798c", "river": "#3b8bd0", "sea": "#3b8bd0", "lake": "#3b8bd0",
                "continent": "#8d6a9f", "area": "#8d6a9f", "airport": "#d1495b", "site": "#d1495b",
                "unknown": "#888888"}
KIND_LEGEND = (("settlement", "city, town, village, airport or site"),
               ("region", "region or district"),
               ("country", "country"), ("river", "river, sea or lake"),
               ("continent", "continent or other area"), ("unknown", "not located"))
DRAFT_LAYERS = ("fighting", "strikes", "places", "mentions")
# Columns the table shows but the reviewer does not edit.
SHOWN_ONLY = ("found_as", "date_basis", "confidence", "located")
LABELS = {"keep": "Keep", "name": "Place", "found_as": "Found as", "event": "What happened",
          "layer": "Layer", "type": "Type", "status": "How sure", "event_date": "Event date", "date_basis": "Date from",
          "claimant": "Who says so", "denied_by": "Disputed by",
          "lat": "Latitude", "lon": "Longitude",
          "summary": "Summary (our words)", "paragraphs": "Paragraphs",
          "confidence": "Confidence", "located": "How it was located"}


@st.cache_resource(show_spinner="Loading the gazetteer (the first time takes ~15 s)…")
def get_index():
    return load_index()


def start_review() -> None:
    st.session_state["mode"] = "review"


def leave_review() -> None:
    st.session_state["mode"] = "explore"


def open_saved(name: str) -> None:
    """Show a source just saved on the map."""
    st.session_state.update(mode="explore", report=name, selected=None, _review=None,
                            _scroll_top=True)


def scroll_to_top() -> None:
    """Take the page back to its top once, after "Show it on the map"."""
    if st.session_state.pop("_scroll_top", False):
        with st.sidebar:
            st.iframe(SCROLL_TOP_FILE, height=1)


def _report_text(pasted: str, upload) -> tuple[str, str]:
    """The text to draft from and the name of the file it came from."""
    if upload is not None:
        return text_from_upload(upload.name, upload.getvalue()), upload.name
    # The paste box's own limit keeps this small; the checks are the same.
    return decode_text(pasted.encode("utf-8", errors="surrogatepass"), name="the pasted text"), ""


def find_places(pasted: str, upload, publisher: str, date: dt.date | None,
                online: bool = False) -> None:
    """Draft rows from the text; a problem is kept to show, the old draft too.
    ``online``: ask Nominatim about the places no offline source located."""
    try:
        report_text, file = _report_text(pasted, upload)
        draft = draft_report(report_text, publisher=publisher,
                             date=date.isoformat() if date else "", index=get_index())
    except MapAppError as err:
        st.session_state["_review_problem"] = str(err)
        return
    st.session_state["_review_problem"] = None
    st.session_state["_review_online"] = []
    if online and any(row["lat"] is None for row in draft.rows):
        with st.spinner("Asking OpenStreetMap Nominatim…"):
            st.session_state["_review_online"] = locate_online(draft.rows, nominatim_client())
    made = st.session_state.get("_review_made", 0) + 1  # a new table, free of old edits
    st.session_state.update(
        _review={"draft": draft, "file": file, "table": made}, _review_made=made,
        _review_saved=None, review_headline=draft.report["headline"],
        review_publisher=draft.report["publisher"], review_date=draft.report["date"],
        review_name=source_name(draft.report["headline"]),
        _review_auto_name=source_name(draft.report["headline"]))


def source_name(headline: str) -> str:
    """A source's folder name drafted from its headline.

    >>> source_name("Russia Strikes Cities; Kherson Retreat"), source_name("")
    ('russia-strikes-cities-kherson-retreat', 'new-report')
    >>> source_name("Russian drones and missiles hit Odesa and Dnipro overnight")
    'russian-drones-and-missiles-hit-odesa'
    """
    return slug(headline, limit=40) or "new-report"


def follow_headline() -> None:
    """A source name still as drafted follows the edited headline; one the
    reviewer typed stays."""
    state = st.session_state
    if state.get("review_name") == state.get("_review_auto_name"):
        state["review_name"] = state["_review_auto_name"] = source_name(
            state.get("review_headline", ""))


def highlight_page(draft, rows: list[dict]) -> str:
    """The report with each mention marked by kind, struck through when its
    place is not kept; a hover names the place.  The text and the marks go
    in as JSON, and the page's script puts them on screen as text."""
    kept = {tuple(span): row["keep"] for row in rows for span in row["evidence"]}
    row_of = {tuple(span): row for row in rows for span in row["evidence"]}
    marks = []
    for mention in draft.mentions:
        span = (mention.start, mention.end)
        row = row_of.get(span)
        title = (f"{row['name']}: {row['event']} ({mention.kind}, confidence "
                 f"{mention.confidence:.2f})" if row else mention.kind)
        marks.append([mention.start, mention.end, mention.kind, title, bool(kept.get(span))])
    payload = {"text": draft.text, "marks": marks, "colours": KIND_COLOURS,
               "legend": [list(item) for item in KIND_LEGEND]}
    return HIGHLIGHT_FILE.read_text(encoding="utf-8").replace("__DATA__", script_json(payload))


def marked_text_height(text: str) -> int:
    """The marked text's frame height: as tall as the text, at most a screenful.

    >>> marked_text_height("Missiles hit Kyiv."), marked_text_height("word " * 5000)
    (100, 420)
    """
    lines = sum(max(1, -(-len(line) // MARKED_LINE_CHARS)) for line in text.splitlines() or [""])
    return min(MARKED_LEGEND_PX + 16 + MARKED_LINE_PX * lines, MARKED_MAX_PX)


def edit_rows(rows: list[dict], table: int) -> list[dict]:
    """The editable table of candidates; the rows as edited."""
    frame = pd.DataFrame([{c: row[c] for c in COLUMNS} for row in rows], columns=COLUMNS)
    types = list(dict.fromkeys(t for layer in DRAFT_LAYERS for t in LAYER_TYPES[layer]))
    column = st.column_config
    edited = st.data_editor(
        frame, key=f"review_table_{table}", num_rows="fixed", hide_index=True,
        width="stretch", height=min(38 + 35 * len(rows), TABLE_MAX_HEIGHT),
        column_order=COLUMNS,
        disabled=SHOWN_ONLY,
        column_config={
            "keep": column.CheckboxColumn(LABELS["keep"], help="Draw this place on the map"),
            "name": column.TextColumn(LABELS["name"], required=True, max_chars=300,
                                      width="medium"),
            "found_as": column.TextColumn(LABELS["found_as"],
                                          help="The words in the report"),
            "event": column.SelectboxColumn(LABELS["event"], options=list(EVENT_LABELS.values()),
                                            required=True),
            # The map's words for layers and types, not the data's names.
            "layer": column.SelectboxColumn(LABELS["layer"], options=list(DRAFT_LAYERS),
                                            required=True, format_func=LAYER_LABELS.get,
                                            width="medium"),
            "type": column.SelectboxColumn(LABELS["type"], options=types, required=True,
                                           format_func=type_label, width="medium"),
            "status": column.SelectboxColumn(LABELS["status"], options=list(STATUSES),
                                             required=True),
            "event_date": column.TextColumn(LABELS["event_date"],
                                            help="YYYY-MM-DD, or start/end"),
            "date_basis": column.TextColumn(LABELS["date_basis"], width="medium",
                                            help="What in the text the event date rests on"),
            "claimant": column.TextColumn(LABELS["claimant"], max_chars=300),
            "denied_by": column.TextColumn(
                LABELS["denied_by"], max_chars=300,
                help="Who the report says denies it: saved as a second claim. Clear it to "
                     "drop that claim."),
            "lat": column.NumberColumn(LABELS["lat"], min_value=-90.0, max_value=90.0,
                                       format="%.4f"),
            "lon": column.NumberColumn(LABELS["lon"], min_value=-180.0, max_value=180.0,
                                       format="%.4f"),
            "summary": column.TextColumn(LABELS["summary"], max_chars=2000),
            "paragraphs": column.TextColumn(LABELS["paragraphs"],
                                            help="The report's paragraphs it rests on"),
            "confidence": column.ProgressColumn(LABELS["confidence"], min_value=0.0,
                                                max_value=1.0, format="%.2f"),
            "located": column.TextColumn(LABELS["located"]),
        })
    out = []
    for row, new in zip(rows, edited.to_dict("records")):
        # Keep what the table does not show: evidence, the first point, the stance.
        out.append({**row, **{c: new[c] for c in COLUMNS if c not in SHOWN_ONLY}})
    return out


def fault_text(fault: MapAppError) -> str:
    """A row's fault in the table's words: its column's heading, not the
    data's field name, and for a place without a point, how to give it one."""
    field = getattr(fault, "field", None)
    words = getattr(fault, "detail", str(fault))
    if field in LABELS:
        words += f" (column “{LABELS[field]}”)"
    if field in ("lat", "lon"):
        words += (". Type its latitude and longitude, untick “Keep”, or tick “Also look up "
                  "online” and find the places again.")
    return words


def review_page(data_dir: str) -> None:
    text.heading("New report: from text to map", key="review")
    text.caption("Paste a report or upload it; mapapp finds its places offline and drafts a "
                 "row for each. Check every row, fix or drop it, then save the report as a new "
                 "source. The text stays on this machine, saved only in that source's folder.",
                 key="review")
    st.button("← Back to the map", key="review_leave", on_click=leave_review)

    pasted_tab, upload_tab = st.tabs(["Paste the text", "Upload a file"])
    pasted = pasted_tab.text_area("The report's text", key="review_text", height=220,
                                  max_chars=2_000_000,
                                  placeholder="Headline, dateline and paragraphs, as published")
    upload = upload_tab.file_uploader("A report as .txt, .html or .pdf", key="review_upload",
                                      type=list(UPLOAD_TYPES),
                                      help="A PDF needs a text layer (a scan has none)")
    left, right = st.columns(2)
    publisher = left.text_input("Publisher", key="review_publisher_in",
                                placeholder="Who published the report")
    date = right.date_input("Report date", value=None, key="review_date_in",
                            help="Blank: the date in the report's dateline",
                            min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
    online = st.checkbox("Also look up online the places the offline gazetteer lacks",
                         key="review_online", value=False,
                         help="Sends those names, and nothing else from the report, to "
                              "OpenStreetMap Nominatim (needs internet); off by default")
    if st.button("Find places", key="review_find", type="primary"):
        find_places(pasted, upload, publisher, date, online)
    text.caption("An uploaded file is read in preference to pasted text. Finding places "
                 "again starts a new table.", key="review_find")
    problem = st.session_state.get("_review_problem")
    if problem:
        text.problem("The report could not be read.", problem, key="review_read")
    missed = st.session_state.get("_review_online")
    if missed:
        text.problem("Some places could not be looked up online; locate them by hand.",
                     "\n".join(missed), kind="warning", key="review_online")
    review = st.session_state.get("_review")
    if not review:
        return
    draft = review["draft"]
    if not draft.rows:
        st.info("No places were found in this text. Is it the whole report, in English?")
        return

    st.subheader("Report")
    a, b, c = st.columns([3, 2, 1])
    headline = a.text_input("Headline", key="review_headline", max_chars=300,
                            on_change=follow_headline)
    publisher = b.text_input("Publisher", key="review_publisher", max_chars=300)
    report_day = c.text_input("Date", key="review_date", help="YYYY-MM-DD")
    report = {**draft.report, "headline": headline.strip(), "publisher": publisher.strip(),
              "date": report_day.strip()}
    missing = [what for what, value, stand_in in (("headline", headline, UNTITLED),
                                                  ("publisher", publisher, UNKNOWN_PUBLISHER))
               if value.strip() in ("", stand_in)]
    if missing:
        text.problem(f"The text gives no {' and no '.join(missing)}: type "
                     f"{'them' if len(missing) > 1 else 'it'} above. The map, its images and "
                     "the lesson show them, and the publisher is who says so where the text "
                     "names nobody.", kind="warning", key="review_untitled")
    if not draft.dated:
        text.problem(f"The text gives no full date (with its year): {draft.report['date']} "
                     "stands in for the report's, and weekdays and “yesterday” were counted "
                     "from it. Give the report's date above and find the places again.",
                     kind="warning", key="review_undated")

    st.subheader(f"Places found ({len(draft.rows)})")
    rows = edit_rows(draft.rows, review["table"])
    with st.expander("The report, with the places marked", expanded=True):
        # Our own page; the report's text is JSON in it, put on the page as text.
        st.iframe(highlight_page(draft, rows), height=marked_text_height(draft.text))

    st.subheader("Preview")
    try:
        records, faults = checked_records(rows, report)
    except MapAppError as err:  # the report's own headline, publisher or date
        text.problem("Fix this before the report can be saved.", str(err), key="review_rows")
        return
    if faults:
        text.problem("Fix these rows before the report can be saved; the preview leaves "
                     "them out.", "\n".join(fault_text(f) for f in faults), key="review_rows")
    if not records:
        st.info("No place is kept: tick “Keep” for the places to draw.")
        return
    try:
        preview = draft_map(report, records)
    except MapAppError as err:
        text.problem("The draft could not be drawn.", str(err), key="review_draw")
        return
    # Framed on the kept places (far-off capitals aside), as the saved lesson is.
    bounds = draft_story(report, records)["steps"][0]["bounds"]
    st_folium(build_map(preview, asset_base=ASSET_BASE, bounds=bounds), height=PREVIEW_HEIGHT,
              use_container_width=True, returned_objects=[], key="review_map")
    text.caption(f"{len(records)} of {len(rows)} places kept.", key="review_kept")

    st.subheader("Save")
    name_col, button_col = st.columns([3, 1])
    name = name_col.text_input("Source name", key="review_name", max_chars=64,
                               help="Lower-case letters, digits, '.', '_' and '-'; it names "
                                    "the source's folder")
    if button_col.button("Save as a new source", key="review_save", type="primary",
                         disabled=bool(faults), help="Fix the rows above first" if faults
                         else None):
        try:
            save_draft(Path(data_dir), name.strip(), report, draft.text, records,
                        file=review["file"], rows_read=len(rows))
        except SourceExistsError as err:
            text.problem("The report was not saved.",
                         f"A source named “{err.name}” exists already: choose another name. "
                         "Saving never replaces a source.", key="review_save")
        except MapAppError as err:
            text.problem("The report was not saved.", str(err), key="review_save")
        else:
            st.session_state["_review_saved"] = name.strip()
    saved = st.session_state.get("_review_saved")
    if saved:
        st.success("Saved. It is in the sidebar's “Report” list, with its own lesson.")
        st.button("Show it on the map", key="review_open", on_click=open_saved,
                  args=(saved,), type="primary")
