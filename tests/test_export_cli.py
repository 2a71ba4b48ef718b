"""``python -m mapapp export``: files end to end, all presets with a
progress bar, and bad options as one-line errors with exit code 2."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from mapapp.cli import ProgressBar, build_parser, main
from mapapp.static.presets import PRESETS


def test_export_png_at_a_custom_size(tmp_path, capsys):
    target = tmp_path / "map.png"
    assert main(["export", "--size", "640x400", "--dpi", "150", "-o", str(target)]) == 0
    with Image.open(target) as image:
        assert image.size == (640, 400)
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre
    assert "640x400 px at 150 dpi" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]


def test_export_svg_preset_with_filters_and_text(tmp_path, capsys):
    target = tmp_path / "front.svg"
    assert main(["export", "--format", "svg", "--preset", "social", "-o", str(target),
                 "--layers", "front_lines,control_areas", "--status", "assessed,reported",
                 "--title", "After Kherson", "--subtitle", "", "--theme", "dark",
                 "--bounds", "45,30,49,39"]) == 0
    root = ET.fromstring(target.read_bytes())
    assert root.attrib["width"] == "864pt" and root.attrib["height"] == "486pt"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "After Kherson" in texts and "Front line" in texts
    assert "Missile strike" not in texts
    assert "(social)" in capsys.readouterr().out


def test_all_presets_to_a_folder_with_progress(tmp_path, capsys):
    assert main(["export", "--all-presets", "--out-dir", str(tmp_path), "--format", "svg"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"map-{name}.svg" for name in PRESETS)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()  # not a terminal: one line per file
    assert len(lines) == len(PRESETS)
    assert lines[0].endswith(f"] 1/{len(PRESETS)} map-social.svg")
    assert lines[-1] == f"[{'#' * 20}] {len(PRESETS)}/{len(PRESETS)} map-letter-landscape.svg"
    assert f"Wrote {len(PRESETS)} files" in captured.out


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_redraws_in_place_on_a_terminal():
    stream = FakeTerminal()
    bar = ProgressBar(stream, width=8)
    bar.start(2)
    bar(1, 2, "out/map-social.png")
    bar(2, 2, "out/map-a4-portrait.png")
    assert stream.getvalue() == ("[--------] 0/2 "
                                 "\r[####----] 1/2 map-social.png"
                                 "\r[########] 2/2 map-a4-portrait.png\n")


def test_progress_bar_writes_lines_to_a_log():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=8)
    bar.start(7)
    bar(3, 7, "map-a4-portrait.png")
    assert stream.getvalue() == "[###-----] 3/7 map-a4-portrait.png\n"


@pytest.mark.parametrize("argv, words", [
    (["--size", "0x400"], "--size"),
    (["--size=-5x400"], "--size"),
    (["--size=-5"], "--size"),
    (["--size", "30000x10"], "absurd"),
    (["--size", "big"], "--size"),
    (["--preset", "poster"], "--preset 'poster': unknown preset (known: social"),
    (["--preset", "social", "--size", "640x400"], "--preset and --size"),
    (["--dpi", "5"], "--dpi"),
    (["--dpi", "many"], "--dpi"),
    (["--format", "gif"], "--format"),
    (["--format", "pdf"], "--format pdf does not match"),
    (["--theme", "sepia"], "--theme"),
    (["--layers", "strikes,nope"], "--layers: unknown nope"),
    (["--types", "tank"], "--types"),
    (["--status", "rumoured"], "--status"),
    (["--bounds", "1,2,3"], "--bounds"),
    (["--out-dir", "."], "--out-dir goes with --all-presets"),
    (["--title", "A very long title " * 30, "--size", "640x400"], "title"),
])
def test_bad_options_are_errors_with_exit_2(tmp_path, capsys, argv, words):
    target = tmp_path / "map.png"
    assert main(["export", "-o", str(target), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv, words", [
    (["export"], "--output"),
    (["export", "--all-presets"], "--out-dir"),
    (["export", "--all-presets", "--out-dir", "/proc/mapapp-cannot-be-here"], "--out-dir"),
    (["export", "--all-presets", "--out-dir", "{tmp}", "-o", "x.png"], "--output does not go"),
    (["export", "--all-presets", "--out-dir", "{tmp}", "--preset", "social"], "--preset does not go"),
    (["export", "-o", "{tmp}/missing/map.png"], "does not exist"),
])
def test_missing_or_clashing_options(tmp_path, capsys, argv, words):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err
    assert list(tmp_path.iterdir()) == []


def test_existing_output_needs_overwrite(tmp_path, capsys):
    target = tmp_path / "map.svg"
    target.write_text("old")
    assert main(["export", "--size", "640x400", "-o", str(target)]) == 2
    assert "--overwrite" in capsys.readouterr().err and target.read_text() == "old"
    assert main(["export", "--size", "640x400", "-o", str(target), "--overwrite"]) == 0
    assert target.read_bytes().startswith(b"<?xml")


def test_help_lists_the_new_commands(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "export" in out and "snapshot" in out


# ---- text options are plain text

SVG_TEXT = "{http://www.w3.org/2000/svg}text"
PUNCTUATION = "<>&\"'{{ }}{% %}$\\"


def _svg_texts(data: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(data).iter(SVG_TEXT)]


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_export_a_mathtext_title_literally(tmp_path, capsys, fmt):
    from pdf_text import page_text, pdf_pages  # the project's small PDF text reader

    target = tmp_path / f"x.{fmt}"
    assert main(["export", "--size", "640x400", "--title", r"$\frac{1}$", "-o", str(target)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    data = target.read_bytes()
    if fmt == "svg":
        assert r"$\frac{1}$" in _svg_texts(data)
    else:
        assert r"$\frac{1}$" in " ".join(page_text(page) for page in pdf_pages(data))


def test_export_svg_with_punctuation_in_title_and_subtitle_is_valid_xml(tmp_path):
    target = tmp_path / "p.svg"
    assert main(["export", "--size", "640x400", "--title", PUNCTUATION, "--subtitle", "a < b & c",
                 "-o", str(target)]) == 0
    texts = _svg_texts(target.read_bytes())  # ElementTree refuses anything but well-formed XML
    assert PUNCTUATION in texts and "a < b & c" in texts


@pytest.mark.parametrize("option, value, code", [
    ("--title", "ab\x07", "U+0007"),
    ("--title", "\x1b[31mred", "U+001B"),
    ("--subtitle", "line\nbreak", "U+000A"),
    ("--title", "not utf-8 \udcff", "U+DCFF"),  # how Python hands over bytes that are not UTF-8
])
@pytest.mark.parametrize("where", [["-o", "{tmp}/map.svg"], ["--all-presets", "--out-dir", "{tmp}/batch"]])
def test_control_characters_in_text_options_are_refused(tmp_path, capsys, option, value, code, where):
    argv = ["export", "--format", "svg", option, value, *(a.format(tmp=tmp_path) for a in where)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {option}: contains ") and f"({code})" in lines[0]
    assert lines[0].isprintable()  # the offending character is named, never echoed
    assert captured.out == ""
    assert list(tmp_path.iterdir()) == []


def test_two_exports_racing_for_one_file(tmp_path, report_map):
    """Two real processes: without --overwrite exactly one writes and the
    other says why in one line; with it both succeed and the file is one
    whole image of the two, never a mix."""
    import subprocess
    import sys
    from pathlib import Path

    from mapapp.static.export import export_image

    root = Path(__file__).resolve().parent.parent
    new, old = tmp_path / "new.png", tmp_path / "old.png"
    old.write_bytes(b"old")
    runs = {(target, title): subprocess.Popen(
        [sys.executable, "-m", "mapapp", "export", "--size", "640x400", "--title", title,
         "-o", str(target), *(["--overwrite"] if target == old else [])],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for target in (new, old) for title in ("First", "Second")}
    images = {title: export_image(report_map, tmp_path / f"ref-{title}.png", size="640x400",
                                  title=title).read_bytes() for title in ("First", "Second")}
    done = {key: (run.wait(timeout=300), *run.communicate()) for key, run in runs.items()}

    codes = {title: done[new, title][0] for title in ("First", "Second")}
    assert sorted(codes.values()) == [0, 2]
    winner = min(codes, key=codes.get)
    loser_err = done[new, "Second" if winner == "First" else "First"][2]
    assert loser_err.startswith("error: ") and len(loser_err.splitlines()) == 1
    assert "exists; pass --overwrite" in loser_err
    assert new.read_bytes() == images[winner]

    assert [done[old, title][0] for title in ("First", "Second")] == [0, 0]
    assert old.read_bytes() in images.values()
    with Image.open(old) as image:
        image.verify()
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        ["new.png", "old.png", "ref-First.png", "ref-Second.png"]
