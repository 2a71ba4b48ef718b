"""A PNG of the interactive map, dressed for publishing.

The web map (offline basemap, assets inlined) is written to a temporary
page and opened in headless Chromium through Playwright with every request
that is not a local file refused.  Once Leaflet has drawn, ``snapshot.js``
and ``snapshot.css`` (``mapapp/web/assets/``, added to this page only)
dress it as the static images are dressed: a title and subtitle above the
map, a credits line below, no zoom, layer or full-screen controls, the
legend open and compact.  The map is framed on the report's shown features
(or on the view's bounds), clear of the legend, its names placed for that
frame, and the page is photographed at the requested pixel size.  Slower
than :mod:`mapapp.static.export`, but it is the very map the app draws:
same symbols, same names.

The texts (headline, citation, a user's ``--title``) reach the page as
Playwright arguments, i.e. JSON, and are set with ``textContent``: no
markup is built from them here.

Playwright is imported only when a snapshot is taken, and the browser is
looked up then: ``browser=`` if given, else ``$MAPAPP_CHROMIUM``, else
``/usr/bin/chromium``, else ``chromium``, ``chromium-browser`` or
``google-chrome`` on ``PATH``.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mapapp.errors import AssetError, MapAppError, OptionError
from mapapp.files import check_output, write_output
from mapapp.model import ReportMap
from mapapp.static.figtext import check_title_text
from mapapp.static.presets import resolve_spec
from mapapp.view import INITIAL_BOUNDS, Bounds, ViewState, as_view, fit_view

BROWSER_ENV = "MAPAPP_CHROMIUM"
DEFAULT_BROWSER = Path("/usr/bin/chromium")
BROWSER_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome",
                                  "google-chrome-stable")
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: `apt-get install chromium`) or set "
                f"{BROWSER_ENV} to a Chromium or Chrome executable")
# Headless, possibly as root in a container, with no network: no sandbox,
# no GPU and none of Chromium's own background traffic.
BROWSER_ARGS: tuple[str, ...] = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")
# One CSS pixel is one image pixel at this DPI; more DPI, denser pixels.
CSS_DPI = 100.0
# The page's dressing: files beside the map's own script and stylesheet.
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
SNAPSHOT_JS = ASSETS_DIR / "snapshot.js"
SNAPSHOT_CSS = ASSETS_DIR / "snapshot.css"
# Content framing: a margin around the features (share of their span) so
# their markers and names are not cut by the edge, and a least span so one
# point is shown with the places around it, not at the map's last zoom.
CONTENT_MARGIN = 0.08
MIN_CONTENT_SPAN = 2.0  # degrees of latitude and of longitude

# Drawn once these are in the DOM ("attached": Leaflet gives shapes outside
# the view an empty outline, so "visible" would wait forever).
_READY_JS = """(layers) => {
    if (!window.L || !document.querySelector('path.mapapp-basemap')) return false;
    return layers.every(l => document.querySelector('.mapapp-layer-' + l));
}"""

_DRESS_JS = "(o) => mapapp.snapshot.dress(o)"
_FRAME_JS = "(o) => mapapp.snapshot.frame(o)"
_UNSETTLED_JS = "() => mapapp.snapshot.unsettled === true"
UNSETTLED = "the map was still moving after three fits: the image may be framed off its features"
_IDLE_JS = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    return !map._animatingZoom && !map._panAnim?._inProgress;
}"""


@dataclass(frozen=True)
class Snapshot:
    """A browser snapshot: the PNG, the outside requests refused while
    drawing (none for an offline map), the page's script errors (and
    :data:`UNSETTLED` if the map would not hold its frame), how long it
    took, and the names on the map."""

    png: bytes
    blocked: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    names: tuple[str, ...] = ()  # the place names the map wrote, as shown


def find_browser(browser: str | os.PathLike[str] | None = None, *,
                 environ: Mapping[str, str] | None = None,
                 which: Callable[[str], str | None] = shutil.which) -> Path:
    """The Chromium to drive, or an :class:`AssetError` with the install hint.

    A browser named explicitly (``browser`` or ``$MAPAPP_CHROMIUM``) must
    exist: a wrong path is reported, not silently replaced by another
    browser.
    """
    environ = os.environ if environ is None else environ
    named = browser if browser is not None else environ.get(BROWSER_ENV) or None
    if named is not None:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = which(str(named))  # a bare name on PATH
        if found:
            return Path(found)
        source = "browser" if browser is not None else f"${BROWSER_ENV}"
        raise AssetError(f"no browser at {str(named)!r} ({source}): {INSTALL_HINT}")
    if DEFAULT_BROWSER.is_file() and os.access(DEFAULT_BROWSER, os.X_OK):
        return DEFAULT_BROWSER
    for name in BROWSER_NAMES:
        found = which(name)
        if found:
            return Path(found)
    raise AssetError(f"no Chromium found for the snapshot: {INSTALL_HINT}")


