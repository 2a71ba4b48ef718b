"""Offline copies of the map's JavaScript and CSS.

The web map needs only Leaflet, the full-screen control and mapapp's own
script and stylesheet (``mapapp/web/assets/``), which draw the data the
page carries as JSON (no jQuery, Bootstrap or awesome-markers: every
symbol is an SVG ``DivIcon`` or a GeoJSON path).  Leaflet 1.9.3, the version folium 0.20 is written for,
comes from the ``XStatic-Leaflet`` wheel; leaflet.fullscreen 3.0.2 is
vendored in ``mapapp/vendor/`` (see its README for provenance).

Two ways to use them:

* served: :func:`install_static` copies the files under
  ``<static_dir>/vendor/``; Streamlit (``enableStaticServing``) serves them
  at ``/app/static/vendor/...`` and :func:`offline_resources` returns those
  URLs;
* inline: ``offline_resources(inline=True)`` returns the file *contents*
  (CSS images turned into data URIs) for a single self-contained HTML file.

Resource lists are ``[(name, url_or_text), ...]`` in load order, the shape
of folium's ``default_js`` / ``default_css``; the names are the ones folium
uses, so a resource replaces folium's CDN link of the same name.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from mapapp.errors import AssetError
from mapapp.files import write_atomic

LEAFLET_VERSION = "1.9.3"
FULLSCREEN_VERSION = "3.0.2"
DEFAULT_BASE_URL = "/app/static/vendor"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor"
WEB_ASSETS_DIR = Path(__file__).resolve().parent / "assets"

# Names as folium uses them in Map.default_js/_css and
# plugins.Fullscreen.default_js/_css.
LEAFLET_JS = "leaflet"
LEAFLET_CSS = "leaflet_css"
FULLSCREEN_JS = "Control.Fullscreen.js"
FULLSCREEN_CSS = "Control.FullScreen.css"
# Ours: draws the page's JSON data (mapapp.js) and styles it (map.css).
MAPAPP_JS = "mapapp_js"
MAPAPP_CSS = "mapapp_css"

# Online mode: the same two libraries from jsDelivr, nothing else.
CDN_JS: tuple[tuple[str, str], ...] = (
    (LEAFLET_JS, f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"),
    (FULLSCREEN_JS, f"https://cdn.jsdelivr.net/npm/leaflet.fullscreen@{FULLSCREEN_VERSION}/Control.FullScreen.js"),
)
CDN_CSS: tuple[tuple[str, str], ...] = (
    (LEAFLET_CSS, f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"),
    (FULLSCREEN_CSS, f"https://cdn.jsdelivr.net/npm/leaflet.fullscreen@{FULLSCREEN_VERSION}/Control.FullScreen.css"),
)

_LEAFLET_HINT = f"pip install XStatic-Leaflet=={LEAFLET_VERSION}.0"
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=\S+\s*$", re.MULTILINE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class AssetFile:
    """One file to publish: where it is now and its path under ``vendor/``."""

    source: Path
    target: str  # POSIX path relative to the vendor folder


def leaflet_dir() -> Path:
    """Folder holding ``leaflet.js``, ``leaflet.css`` and ``images/``.

    Raises :class:`AssetError` with an install hint when XStatic-Leaflet is
    missing or is not Leaflet 1.9.3.
    """
    try:
        pkg = importlib.import_module("xstatic.pkg.leaflet")
    except ImportError as err:
        raise AssetError(f"Leaflet for offline maps is not installed; run: {_LEAFLET_HINT}") from err
    version = getattr(pkg, "VERSION", "?")
    if version != LEAFLET_VERSION:
        raise AssetError(
            f"XStatic-Leaflet has Leaflet {version}, the map needs {LEAFLET_VERSION}; run: {_LEAFLET_HINT}"
        )
    base = Path(pkg.BASE_DIR)
    missing = [n for n in ("leaflet.js", "leaflet.css", "images") if not (base / n).exists()]
    if missing:
        raise AssetError(f"XStatic-Leaflet at {base} lacks {', '.join(missing)}; reinstall: {_LEAFLET_HINT}")
    return base


def fullscreen_dir() -> Path:
    """Folder of the vendored leaflet.fullscreen plugin."""
    base = VENDOR_DIR / "leaflet.fullscreen"
    missing = [n for n in ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg")
               if not (base / n).is_file()]
    if missing:
        raise AssetError(
            f"vendored leaflet.fullscreen is incomplete ({', '.join(missing)} missing in {base}); "
            f"restore mapapp/vendor/ from git or see mapapp/vendor/README.md"
        )
    return base


def _leaflet_prefix() -> str:
    return f"leaflet/{LEAFLET_VERSION}"


def _fullscreen_prefix() -> str:
    return f"leaflet.fullscreen/{FULLSCREEN_VERSION}"


def web_asset(name: str) -> Path:
    """One of mapapp's own page files (``mapapp.js``, ``map.css``, ...)."""
    path = WEB_ASSETS_DIR / name
    if not path.is_file():
        raise AssetError(f"mapapp's page file {name} is missing from {WEB_ASSETS_DIR}; "
                         "reinstall mapapp from its repository")
    return path


@functools.lru_cache(maxsize=1)
def _mapapp_prefix() -> str:
    # A new version of our script gets a new URL, so no browser keeps
    # running a cached old one against a new payload.  Hashed once per
    # process (the files ship with the package), not for every map built.
    digest = hashlib.sha256()
    for name in ("mapapp.js", "map.css"):
        digest.update(web_asset(name).read_bytes())
    return f"mapapp/{digest.hexdigest()[:12]}"


