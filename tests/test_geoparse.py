"""The offline geoparser: recognition, resolution, the CLI contract, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mapapp.errors import DataError
from mapapp.geo.gazetteer import fold
from mapapp.geo.nameindex import load_index
from mapapp.sources.geoparse import geoparse
from mapapp.sources.geoparse.text import decode_text
from tests.geocode_fixtures import haversine_km as km

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def index():
    return load_index()


def found(text, index, **kw):
    return {(m.text, m.kind): m for m in geoparse(text, index=index, **kw)}


# -- recognition -------------------------------------------------------------

def test_spans_are_offsets_into_the_text_as_given(index):
    text = "Missiles hit Kyiv.\r\n\r\nAn explosion in Przewodów, Poland, killed two."
    mentions = geoparse(text, index=index)
    assert [text[m.start:m.end] for m in mentions] == [m.text for m in mentions]
    assert [m.text for m in mentions] == ["Kyiv", "Przewodów", "Poland"]


@pytest.mark.parametrize("text, names", [
    ("Russian forces left Kherson for the east bank of the Dnipro River.",
     ["Russian", "Kherson", "Dnipro River"]),
    ("Shelling continued in the Kherson region and the Donbas.", ["Kherson region", "Donbas"]),
    ("Ships left the Sea of Azov for the Black Sea.", ["Sea of Azov", "Black Sea"]),
    ("Fighting near Bakhmut, which Russia calls Artemovsk.", ["Bakhmut", "Russia", "Artemovsk"]),
])
def test_recognises_places_of_every_kind(index, text, names):
    assert [m.text for m in geoparse(text, index=index)] == names


@pytest.mark.parametrize("text", [
    "", "   \n\n", "ad a b", "Home | News | Sport | Weather | Login",
    "The committee met on Monday and said nothing new.",
    "Michael Jackson and Paul Smith said March was busy.",
])
def test_noise_and_text_without_places_give_nothing(index, text):
    assert geoparse(text, index=index) == []


@pytest.mark.parametrize("text, name", [
    ("Drones hit Odesa. Near Bakhmut, a Ukrainian brigade said fighting went on.", "Bakhmut"),
    ("Drones hit Odesa. Around Avdiivka, shelling continued.", "Avdiivka"),
    ("Drones hit Odesa. Outside Pokrovsk, troops dug in.", "Pokrovsk"),
])
def test_a_place_after_a_capitalised_preposition_is_no_persons_name(index, text, name):
    assert name in [m.text for m in geoparse(text, index=index)]


@pytest.mark.parametrize("text", [
    "Fighting went on in Ukraine. Robotyne, which Russian forces had held, was retaken.",
    "Fighting went on in Ukraine. Robotyne was retaken by Ukrainian troops.",
    "Fighting went on in Ukraine. Robotyne in the south was retaken.",
])
def test_a_village_of_the_reports_country_may_open_a_sentence(index, text):
    """A sentence's first word is capitalised whatever it is, and "X was"
    opens many sentences about people; a village of the country the report
    names is a place there all the same."""
    assert "Robotyne" in [m.text for m in geoparse(text, index=index)]
    # Without Ukraine named, the hamlet at a sentence's start stays a word.
    elsewhere = text.replace("in Ukraine", "on Monday").replace("Ukrainian ", "")
    assert "Robotyne" not in [m.text for m in geoparse(elsewhere, index=index)]


@pytest.mark.parametrize("written, official", [
    ("Rabotino", "Robotyne"), ("Novoprokopovka", "Novoprokopivka"),
    ("Kleshcheyevka", "Klishchiivka"), ("Pyatikhatki", "Pyatykhatky"),
])
def test_a_village_spelled_the_russian_way_is_found(index, written, official):
    """The index has Ukrainian villages by their Ukrainian names; a Russian
    ministry's spelling finds them when the text is about Ukraine."""
    text = f"Russia said its forces repelled attacks near {written} in Ukraine."
    [place] = [m for m in geoparse(text, index=index) if m.text == written]
    assert index.names[place.entry] == official and place.kind == "settlement"
    # Not in a text that never names Ukraine, and never a surname.
    assert written not in [m.text for m in geoparse(text.replace(" in Ukraine", ""),
                                                    index=index)]
    for surname in ("Petrenko", "Zaluzhny"):
        assert surname not in [m.text for m in geoparse(
            f"Ukraine's commander {surname} visited troops near Bakhmut.", index=index)]