def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise AssetError("the snapshot needs Playwright: `pip install playwright` "
                         f"(it drives the system browser; also {INSTALL_HINT})") from err
    return sync_playwright


def content_bounds(report_map: ReportMap, view: ViewState | None = None) -> Bounds:
    """The frame of what ``view`` shows of the report: its features' extent
    with a margin, at least :data:`MIN_CONTENT_SPAN` degrees each way, kept
    drawable (:func:`mapapp.view.fit_view`); the app's first view when no
    shown feature has a geometry.  Distant mentions count only when nothing
    else is shown (they would pull the frame out to Indonesia), as in the
    static images.

    >>> from mapapp.model import Report
    >>> content_bounds(ReportMap(Report("r", "P", "H", "2022-11-16", 0), (), ""))
    ((44.0, 22.0), (53.0, 41.0))
    """
    from mapapp.static.figure import frame_box  # matplotlib: only when a snapshot is framed

    view = replace(as_view(view), bounds=None)
    if not any(f.geometry is not None and not f.geometry.is_empty
               for f in view.visible(report_map)):
        return INITIAL_BOUNDS
    # The static images' rule for what frames the content (mentions only
    # when nothing else is shown), with the web map's own margin.
    west, south, east, north = frame_box(report_map, view)

    def widened(low: float, high: float) -> tuple[float, float]:
        span = max((high - low) * (1 + 2 * CONTENT_MARGIN), MIN_CONTENT_SPAN)
        middle = (low + high) / 2
        return middle - span / 2, middle + span / 2

    (south, north), (west, east) = widened(south, north), widened(west, east)
    return fit_view(south, west, north, east)


def page_html(report_map, view: ViewState | None = None) -> str:
    """The self-contained offline page the snapshot photographs, opened on
    the ``view``'s bounds (by default framed on its content, see
    :func:`content_bounds`)."""
    from mapapp.web.map import build_map, render_html

    view = as_view(view)
    folium_map = build_map(report_map, **view.feature_filter(), basemap="offline",
                           inline_assets=True, height="100%",
                           bounds=view.bounds or content_bounds(report_map, view))
    return render_html(folium_map)


def page_texts(report_map: ReportMap, *, title: str | None = None,
               subtitle: str | None = None) -> dict[str, Any]:
    """What the dressed page says, as data for ``mapapp.snapshot.dress``:
    title and subtitle (by default the static images' own, "" for none) and
    the credits (the static images' credit line)."""
    from mapapp.static.figure import credit_parts, default_subtitle, default_title

    return {"title": default_title(report_map) if title is None else str(title),
            "subtitle": default_subtitle(report_map) if subtitle is None else str(subtitle),
            "credits": credit_parts(report_map)}


def _viewport(width_px: int, height_px: int, dpi: float) -> tuple[dict[str, int], float]:
    scale = dpi / CSS_DPI
    return ({"width": math.ceil(width_px / scale), "height": math.ceil(height_px / scale)}, scale)


def _exact_png(shot: bytes, width_px: int, height_px: int, dpi: float) -> bytes:
    """The screenshot cut to the exact size (the viewport is rounded up to
    whole CSS pixels), with the DPI recorded."""
    from PIL import Image

    with Image.open(io.BytesIO(shot)) as image:
        image = image.convert("RGB")
        if image.width < width_px or image.height < height_px:
            image = image.resize((max(image.width, width_px), max(image.height, height_px)),
                                 Image.LANCZOS)
        image = image.crop((0, 0, width_px, height_px))
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(dpi, dpi))
        return out.getvalue()


