"""Importing event sets: ACLED and UCDP exports, GeoJSON, GeoPackage and CSV.

Every file here is written by the test (no third-party data ships with the
project), messy ones included: quoted fields holding commas and line
breaks, semicolon lists, blank coordinates, mixed date forms, a BOM.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from mapapp import cli
from mapapp.errors import DataError, OptionError, OutputError
from mapapp.model.events import COLUMNS
from mapapp.sources.importer import import_file, read_events
from mapapp.store.catalogue import list_sources

ACLED_HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                "event_type", "sub_event_type", "actor1", "actor2", "admin1", "location",
                "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"]


def acled_row(event_id, date, event_type="Battles", lat="48.5953", lon="38.0003", **extra):
    row = {"event_id_cnty": event_id, "event_date": date, "year": "2022", "time_precision": "1",
           "disorder_type": "Political violence", "event_type": event_type,
           "sub_event_type": "Armed clash", "actor1": "Military Forces of Russia (2000-)",
           "actor2": "Military Forces of Ukraine (2019-)", "admin1": "Donetsk",
           "location": "Bakhmut", "latitude": lat, "longitude": lon, "geo_precision": "1",
           "source": "Ukrinform; Kyiv Independent", "notes": "Fighting near the town.",
           "fatalities": "0"}
    row.update(extra)
    return row


def write_csv(path: Path, header, rows, *, bom=False, delimiter=",") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
    return path


@pytest.fixture()
def acled_file(tmp_path):
    rows = [
        acled_row("UKR1", "2022-11-15", "Explosions/Remote violence", "50.4501", "30.5234",
                  location="Kyiv", admin1="Kyiv City", fatalities="1",
                  notes='Missiles hit energy sites, "several" fires;\nthe city lost power.'),
        acled_row("UKR2", "16 November 2022", geo_precision="2", time_precision="2"),
        acled_row("UKR3", "2022-11-17", lat="", lon=""),
        acled_row("UKR4", "yesterday"),
        acled_row("UKR5", "2022-11-18", lat="146.6354", lon="32.6169"),
        acled_row("UKR1", "2022-11-19", "Riots"),
        acled_row("UKR7", "2022-11-19", "Teleportation", fatalities="2.5"),
        acled_row("UKR8", "2022-11-20", "Protests", fatalities="", actor2=""),
    ]
    return write_csv(tmp_path / "acled.csv", ACLED_HEADER, rows, bom=True)


def test_acled_rows_are_kept_typed_and_skipped_with_their_reasons(acled_file):
    events, log = read_events(acled_file, "acled", source="acled-test")
    assert list(events.columns) == [*COLUMNS, "geometry"]
    assert list(events["id"]) == ["UKR1", "UKR2", "UKR8"]
    assert list(events["type"].astype(str)) == ["explosion_remote", "battle", "protest"]
    assert str(events["date_start"].dtype) == "datetime64[s]"
    assert [f"{d:%Y-%m-%d}" for d in events["date_start"]] == ["2022-11-15", "2022-11-16",
                                                               "2022-11-20"]
    assert list(events["time_precision"].astype(str)) == ["day", "week", "day"]
    assert list(events["place_precision"].astype(str)) == ["exact", "near", "exact"]
    assert events["fatalities"].tolist()[:2] == [1, 0] and pd.isna(events["fatalities"][2])
    assert events.loc[0, "summary"] == 'Missiles hit energy sites, "several" fires;\nthe city lost power.'
    assert events.loc[0, "claimed_by"] == "Ukrinform; Kyiv Independent"
    assert (events.geometry.x[0], events.geometry.y[0]) == (30.5234, 50.4501)
    assert list(events["row"]) == [2, 3, 9]
    assert set(events["status"].astype(str)) == {"reported"}
    assert log.read == 8 and log.kept == 3
    reasons = {s.row: (s.column, s.reason) for s in log.skipped}
    assert reasons == {
        4: ("latitude", "no coordinates"),
        5: ("event_date", "not a date: 'yesterday'"),
        6: ("latitude", "latitude and longitude look swapped: 146.6354, 32.6169 "
                        "(latitude must be within ±90)"),
        7: ("event_id_cnty", "duplicate id 'UKR1' (first at row 2)"),
        8: ("fatalities", "not a whole number from 0 up: '2.5'"),
    }
    assert log.notes == ["kept as 'event': unknown event_type 'Teleportation'"]


UCDP_HEADER = ["id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name",
               "side_a", "side_b", "source_article", "where_coordinates", "where_description",
               "adm_1", "adm_2", "latitude", "longitude", "where_prec", "country", "date_prec",
               "date_start", "date_end", "best", "high", "low"]


def ucdp_row(event_id, start, end, **extra):
    row = {"id": event_id, "relid": f"UKR-{event_id}", "year": "2022", "type_of_violence": "1",
           "conflict_name": "Russia - Ukraine", "dyad_name": "Government of Russia - "
           "Government of Ukraine", "side_a": "Government of Russia",
           "side_b": "Government of Ukraine", "source_article": '"Reuters,2022-11-16,Strikes"',
           "where_coordinates": "Kherson city", "where_description": "Kherson, the city",
           "adm_1": "Kherson oblast", "adm_2": "Khersonskyi raion", "latitude": "46.6354",
           "longitude": "32.6169", "where_prec": "1", "country": "Ukraine", "date_prec": "1",
           "date_start": start, "date_end": end, "best": "3", "high": "5", "low": "2"}
    row.update(extra)
    return row


def test_ucdp_dates_in_both_forms_and_precisions_map_like_acleds(tmp_path):
    path = write_csv(tmp_path / "ged.csv", UCDP_HEADER, [
        ucdp_row("1", "2022-11-15 00:00:00.000", "2022-11-15 00:00:00.000"),
        ucdp_row("2", "11/14/2022 12:00:00 AM", "11/16/2022 12:00:00 AM", date_prec="2",
                 where_prec="4", type_of_violence="3"),
        ucdp_row("3", "2022-11-16", "2022-11-14"),
        ucdp_row("4", "2022-11-16", "", best="many"),
    ])
    events, log = read_events(path, "ucdp", source="ged")
    assert list(events["id"]) == ["1", "2"]
    assert [f"{d:%Y-%m-%d}" for d in events["date_start"]] == ["2022-11-15", "2022-11-14"]
    assert [f"{d:%Y-%m-%d}" for d in events["date_end"]] == ["2022-11-15", "2022-11-16"]
    assert list(events["type"].astype(str)) == ["state_based", "one_sided"]
    assert list(events["time_precision"].astype(str)) == ["day", "days"]
    assert list(events["place_precision"].astype(str)) == ["exact", "region"]
    assert events[["fatalities", "fatalities_low", "fatalities_high"]].iloc[0].tolist() == [3, 2, 5]
    assert events.loc[0, "name"] == "Kherson city" and events.loc[0, "actor1"] == "Government of Russia"
    assert {(s.row, s.column, s.reason) for s in log.skipped} == {
        (4, "date_end", "ends before it starts"),
        (5, "best", "not a whole number from 0 up: 'many'")}


def test_ucdp_month_day_year_dates_with_milliseconds_are_read(tmp_path):
    # UCDP's own CSV exports write "04/19/2022 00:00:00.000": once refused as "not a date".
    forms = ["04/19/2022 00:00:00.000", "04/19/2022 00:00:00", "2022-04-19 00:00:00.000",
             "4/19/2022 12:00:00.000 AM"]
    path = write_csv(tmp_path / "ged.csv", UCDP_HEADER, [
        ucdp_row(str(i), forms[i % 4], forms[(i + 1) % 4]) for i in range(2000)])
    events, log = read_events(path, "ucdp", source="ged")
    assert log.skipped == [] and len(events) == 2000
    assert {f"{d:%Y-%m-%d}" for d in events["date_start"]} == {"2022-04-19"}
    assert {f"{d:%Y-%m-%d}" for d in events["date_end"]} == {"2022-04-19"}


@pytest.mark.parametrize("text, day", [
    ("2022-04-19", "2022-04-19"),
    ("2022-04-19 00:00:00.000", "2022-04-19"),
    ("2022-04-19T23:30:00+03:00", "2022-04-19"),
    ("04/19/2022 00:00:00.000", "2022-04-19"),
    ("04/19/2022 23:59:59.999999", "2022-04-19"),
    ("04/19/2022 00:00:00", "2022-04-19"),
    ("04/19/2022 12:00:00 AM", "2022-04-19"),
    ("04/19/2022 11:59:59.500 PM", "2022-04-19"),
    ("04/19/2022 00:00", "2022-04-19"),
    ("04/19/2022", "2022-04-19"),
    ("19 April 2022", "2022-04-19"),
    ("19-Apr-2022", "2022-04-19"),
    ("19.04.2022", "2022-04-19"),
    ("31 February 2023", None),
    ("02/31/2022 00:00:00.000", None),
    ("2023-02-31", None),
    ("04/19/2022 00:00:00.", None),
    ("04/19/2022 25:00:00.000", None),
    ("04/19/2022 00:00:00.000 tomorrow", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_parse_dates_reads_each_known_form_and_refuses_the_rest(text, day):
    from mapapp.sources.tables import parse_dates

    # In a column with other forms around it, as a real file has them.
    column = pd.Series(["2022-01-01", text, "01/02/2022 00:00:00"], dtype="object")
    parsed = parse_dates(column)
    assert str(parsed.dtype) == "datetime64[s]"
    assert [f"{d:%Y-%m-%d}" for d in parsed[[0, 2]]] == ["2022-01-01", "2022-01-02"]
    assert (f"{parsed[1]:%Y-%m-%d}" if pd.notna(parsed[1]) else None) == day


def test_swapped_coordinates_are_found_by_the_country_the_row_names(tmp_path):
    header = [*ACLED_HEADER, "country"]
    path = write_csv(tmp_path / "acled.csv", header, [
        acled_row("S1", "2022-11-15", lat="35.42", lon="48.61", country="Ukraine"),  # Iran
        acled_row("S2", "2022-11-15", lat="48.61", lon="35.42", country="Ukraine"),
        acled_row("S3", "2022-11-15", lat="35.42", lon="48.61", country="Atlantis"),  # unknown
        acled_row("S4", "2022-11-15", lat="35.42", lon="48.61", country=""),
        acled_row("S5", "2022-11-15", lat="50.45", lon="30.52", country="Poland"),  # Kyiv
        acled_row("S6", "2022-11-15", lat="50.60", lon="36.59", country="Ukraine"),  # Belgorod
        acled_row("S7", "2022-11-15", lat="52.23", lon="21.01", country="poland"),
        acled_row("S8", "2022-11-15", lat="21.01", lon="52.23", country="POLAND"),  # Oman
        acled_row("S9", "yesterday", lat="50.45", lon="30.52", country="Poland"),
    ])
    events, log = read_events(path, "acled", source="t")
    assert list(events["id"]) == ["S2", "S3", "S4", "S5", "S6", "S7"]
    assert [(s.row, s.column, s.reason) for s in log.skipped] == [
        (2, "latitude", "latitude and longitude look swapped (columns 'latitude', "
                        "'longitude': 35.42, 48.61 lies outside 'Ukraine' named in column "
                        "'country'; 48.61, 35.42 lies inside it)"),
        (9, "latitude", "latitude and longitude look swapped (columns 'latitude', "
                        "'longitude': 21.01, 52.23 lies outside 'POLAND' named in column "
                        "'country'; 52.23, 21.01 lies inside it)"),
        (10, "event_date", "not a date: 'yesterday'"),
    ]
    # Far outside but not swapped: kept, and said (row 10 is left out for its date).
    assert log.warnings == ["1 row lies more than 50 km outside the country named in column "
                            "'country' (row 6); kept as given: check its 'latitude' and "
                            "'longitude'"]


def test_ucdp_swapped_coordinates_and_the_warning_in_the_import_summary(tmp_path, capsys):
    path = write_csv(tmp_path / "ged.csv", UCDP_HEADER, [
        ucdp_row("1", "2022-11-15", "2022-11-15"),
        ucdp_row("2", "2022-11-15", "2022-11-15", latitude="32.6169", longitude="46.6354"),
        ucdp_row("3", "2022-11-15", "2022-11-15", country="Russia"),  # Kherson, Ukraine
        ucdp_row("4", "2022-11-15", "2022-11-15", country="Russia", latitude="40.1",
                 longitude="30.0"),  # Turkey
    ])
    data = tmp_path / "data"
    assert cli.main(["import", str(path), "--format", "ucdp", "--source", "ged",
                     "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "4 rows read, 3 kept, 1 skipped" in out
    assert ("  skipped row 3, column 'latitude': latitude and longitude look swapped (columns "
            "'latitude', 'longitude': 32.6169, 46.6354 lies outside 'Ukraine'") in out
    # Kherson and Turkey are far from Russia, and so are their swapped points: kept, said.
    assert ("  warning: 2 rows lie more than 50 km outside the country named in column "
            "'country' (rows 4, 5); kept as given") in out
    assert list_sources(data)[-1].notes[-1].startswith("warning: 2 rows lie more than 50 km")


def test_a_users_csv_with_semicolons_and_aliases(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("Date;Lat;Lon;Name;Type;Status;Notes\n"
                    "2022-11-15;50.45;30.52;Kyiv;battle;confirmed;\"one; two\"\n"
                    "15.11.2022;49.99;36.23;Kharkiv;shelling;certain;x\n"
                    ";49.84;24.03;Lviv;;;blank date\n", encoding="utf-8")
    events, log = read_events(path, "csv", source="mine")
    assert list(events["name"]) == ["Kyiv", "Kharkiv"]
    assert list(events["type"].astype(str)) == ["battle", "event"]
    assert list(events["status"].astype(str)) == ["confirmed", "unclear"]
    assert list(events["id"]) == ["mine-2", "mine-3"]
    assert events.loc[0, "summary"] == "one; two"
    assert [(s.row, s.column, s.reason) for s in log.skipped] == [(4, "date", "no date")]
    assert any("'shelling'" in n for n in log.notes) and any("'certain'" in n for n in log.notes)


def vector_frame():
    return gpd.GeoDataFrame({
        "name": ["Kyiv", "Front", "Area", "No date", "Empty"],
        "date": ["2022-11-15", "2022-11-15", "2022-11-15", "", "2022-11-15"],
        "type": ["event", "event", "event", "event", "event"],
    }, geometry=[Point(30.52, 50.45), LineString([(33, 47), (34, 47.5)]),
                 Polygon([(33, 46), (34, 46), (34, 47), (33, 46)]), Point(31, 49), None],
        crs="EPSG:4326")


@pytest.mark.parametrize("fmt, suffix", [("geojson", "geojson"), ("gpkg", "gpkg")])
def test_geojson_and_geopackage_keep_any_geometry(tmp_path, fmt, suffix):
    path = tmp_path / f"mine.{suffix}"
    vector_frame().to_file(path, driver="GeoJSON" if fmt == "geojson" else "GPKG")
    events, log = read_events(path, fmt, source="mine")
    assert list(events["name"]) == ["Kyiv", "Front", "Area"]
    assert list(events.geometry.geom_type) == ["Point", "LineString", "Polygon"]
    assert {(s.row, s.reason) for s in log.skipped} == {(4, "no date"), (5, "no geometry")}
    assert all(s.unit == "feature" for s in log.skipped)


def test_a_layer_in_another_crs_is_reprojected(tmp_path):
    path = tmp_path / "utm.gpkg"
    vector_frame().iloc[:1].to_crs("EPSG:32636").to_file(path, driver="GPKG")
    events, _ = read_events(path, "gpkg", source="utm")
    assert events.geometry.x[0] == pytest.approx(30.52, abs=1e-6)
    assert events.geometry.y[0] == pytest.approx(50.45, abs=1e-6)


@pytest.mark.parametrize("content, fmt, words", [
    (b"<!DOCTYPE html><html><body>Please log in</body></html>", "acled", "web page (HTML)"),
    (b"", "acled", "is empty"),
    ("event_id_cnty,event_date\n1,2022-11-15\n".encode(), "acled",
     "missing columns 'event_type', 'latitude', 'longitude'"),
    ("event_id_cnty,Event Date,event_type,latitude,longitude\n".encode(), "acled",
     "missing column 'event_date' (found 'event date')"),
    ("a,b\n1,2\n".encode("utf-16"), "csv", "UTF-16"),
    (b"date,lat,lon\n2022-11-15,50,\xff30\n", "csv", "not UTF-8 text (byte 27, line 2)"),
    (b"name,when\nKyiv,2022-11-15\n", "csv", "no column for date or event_date or date_start or start_date; latitude"),
    (b'{"type": "FeatureCollection", "features": [', "geojson", "cannot be read"),
    (b"not a geopackage", "gpkg", "cannot be read"),
])
def test_bad_files_are_refused_with_the_file_and_column(tmp_path, content, fmt, words):
    path = tmp_path / f"bad.{fmt if fmt in ('geojson', 'gpkg') else 'csv'}"
    path.write_bytes(content)
    with pytest.raises(DataError) as err:
        read_events(path, fmt, source="bad")
    assert str(path) in str(err.value) and words in str(err.value)


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(1024 ** 3)  # 1 GB, sparse: nothing is read
    with pytest.raises(DataError, match="over the import limit"):
        read_events(path, "acled", source="huge")


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_import_saves_a_source_and_replaces_it_only_when_asked(tmp_path, acled_file):
    data = tmp_path / "data"
    data.mkdir()  # a fresh, empty data folder
    entry, log = import_file(acled_file, "acled", source="acled-ukr", data_dir=data)
    assert (entry.rows_read, entry.rows_kept, entry.rows_skipped) == (8, 3, 5)
    assert entry.first_date == "2022-11-15" and entry.last_date == "2022-11-20"
    assert entry.publisher.startswith("ACLED") and "attribution" in entry.licence
    assert entry.sha256 == hashlib.sha256(acled_file.read_bytes()).hexdigest()
    assert [s.name for s in list_sources(data)] == ["acled-ukr"]
    folder = data / "sources" / "acled-ukr"
    skipped = list(csv.reader((folder / "skipped.csv").open(encoding="utf-8")))
    assert skipped[0] == ["row", "column", "reason"] and len(skipped) == 6
    before = tree_hash(data)
    with pytest.raises(OptionError, match="--replace"):
        import_file(acled_file, "acled", source="acled-ukr", data_dir=data)
    assert tree_hash(data) == before
    entry, _ = import_file(acled_file, "acled", source="acled-ukr", data_dir=data, replace=True,
                           licence="Test licence")
    assert entry.licence == "Test licence"
    assert sorted(p.name for p in (data / "sources").iterdir()) == ["acled-ukr"]  # no leftovers


def test_a_refused_file_leaves_the_data_folder_untouched(tmp_path, acled_file):
    data = tmp_path / "data"
    data.mkdir()
    import_file(acled_file, "acled", source="kept", data_dir=data)
    before = tree_hash(data)
    bad = tmp_path / "bad.csv"
    write_csv(bad, ACLED_HEADER, [acled_row("X1", "never"), acled_row("X2", "", lat="")])
    with pytest.raises(DataError, match="no usable rows of 2"):
        import_file(bad, "acled", source="kept", data_dir=data, replace=True)
    with pytest.raises(OptionError, match="source name"):
        import_file(acled_file, "acled", source="../escape", data_dir=data)
    assert tree_hash(data) == before


def test_import_and_sources_commands(tmp_path, acled_file, capsys):
    data = tmp_path / "data"
    assert cli.main(["import", str(acled_file), "--format", "acled", "--source", "acled-ukr",
                     "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Imported acled-ukr: 8 rows read, 3 kept, 5 skipped; events from "
                          "2022-11-15 to 2022-11-20\n")
    assert "  skipped row 4, column 'latitude': no coordinates\n" in out
    assert "  note: kept as 'event': unknown event_type 'Teleportation'\n" in out
    assert cli.main(["import", str(acled_file), "--format", "acled", "--source", "acled-ukr",
                     "--data-dir", str(data)]) == 2
    assert "pass --replace" in capsys.readouterr().err
    assert cli.main(["sources", "--data-dir", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("acled-ukr  acled  3 events, 2022-11-15 to "
                                                   "2022-11-20  ACLED")


def test_sources_lists_the_report_first(capsys):
    assert cli.main(["sources"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("2022-11-16-reference-strikes-after-kherson  report  22 features")


def test_coordinates_out_of_range_and_zero_are_named(tmp_path):
    path = write_csv(tmp_path / "acled.csv", ACLED_HEADER, [
        acled_row("A1", "2022-11-15", lat="95.5", lon="200"),
        acled_row("A2", "2022-11-15", lat="48.5", lon="-181"),
        acled_row("A3", "2022-11-15", lat="0", lon="0"),
        acled_row("A4", "2022-11-15", lat="north", lon="30"),
        acled_row("A5", "2022-11-15"),
    ])
    events, log = read_events(path, "acled", source="t")
    assert list(events["id"]) == ["A5"]
    assert [(s.row, s.column, s.reason) for s in log.skipped] == [
        (2, "latitude", "latitude out of range (±90): 95.5"),
        (3, "longitude", "longitude out of range (±180): -181"),
        (4, "latitude", "coordinates 0, 0 (a blank saved as zero?)"),
        (5, "latitude", "latitude is not a number: 'north'"),
    ]


def test_a_failure_while_writing_leaves_no_half_written_source(tmp_path, acled_file,
                                                               monkeypatch):
    from mapapp.store import catalogue

    data = tmp_path / "data"
    import_file(acled_file, "acled", source="old", data_dir=data)
    before = tree_hash(data)
    real = catalogue.write_events

    def fail_midway(events, folder):
        real(events.iloc[:1], folder)  # one month written...
        raise OSError(28, "No space left on device")  # ...then the disk is full

    monkeypatch.setattr(catalogue, "write_events", fail_midway)
    for name, replace in (("old", True), ("new", False)):
        with pytest.raises(OutputError, match="No space left on device; nothing was changed"):
            import_file(acled_file, "acled", source=name, data_dir=data, replace=replace)
        assert tree_hash(data) == before  # the old source intact, no temporary folder


def test_messy_csv_layouts_keep_true_row_numbers(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("date,lat,lon,name,fatalities\n"
                    "2022-11-15,50.45,30.52,Kyiv,1,\n"        # a trailing separator
                    "\n"                                       # a blank line
                    "2022-11-15,,,Nowhere,0\n"                 # row 4
                    "2022-11-15,49.99,36.23,Kharkiv,1e20\n"    # a count too big: row 5
                    "05/11/2022,49.84,24.03,Lviv,0\n", encoding="utf-8")
    events, log = read_events(path, "csv", source="messy")
    assert list(events["name"]) == ["Kyiv", "Lviv"]
    assert [(s.row, s.column, s.reason) for s in log.skipped] == [
        (4, "lat", "no coordinates"),
        (5, "fatalities", "not a whole number from 0 up: '1e20'")]
    assert f"{events['date_start'][1]:%Y-%m-%d}" == "2022-05-11"
    assert any("month/day/year" in note for note in log.notes)


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("date,lat,lon,name\n2022-11-15,50,30,Kyiv, oblast\n", encoding="utf-8")
    with pytest.raises(DataError, match="row 2 has 5 cells but the header names 4"):
        read_events(path, "csv", source="x")


def test_a_time_zone_in_a_geojson_date_does_not_move_the_day(tmp_path):
    path = tmp_path / "tz.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5, 50.4]},
         "properties": {"date": "2022-11-15T23:30:00+03:00", "name": "Late"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5, 50.4]},
         "properties": {"date": "2022-11-15T00:30:00-05:00", "name": "Early"}}]}),
        encoding="utf-8")
    events, _ = read_events(path, "geojson", source="tz")
    assert [f"{d:%Y-%m-%d}" for d in events["date_start"]] == ["2022-11-15", "2022-11-15"]