def test_a_village_in_a_named_region_is_placed_in_that_region(index):
    """One of 28 villages called Pershotravneve: "in Kharkiv Oblast" says
    which four it can be, as "Gainesville, Georgia" says which state."""
    text = "Ukrainian forces recaptured the village of Pershotravneve in Kharkiv Oblast."
    place, region = [m for m in geoparse(text, index=index) if m.kind != "country"]
    assert place.text == "Pershotravneve" and region.text == "Kharkiv Oblast"
    assert str(index.admin1[place.entry]) == str(index.admin1[region.entry]) == "UA.07"
    assert region.holds and not place.holds  # the region only says where the village is


@pytest.mark.parametrize("text, written, region", [
    ("Fighting went on in the Kharkov region.", "Kharkov region", "UA.07"),
    ("Fighting went on in the Zaporozhye region.", "Zaporozhye region", "UA.26"),
    ("Troops took a village in the Donetsk People's Republic.", "Donetsk People's Republic",
     "UA.05"),
    ("Shelling hit the Lugansk People's Republic.", "Lugansk People's Republic", "UA.14"),
])
def test_a_region_by_its_russian_name_is_the_region(index, text, written, region):
    """Not the city it is named for, which is all the index knows by that name."""
    [place] = [m for m in geoparse(text, index=index) if m.text == written]
    assert place.kind == "region" and str(index.admin1[place.entry]) == region


def test_a_city_region_outside_the_oblast_countries_is_not_its_state(index):
    [place] = geoparse("Drones hit the Toronto region.", index=index)
    assert str(index.admin1[place.entry]) != "CA.08" or place.kind != "region"  # not Ontario


def test_a_name_written_as_a_persons_is_not_a_place(index):
    text = "Sheriff Tom Jones said the case was closed. Jones added that Lincoln police helped."
    assert "Jones" not in [m.text for m in geoparse(text, index=index)]


# -- resolution --------------------------------------------------------------

@pytest.mark.parametrize("text, name, country", [
    ("Moscow, Idaho is home to the University of Idaho.", "Moscow", "US"),
    ("Talks in Moscow ended as Russia massed troops.", "Moscow", "RU"),
    ("Investigators returned to Bucha, near Kyiv, in Ukraine.", "Bucha", "UA"),
    # the Russian port, not a Kherson village that once had its name
    (("Russian forces pressed on Avdiivka, Vuhledar, Marinka, Chasiv Yar, Pokrovsk, Toretsk "
      "and Vovchansk, while Ukrainian troops held Robotyne and a bridgehead at Krynky. Drones "
      "struck the Engels air base in Saratov region, an oil depot in Novorossiysk and the "
      "fleet in Sevastopol."), "Novorossiysk", "RU"),
    # ... even when Russia is never named and every other place is Ukrainian
    (("Ukrainian forces shelled positions near Kherson. Ukrainian sea drones hit a warship at "
      "Novorossiysk overnight, officials in Odesa said."), "Novorossiysk", "RU"),
    ("Protesters marched in Washington and in Baltimore.", "Washington", "US"),
    # who acts is not where: Ukraine's Pokrovsk, not Yakutia's
    ("Russian forces advanced towards Pokrovsk.", "Pokrovsk", "UA"),
    # a town's own name, not a country's name in another language ("Uman" for Oman)
    ("Russian forces attacked Uman on Tuesday.", "Uman", "UA"),
    # a country's own name, not a Ukrainian village's old one, in a report about Ukraine
    (("Drones hit ports on the Danube near Izmail, Ukraine said. In Moldova, authorities "
      "found debris near the border."), "Moldova", "MD"),
])
def test_context_chooses_the_place(index, text, name, country):
    mention = next(m for m in geoparse(text, index=index) if m.text == name)
    entry = next(i for i in index.lookup(fold(name)) if index.sources[i] == mention.source)
    assert index.country[entry] == country


