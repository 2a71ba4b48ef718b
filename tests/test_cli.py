"""``python -m mapapp``: each command, and errors as messages, not tracebacks."""

import shutil
import subprocess
import sys
from pathlib import Path

from mapapp.cli import main
from mapapp.geo.geocode import STORE_NAME
from mapapp.geo.places import load_places
from mapapp.sources.report_folder import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent


def test_check_summarises_the_data(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "OK: 22 features" in out and "front line as of 2022-11-15" in out


def test_html_writes_one_offline_file(tmp_path, capsys):
    target = tmp_path / "map.html"
    assert main(["html", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert "strike-kyiv" in page and "L.map(" in page
    assert "<script src=" not in page and "cdn.jsdelivr" not in page
    assert list(tmp_path.iterdir()) == [target]  # no temp file left behind


def test_bad_data_is_a_message_and_exit_2(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "report.json").write_text("{", encoding="utf-8")
    assert main(["check", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "report.json" in err and "Traceback" not in err


def test_geocode_runs_offline_from_a_copy_of_the_cache(tmp_path, capsys):
    cache = tmp_path / "geocache"
    shutil.copytree(ROOT / "geocache", cache)
    assert main(["geocode", "--cache-dir", str(cache)]) == 0
    err = capsys.readouterr().err
    n = len(load_places(DATA_DIR / "places.json"))
    assert f"located {n} of {n} places" in err and "by source:" in err


def test_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "mapapp", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("check", "geocode", "html"):
        assert command in result.stdout


def test_check_names_a_corrupt_cache_entry_that_breaks_a_place(tmp_path, capsys):
    cache = tmp_path / "geocache"
    shutil.copytree(ROOT / "geocache", cache)
    store = cache / STORE_NAME
    lines = store.read_bytes().splitlines()
    number = next(n for n, line in enumerate(lines, 1) if b'"Przewod' in line)
    lines[number - 1] = b"\xff\xfe garbage"
    store.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["check", "--cache-dir", str(cache)]) == 2
    err = capsys.readouterr().err
    # The garbage no longer says which place it was for: the error names it anyway.
    assert "przewodow" in err and "1 line(s) it cannot read" in err and "not UTF-8" in err
    assert f"{store}, line {number}: " in err
    assert "python -m mapapp geocode" in err


def test_html_rejects_unknown_layers_and_basemaps(tmp_path, capsys):
    assert main(["html", "-o", str(tmp_path / "m.html"), "--layers", "strikes,gossip"]) == 2
    assert "error: --layers: unknown gossip (known: " in capsys.readouterr().err
    try:
        main(["html", "-o", str(tmp_path / "m.html"), "--basemap", "google"])
    except SystemExit as exit_:
        assert exit_.code == 2
    assert "invalid choice: 'google'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_html_to_an_unwritable_place_is_a_message(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["html", "-o", str(blocker / "sub" / "m.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_html_needs_overwrite_to_replace_a_file(tmp_path, capsys):
    target = tmp_path / "map.html"
    target.write_text("mine", encoding="utf-8")
    assert main(["html", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "exists; pass --overwrite" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert main(["html", "-o", str(target), "--overwrite"]) == 0
    assert "L.map(" in target.read_text(encoding="utf-8")
    assert list(tmp_path.iterdir()) == [target]


def test_html_does_not_create_folders(tmp_path, capsys):
    assert main(["html", "-o", str(tmp_path / "new" / "map.html")]) == 2
    err = capsys.readouterr().err
    assert "folder" in err and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_geocode_online_prints_no_traceback_when_nominatim_is_down(tmp_path, capsys, caplog,
                                                                   monkeypatch):
    """The real command with geopy's transport failing: one line per place
    and a summary on stderr, exit 1, no traceback (logging included)."""
    import logging

    from geopy.exc import GeocoderUnavailable

    from mapapp.geo import geocode
    from tests.geocode_fixtures import FakeClock, FakeTransport, record, write_places

    data = tmp_path / "data"
    write_places(data, *[record(id=f"v{n}", name="V", query=f"Zzvillage {n}", country="PL",
                                admin1=None, kind="village") for n in range(5)])
    transport = FakeTransport(GeocoderUnavailable("[Errno 111] Connection refused"))
    monkeypatch.setattr(geocode, "_default_nominatim", lambda user_agent: transport.nominatim())
    clock = FakeClock()  # no real waiting
    monkeypatch.setitem(geocode.Geocoder.__init__.__kwdefaults__, "clock", clock.clock)
    monkeypatch.setitem(geocode.Geocoder.__init__.__kwdefaults__, "sleep", clock.sleep)
    caplog.set_level(logging.DEBUG)
    code = main(["geocode", "--online", "--data-dir", str(data), "--cache-dir",
                 str(tmp_path / "gc")])
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert code == 1 and len(lines) == 7, err  # five places, the summary
    assert all("MISS" in line for line in lines[:5])
    assert "unavailable: [Errno 111] Connection refused" in lines[0]
    assert err.count("not asking Nominatim again") == 1 and "not asked" in lines[4]
    assert len(transport.calls) == 9  # three places, three requests each, then none
    assert clock.now - 1000.0 <= 3 * geocode.NOMINATIM_BUDGET
    assert "Traceback" not in err + caplog.text
    assert not [r for r in caplog.records if r.exc_info]
