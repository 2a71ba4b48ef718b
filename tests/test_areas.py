"""Front lines from waypoints and control areas cut from a country."""

import re

import pytest
from shapely.geometry import Point, box

from mapapp.errors import DataError
from mapapp.geo.areas import held_by, returned, russian_held
from mapapp.geo.frontline import FrontLine, Waypoint, cutting_line, line_geometry

# A square "country" 0..10 x 0..10; the front runs north-south near x=5.
COUNTRY = box(0, 0, 10, 10)
COORDS = {
    "w-south": (4.0, 1.0), "e-south": (6.0, 1.0),
    "w-north": (4.0, 9.0), "e-north": (6.0, 9.0),
    "contested": (5.0, 5.0),
    # A bridgehead west of the line: held by "ru" before, by "ua" now.
    "bh-ua-s": (1.0, 2.0), "bh-ru-s": (3.0, 2.0),
    "bh-ua-n": (1.0, 4.0), "bh-ru-n": (3.0, 4.0),
}
NOW = FrontLine(id="now", name="Now", as_of="2022-11-15", basis="test",
                waypoints=(Waypoint(ua="w-south", ru="e-south"), Waypoint(on="contested"),
                           Waypoint(ua="w-north", ru="e-north")),
                extend_start_km=300, extend_end_km=300)
BEFORE = FrontLine(id="before", name="Before", as_of="2022-11-08", basis="test",
                   waypoints=(Waypoint(ua="bh-ua-s", ru="bh-ru-s"),
                              Waypoint(ua="bh-ua-n", ru="bh-ru-n")),
                   extend_start_km=1200, extend_end_km=1200)


def test_line_vertices_are_midpoints_or_the_place():
    assert list(line_geometry(NOW, COORDS).coords) == [(5.0, 1.0), (5.0, 5.0), (5.0, 9.0)]


def test_cutting_line_extends_along_end_segments():
    cut = list(cutting_line(NOW, COORDS).coords)
    assert len(cut) == 5
    assert cut[0][0] == pytest.approx(5.0) and cut[0][1] < 0
    assert cut[-1][0] == pytest.approx(5.0) and cut[-1][1] > 10


def test_russian_held_is_the_side_with_ru_places():
    held = russian_held(COUNTRY, NOW, COORDS)
    assert held.area == pytest.approx(50.0)
    assert held.contains(Point(COORDS["e-south"]))
    assert not held.contains(Point(COORDS["w-north"]))


def test_both_sides_cover_the_country_without_overlap():
    ru = held_by(COUNTRY, NOW, COORDS, "ru")
    ua = held_by(COUNTRY, NOW, COORDS, "ua")
    assert ru.intersection(ua).area == pytest.approx(0.0)
    assert ru.union(ua).area == pytest.approx(COUNTRY.area)


def test_returned_area_lies_between_the_lines():
    # BEFORE runs north-south at x=2, extended past both edges, so it cuts
    # Ukraine's side (x<5) into a western piece and the 3x10 bridgehead.
    area = returned(COUNTRY, BEFORE, NOW, COORDS)
    assert area.contains(Point(COORDS["bh-ru-s"]))
    assert not area.contains(Point(COORDS["bh-ua-s"]))
    assert not area.intersects(russian_held(COUNTRY, NOW, COORDS).buffer(-1e-9))
    assert area.area == pytest.approx(30.0)


def test_a_line_that_does_not_cross_the_country_is_an_error():
    short = FrontLine(id="short", name="s", as_of="2022", basis="t",
                      waypoints=NOW.waypoints)  # no extension: stops inside
    with pytest.raises(DataError, match="does not cut") as info:
        russian_held(COUNTRY, short, COORDS)
    assert info.value.feature == "short" and info.value.field == "extend_km"


def test_an_island_goes_to_the_side_of_the_line_it_lies_on():
    # Two islands with no settlements, beyond the ends of the line: one on
    # its east (Russian) side, one on its west side.
    from shapely.geometry import MultiPolygon
    country = MultiPolygon([COUNTRY, box(6.5, -3, 7, -2.5), box(3, 11, 3.5, 11.5)])
    held = russian_held(country, NOW, COORDS)
    assert held.contains(Point(6.7, -2.7))
    assert not held.intersects(Point(3.2, 11.2))


# -- the cut checks the sides ----------------------------------------------------------

CAPITAL = ("Capital", (1.0, 8.0))  # deep on the west ("ua") side
COORDS3 = {**COORDS, "w-mid": (4.0, 5.0), "e-mid": (6.0, 5.0)}
THREE = FrontLine(id="three", name="Three", as_of="2022-11-15", basis="test",
                  waypoints=(Waypoint(ua="w-south", ru="e-south"),
                             Waypoint(ua="w-mid", ru="e-mid"),
                             Waypoint(ua="w-north", ru="e-north")),
                  extend_start_km=300, extend_end_km=300)


def swapped(line, *indices):
    waypoints = list(line.waypoints)
    for i in indices or range(len(waypoints)):
        wp = waypoints[i]
        waypoints[i] = Waypoint(ua=wp.ru, ru=wp.ua, on=wp.on)
    return FrontLine(id=line.id, name=line.name, as_of=line.as_of, basis=line.basis,
                     waypoints=tuple(waypoints), extend_start_km=line.extend_start_km,
                     extend_end_km=line.extend_end_km)


def test_the_capital_stays_on_its_side():
    held = russian_held(COUNTRY, THREE, COORDS3, capital=CAPITAL)
    assert held.area == pytest.approx(50.0)


def test_every_side_swapped_puts_the_capital_on_the_russian_side():
    line = swapped(THREE)
    # Without the capital the swap is self-consistent, and half the country flips.
    assert russian_held(COUNTRY, line, COORDS3).contains(Point(CAPITAL[1]))
    with pytest.raises(DataError, match="would hold Capital, the capital") as info:
        russian_held(COUNTRY, line, COORDS3, capital=CAPITAL)
    assert info.value.feature == "three" and info.value.field == "waypoints"


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_swapped_waypoint_is_named(index):
    with pytest.raises(DataError, match="sides look swapped") as info:
        russian_held(COUNTRY, swapped(THREE, index), COORDS3, capital=CAPITAL)
    assert info.value.feature == "three" and info.value.field == f"waypoints[{index}].ua"
    # One degree of longitude, at the latitudes of the test square (0-10°).
    assert re.search(r"lies 1(09|10|11)\.\d km inside the Russian-held side", str(info.value))


def test_a_settlement_just_off_its_side_is_fine():
    # A coastal town a few hundred metres off the outline (the real Ochakiv)
    # lies in neither piece: not a swap.
    coords = {**COORDS3, "w-south": (4.0, -0.004)}
    russian_held(COUNTRY, THREE, coords, capital=CAPITAL)


def test_a_capital_outside_the_country_checks_nothing():
    russian_held(COUNTRY, swapped(THREE), COORDS3, capital=("Far", (50.0, 50.0)))