def capture(report_map, *, spec: Any, view: ViewState | None = None,
            title: str | None = None, subtitle: str | None = None,
            browser: str | os.PathLike[str] | None = None,
            timeout_s: float = 30.0, inspect: Callable[[Any], None] | None = None) -> Snapshot:
    """Photograph the dressed web map at ``spec.width_px`` x ``spec.height_px``.

    ``spec`` has ``width_px``, ``height_px`` and ``dpi`` (a
    :class:`mapapp.static.presets.Preset` or :class:`mapapp.static.figure.ImageSpec`);
    at 100 dpi one CSS pixel is one image pixel, at 200 dpi the page is
    drawn at twice the density.  ``view`` is a checked
    :class:`mapapp.view.ViewState` (by default the app's first layers);
    its bounds are the frame "as on screen", without them the map is
    framed on its content.  ``title`` and ``subtitle`` as in
    :func:`page_texts`.  ``inspect``, if given, is called with the
    Playwright page just before the photograph (tests read the DOM there).
    A dialog the page opens (it never should) is dismissed and reported
    among the errors.
    """
    start = time.perf_counter()
    view = as_view(view)  # checked when it was made
    texts = page_texts(report_map, title=check_title_text(title, "--title"),
                       subtitle=check_title_text(subtitle, "--subtitle"))
    # Content framing keeps the features clear of the legend; bounds asked
    # for are kept as they are.
    bounds = view.bounds or content_bounds(report_map, view)
    executable = find_browser(browser)
    sync_playwright = _sync_playwright()
    from playwright.sync_api import Error as PlaywrightError

    html = page_html(report_map, view)
    drawn_layers = _drawn_layers(report_map, view)
    viewport, scale = _viewport(spec.width_px, spec.height_px, spec.dpi)
    blocked: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:", "about:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with tempfile.TemporaryDirectory(prefix="mapapp-snapshot-") as tmp:
        page_path = Path(tmp) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            try:
                instance = p.chromium.launch(executable_path=str(executable),
                                             args=list(BROWSER_ARGS))
            except PlaywrightError as err:
                raise AssetError(f"cannot start the browser {executable}: "
                                 f"{str(err).splitlines()[0]}; {INSTALL_HINT}") from err
            try:
                context = instance.new_context(viewport=viewport, device_scale_factor=scale)
                page = context.new_page()
                page.route("**/*", route)
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
                timeout_ms = timeout_s * 1000
                try:
                    page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_ms)
                    page.wait_for_function(_READY_JS, arg=list(drawn_layers), timeout=timeout_ms)
                    # Inline, from our files: no request, and never in the app's page.
                    page.add_style_tag(path=SNAPSHOT_CSS)
                    page.add_script_tag(path=SNAPSHOT_JS)
                    dressed = page.evaluate(_DRESS_JS, texts)
                    names = page.evaluate(_FRAME_JS, {
                        "bounds": [list(c) for c in bounds],
                        "legend": view.bounds is None}) if dressed else None
                    if names is not None:
                        page.wait_for_function(_IDLE_JS, timeout=timeout_ms)
                        if page.evaluate(_UNSETTLED_JS):
                            errors.append(UNSETTLED)
                except PlaywrightError as err:
                    raise MapAppError(f"the map did not draw in the browser within {timeout_s:g} s"
                                      f"{': ' + errors[0] if errors else ''}") from err
                if names is None:
                    raise MapAppError("the page has no Leaflet map to photograph")
                if inspect is not None:
                    inspect(page)
                shot = page.screenshot(type="png", full_page=False, animations="disabled")
            finally:
                instance.close()
    png = _exact_png(shot, spec.width_px, spec.height_px, spec.dpi)
    return Snapshot(png, tuple(blocked), tuple(errors), time.perf_counter() - start,
                    tuple(str(n) for n in names))


def _drawn_layers(report_map, view: ViewState) -> tuple[str, ...]:
    """Layers that have something to draw after filtering (the others
    never appear in the DOM, so there is nothing to wait for)."""
    shown = view.visible(report_map)
    return tuple(layer for layer in view.shown_layers if any(f.layer == layer for f in shown))


def snapshot(report_map, output: str | os.PathLike[str], *, preset: str | None = None,
             size: str | None = None, dpi: float | None = None, overwrite: bool = False,
             view: ViewState | None = None, title: str | None = None,
             subtitle: str | None = None, browser: str | os.PathLike[str] | None = None,
             timeout_s: float = 30.0) -> tuple[Path, Snapshot]:
    """Photograph the web map into the PNG ``output``; returns the path and
    the :class:`Snapshot` (for its refused requests and errors).

    Options are checked, the output too, before the browser starts; the
    file is written atomically, so a failure leaves nothing behind.
    """
    output = Path(output)
    if output.suffix.lower() != ".png":
        raise OptionError(f"output {str(output)!r}: a snapshot is a PNG; name it .png")
    spec = resolve_spec(preset=preset, size=size, dpi=dpi)
    view = as_view(view)  # the view was checked when it was made
    check_title_text(title, "--title")
    check_title_text(subtitle, "--subtitle")
    check_output(output, overwrite=overwrite)
    find_browser(browser)  # before any work: the install hint comes first
    shot = capture(report_map, spec=spec, view=view, title=title, subtitle=subtitle,
                   browser=browser, timeout_s=timeout_s)
    return write_output(output, shot.png, overwrite=overwrite), shot