@pytest.mark.parametrize("name, lat, lon", [
    ("Odessa", 46.48, 30.73), ("Vinnitsa", 49.23, 28.47), ("Konstantinovka", 48.53, 37.71),
    ("Gulyaipole", 47.67, 36.26), ("Novaya Kakhovka", 46.75, 33.35), ("Artemovsk", 48.60, 38.00),
])
def test_older_and_russian_spellings_alone_name_the_ukrainian_city(index, name, lat, lon):
    # With no other place to lean on: the project lists these as the city's
    # own English names, as good as GeoNames' main name (Odessa, Texas has).
    mention = next(m for m in geoparse(f"Fighting continued near {name}, officials said.",
                                       index=index) if m.text == name)
    assert km(mention.lat, mention.lon, lat, lon) < 10


# Villages of the front too small for GeoNames' cities500, with their
# points as GeoNames' postal codes give them.
FRONT_VILLAGES = [("Robotyne", 47.446, 35.834), ("Klishchiivka", 48.530, 37.961),
                  ("Synkivka", 49.763, 37.692), ("Novoprokopivka", 47.410, 35.836)]


@pytest.mark.parametrize("name, lat, lon", FRONT_VILLAGES)
def test_front_line_villages_are_found_in_a_report_about_ukraine(index, name, lat, lon):
    text = f"Ukrainian troops held {name} on Tuesday despite Russian attacks, officials said."
    mention = next(m for m in geoparse(text, index=index) if m.text == name)
    assert km(mention.lat, mention.lon, lat, lon) < 2
    assert mention.source.startswith("geonames-postal:UA")


def test_every_village_from_postal_codes_lies_in_ukraine(index):
    import numpy as np
    import shapely

    from mapapp.geo.basemap import world

    villages = np.array([s.startswith("geonames-postal:") for s in index.sources])
    assert villages.sum() > 10_000
    countries = world()
    ukraine = countries[countries["iso_a2"] == "UA"].geometry.iloc[0].buffer(0.05)
    assert shapely.contains_xy(ukraine, index.lon[villages], index.lat[villages]).all()


def test_a_hamlet_stays_unfound_where_the_text_is_not_about_its_country(index):
    # The same words in a text about nowhere in particular: a hamlet's name
    # is more often something else, as before.
    assert "Robotyne" not in [m.text for m in geoparse("Robotyne held on Tuesday.",
                                                         index=index)]


def test_same_named_villages_are_told_apart_by_their_neighbours(index):
    # Tabaivka is a village near Kupiansk and another near Chernihiv.
    text = "Russian forces attacked Tabaivka and Synkivka near Kupiansk, Ukraine's army said."
    mention = next(m for m in geoparse(text, index=index) if m.text == "Tabaivka")
    assert km(mention.lat, mention.lon, 49.60, 37.87) < 5


def test_the_dnipro_river_and_the_city_of_dnipro(index):
    river = found("Troops crossed the Dnipro near Kherson.", index)
    assert ("Dnipro", "river") in river
    city = found("A missile hit an apartment block in Dnipro, Ukraine's fourth city.", index)
    assert ("Dnipro", "settlement") in city
    assert km(city[("Dnipro", "settlement")].lat, city[("Dnipro", "settlement")].lon,
              48.45, 34.98) < 10


