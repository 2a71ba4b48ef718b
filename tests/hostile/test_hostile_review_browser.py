"""The hostile corpus pasted into the "New report" page of the running app,
in Chromium with the trap set in every frame: the marked text is the
report as typed, and nothing in it runs, asks the network or opens a dialog.
"""

from __future__ import annotations

import shutil

import pytest
from browser_support import ARTIFACTS, launch_chromium, paste_report, refuse_outside, serve_app
from hostile_data import PAYLOADS, usable
from test_hostile_browser import TRAP, assert_nothing_ran

from mapapp.sources.report_folder import DATA_DIR

pytestmark = pytest.mark.browser

# What a browser's text box can hold (no lone surrogates, no NUL).
IN_TEXT = [p for p in usable(PAYLOADS, "report.summary") if "\x00" not in p["text"]]


def test_every_payload_in_a_pasted_report_shows_as_typed(tmp_path, request):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("sources"))
    text = "Missiles Hit Ukrainian Cities\n\n" + "\n\n".join(
        f"Missiles struck Lviv on Tuesday. {p['text']}" for p in IN_TEXT) + "\n"
    with serve_app("streamlit-hostile-review.log", MAPAPP_DATA_DIR=str(data)) as url, \
            launch_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(TRAP)
        outside = refuse_outside(context)
        page = context.new_page()
        errors, dialogs = paste_report(page, url, text)
        page.get_by_role("button", name="Find places").click()
        frame = page.frame_locator('iframe[srcdoc*="mapapp-data"]')
        frame.locator("mark").first.wait_for(timeout=120_000)
        # The browser's text box turns CR and CRLF into LF, as any paste would.
        typed = text.replace("\r\n", "\n").replace("\r", "\n")
        assert frame.locator("#text").text_content() == typed
        assert frame.locator("#text *:not(mark)").count() == 0  # marks, and text only
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "hostile-review.png"))
        assert_nothing_ran(page, outside=outside, errors=errors, dialogs=dialogs,
                           title=page.title())
        context.close()
