"""Summaries in our own words: the report's fingerprint catches copied runs."""

import json
import shutil

import pytest

from mapapp.cli import main
from mapapp.errors import DataError
from mapapp.sources.ownwords import (
    RUN_WORDS,
    copied_texts,
    fingerprint,
    load_fingerprint,
    write_fingerprint,
)
from mapapp.sources.report_folder import DATA_DIR

REPORT = ("Officials said that at least forty drones were launched overnight at the "
          "northern port city, damaging a grain terminal and two warehouses.")


def test_fingerprint_holds_no_text(tmp_path):
    path = tmp_path / "fp.json"
    write_fingerprint(REPORT, path)
    stored = path.read_text(encoding="utf-8")
    assert "drones" not in stored and "grain" not in stored
    assert load_fingerprint(path).hashes == fingerprint(REPORT)


@pytest.mark.parametrize("text, copied", [
    ("At least forty drones were launched overnight at the northern port.", True),
    # Punctuation, case and curly quotes do not hide a copy.
    ("AT LEAST FORTY—drones, were launched… overnight", True),
    ("Some forty drones hit a grain terminal in the port at night.", False),
    ("the northern port city", False),  # a short phrase is not a sentence
    ("", False),
])
def test_copied_runs_are_found(tmp_path, text, copied):
    print_ = write_fingerprint(REPORT, tmp_path / "fp.json")
    assert bool(print_.copied(text)) is copied


def test_the_project_data_is_in_our_own_words():
    print_ = load_fingerprint(DATA_DIR / "report_fingerprint.json")
    assert print_.n == RUN_WORDS and len(print_.hashes) > 1000
    assert copied_texts(DATA_DIR, print_) == []


def test_check_fails_on_a_pasted_sentence(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "features.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    # A run of the seed report, given only as its hash in the fingerprint:
    # rebuild a fingerprint from a known text instead of quoting the report.
    write_fingerprint(REPORT, data / "report_fingerprint.json")
    doc["features"][2]["summary"] = "Witnesses: " + REPORT
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["check", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "strike-kharkiv: summary" in err and "copied from the report" in err


def test_fingerprint_command(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["fingerprint", str(report), "--data-dir", str(tmp_path)]) == 0
    assert load_fingerprint(tmp_path / "report_fingerprint.json").hashes == fingerprint(REPORT)
    assert main(["fingerprint", str(tmp_path / "missing.txt"), "--data-dir", str(tmp_path)]) == 2


def test_bad_fingerprint_file(tmp_path):
    (tmp_path / "fp.json").write_text('{"n": 1, "hashes": []}', encoding="utf-8")
    with pytest.raises(DataError, match="fp.json"):
        load_fingerprint(tmp_path / "fp.json")


def test_check_also_reads_the_lesson_texts(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    write_fingerprint(REPORT, data / "report_fingerprint.json")
    path = data / "stories" / "report-2022-11-16.json"
    story = json.loads(path.read_text(encoding="utf-8"))
    story["steps"][1]["text"] = "In class we read: " + REPORT
    path.write_text(json.dumps(story), encoding="utf-8")
    assert main(["check", "--data-dir", str(data)]) == 1
    assert "story report-2022-11-16 step 2: text" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["", "   \n\t\n", "\ufeff", "Too few words to fingerprint here.",
                                  "— … “” !!"])
def test_fingerprint_of_an_empty_or_short_report_is_an_error(tmp_path, capsys, text):
    # An empty fingerprint would pass every summary: the check would be off.
    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    target = tmp_path / "report_fingerprint.json"
    write_fingerprint(REPORT, target)
    before = target.read_bytes()
    assert main(["fingerprint", str(report), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {report}: has ") and "at least 7" in err
    assert len(err.splitlines()) == 1
    assert target.read_bytes() == before
    with pytest.raises(DataError, match="report.txt"):
        write_fingerprint(text, target, source="report.txt")
    assert target.read_bytes() == before
