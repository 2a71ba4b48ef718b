"""Launching Debian's Chromium for browser tests (Playwright cannot download one here)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As root in a sandbox with no network: no sandbox, no GPU, and none of
# Chromium's own background traffic (it would only be refused).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic"]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(log_name: str, **env: str):
    """``streamlit run streamlit_app.py`` on a free local port, with ``env``
    added to the environment; yields its URL once it answers, stops it after.
    The server's output goes to ``test-artifacts/<log_name>``."""
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **env)
    log_path = ARTIFACTS / log_name
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"Streamlit did not start; see {log_path}")
                    time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@contextlib.contextmanager
def launch_chromium():
    """A headless Chromium; a missing browser fails the test with the fix."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium` "
                    "(`make test` does it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline_page(browser, url: str, request, *, viewport=(1280, 800),
                      allow=("file:", "data:")):
    """Open ``url`` with every request outside ``allow`` refused and counted.

    Returns ``(page, outside, errors, dialogs)``: refused URLs, page errors,
    and messages of dialogs (dismissed; an ``alert`` from injected text shows
    up here).  A screenshot is kept in ``test-artifacts/`` if the test fails.
    """
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    outside, errors, dialogs = [], [], []

    def route(r):
        if r.request.url.startswith(allow):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    failed_before = request.session.testsfailed

    def close():
        # The call phase has been reported by teardown time.
        if request.session.testsfailed > failed_before:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        page.close()

    request.addfinalizer(close)
    page.goto(url)
    return page, outside, errors, dialogs


def refuse_outside(context) -> list[str]:
    """Refuse every request of ``context`` that leaves this machine; the
    returned list fills with their URLs (a test asserts it stays empty)."""
    from urllib.parse import urlparse

    outside: list[str] = []

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(
                ("data:", "about:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return outside


@contextlib.contextmanager
def app_page(request):
    """A Chromium page (1400x1000) for the running app, every request off
    this machine refused and listed in ``page.outside_requests``; a
    screenshot of it is kept in ``test-artifacts/`` after the test."""
    with launch_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside = refuse_outside(context)
        page = context.new_page()
        page.outside_requests = outside
        yield page
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        context.close()


def paste_report(page, url: str, text: str) -> tuple[list[str], list[str]]:
    """Open the app's "New report" page at ``url`` and paste ``text`` (the
    text area's value committed, as Ctrl+Enter does).  Returns the lists
    that fill with page errors and dialog messages (dismissed)."""
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + "/?mode=review", wait_until="domcontentloaded")
    box = page.get_by_label("The report's text")
    box.wait_for(timeout=60_000)
    box.fill(text)
    box.press("Control+Enter")  # Streamlit takes a text area's value on this
    page.wait_for_timeout(500)
    return errors, dialogs
