"""The view in the URL: round trips, defaults and stale links."""

import datetime as dt

import pytest

from mapapp import view as view_module
from mapapp.errors import OptionError
from mapapp.model import ALL_TYPES, STATUSES
from mapapp.model.events import EVENT_LAYER, EVENT_TYPES
from mapapp.store.query import EventFilter
from mapapp.view import DEFAULT_LAYERS, ViewState, bounds_from_leaflet, from_query, parse_bounds


def test_default_view_has_an_empty_query():
    assert ViewState().to_query() == {}
    view, notes = from_query({})
    assert view == ViewState() and notes == []
    assert "mentions" not in view.shown_layers  # not narrowed: the app's first view


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


# ---- the checked view: a ViewState that exists can be drawn


@pytest.mark.parametrize("fields, message", [
    ({"layers": ("strikes", "rumours")}, "--layers: unknown rumours (known: "),
    ({"layers": "strikes"}, "--layers 'strikes': expected a list of names"),
    ({"layers": 5}, "--layers: expected a list of names"),
    ({"types": ("tank",)}, "--types: unknown tank (known: "),
    ({"statuses": ("sure", "confirmed")}, "--status: unknown sure (known: "),
    ({"start": "2022-13-01"}, "--from '2022-13-01': expected a date as YYYY-MM-DD"),
    ({"start": "yesterday"}, "--from 'yesterday': expected a date as YYYY-MM-DD"),
    ({"end": "15/11/2022"}, "--to '15/11/2022': expected a date as YYYY-MM-DD"),
    ({"start": "2022-11-30", "end": "2022-11-01"}, "--to 2022-11-01 is before --from 2022-11-30"),
    ({"bounds": ((53, 22), (44, 41))}, "--bounds"),
    ({"bounds": ((44, 22), (53, 200))}, "--bounds"),
    ({"bounds": ((float("nan"), 22), (53, 41))}, "--bounds"),
    ({"bounds": "Ukraine"}, "--bounds 'Ukraine': expected ((south, west), (north, east))"),
    ({"basemap": "moon"}, "--basemap 'moon': unknown basemap"),
    ({"sources": "acled"}, "--source 'acled': expected a list of source names"),
])
def test_a_view_refuses_each_bad_field_naming_the_option(fields, message):
    with pytest.raises(OptionError) as info:
        ViewState(**fields)
    assert str(info.value).startswith(message), str(info.value)


def test_a_view_keeps_names_in_order_and_dates_and_bounds_as_values():
    view = ViewState(layers=["strikes", "front_lines", "strikes"], start=dt.date(2022, 11, 1),
                     end=" 2022-11-15", bounds=[[44, 22], [53, 41]], sources=["b", "a", "b"])
    assert view.layers == ("front_lines", "strikes")
    assert (view.start, view.end) == ("2022-11-01", "2022-11-15")
    assert view.bounds == ((44.0, 22.0), (53.0, 41.0))
    assert view.sources == ("b", "a")
    assert view == ViewState(layers=("front_lines", "strikes"), start="2022-11-01",
                             end="2022-11-15", bounds=((44, 22), (53, 41)), sources=("b", "a"))


def test_a_view_takes_the_names_of_event_sets_too():
    view = ViewState(layers=("strikes", EVENT_LAYER), types=("battle", "missile_strike"))
    assert view.layers == ("strikes", EVENT_LAYER) and view.types == ("missile_strike", "battle")
    # The report's features are chosen by the report's names only.
    assert view.feature_filter() == {"layers": ("strikes",), "types": ("missile_strike",),
                                     "statuses": None}
    assert ViewState(types=tuple(EVENT_TYPES)).feature_filter()["types"] == ()


@pytest.mark.parametrize("options, message", [
    ({"layers": "strikes,rumours"}, "--layers: unknown rumours"),
    ({"types": "tank"}, "--types: unknown tank"),
    ({"status": "maybe"}, "--status: unknown maybe"),
    ({"bounds": "44,22,53"}, "--bounds '44,22,53': expected four numbers"),
    ({"bounds": "53,22,44,41"}, "--bounds"),
    ({"date_from": "2022-11-31"}, "--from '2022-11-31'"),
    ({"date_from": "2022-11-15", "date_to": "2022-11-01"}, "--to 2022-11-01 is before --from"),
])
def test_options_from_the_command_line_are_checked_by_the_view(options, message):
    with pytest.raises(OptionError, match=message):
        ViewState.from_options(**options)


