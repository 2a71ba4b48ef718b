"""The view in the URL: round trips, defaults and stale links."""

import pytest

from mapapp.errors import OptionError
from mapapp.model import STATUSES
from mapapp.view import DEFAULT_LAYERS, ViewState, bounds_from_leaflet, from_query, parse_bounds


def test_default_view_has_an_empty_query():
    assert ViewState().to_query() == {}
    view, notes = from_query({})
    assert view == ViewState() and notes == []
    assert "mentions" not in view.layers


@pytest.mark.parametrize("view", [
    ViewState(layers=("strikes",)),
    ViewState(layers=()),
    ViewState(statuses=("confirmed", "unclear"), basemap="osm"),
    ViewState(types=("missile_strike", "explosion"), selected="strike-kyiv"),
])
def test_round_trip(view):
    back, notes = from_query(view.to_query(), feature_ids={"strike-kyiv"})
    assert back == view and notes == []


def test_order_in_the_link_does_not_matter():
    a, _ = from_query({"layers": "strikes,front_lines"})
    b, _ = from_query({"layers": "front_lines,strikes"})
    assert a == b and a.to_query() == b.to_query()


def test_stale_link_values_are_dropped_with_a_note():
    view, notes = from_query({"layers": "strikes,rumours", "status": "sure",
                              "basemap": "moon", "feature": "gone"},
                             feature_ids={"strike-kyiv"})
    assert view.layers == ("strikes",)
    assert view.statuses == ()
    assert view.basemap == "offline" and view.selected == ""
    assert len(notes) == 4 and any("rumours" in n for n in notes)


def test_repeated_parameters_take_the_last():
    view, _ = from_query({"basemap": ["osm", "light"]})
    assert view.basemap == "light"


def test_shows_filters_by_layer_type_and_status(report_map):
    view = ViewState(layers=DEFAULT_LAYERS, statuses=tuple(s for s in STATUSES if s != "unclear"))
    shown = {f.id for f in view.visible(report_map)}
    hidden = {f.id for f in report_map.features if f.status == "unclear"}
    assert hidden and not (shown & hidden)


@pytest.mark.parametrize("raw, ignore, expected", [
    ({"_southWest": {"lat": 45.5, "lng": 30.0}, "_northEast": {"lat": 48.0, "lng": 36.5}}, None,
     ((45.5, 30.0), (48.0, 36.5))),
    # The placeholder st_folium sends before the browser has drawn the map.
    ({"_southWest": {"lat": 40, "lng": 12}, "_northEast": {"lat": 58, "lng": 45}},
     [[40, 12], [58, 45]], None),
    ({"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}, None,
     None),
    ({"_southWest": {"lat": 50, "lng": 30}, "_northEast": {"lat": 45, "lng": 36}}, None, None),
    # Zoomed out to the whole globe: the widest view that can be drawn, centred.
    ({"_southWest": {"lat": 40, "lng": -200}, "_northEast": {"lat": 60, "lng": 220}}, None,
     ((40.0, -40.0), (60.0, 60.0))),
    # Panned once round the world: the same place, longitudes wrapped.
    ({"_southWest": {"lat": 44, "lng": 382}, "_northEast": {"lat": 53, "lng": 401}}, None,
     ((44.0, 22.0), (53.0, 41.0))),
    (None, None, None),
    ("junk", None, None),
])
def test_bounds_from_leaflet(raw, ignore, expected):
    assert bounds_from_leaflet(raw, ignore=ignore) == expected


@pytest.mark.parametrize("text, expected", [
    ("44,22,53,41", ((44.0, 22.0), (53.0, 41.0))),
    (" 45.5, 29.5 ,48.5,36 ", ((45.5, 29.5), (48.5, 36.0))),
    ("-10,-20,10,20", ((-10.0, -20.0), (10.0, 20.0))),
])
def test_parse_bounds(text, expected):
    assert parse_bounds(text) == expected


@pytest.mark.parametrize("text", ["44,22,53", "a,b,c,d", "", "53,22,44,41", "44,41,53,22",
                                  "44,22,95,41", "44,22,53,200", "nan,22,53,41"])
def test_bad_bounds_name_the_option(text):
    with pytest.raises(OptionError, match="--bounds"):
        parse_bounds(text)
