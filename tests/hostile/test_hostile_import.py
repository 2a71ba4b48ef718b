"""The hostile corpus through imports: every payload in every text column of
an ACLED export, a user's CSV and a GeoJSON file, then out through every
data export, and in the catalogue's own fields.

Kept text comes out as given, with the documented normalisations only
(names on one line: tabs and line breaks become a space; notes keep their
line breaks as ``\\n``; spaces around are trimmed).  Text the project's
rules refuse (control characters, over-long text) leaves its row out, with
the row and column named.
"""

from __future__ import annotations

import csv
import io
import json
import re

import geopandas as gpd
import pandas as pd
import pytest

from hostile_data import PAYLOADS
from mapapp import cli
from mapapp.schema import text_problem
from mapapp.sources.importer import import_file

ACLED_TEXT = {"location": "name", "actor1": "actor1", "actor2": "actor2", "admin1": "admin1",
              "sub_event_type": "sub_type", "source": "claimed_by", "notes": "summary"}
LONG = {"summary", "claimed_by"}


def expected(text: str, column: str) -> str | None:
    """What the import keeps of ``text`` in ``column``, or None if it refuses it."""
    if column in LONG:
        shown = re.sub("\r\n?", "\n", text).strip()
    else:
        shown = re.sub(r"[\t\r\n]+", " ", text).strip()
    if text_problem(shown, long=column in LONG):
        return None
    return shown or None


def acled_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    header = ["event_id_cnty", "event_date", "event_type", "latitude", "longitude",
              "time_precision", "geo_precision", "fatalities", *ACLED_TEXT]
    # Every field quoted, as exports do: a bare carriage return is a line end.
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """One ACLED file: row i carries payload i in every text column."""
    folder = tmp_path_factory.mktemp("hostile-import")
    rows = []
    for i, payload in enumerate(PAYLOADS):
        row = {"event_id_cnty": f"H{i}", "event_date": "2022-11-15", "event_type": "Battles",
               "latitude": f"{47 + (i % 40) * 0.1:.4f}", "longitude": f"{33 + i // 40 * 0.5:.4f}",
               "time_precision": "1", "geo_precision": "1", "fatalities": "0"}
        row.update({column: payload["text"] for column in ACLED_TEXT})
        rows.append(row)
    path = folder / "hostile-acled.csv"
    path.write_bytes(acled_csv(rows))
    data = folder / "data"
    try:
        entry, log = import_file(path, "acled", source="hostile", data_dir=data)
    except UnicodeEncodeError:  # a lone surrogate cannot be written as UTF-8 at all
        pytest.fail("the corpus must be writable as UTF-8")
    return data, entry, log


def outcome(log, i: int) -> dict[str, str]:
    return {s.column: s.reason for s in log.skipped if s.row == i + 2}


def test_every_payload_is_kept_literally_or_its_row_refused_by_name(imported, tmp_path):
    data, entry, log = imported
    out = tmp_path / "all.geojson"
    assert cli.main(["export", "--data-dir", str(data), "--source", "hostile", "--format",
                     "geojson", "-o", str(out)]) == 0
    features = {f["properties"]["id"]: f["properties"]
                for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    refused = kept = 0
    for i, payload in enumerate(PAYLOADS):
        wants = {field: expected(payload["text"], field) for field in ACLED_TEXT.values()}
        refusals = outcome(log, i)
        if any(value is None and payload["text"].strip() for value in wants.values()):
            # Some column refuses it: the row is out, and the reason names a column.
            assert f"H{i}" not in features, payload["id"]
            assert len(refusals) == 1, payload["id"]
            (column, reason), = refusals.items()
            assert column in ACLED_TEXT and ("control character" in reason
                                             or "longer than" in reason), (payload["id"], reason)
            refused += 1
            continue
        assert not refusals, (payload["id"], refusals)
        props = features[f"H{i}"]
        for field, want in wants.items():
            assert props[field] == want, (payload["id"], field)
        kept += 1
    assert kept >= 100 and refused >= 10
    assert entry.rows_kept == kept and entry.rows_skipped == refused


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "parquet"])
def test_other_exports_carry_the_same_text(imported, tmp_path, fmt):
    data, _, _ = imported
    out = tmp_path / f"all.{fmt}"
    assert cli.main(["export", "--data-dir", str(data), "--source", "hostile", "--format", fmt,
                     "-o", str(out)]) == 0
    geojson = tmp_path / "ref.geojson"
    cli.main(["export", "--data-dir", str(data), "--source", "hostile", "--format", "geojson",
              "-o", str(geojson)])
    reference = {f["properties"]["id"]: f["properties"]
                 for f in json.loads(geojson.read_text(encoding="utf-8"))["features"]}
    if fmt == "csv":
        back = pd.read_csv(out, dtype=str, keep_default_na=False)
    elif fmt == "gpkg":
        back = gpd.read_file(out)
    else:
        back = gpd.read_parquet(out)
    assert len(back) == len(reference)
    for _, row in back.iterrows():
        for field in ACLED_TEXT.values():
            want = reference[row["id"]][field]
            got = row[field]
            got = None if (got is None or (not isinstance(got, str) and pd.isna(got))
                           or (fmt == "csv" and got == "")) else got
            if fmt == "csv" and want and want[:1] in "=+-@\t\r":
                want = "'" + want  # CSV only: a formula's first character is guarded
            assert got == want, (row["id"], field, fmt)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p["category"] in
                                     ("control", "script", "bidi", "long")][:12],
                         ids=lambda p: p["id"])
def test_catalogue_fields_take_payloads_literally_or_refuse_them(tmp_path, capsys, payload):
    source = tmp_path / "one.csv"
    source.write_text("date,lat,lon,name\n2022-11-15,50.45,30.52,Kyiv\n", encoding="utf-8")
    data = tmp_path / "data"
    code = cli.main(["import", str(source), "--format", "csv", "--source", "one",
                     "--data-dir", str(data), f"--title={payload['text']}",
                     f"--publisher={payload['text']}"])
    captured = capsys.readouterr()
    problem = text_problem(payload["text"])
    if problem:
        assert code == 2 and captured.err == f"error: --title: {problem}\n"
        assert not (data / "sources" / "one").exists()
        return
    assert code == 0
    assert cli.main(["sources", "--data-dir", str(data)]) == 0
    line = capsys.readouterr().out
    assert f"{payload['text']}; licence: not stated" in line