def test_options_from_the_command_line():
    assert ViewState.from_options() == ViewState()
    view = ViewState.from_options(layers=" places , strikes,", types="none", status="reported",
                                  bounds="45,30,49,39", date_from="2022-11-01",
                                  sources=("synthetic",))
    assert view == ViewState(layers=("strikes", "places"), types=(), statuses=("reported",),
                             bounds=((45.0, 30.0), (49.0, 39.0)), start="2022-11-01",
                             sources=("synthetic",))
    assert ViewState.from_options(layers="").layers == ()  # given, and empty: nothing


def test_the_event_filter_of_a_view():
    view = ViewState(sources=("acled",), start="2022-11-01", end="2022-11-30",
                     bounds=((45, 30), (49, 39)), layers=(EVENT_LAYER,), types=("battle",),
                     statuses=("reported",))
    assert view.event_filter() == EventFilter(
        sources=("acled",), start=dt.date(2022, 11, 1), end=dt.date(2022, 11, 30),
        bbox=(30.0, 45.0, 39.0, 49.0), layers=(EVENT_LAYER,), types=("battle",),
        statuses=("reported",))
    # Not narrowed is no condition: every layer, type and status, anywhere, any day.
    assert ViewState(sources=("acled",)).event_filter() == EventFilter(sources=("acled",))


def test_the_maps_position_round_trips_through_a_link():
    view = ViewState(at=(46.63518, 32.61662, 8.25))
    assert view.to_query() == {"at": "46.6352,32.6166,8.25"}
    back, notes = from_query(view.to_query())
    assert notes == [] and back.at == (46.6352, 32.6166, 8.25)


@pytest.mark.parametrize("raw", ["95,33,9", "46,200,9", "46,33", "46,33,1", "46,33,19",
                                 "inf,3,4", "a,b,c", "46,33,9,1"])
def test_a_bad_position_is_left_out_of_the_view_with_a_note(raw):
    view, notes = from_query({"at": raw, "layers": "strikes"})
    assert view.at is None and view.layers == ("strikes",)
    assert len(notes) == 1 and notes[0].startswith("Ignored a map position in the link: at")


def test_not_narrowed_and_narrowed_to_everything_make_the_same_link():
    assert ViewState(layers=DEFAULT_LAYERS, types=ALL_TYPES, statuses=STATUSES).to_query() == {}
    assert ViewState(bounds=((45, 30), (49, 39))).to_query() == {}  # a link opens the first view


@pytest.mark.parametrize("query", [
    {"layers": "strikes,events", "types": "battle"},  # event-set names are not the app's
    {"from": "2022-11-15T10:00", "to": "x" * 10_000},
    {"from": "2022-02-30", "to": "0000-01-01"},
    {"from": "2022-11-30", "to": "2022-11-01"},
    {"sources": "acled,../../etc", "basemap": "", "feature": ""},
    {"layers": [], "types": ["tank", "explosion"], "status": ",,,"},
    {"from": "\udcff", "to": "2022-11-15\x00"},
])
def test_a_link_never_makes_a_bad_view(query):
    view, notes = from_query(query, feature_ids={"strike-kyiv"}, source_names=("acled",))
    assert isinstance(view, ViewState)
    assert view == ViewState(**{f: getattr(view, f) for f in view.__dataclass_fields__})


def test_a_checked_view_is_drawn_without_checking_it_again(report_map, tmp_path, monkeypatch):
    from mapapp.static import export
    from mapapp.static import figure as render
    from mapapp.web import snapshot

    view = ViewState(layers=("front_lines",), bounds=((45.5, 29.5), (48.5, 36.0)))

    def again(*args, **kwargs):
        raise AssertionError("the view was checked again")

    monkeypatch.setattr(view_module, "check_bounds", again)
    monkeypatch.setattr(view_module, "_names", again)
    monkeypatch.setattr(view_module, "view_problem", again)
    path = export.export_image(report_map, tmp_path / "map.svg", size="640x400", view=view)
    assert "Front line" in path.read_text(encoding="utf-8")
    assert render.legend_entries(report_map, view) == ["Front line", "Former front line"]
    assert "[[45.5, 29.5], [48.5, 36.0]]" in snapshot.page_html(report_map, view)
    # The old re-checks are gone: one place checks each thing.
    assert not hasattr(export, "_checked_view") and not hasattr(render, "_check_bounds")
    assert not hasattr(view_module, "check_view")
