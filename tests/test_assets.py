"""Offline Leaflet + full-screen plugin: locating, publishing, inlining."""

import os
import sys

import pytest

from mapapp.errors import AssetError, MapAppError
from mapapp.web import resources as assets

CDN_HOSTS = ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "unpkg", "fontawesome")


def test_offline_urls_live_under_the_base_url_in_load_order():
    js, css = assets.offline_resources("/app/static/vendor/")
    own = assets._mapapp_prefix()
    assert own.startswith("mapapp/") and len(own) == len("mapapp/") + 12  # content hash
    assert js == [
        ("leaflet", "/app/static/vendor/leaflet/1.9.3/leaflet.js"),
        ("Control.Fullscreen.js", "/app/static/vendor/leaflet.fullscreen/3.0.2/Control.FullScreen.js"),
        ("mapapp_js", f"/app/static/vendor/{own}/mapapp.js"),
    ]
    assert [url for _, url in css] == [
        "/app/static/vendor/leaflet/1.9.3/leaflet.css",
        "/app/static/vendor/leaflet.fullscreen/3.0.2/Control.FullScreen.css",
        f"/app/static/vendor/{own}/map.css",
    ]


def test_resource_names_match_folium_so_they_replace_its_cdn_links():
    import folium
    from folium.plugins import Fullscreen

    js, css = assets.offline_resources()
    names = {n for n, _ in js + css}
    assert {n for n, _ in folium.Map.default_js} & names == {"leaflet"}
    assert {n for n, _ in folium.Map.default_css} & names == {"leaflet_css"}
    assert {n for n, _ in Fullscreen.default_js + Fullscreen.default_css} <= names


def test_inline_mode_returns_contents_with_css_images_as_data_uris():
    js, css = assets.offline_resources(inline=True)
    texts = dict(js + css)
    assert "Leaflet 1.9.3" in texts["leaflet"][:400]
    assert "control.fullscreen" in texts["Control.Fullscreen.js"]
    assert "sourceMappingURL" not in texts["leaflet"]
    assert "data:image/png;base64," in texts["leaflet_css"]
    assert "url(images/" not in texts["leaflet_css"]
    assert "data:image/svg+xml;base64," in texts["Control.FullScreen.css"]
    assert "icon-fullscreen.svg" not in texts["Control.FullScreen.css"]
    assert not any(host in text for text in texts.values() for host in CDN_HOSTS)


def test_online_mode_is_only_leaflet_and_the_plugin():
    js, css = assets.online_resources()
    urls = [u for _, u in js + css]
    assert len(urls) == 4
    assert all(u.startswith("https://cdn.jsdelivr.net/npm/leaflet") for u in urls)


def test_vendored_plugin_keeps_folium_fullscreen_api_and_licence():
    folder = assets.fullscreen_dir()
    source = (folder / "Control.FullScreen.js").read_text()
    assert "leaflet.control.fullscreen = function" in source
    for option in ("title", "titleCancel", "forceSeparateButton", "position"):
        assert option in source
    assert "MIT License" in (folder / "LICENSE").read_text()
    assert '"version": "3.0.2"' in (folder / "package.json").read_text()


def test_install_static_copies_every_file_with_licences(tmp_path):
    assets.install_static(tmp_path)
    vendor = tmp_path / "vendor"
    for asset in assets.asset_files():
        assert (vendor / asset.target).read_bytes() == asset.source.read_bytes()
    for name in ("leaflet/1.9.3/LICENSE", "leaflet.fullscreen/3.0.2/LICENSE",
                 "leaflet/1.9.3/images/layers.png", "leaflet.fullscreen/3.0.2/icon-fullscreen.svg"):
        assert (vendor / name).is_file(), name
    # every URL offline_resources hands out points at an installed file
    js, css = assets.offline_resources("/x")
    for _, url in js + css:
        assert (vendor / url.removeprefix("/x/")).is_file()


def test_install_static_is_idempotent_and_repairs(tmp_path):
    assets.install_static(tmp_path)
    target = tmp_path / "vendor/leaflet/1.9.3/leaflet.js"
    os.utime(target, (1_000_000, 1_000_000))
    assets.install_static(tmp_path)
    assert target.stat().st_mtime == 1_000_000  # unchanged file left alone
    target.write_text("broken")
    assets.install_static(tmp_path)
    assert target.read_bytes() == (assets.leaflet_dir() / "leaflet.js").read_bytes()
    leftovers = [p for p in (tmp_path / "vendor").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_missing_xstatic_leaflet_raises_asset_error_with_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)
    with pytest.raises(AssetError, match="pip install XStatic-Leaflet==1.9.3.0") as info:
        assets.offline_resources()
    assert isinstance(info.value, MapAppError) and isinstance(info.value, FileNotFoundError)


def test_wrong_leaflet_version_is_refused(monkeypatch):
    import xstatic.pkg.leaflet as pkg

    monkeypatch.setattr(pkg, "VERSION", "1.7.1")
    with pytest.raises(AssetError, match="Leaflet 1.7.1"):
        assets.leaflet_dir()


def test_missing_vendored_plugin_raises_asset_error(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path)
    with pytest.raises(AssetError, match="leaflet.fullscreen"):
        assets.install_static(tmp_path / "static")
    assert not (tmp_path / "static").exists()


def test_unwritable_static_dir_raises_asset_error(tmp_path):
    blocker = tmp_path / "static"
    blocker.write_text("a file, not a folder")
    with pytest.raises(AssetError, match="cannot install"):
        assets.install_static(blocker)