@pytest.mark.parametrize("text, name, kind, source", [
    ("Kalibr missiles were fired from the Caspian Sea.", "Caspian Sea", "sea", "caspian-sea"),
    ("Grain ships passed the Bosphorus.", "Bosphorus", "sea", "bosphorus"),
    ("A blast hit the bridge over the Kerch Strait.", "Kerch Strait", "sea", "kerch-strait"),
    ("Drones struck ports on the Danube near Izmail.", "Danube", "river", "danube-river"),
    ("Troops crossed the Oskil near Kupiansk.", "Oskil", "river", "oskil-river"),
    ("Fighting spread across the Caucasus.", "Caucasus", "area", "caucasus"),
    ("Russian troops are based in Transnistria.", "Transnistria", "region", "geonames:858889"),
    ("Protests in Dagestan followed the call-up.", "Dagestan", "region", "geonames:567293"),
    # a Russian region by its capital's name, as English reports write it
    ("Shells fell in Belgorod region.", "Belgorod region", "region", "geonames:578071"),
    ("Troops advanced in the Kursk region.", "Kursk region", "region", "geonames:538555"),
    # listed with lower-case words; an island, not Iceland's "Island"
    ("Shelling hit the Zaporizhzhia nuclear power plant.", "Zaporizhzhia nuclear power plant",
     "site", "zaporizhzhia-nuclear-power-plant"),
    ("Ukraine retook Snake Island.", "Snake Island", "site", "snake-island"),
    # sites: a plant, a dam, a bridge, named in full; the bare town stays a town
    ("The Kakhovka dam was destroyed overnight.", "Kakhovka dam", "site", "kakhovka-dam"),
    ("Defenders held out in the Azovstal steel plant.", "Azovstal steel plant", "site",
     "azovstal"),
    ("A blast damaged the Crimean Bridge.", "Crimean Bridge", "site", "crimean-bridge"),
    ("Troops left the Chernobyl nuclear power plant.", "Chernobyl nuclear power plant", "site",
     "chornobyl-nuclear-power-plant"),
    ("The Baltic states raised their budgets.", "Baltic states", "area", "baltic-states"),
])
def test_seas_rivers_and_regions_far_from_the_first_report(index, text, name, kind, source):
    got = {m.text: m for m in geoparse(text, index=index)}
    assert got[name].kind == kind and got[name].source.endswith(source)


def test_listed_water_lies_in_water_and_on_its_river():
    # Each listed point is an assessment: a sea's must be off Natural Earth's
    # land, a river's within 25 km of the river as World Data Bank II draws it.
    import shapely

    from mapapp.geo import physical

    features = json.loads((ROOT / "data" / "gazetteer" / "aliases.json").read_text("utf-8"))
    for f in features["features"]:
        point = shapely.Point(f["lon"], f["lat"])
        box = (f["lon"] - 1.5, f["lat"] - 1.5, f["lon"] + 1.5, f["lat"] + 1.5)
        if f["kind"] == "sea":
            assert not physical._read("land", box).geometry.contains(point).any(), f["id"]
        elif f["kind"] == "river":
            lines = [shapely.LineString(xy) for _, xy in physical._gshhg("rivers", box)]
            assert min(line.distance(point) for line in lines) * 111 < 25, f["id"]


# Each listed site's point is an assessment; the town GeoNames puts beside it
# checks it (a typing slip would put it tens or hundreds of km away).
SITE_NEIGHBOURS = {"kakhovka-dam": ("Nova Kakhovka", 5), "azovstal": ("Mariupol", 8),
                   "chornobyl-nuclear-power-plant": ("Chornobyl", 20),
                   "crimean-bridge": ("Kerch", 10), "antonivskyi-bridge": ("Kherson", 12),
                   "zaporizhzhia-nuclear-power-plant": ("Enerhodar", 8),
                   "snake-island": ("Vylkove", 60),
                   "kursk-nuclear-power-plant": ("Kurchatov", 8),
                   "rivne-nuclear-power-plant": ("Varash", 8),
                   "khmelnytskyi-nuclear-power-plant": ("Netishyn", 8),
                   "south-ukraine-nuclear-power-plant": ("Yuzhnoukrainsk", 8)}


def test_listed_sites_lie_beside_their_towns(index):
    features = json.loads((ROOT / "data" / "gazetteer" / "aliases.json").read_text("utf-8"))
    sites = {f["id"]: f for f in features["features"] if f["kind"] == "site"}
    assert set(sites) == set(SITE_NEIGHBOURS)
    for fid, (town, within) in SITE_NEIGHBOURS.items():
        entries = [index.entry(i) for i in index.lookup(fold(town))]
        near = min(km(sites[fid]["lat"], sites[fid]["lon"], e.lat, e.lon) for e in entries
                   if e.kind == "settlement" and e.country == sites[fid]["country"])
        assert near < within, fid


def test_a_town_named_alone_is_not_its_site(index):
    got = {m.text: m for m in geoparse("Shelling hit Nova Kakhovka and Enerhodar.",
                                       index=index)}
    assert got["Nova Kakhovka"].kind == got["Enerhodar"].kind == "settlement"


