"""The event store: GeoParquet partitions, queries, dask-geopandas, exports.

Events are synthetic, made here: a grid of points over three months.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shapely.geometry import Point

from mapapp import cli
from mapapp.errors import DataError, OptionError
from mapapp.model.events import COLUMNS, from_features, typed
from mapapp.sources.collection import load_events
from mapapp.sources.report_folder import load_report_map
from mapapp.store.catalogue import Source, list_sources, save_source
from mapapp.store.geoparquet import partitions, read_events
from mapapp.store.query import EventFilter, parse_date, select

REPORT = "2022-11-16-reference-strikes-after-kherson"


def synthetic(n: int = 300, source: str = "synthetic") -> gpd.GeoDataFrame:
    """``n`` events from 1 October to 31 December 2022 over eastern Ukraine."""
    rng = np.random.default_rng(7)
    days = pd.to_datetime("2022-10-01") + pd.to_timedelta(rng.integers(0, 92, n), unit="D")
    frame = pd.DataFrame({
        "id": [f"e{i}" for i in range(n)], "source": source, "layer": "events",
        "type": rng.choice(["battle", "explosion_remote", "protest"], n),
        "status": rng.choice(["reported", "claimed"], n), "name": [f"Place {i}" for i in range(n)],
        "date_start": days, "date_end": days, "time_precision": "day",
        "place_precision": "exact", "fatalities": rng.integers(0, 5, n), "row": np.arange(2, n + 2),
    })
    points = gpd.points_from_xy(rng.uniform(30, 40, n), rng.uniform(46, 51, n), crs="EPSG:4326")
    return typed(gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326"))


def entry(name: str, events) -> Source:
    return Source(name=name, kind="csv", title="Synthetic events", publisher="the tests",
                  licence="CC0", rows_read=len(events), rows_kept=len(events),
                  first_date=f"{events['date_start'].min():%Y-%m-%d}",
                  last_date=f"{events['date_end'].max():%Y-%m-%d}")


@pytest.fixture()
def store(tmp_path):
    """A copy of the project's data folder with a synthetic source added."""
    import shutil

    from mapapp.sources.report_folder import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    events = synthetic()
    save_source(data, entry("synthetic", events), events)
    return data, events


def test_each_month_is_a_valid_geoparquet_file(store):
    data, events = store
    files = partitions(data / "sources" / "synthetic")
    assert sorted(files) == ["2022-10", "2022-11", "2022-12"]
    for month, path in files.items():
        meta = json.loads(pq.read_schema(path).metadata[b"geo"])
        assert meta["version"] == "1.1.0" and meta["primary_column"] == "geometry"
        column = meta["columns"]["geometry"]
        assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
        assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}
        assert "covering" in column  # a bbox per row, for area filters
        part = gpd.read_parquet(path)
        assert (part["date_start"].dt.strftime("%Y-%m") == month).all()
    back = read_events(data / "sources" / "synthetic")
    assert list(back.columns) == [*COLUMNS, "geometry"]
    assert back.crs.to_epsg() == 4326
    ordered = back.sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(pd.DataFrame(ordered.drop(columns="geometry")),
                                  pd.DataFrame(events.sort_values("id").reset_index(drop=True)
                                               .drop(columns="geometry")),
                                  check_categorical=False)
    assert ordered.geometry.geom_equals(events.sort_values("id").reset_index(drop=True)
                                        .geometry).all()


def test_a_time_range_reads_only_the_months_it_can_reach(store):
    # December's file is broken: a range ending in November never opens it.
    # October's is read: an event starting then may reach into November.
    data, events = store
    partitions(data / "sources" / "synthetic")["2022-12"].write_bytes(b"not parquet")
    part = read_events(data / "sources" / "synthetic", start=dt.date(2022, 11, 20),
                       end=dt.date(2022, 11, 25))
    assert set(part["date_start"].dt.strftime("%Y-%m")) == {"2022-10", "2022-11"}
    assert len(part) == (events["date_start"] < "2022-12-01").sum()
    with pytest.raises(DataError, match="month=2022-12/part-0.parquet: is not a readable"):
        read_events(data / "sources" / "synthetic", end=dt.date(2022, 12, 31))


@pytest.mark.parametrize("wanted, check", [
    (EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 30)),
     lambda e: (e["date_start"] >= "2022-11-01") & (e["date_start"] <= "2022-11-30")),
    (EventFilter(types=("battle",), statuses=("claimed",)),
     lambda e: (e["type"] == "battle") & (e["status"] == "claimed")),
    (EventFilter(bbox=(32.0, 47.0, 35.0, 49.0)),
     lambda e: e.geometry.x.between(32, 35) & e.geometry.y.between(47, 49)),
    (EventFilter(sources=("other",)), lambda e: e["source"] == "other"),
    (EventFilter(), lambda e: pd.Series(True, index=e.index)),
])
def test_queries_match_a_plain_row_by_row_check(wanted, check):
    events = synthetic()
    got = select(events, wanted)
    assert list(got["id"]) == list(events[check(events)]["id"])


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(OptionError, match="--to 2022-11-01 is before --from 2022-11-30"):
        EventFilter(start=dt.date(2022, 11, 30), end=dt.date(2022, 11, 1))
    with pytest.raises(OptionError, match="--from '15/11/2022': expected a date as YYYY-MM-DD"):
        parse_date("15/11/2022", "--from")


