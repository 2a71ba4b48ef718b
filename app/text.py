"""Showing text from data in Streamlit: as plain text, never as Markdown.

Streamlit's Markdown does more than CommonMark: ``:material/icon:``,
``:red[...]``, emoji codes and ``$...$`` LaTeX are expanded after escapes
are undone, and a newline plus four spaces starts a code block that shows
the escapes themselves.  No escaping makes arbitrary text come out
literally, so data text goes through ``st.text`` (no parsing at all) and
Markdown only ever sees our own fixed words.  ``app.css`` gives the plain
text the look of headings, captions and boxes.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

CSS_FILE = Path(__file__).resolve().with_name("app.css")


def use_styles() -> None:
    """Add ``app.css`` to the page (once per run, before anything styled).

    Through Markdown with HTML allowed: the text is our own file, and
    ``st.html(path)`` sends a style-only body to the event container, where
    Streamlit 1.67 never puts it on the page.
    """
    st.markdown(f"<style>{CSS_FILE.read_text(encoding='utf-8')}</style>", unsafe_allow_html=True)


def heading(text: str, *, key: str, level: int = 1) -> None:
    """``text`` in large type (levels 1 to 3), shown literally."""
    with st.container(key=f"mapapp_h{level}_{key}"):
        st.text(text)


def caption(text: str, *, key: str) -> None:
    """``text`` in small grey type, shown literally."""
    with st.container(key=f"mapapp_caption_{key}"):
        st.text(text)


def problem(headline: str, detail: str = "", *, kind: str = "error", key: str) -> None:
    """An alert with our own ``headline`` and, under it, ``detail`` (which may
    hold text from data or a link) shown literally."""
    with st.container(key=f"mapapp_{kind}_{key}"):
        getattr(st, kind)(headline)
        if detail:
            st.text(detail)


def facts(rows: list[tuple[str, str]], *, key: str) -> None:
    """Label/value pairs: our label in bold, the value as plain text."""
    with st.container(key=f"mapapp_facts_{key}"):
        for label, value in rows:
            st.markdown(f"**{label}**")  # labels are ours, never data
            st.text(value)