def test_kherson_the_city_and_the_region(index):
    got = found("Kherson was retaken; the Kherson region east of the river was not.", index)
    assert ("Kherson", "settlement") in got and ("Kherson region", "region") in got


def test_historic_spellings_resolve_to_todays_place(index):
    kiev = found("Kiev", index)
    assert km(kiev[("Kiev", "settlement")].lat, kiev[("Kiev", "settlement")].lon,
              50.45, 30.52) < 10


def test_confidence_is_lower_for_an_ambiguous_name(index):
    sure = found("Kyiv", index)[("Kyiv", "settlement")].confidence
    unsure = geoparse("They drove to Springfield.", index=index)[0].confidence
    assert 0 < unsure < sure <= 1


def test_one_place_from_two_sources_does_not_split_its_confidence(index):
    # Nikopol is in GeoNames and in our geocache a few hundred metres apart;
    # Bulgaria's small Nikopol is the only rival.
    nikopol = geoparse("Russian artillery shelled Nikopol.", index=index)[-1]
    assert km(nikopol.lat, nikopol.lon, 47.57, 34.39) < 10
    assert nikopol.confidence > 0.75  # 0.65 when its two points were rivals


@pytest.mark.parametrize("text, district, city", [
    ("A missile hit Kharkiv's Kyivskyi district overnight.", "Kyivskyi", (49.98, 36.25)),
    ("Drones struck Odesa's Prymorskyi district.", "Prymorskyi", (46.48, 30.74)),
    ("A strike hit the Shevchenkivskyi district of Dnipro.", "Shevchenkivskyi", (48.47, 35.04)),
    ("Shelling hit the Shevchenkivskyi district in Kharkiv.", "Shevchenkivskyi", (49.98, 36.25)),
    ("Russian shelling hit Kherson's Dniprovskyi district.", "Dniprovskyi", (46.64, 32.61)),
    # The gazetteer's own district, where it is the city's.
    ("Debris fell in the Shevchenkivskyi district of Kyiv.", "Shevchenkivskyi", (50.45, 30.52)),
    # A district of the holder's region, not of its city, keeps its point.
    ("Shelling hit Kharkiv's Kupiansk district.", "Kupiansk", (49.71, 37.62)),
])
def test_a_district_of_the_city_named_beside_it_is_in_that_city(index, text, district, city):
    # Every large city has a Shevchenkivskyi district; the gazetteer knows
    # Kyiv's and a village called Kyivskyi, 150 km from Kharkiv.
    mention = next(m for m in geoparse(text, index=index) if m.text == district)
    assert km(mention.lat, mention.lon, *city) < 15


def test_given_spans_are_resolved_and_unknown_ones_get_nulls(index):
    text = "Kyiv and Xqzzyville"
    got = geoparse(text, index=index, spans=[(0, 4), (9, 19)])
    assert [m.text for m in got] == ["Kyiv", "Xqzzyville"]
    assert got[0].lat is not None and got[1].lat is None and got[1].lon is None


def spans_of(text, *names):
    return [(text.index(n), text.index(n) + len(n)) for n in names]


@pytest.mark.parametrize("shift", [-1, 1, 3])
def test_a_span_off_by_some_characters_is_read_as_the_name_it_touches(index, shift):
    text = "An air ambulance flew her from Winnipeg to Churchill, Manitoba, on Monday."
    shifted = [(s + shift, e + shift) for s, e in spans_of(text, "Winnipeg", "Churchill",
                                                             "Manitoba")]
    start, end = spans_of(text, "Churchill")[0]
    got = geoparse(text, index=index, spans=shifted)[1]
    # The output keeps the span as given; the place is the one it touches.
    assert (got.start, got.end, got.text) == (start + shift, end + shift,
                                             text[start + shift:end + shift])
    assert got.kind == "settlement" and km(got.lat, got.lon, 58.77, -94.17) < 20


def test_a_well_formed_span_is_not_stretched_to_its_neighbours(index):
    text = "They met near the Xqzzy Canada office."
    got = geoparse(text, index=index, spans=spans_of(text, "Xqzzy"))[0]
    assert got.lat is None