def test_dask_geopandas_runs_the_same_query_on_the_partitioned_files(store):
    """What one machine does with masks, dask-geopandas does per partition
    (here on its local scheduler): the files are its input as they are."""
    import dask
    import dask_geopandas

    data, events = store
    folder = data / "sources" / "synthetic" / "events"
    frame = dask_geopandas.read_parquet(str(folder))
    assert frame.npartitions == 3 and frame.crs.to_epsg() == 4326
    start, end = pd.Timestamp("2022-11-01"), pd.Timestamp("2022-11-30")
    box = frame[(frame.date_start <= end) & (frame.date_end >= start)]
    box = box[box.geometry.intersects(gpd.GeoSeries.from_xy([33.0], [48.0]).buffer(2.0)[0])]
    with dask.config.set(scheduler="synchronous"):
        got = box.compute()
    expected = select(events, EventFilter(start=start.date(), end=end.date()))
    expected = expected[expected.geometry.intersects(Point(33, 48).buffer(2.0))]
    assert sorted(got["id"]) == sorted(expected["id"]) and len(got) > 0


def test_the_report_becomes_rows_with_event_and_report_dates_apart():
    report_map = load_report_map()
    events = from_features(report_map.features, source=REPORT)
    drawn = [f for f in report_map.features if f.geometry is not None]
    assert len(events) == len(drawn)
    kyiv = events[events["id"] == "strike-kyiv"].iloc[0]
    assert f"{kyiv['date_start']:%Y-%m-%d}" == "2022-11-15"
    assert f"{kyiv['report_date']:%Y-%m-%d}" == "2022-11-16"
    assert kyiv["layer"] == "strikes" and kyiv["status"] in ("confirmed", "reported")
    henichesk = events[events["id"] == "place-henichesk"].iloc[0]
    assert (f"{henichesk['date_start']:%Y-%m-%d}", f"{henichesk['date_end']:%Y-%m-%d}") == \
        ("2022-11-09", "2022-11-15")
    assert set(events.geometry.geom_type) >= {"Point", "LineString", "Polygon"} or \
        set(events.geometry.geom_type) >= {"Point", "LineString", "MultiPolygon"}


def test_load_events_combines_sources_and_refuses_unknown_ones(store):
    data, events = store
    both = load_events(data, (REPORT, "synthetic"))
    assert len(both) == len(events) + len(load_events(data, (REPORT,)))
    assert set(both["source"].astype(str)) == {REPORT, "synthetic"}
    with pytest.raises(OptionError, match="no such source"):
        load_events(data, ("nope",))


def test_loaded_events_are_in_date_order_then_source_then_row(store):
    # The app lists the first 1,000 rows: the earliest, not the file's first.
    data, events = store
    shuffled = events.sample(frac=1, random_state=3)  # a file in no order (ACLED: newest first)
    save_source(data, entry("shuffled", shuffled), shuffled)
    one = load_events(data, ("shuffled",))
    assert list(one.index) == list(range(len(one)))
    keys = list(zip(one["date_start"], one["row"]))
    assert keys == sorted(keys) and len(one) == len(events)
    both = load_events(data, ("shuffled", REPORT))
    assert list(both.index) == list(range(len(both)))
    assert both["date_start"].is_monotonic_increasing
    key = pd.DataFrame({"date": both["date_start"],
                        "source": (both["source"].astype(str) == REPORT).astype(int),
                        "row": both["row"].fillna(0)})
    assert key.equals(key.sort_values(["date", "source", "row"]).reset_index(drop=True))


def test_a_broken_partition_is_a_clear_error(store):
    data, _ = store
    files = partitions(data / "sources" / "synthetic")
    files["2022-11"].write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="month=2022-11/part-0.parquet: is not a readable "
                                        "GeoParquet file"):
        read_events(data / "sources" / "synthetic")


def test_catalogue_lists_the_report_then_sources(store):
    data, _ = store
    assert [s.name for s in list_sources(data)] == [REPORT, "synthetic"]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "parquet", "csv"])
