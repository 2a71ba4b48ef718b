"""Browser snapshots: exact size, a real picture, no outside requests; and a
clear error with the install hint when there is no browser.

The tests marked ``browser`` drive Debian's Chromium through Playwright; a
missing browser fails them (as in the other browser tests).  A snapshot is
kept in ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
import sys

import pytest
from PIL import Image, ImageStat

from mapapp.cli import main
from mapapp.errors import AssetError, OptionError
from mapapp.static.presets import resolve_spec
from mapapp.view import INITIAL_BOUNDS, ViewState
from mapapp.web import snapshot as snap

from browser_support import ARTIFACTS, CHROMIUM

FRAME = ((45.5, 29.5), (48.5, 36.0))  # the lower Dnipro, Kherson to Zaporizhzhia


def require_chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium`", pytrace=False)


def assert_a_picture(image: Image.Image):
    """Not blank: many colours and real contrast."""
    rgb = image.convert("RGB")
    assert max(ImageStat.Stat(rgb).stddev) > 15
    colours = rgb.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 100


@pytest.mark.browser
def test_snapshot_of_the_social_preset(report_map, tmp_path):
    require_chromium()
    path, shot = snap.snapshot(report_map, tmp_path / "map.png", preset="social")
    shutil.copy(path, ARTIFACTS / "snapshot-social.png")
    with Image.open(path) as image:
        assert image.size == (1200, 675)
        assert image.info["dpi"] == pytest.approx((100, 100), abs=0.05)
        assert_a_picture(image)
    assert shot.blocked == (), f"the offline map asked the network for {shot.blocked}"
    assert shot.errors == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


@pytest.mark.browser
def test_snapshot_command_with_size_dpi_bounds_and_layers(tmp_path, capsys):
    require_chromium()
    target = tmp_path / "dnipro.png"
    assert main(["snapshot", "--size", "500x300", "--dpi", "200", "--layers",
                 "front_lines,control_areas", "--bounds", "45.5,29.5,48.5,36",
                 "-o", str(target)]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err, captured.err
    assert "500x300 px at 200 dpi" in captured.out
    with Image.open(target) as image:
        assert image.size == (500, 300)  # 250x150 CSS pixels at 2x
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.05)
        assert_a_picture(image)
    shutil.copy(target, ARTIFACTS / "snapshot-dnipro.png")


def test_the_page_opens_on_the_requested_bounds(report_map):
    initial = str([list(c) for c in INITIAL_BOUNDS])  # as folium writes it: [[44.0, 22.0], ...]
    setup = '"bounds":' + initial.replace(" ", "")  # as the setup payload has it
    page = snap.page_html(report_map, ViewState(layers=["front_lines"]))
    assert page.count(initial) == 1 and page.count(setup) == 1
    html = snap.page_html(report_map, ViewState(layers=["front_lines"], bounds=FRAME))
    # both the first fit and mapapp.setup's refit on resize use the new frame
    assert "[[45.5, 29.5], [48.5, 36.0]]" in html and '"bounds":[[45.5,29.5],[48.5,36.0]]' in html
    assert initial not in html and setup not in html


def test_viewport_scales_with_dpi():
    assert snap._viewport(1200, 675, 100) == ({"width": 1200, "height": 675}, 1.0)
    assert snap._viewport(2480, 3508, 300) == ({"width": 827, "height": 1170}, 3.0)


# ---- no browser


def test_a_wrong_browser_setting_is_reported_not_replaced(monkeypatch, tmp_path):
    monkeypatch.setenv(snap.BROWSER_ENV, str(tmp_path / "no-such-chromium"))
    with pytest.raises(AssetError) as info:
        snap.find_browser()
    message = str(info.value)
    assert "no-such-chromium" in message and "$MAPAPP_CHROMIUM" in message
    assert "apt-get install chromium" in message


def test_no_browser_anywhere(monkeypatch, tmp_path):
    monkeypatch.setattr(snap, "DEFAULT_BROWSER", tmp_path / "chromium")
    with pytest.raises(AssetError, match="apt-get install chromium"):
        snap.find_browser(environ={}, which=lambda name: None)


def test_the_browser_is_found_in_order(monkeypatch, tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert snap.find_browser(fake) == fake
    assert snap.find_browser(environ={snap.BROWSER_ENV: str(fake)}) == fake
    monkeypatch.setattr(snap, "DEFAULT_BROWSER", tmp_path / "absent")
    found = snap.find_browser(environ={}, which=lambda name: f"/opt/{name}"
                              if name == "google-chrome" else None)
    assert str(found) == "/opt/google-chrome"


def test_snapshot_without_a_browser_writes_nothing(report_map, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(snap.BROWSER_ENV, str(tmp_path / "missing"))
    with pytest.raises(AssetError, match="MAPAPP_CHROMIUM"):
        snap.snapshot(report_map, tmp_path / "map.png")
    assert main(["snapshot", "-o", str(tmp_path / "map.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "apt-get install chromium" in err
    assert list(tmp_path.iterdir()) == []


def test_snapshot_without_playwright(report_map, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(AssetError, match="pip install playwright"):
        snap.capture(report_map, spec=resolve_spec(size="400x300"),
                     browser=shutil.which("sh"))


@pytest.mark.parametrize("name, kwargs, words", [
    ("map.jpg", {}, "name it .png"),
    ("map.png", {"size": "0x5"}, "--size"),
    ("map.png", {"view": {"layers": ["nope"]}}, "view must be a ViewState"),
    ("map.png", {"view": lambda: ViewState(layers=["nope"])}, "--layers: unknown nope"),
    ("map.png", {"view": lambda: ViewState(bounds=((53, 22), (44, 41)))}, "--bounds"),
])
def test_snapshot_checks_options_before_the_browser(report_map, tmp_path, name, kwargs, words):
    with pytest.raises(OptionError, match=words):
        # A bad view refuses itself, before the snapshot is even called.
        kwargs = {k: v() if callable(v) else v for k, v in kwargs.items()}
        snap.snapshot(report_map, tmp_path / name, browser=tmp_path / "never-started", **kwargs)
    assert list(tmp_path.iterdir()) == []