def test_given_spans_are_read_in_text_order_whatever_their_order(index):
    text = "He trained at a hospital in Bronx, New York, then moved to Paris, Texas."
    spans = spans_of(text, "Texas", "New York", "Paris", "Bronx")
    got = {m.text: m for m in geoparse(text, index=index, spans=spans)}
    # The region after a comma is the one that holds the place before it.
    assert got["New York"].kind == "region"
    assert km(got["Paris"].lat, got["Paris"].lon, 33.66, -95.56) < 20


@pytest.mark.parametrize("text, name, country, kind", [
    ("Canada's largest cities grew.", "Canada's", "CA", "country"),
    ("Ontarians will pay more.", "Ontarians", "CA", "region"),
    ("Shots were fired in North London.", "North London", "GB", "settlement"),
    ("Traffic slowed in the Greater Toronto Area.", "Greater Toronto Area", "CA", "district"),
    ("He was held in Bronx County, N.Y, last week.", "N.Y", "US", "region"),
])
def test_a_given_span_with_words_the_index_lacks(index, text, name, country, kind):
    got = geoparse(text, index=index, spans=spans_of(text, name))[0]
    assert got.kind == kind and index.entry(got.entry).country == country


def point(index, text, name):
    return next((m.lat, m.lon, m.kind) for m in geoparse(text, index=index) if m.text == name)


def test_countries_and_large_regions_sit_at_the_centre_of_their_land(index):
    # Russia at countryinfo's 60N 100E (GeoNames' point too), the United
    # States at its cited centre, Ontario at the centre of its land and not
    # of its southern towns.
    for text, name, lat, lon in [("Russia", "Russia", 60.0, 100.0),
                                 ("the United States", "United States", 39.83, -98.58),
                                 ("Toronto, Ontario", "Ontario", 49.25, -84.5)]:
        got = point(index, text, name)
        assert km(got[0], got[1], lat, lon) < 161, (name, got)


def test_a_capital_is_one_town_of_its_name(index):
    text = "A Washington-based think tank said Russia and Ukraine fought near Kherson."
    lat, lon, _ = point(index, text, "Washington")
    assert km(lat, lon, 38.895, -77.036) < 10


def test_a_name_is_no_evidence_for_itself(index):
    # London, Ontario: the document names Canada; London's own first guess
    # (England) must not vote for itself.
    text = "Organizers of a London rally thanked Canada. London police said all was calm."
    lat, lon, _ = point(index, text, "London")
    assert km(lat, lon, 42.98, -81.23) < 10


def test_a_region_whose_own_name_it_is_competes_with_its_city(index):
    assert point(index, "He moved to Quebec last year.", "Quebec")[2] == "region"
    assert point(index, "Missiles hit Kharkiv overnight.", "Kharkiv")[2] == "settlement"


def test_canadian_abbreviations_and_eras(index):
    got = found("Born in Barrie, Ont., she now lives in Victoria, B.C.", index)
    assert ("Ont.", "region") in got and ("B.C.", "region") in got
    assert km(got[("Victoria", "settlement")].lat, got[("Victoria", "settlement")].lon,
              48.43, -123.37) < 10
    assert "B.C." not in [m.text for m in geoparse("Built in 250 B.C. by the Greeks.",
                                                    index=index)]


def test_airports_by_their_names_never_by_a_bare_word(index):
    text = ("Paratroopers landed at Hostomel Airport near Kyiv. Flights from "
            "Pearson International Airport in Toronto reached Heathrow Airport.")
    got = {m.text: m for m in geoparse(text, index=index)}
    assert {"Hostomel Airport", "Pearson International Airport", "Heathrow Airport"} <= set(got)
    for name, lat, lon in [("Hostomel Airport", 50.60, 30.19),
                           ("Pearson International Airport", 43.68, -79.63),
                           ("Heathrow Airport", 51.47, -0.46)]:
        assert got[name].kind == "airport" and got[name].source.startswith("airportsdata:")
        assert km(got[name].lat, got[name].lon, lat, lon) < 3, name  # not a ranch in Texas
    # "Pearson" or "Heathrow" alone is a surname or a town, never the airport.
    assert "airport" not in {m.kind for m in geoparse(
        "Pearson said Heathrow was quiet.", index=index)}