def test_export_writes_each_format_readable_by_the_usual_libraries(store, tmp_path, fmt, capsys):
    data, events = store
    out = tmp_path / f"view.{fmt}"
    assert cli.main(["export", "--data-dir", str(data), "--source", f"synthetic,{REPORT}",
                     "--from", "2022-11-15", "--to", "2022-11-16", "--format", fmt,
                     "-o", str(out)]) == 0
    message = capsys.readouterr().out
    expected = select(load_events(data, ("synthetic", REPORT)),
                      EventFilter(start=dt.date(2022, 11, 15), end=dt.date(2022, 11, 16)))
    assert message.startswith(f"Wrote {out}: {len(expected):,} of ")
    if fmt == "csv":
        back = pd.read_csv(out)
        points = back.dropna(subset=["latitude"])
        assert {"latitude", "longitude", "wkt"} <= set(back.columns)
        kyiv = back[back["id"] == "strike-kyiv"].iloc[0]
        assert (kyiv["latitude"], kyiv["date_start"]) == (pytest.approx(50.45, abs=0.01),
                                                          "2022-11-15")
        assert len(points) + back["wkt"].notna().sum() == len(expected)
    else:
        back = gpd.read_parquet(out) if fmt == "parquet" else gpd.read_file(out)
        assert back.crs.to_epsg() == 4326
        assert sorted(back["id"]) == sorted(expected["id"])
        row = back[back["id"] == "strike-kyiv"].iloc[0]
        assert str(row["date_start"])[:10] == "2022-11-15"
        assert "<" not in str(row["summary"])  # plain text, not HTML
    if fmt == "gpkg":  # a GeoPackage is an SQLite database with the standard's tables
        with sqlite3.connect(out) as db:
            tables = {r[0] for r in db.execute("select table_name from gpkg_contents")}
        assert tables == {"events"}


def test_export_data_refuses_image_options_and_bad_dates(store, tmp_path, capsys):
    data, _ = store
    base = ["export", "--data-dir", str(data), "--source", "synthetic", "-o",
            str(tmp_path / "x.geojson")]
    for extra, words in ((["--preset", "social"], "--preset is for images"),
                         (["--from", "2022-13-01"], "--from '2022-13-01': expected a date"),
                         (["--source", "nope"], "no such source"),
                         (["--format", "gpkg"], "--format gpkg does not match the output")):
        assert cli.main(base + extra) == 2
        assert words in capsys.readouterr().err
    assert not (tmp_path / "x.geojson").exists()


