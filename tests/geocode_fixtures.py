"""Shared helpers for the places / gazetteer / geocode tests (no network).

The Nominatim fakes replace geopy's *transport* only: an adapter hands
geopy a canned reply body (or raises what a real adapter would), and geopy
itself builds the URL, decodes the JSON and parses the reply.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from geopy.adapters import AdapterHTTPError, URLLibAdapter
from geopy.exc import GeocoderTimedOut
from geopy.geocoders import Nominatim

from mapapp.geo.places import Place

ROOT = Path(__file__).resolve().parent.parent
PLACES_FILE = ROOT / "data" / "places.json"
GEOCACHE_DIR = ROOT / "geocache"

USER_AGENT = "mapapp-tests/0.1 (+no network)"

KYIV = Place(id="kyiv", name="Kyiv", query="Kyiv", country="UA", admin1="12", kind="city")
KHARKIV_REGION = Place(id="kharkiv-region", name="Kharkiv region", query="Kharkiv Oblast",
                       country="UA", admin1="07", kind="region")
POLAND = Place(id="poland", name="Poland", query="Poland", country="PL", kind="country")
PRZEWODOW = Place(id="przewodow", name="Przewodów", query="Przewodów", country="PL",
                  admin1="75", kind="village")
NOWHERE = Place(id="nowhere", name="Nowhere", query="Nowhereville", country="PL", kind="village")

# Shaped like a Nominatim jsonv2 search reply; the ids are invented.
NOMINATIM_PRZEWODOW = [{
    "place_id": 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
    "osm_type": "node", "osm_id": 123456789, "lat": "50.4741000", "lon": "23.9300000",
    "class": "place", "type": "village", "place_rank": 19, "importance": 0.35,
    "addresstype": "village", "name": "Przewodów",
    "display_name": "Przewodów, gmina Dołhobyczów, powiat hrubieszowski, "
                    "województwo lubelskie, Polska",
    "boundingbox": ["50.4541000", "50.4941000", "23.9100000", "23.9500000"],
}]


class FakeClock:
    """A clock that only moves when something sleeps."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Body(str):
    """A reply body sent as it is: garbage, empty, an HTML error page."""


class Hang:
    """A server that never answers: each request takes its whole timeout
    (on the fake clock) and ends as geopy's adapters end it."""


class FakeTransport:
    """Answers geopy's requests from a list of replies: JSON-able values,
    :class:`Body`, :class:`Hang` or exceptions to raise.

    Each reply is used once; the last one repeats.  ``calls`` records each
    request's URL, headers, timeout and the fake clock's time.
    """

    def __init__(self, *replies, clock: FakeClock | None = None):
        self.replies = list(replies)
        self.clock = clock
        self.calls: list[dict] = []

    def answer(self, url: str, headers: dict, timeout: float) -> str:
        self.calls.append({"url": url, "headers": dict(headers), "timeout": timeout,
                           "at": self.clock.now if self.clock else None})
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Hang):
            if self.clock is not None:
                self.clock.now += timeout
            raise GeocoderTimedOut("Service timed out")
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, Body):
            return str(reply)
        return json.dumps(reply)

    def adapter_factory(self, **kwargs):
        transport = self

        class CannedAdapter(URLLibAdapter):
            # geopy's own get_json decodes the body (GeocoderParseError for garbage).
            def get_text(self, url, *, timeout, headers):
                return transport.answer(url, headers, timeout)

        return CannedAdapter(**kwargs)

    def nominatim(self) -> Nominatim:
        return Nominatim(user_agent=USER_AGENT, timeout=10, adapter_factory=self.adapter_factory)


def http_error(status: int, text: str = "", *, retry_after: str | None = "1") -> AdapterHTTPError:
    """What geopy's own adapters raise for a non-2xx reply."""
    headers = {} if retry_after is None else {"retry-after": retry_after}
    return AdapterHTTPError(f"Non-successful status code {status}", status_code=status,
                            headers=headers, text=text)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def write_places(directory: Path, *records: dict) -> Path:
    """Write a places.json holding ``records`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "places.json"
    path.write_text(json.dumps({"places": list(records)}, ensure_ascii=False), encoding="utf-8")
    return path


def record(**fields) -> dict:
    """A valid place record, with ``fields`` changed (``None`` removes a field)."""
    base = {"id": "kyiv", "name": "Kyiv", "query": "Kyiv", "country": "UA",
            "admin1": "12", "kind": "city"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}