@pytest.mark.parametrize("text, word", [
    ("Sen. Smith spoke first.", "Sen"),  # Senegal's code, SEN, only in capitals
    ("A portrait of Mrs. Lincoln hangs there.", "Lincoln"),  # an abbreviated title
    ("The police took Clark to the jail.", "Clark"),  # Clark County is written so
    ("Firms such as Google have applied.", "Google"),  # once a name of Topeka
    ("Most of the deaths occurred downtown.", "Most"),  # a Czech town, and a common word
    ("Homes were buried, the Xinhua news agency reported.", "Xinhua"),
    ("The blast was heard, the official news agency IRNA reported.", "IRNA"),
])
def test_words_that_are_not_places_here(index, text, word):
    assert word not in [m.text for m in geoparse(text, index=index)]


def test_a_large_town_named_by_a_common_word_is_still_found(index):
    text = "A truck attack in Nice killed 86. Reading and Mobile held vigils."
    assert [m.text for m in geoparse(text, index=index)] == ["Nice", "Reading", "Mobile"]


def test_streets_are_found_whole_and_left_unplaced(index):
    text = "He lived at 420 Memphis St. in Alexandria, Va., near Hot Springs Drive."
    got = {m.text: m for m in geoparse(text, index=index)}
    assert {"Memphis St.", "Hot Springs Drive", "Alexandria", "Va."} <= set(got)
    assert "Memphis" not in got  # the city is not named here
    assert got["Hot Springs Drive"].lat is None and got["Hot Springs Drive"].kind == "unknown"
    assert "County Road 43" in [m.text for m in geoparse("A culvert on County Road 43 washed out.",
                                                         index=index)]


@pytest.mark.parametrize("text, names", [
    # a dateline names a place whether or not the index knows it
    ("Mason charged.\nHARWINTON — A mason was arraigned.", ["HARWINTON"]),
    # the dot of "St." ends no sentence
    ("Flights to St. Petersburg resume.", ["St. Petersburg"]),
    # a capitalised kind word is part of the name; a lower-case "province" is not
    ("Sandbags were stacked in Oakport Township.", ["Oakport Township"]),
    ("Landslides hit villages in Sichuan province.", ["Sichuan"]),
    # a legislator's party and home
    ("Rep. Torrey Westrom, R-Elbow Lake, spoke.", ["Elbow Lake"]),
    # an institution's name keeps its place
    ("The Lombard Historical Society met.", ["Lombard"]),
])
def test_places_found_by_their_form(index, text, names):
    assert [m.text for m in geoparse(text, index=index)] == names


def test_a_large_citys_name_with_a_first_name_before_it_is_a_persons(index):
    text = "The producer Andrew Trapani is back. Trapani's film opens in Hartford on Friday."
    assert [m.text for m in geoparse(text, index=index)] == ["Hartford"]
    # A capitalised word after a city's name is no first name.
    text = "Montreal Mayor Denis Coderre spoke. Montreal police made arrests."
    assert [m.text for m in geoparse(text, index=index)] == ["Montreal", "Montreal"]