def asset_files() -> tuple[AssetFile, ...]:
    """Every file :func:`install_static` publishes, licences included."""
    leaflet = leaflet_dir()
    fullscreen = fullscreen_dir()
    lp, fp = _leaflet_prefix(), _fullscreen_prefix()
    files = [
        AssetFile(leaflet / "leaflet.js", f"{lp}/leaflet.js"),
        AssetFile(leaflet / "leaflet.css", f"{lp}/leaflet.css"),
        *(AssetFile(img, f"{lp}/images/{img.name}") for img in sorted((leaflet / "images").glob("*.png"))),
        AssetFile(VENDOR_DIR / "leaflet" / "LICENSE", f"{lp}/LICENSE"),
        *(AssetFile(fullscreen / n, f"{fp}/{n}")
          for n in ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg", "LICENSE")),
        *(AssetFile(web_asset(n), f"{_mapapp_prefix()}/{n}") for n in ("mapapp.js", "map.css")),
    ]
    missing = [str(f.source) for f in files if not f.source.is_file()]
    if missing:
        raise AssetError(f"offline map assets missing: {', '.join(missing)}")
    return tuple(files)


def _write_if_changed(data: bytes, dest: Path) -> bool:
    """Write ``data`` to ``dest`` via a temp file and rename; skip if equal."""
    if dest.is_file() and dest.stat().st_size == len(data):
        if hashlib.sha256(dest.read_bytes()).digest() == hashlib.sha256(data).digest():
            return False
    # Atomic: a browser fetching mid-install sees the old or the new file,
    # never half of one.
    write_atomic(dest, data)
    return True


def install_static(static_dir: str | os.PathLike[str]) -> None:
    """Copy Leaflet and the plugin under ``<static_dir>/vendor/``.

    Idempotent: unchanged files are left alone, changed ones are replaced
    atomically, so concurrent Streamlit sessions may call it at start-up.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     install_static(d)
    ...     (pathlib.Path(d) / "vendor/leaflet/1.9.3/leaflet.js").is_file()
    True
    """
    vendor = Path(static_dir) / "vendor"
    for asset in asset_files():
        try:
            _write_if_changed(asset.source.read_bytes(), vendor / asset.target)
        except OSError as err:
            raise AssetError(f"cannot install {asset.target} into {vendor}: {err}") from err


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise AssetError(f"no MIME type known for {path}")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """CSS text with relative ``url(...)`` turned into data URIs."""
    text = path.read_text(encoding="utf-8")

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")) or "://" in ref:
            return match.group(0)
        return f'url("{_data_uri(path.parent / ref)}")'

    return _CSS_URL.sub(repl, text)


def _inline_js(path: Path) -> str:
    # The source map is not shipped; drop the pointer so devtools don't ask.
    return _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))


def offline_resources(
    base_url: str = DEFAULT_BASE_URL, *, inline: bool = False
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(js, css)`` lists for the offline map, in load order.

    With ``inline=False`` each entry is ``(name, url)`` under ``base_url``
    (where :func:`install_static` put the files); with ``inline=True`` it is
    ``(name, text)``, the file contents ready for ``<script>``/``<style>``.

    >>> js, css = offline_resources("/app/static/vendor")
    >>> js[0]
    ('leaflet', '/app/static/vendor/leaflet/1.9.3/leaflet.js')
    >>> [name for name, _ in css]
    ['leaflet_css', 'Control.FullScreen.css', 'mapapp_css']
    """
    leaflet = leaflet_dir()
    fullscreen = fullscreen_dir()
    if inline:
        js = [
            (LEAFLET_JS, _inline_js(leaflet / "leaflet.js")),
            (FULLSCREEN_JS, _inline_js(fullscreen / "Control.FullScreen.js")),
        ]
        css = [
            (LEAFLET_CSS, _inline_css(leaflet / "leaflet.css")),
            (FULLSCREEN_CSS, _inline_css(fullscreen / "Control.FullScreen.css")),
        ]
        own_js, own_css = own_resources()
        return js + own_js, css + own_css
    base = base_url.rstrip("/")
    lp, fp, mp = _leaflet_prefix(), _fullscreen_prefix(), _mapapp_prefix()
    js = [
        (LEAFLET_JS, f"{base}/{lp}/leaflet.js"),
        (FULLSCREEN_JS, f"{base}/{fp}/Control.FullScreen.js"),
        (MAPAPP_JS, f"{base}/{mp}/mapapp.js"),
    ]
    css = [
        (LEAFLET_CSS, f"{base}/{lp}/leaflet.css"),
        (FULLSCREEN_CSS, f"{base}/{fp}/Control.FullScreen.css"),
        (MAPAPP_CSS, f"{base}/{mp}/map.css"),
    ]
    return js, css


def own_resources() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(js, css)`` with the *contents* of mapapp's own script and stylesheet
    (no CDN has them: a page that is not served by the app inlines them)."""
    return ([(MAPAPP_JS, _inline_js(web_asset("mapapp.js")))],
            [(MAPAPP_CSS, web_asset("map.css").read_text(encoding="utf-8"))])


def online_resources() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(js, css)`` CDN links for Leaflet and the full-screen control
    (online mode; mapapp's own files come from :func:`own_resources`)."""
    return list(CDN_JS), list(CDN_CSS)