def test_images_draw_imported_events_as_one_collection_with_their_credit(store, tmp_path,
                                                                        capsys):
    import xml.etree.ElementTree as ET

    data, events = store
    out = tmp_path / "events.svg"
    assert cli.main(["export", "--data-dir", str(data), "--source", "synthetic", "--from",
                     "2022-11-01", "--to", "2022-11-30", "--preset", "social", "-o",
                     str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    groups = [g for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
              if g.get("id") == "mapapp-events"]
    assert len(groups) == 1  # one artist for every event, not one each
    november = select(events, EventFilter(start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 30)))
    dots = list(groups[0].iter("{http://www.w3.org/2000/svg}use"))
    assert len(dots) == len(november)
    assert "Events: Synthetic events (the tests; CC0)" in svg
    # The legend names each type drawn (one row each, no headings: compact).
    for words in ("Battle", "Explosion or remote violence", "Protest"):
        assert f"<!-- {words} -->" in svg or f">{words}<" in svg, words
    assert cli.main(["export", "--data-dir", str(data), "--source", "synthetic",
                     "--all-presets", "--out-dir", str(tmp_path)]) == 2
    assert "--all-presets draws the report" in capsys.readouterr().err


def test_the_view_narrows_a_data_export_and_the_events_of_an_image_alike(store, tmp_path):
    import xml.etree.ElementTree as ET

    from mapapp.view import ViewState

    data, events = store
    options = ["--from", "2022-11-01", "--to", "2022-11-30", "--layers", "strikes,events",
               "--types", "battle,missile_strike", "--status", "reported",
               "--bounds", "46,30,49,36"]
    view = ViewState.from_options(layers="strikes,events", types="battle,missile_strike",
                                  status="reported", bounds="46,30,49,36",
                                  date_from="2022-11-01", date_to="2022-11-30",
                                  sources=("synthetic",))
    expected = select(events, view.event_filter())
    assert 0 < len(expected) < len(events)
    out = tmp_path / "view.csv"
    assert cli.main(["export", "--data-dir", str(data), "--source", "synthetic", *options,
                     "-o", str(out)]) == 0
    assert sorted(pd.read_csv(out)["id"]) == sorted(expected["id"])
    image = tmp_path / "view.svg"
    assert cli.main(["export", "--data-dir", str(data), "--source", "synthetic", *options,
                     "--size", "640x400", "-o", str(image)]) == 0
    (group,) = [g for g in ET.fromstring(image.read_bytes()).iter("{http://www.w3.org/2000/svg}g")
                if g.get("id") == "mapapp-events"]
    assert len(list(group.iter("{http://www.w3.org/2000/svg}use"))) == len(expected)


def test_the_command_line_hands_the_view_down_whole(store, tmp_path, monkeypatch):
    from mapapp.static import export
    from mapapp.view import ViewState

    data, _ = store
    calls = []
    monkeypatch.setattr(export, "export_image", lambda report_map, output, **kw: calls.append(kw)
                        or output)
    assert cli.main(["export", "--data-dir", str(data), "--layers", "strikes", "--status",
                     "reported", "--bounds", "45,30,49,39", "-o", str(tmp_path / "a.png")]) == 0
    assert calls[-1]["view"] == ViewState(layers=("strikes",), statuses=("reported",),
                                          bounds=((45, 30), (49, 39)))
    assert not {"layers", "types", "statuses", "bounds"} & set(calls[-1])
    assert not hasattr(cli, "_names") and not hasattr(cli, "_view_kwargs")


def test_export_html_writes_the_web_page_and_refuses_image_options(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert cli.main(["export", "-o", str(out), "--layers", "strikes"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "strike-kyiv" in page and "front-dnipro-2022-11-15" not in page
    assert cli.main(["export", "-o", str(tmp_path / "b.html"), "--preset", "social"]) == 2
    assert "--preset does not go with an html export" in capsys.readouterr().err
    assert not (tmp_path / "b.html").exists()


@pytest.mark.parametrize("edit, words", [
    (lambda r: r.update(name="other"), "names the source 'other', but its folder is 'synthetic'"),
    (lambda r: r.update(title=5), "field 'title': expected str"),
    (lambda r: r.update(rows_kept="many"), "field 'rows_kept': expected int"),
    (lambda r: r.update(publisher="A\\x1b[2J"), "control character U+001B"),
    (lambda r: r.update(notes="x"), "field 'notes': expected list"),
])
def test_a_hand_edited_catalogue_entry_is_refused_by_name(store, capsys, edit, words):
    data, _ = store
    path = data / "sources" / "synthetic" / "source.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    edit(record)
    text = json.dumps(record).replace("\\\\x1b", "\\u001b")
    path.write_text(text, encoding="utf-8")
    assert cli.main(["sources", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and words in err and "Traceback" not in err


def test_an_event_that_began_before_the_range_is_still_in_it(store, tmp_path, capsys):
    data, _ = store
    long = synthetic(1, source="long")
    long.loc[0, "date_start"] = pd.Timestamp("2022-10-28")
    long.loc[0, "date_end"] = pd.Timestamp("2022-11-03")
    save_source(data, entry("long", long), long)
    out = tmp_path / "nov.csv"
    assert cli.main(["export", "--data-dir", str(data), "--source", "long", "--from",
                     "2022-11-01", "--to", "2022-11-30", "-o", str(out)]) == 0
    assert list(pd.read_csv(out)["id"]) == ["e0"]


def test_a_failed_replace_puts_the_old_source_back(store, monkeypatch):
    import os

    from mapapp import files
    from mapapp.errors import OutputError

    data, events = store
    real, calls = os.replace, []

    def second_fails(src, dst):
        # The new folder's move into place fails, after the old one moved aside.
        if ".import-" in str(src) and str(dst).endswith("synthetic"):
            calls.append(dst)
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", second_fails)
    with pytest.raises(OutputError, match="nothing was changed"):
        save_source(data, entry("synthetic", events.iloc[:5]), events.iloc[:5], replace=True)
    monkeypatch.setattr(files.os, "replace", real)
    assert calls  # the failure did happen where it hurts
    assert sorted(p.name for p in (data / "sources").iterdir()) == ["synthetic"]
    assert len(read_events(data / "sources" / "synthetic")) == len(events)


def test_a_month_in_the_report_lasts_the_whole_month():
    events = from_features(load_report_map().features, source=REPORT)
    bucha = events[events["id"] == "place-bucha"].iloc[0]
    assert (f"{bucha['date_start']:%Y-%m-%d}", f"{bucha['date_end']:%Y-%m-%d}",
            bucha["time_precision"]) == ("2022-03-01", "2022-03-31", "month")


def test_dates_for_an_image_of_the_report_alone_are_refused(tmp_path, capsys):
    assert cli.main(["export", "--from", "2022-11-01", "-o", str(tmp_path / "a.png")]) == 2
    assert "--from and --to choose the events of imported sets" in capsys.readouterr().err
    assert not (tmp_path / "a.png").exists()


def test_every_event_type_has_its_own_colour():
    # Two sets on one map (ACLED and UCDP): a colour must name one type.
    from mapapp import styles
    from mapapp.model.events import EVENT_TYPES

    colours = [styles.EVENT_COLORS[t] for t in EVENT_TYPES]
    assert len(set(colours)) == len(colours)