def test_a_hyphenated_brand_is_not_a_place(index):
    assert "Wal" not in [m.text for m in geoparse("Wal-Mart opened a store.", index=index)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed report lives in ../shared/seeds")
def test_every_place_the_report_map_shows_is_found_within_5_km(index):
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    mentions = geoparse(text, index=index)
    places = json.loads((ROOT / "data" / "places.json").read_text(encoding="utf-8"))["places"]
    cache = {}
    for line in (ROOT / "geocache" / "places.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        cache[record["query"]] = record
    missing = []
    folded_text = fold(text)
    for place in places:
        # The places the map shows that the report names (waypoints only
        # shape the front line; Nova Kakhovka comes from another source).
        if place.get("role") == "waypoint" or not (
                fold(place["name"]) in folded_text or fold(place["query"]) in folded_text):
            continue
        point = cache[place["query"]]
        names = {fold(place["name"]), fold(place["query"])}
        near = [m for m in mentions if fold(m.text) in names and m.lat is not None
                and km(m.lat, m.lon, point["lat"], point["lon"]) <= 5]
        if not near:
            missing.append(place["name"])
    assert missing == []


# -- the command line contract ---------------------------------------------

def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "mapapp", "geoparse", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def test_cli_prints_one_object_keyed_by_base_name(tmp_path):
    (tmp_path / "a.txt").write_bytes("Strikes hit Lviv.\r\nPrzewodów is in Poland.".encode())
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "b.txt").write_text("Nothing here.", encoding="utf-8")
    out = run_cli(str(tmp_path / "a.txt"), str(folder), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result) == {"a.txt", "b.txt"} and result["b.txt"] == []
    text = (tmp_path / "a.txt").read_bytes().decode("utf-8")
    for m in result["a.txt"]:
        assert set(m) == {"start", "end", "text", "lat", "lon", "kind", "confidence", "source"}
        assert text[m["start"]:m["end"]] == m["text"]
        assert isinstance(m["lat"], float) and 0 <= m["confidence"] <= 1
    assert [m["text"] for m in result["a.txt"]] == ["Lviv", "Przewodów", "Poland"]


def test_cli_spans_resolve_only_those(tmp_path):
    (tmp_path / "r.txt").write_text("Kyiv and Qqqq.", encoding="utf-8")
    spans = tmp_path / "spans.json"
    spans.write_text(json.dumps({"r.txt": [[0, 4], [9, 13]]}), encoding="utf-8")
    out = run_cli(str(tmp_path / "r.txt"), "--spans", str(spans), "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)["r.txt"]
    assert [(m["start"], m["end"]) for m in got] == [(0, 4), (9, 13)]
    assert got[1]["lat"] is None and got[1]["lon"] is None


@pytest.mark.parametrize("content, spans, message", [
    (b"\xff\xfe K\x00y\x00", None, "UTF-16"),
    (b"Caf\xe9 in Kyiv", None, "not UTF-8"),
    (b"Kyiv", {"r.txt": [[3, 9]]}, "span 0"),
    (b"Kyiv", {"other.txt": [[0, 1]]}, "not one of the input files"),
    (b"Kyiv", [[0, 4]], "expected a JSON object"),
])
def test_cli_bad_input_is_named_and_prints_nothing(tmp_path, content, spans, message):
    (tmp_path / "r.txt").write_bytes(content)
    args = [str(tmp_path / "r.txt"), "--json"]
    if spans is not None:
        (tmp_path / "s.json").write_text(json.dumps(spans), encoding="utf-8")
        args += ["--spans", str(tmp_path / "s.json")]
    out = run_cli(*args)
    assert out.returncode == 2 and out.stdout == ""
    assert message in out.stderr and "r.txt" in out.stderr or "s.json" in out.stderr


def test_cli_refuses_a_missing_file_and_clashing_base_names(tmp_path):
    assert "no such file" in run_cli(str(tmp_path / "nope.txt"), "--json").stderr
    for sub in ("x", "y"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text("Kyiv", encoding="utf-8")
    out = run_cli(str(tmp_path / "x"), str(tmp_path / "y"), "--json")
    assert out.returncode == 2 and "same.txt" in out.stderr


def test_text_over_the_size_limit_is_refused():
    with pytest.raises(DataError, match="over the 10-byte limit"):
        decode_text(b"Kyiv " * 3, name="big.txt", limit=10)


def test_two_villages_of_one_name_and_source_do_not_pool_their_confidence(index):
    import numpy as np

    from mapapp.sources.geoparse.resolution import _same_place

    pair = index.lookup("bukhalove")  # two villages 10 km apart, both from postal codes
    assert len(pair) == 2 and len({index.sources[int(e)] for e in pair}) == 1
    assert _same_place(index, pair, 0).tolist() == [True, False]
    nikopol = index.lookup("nikopol")  # GeoNames' and the geocache's Nikopol are one city
    best = int(np.flatnonzero([index.sources[int(e)] == "geocache:Nikopol" for e in nikopol])[0])
    pooled = _same_place(index, nikopol, best)
    assert sum(pooled) == 2
