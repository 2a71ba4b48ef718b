"""Choosing which place a name means, from the rest of the document.

Each candidate place of a mention is scored on what it is (a country
before a village of the same name), how many people live there, and what
the document says elsewhere: the countries and regions it names, a
"City, State" pair, a word after the name ("Kherson region", "Dnipro
River"), and how close the place lies to the document's other places.
Mentions of one name in one document mean one place.  The confidence is the
share of the winning place in a softmax over the candidates' scores.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from mapapp.geo.gazetteer import fold, loosen
from mapapp.geo.nameindex import KIND_CODE as _K
from mapapp.geo.nameindex import KINDS, REGIONS_NAMED_FOR_CITIES, NameIndex, great_circle_km

_KIND_PRIOR = np.zeros(len(KINDS))
for _kind, _value in {"country": 3.0, "continent": 2.5, "region": 1.6, "district": 0.0,
                      "settlement": 0.0, "river": 1.0, "sea": 2.0, "lake": 1.0,
                      "area": 2.0, "airport": 1.0, "site": 1.0}.items():
    _KIND_PRIOR[_K[_kind]] = _value
_REGION_KINDS = np.array([_K["region"], _K["district"], _K["area"]])
_WATER_KINDS = np.array([_K["river"], _K["sea"], _K["lake"]])
# Kinds whose point is where the place is, as evidence for its neighbours.
_NEIGHBOUR_POINT_KINDS = (_K["settlement"], _K["district"], _K["region"], _K["airport"], _K["site"])


def _kind_table(kinds) -> np.ndarray:
    """A boolean per kind code: ``table[kinds]`` is ``np.isin(kinds, ...)``
    without sorting, which the scoring does thousands of times a document."""
    table = np.zeros(len(KINDS), dtype=bool)
    table[list(kinds)] = True
    return table


_IS_REGION = _kind_table(_REGION_KINDS)
_IS_WATER = _kind_table(_WATER_KINDS)
_IS_POINT = _kind_table(_NEIGHBOUR_POINT_KINDS)
_IS_LOCAL = _kind_table((_K["settlement"], _K["district"]))
_ARTICLE_BEFORE = re.compile(r"\bthe\s+$")

# Weights of the evidence, set on the LGL and TR-News development corpora.
_W_POPULATION = 0.55  # per tenfold population
_W_CAPITAL = 3.0
_W_COUNTRY = 3.0  # times the share of the document's other places in that country
_W_ADMIN1 = 1.8  # inside a first-level region the document's other places are in
_W_DISTANCE = 0.45  # per tenfold distance to the nearest other place
# The first pass guesses without context, later ones as the other names
# settle; a fourth changed nothing on the corpora.
_PASSES = 3
_SUPPORT_TOP = 10  # places each name lends to its neighbours' support
_SUPPORT_KM = 150.0
_SUPPORT_MAX = 3.0
# Places of one list: each neighbour near a candidate adds up to _W_LIST.
_LIST_JOIN = re.compile(r",\s*|,?\s+(?:and|or)\s+")
_W_LIST = 1.0
_LIST_KM = 40.0
_LIST_POOL = 200  # a neighbour's candidates looked at, at most
_LIST_CITY = 100_000  # people: a name with a city this big takes no list bonus
_W_NAMED = 2.0  # in a country the document names (by its name or demonym)
# Inside the region or country written after the name ("Paris, Texas").
# One such pair settles every mention of the name in the document, so the
# bonus is the largest over its mentions, not their mean.
_W_PAIR = 6.0
# "Russian forces", "Ukraine's drones", "American troops": a country named as
# who acts, not as where. In war news the actor's country is seldom the
# place of the report's other names ("Russian forces advanced on Pokrovsk"),
# so such a mention casts no vote for its country.
_ACTOR_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:(?:armed|air|special|security|military|naval|border|defen[cs]e|"
    r"occupation|occupying)\s+)?(?:forces?|troops|army|military|soldiers|missiles?|drones?|"
    r"navy|jets|warplanes|artillery|invasion|invaders|occupiers|commanders?|units|"
    r"fighters|marines|paratroopers|tanks|shelling|strikes?|attacks?)\b", re.IGNORECASE)
_SAME_PLACE_KM = 25.0  # two sources' points for one place lie closer than this
_DISTRICT = r"(?:city\s+)?(?:district|raion|rayon|neighbou?rhood|borough|quarter)"
_POSSESSIVE = re.compile(r"['’]s\s+(?:the\s+)?")
_DISTRICT_AFTER = re.compile(rf"\s+{_DISTRICT}\b", re.IGNORECASE)
_DISTRICT_OF = re.compile(rf"\s+{_DISTRICT}\s+(?:of|in)\s+(?:the\s+(?:city|town)\s+of\s+)?",
                          re.IGNORECASE)
# "In Kharkiv, drones struck the city's Kyivskyi district": the city is the
# place named last before it in the sentence.
_THE_CITYS = re.compile(r"[^.;!?]*\bthe\s+(?:city|town)['’]s\s+$", re.IGNORECASE)
_THEN_THE = re.compile(r",[^.;!?]*\bthe\s+")
_DISTRICT_FORMS = ("skyi", "skyy", "skiy", "zkyi", "ckyi")
_HAMLET = 1_000  # people
_CITY = 100_000  # people
_W_HAMLET_ALIAS = 2.0


@dataclass(frozen=True)
class Resolved:
    """A mention tied to one index entry (or to none)."""

    start: int
    end: int
    text: str
    entry: int | None
    confidence: float
    within: bool = False  # the entry is the place the text says holds it (a district's city)
    # names where the place beside it is: the city of a district ("Kharkiv's"
    # Kyivskyi district), the region or country after a place ("Pershotravneve
    # in Kharkiv Oblast", "Lviv, Ukraine")
    holds: bool = False


@dataclass(frozen=True)
class _Evidence:
    """The other names' votes, as one name's scores use them."""

    countries: dict[str, float]
    admin1: dict[str, float]
    points: np.ndarray  # (n, 2) lat, lon
    named: set[str]  # countries the document names


class _Context:
    """What the document says about where it is: each name's current guess,
    as a vote for its country and region and as a point."""

    def __init__(self) -> None:
        self.votes: dict[str, tuple[str, str, float, tuple[float, float] | None]] = {}
        self.named: dict[str, str] = {}  # key -> country, for names of countries

    def add(self, index: NameIndex, entry: int, weight: float, key: str) -> None:
        kind = index.kind[entry]
        admin1 = str(index.admin1[entry]) if kind != _K["country"] else ""
        point = ((float(index.lat[entry]), float(index.lon[entry]))
                 if kind in _NEIGHBOUR_POINT_KINDS else None)
        self.votes[key] = (str(index.country[entry]), admin1, weight, point)
        if kind == _K["country"]:
            self.named[key] = str(index.country[entry])

    def others(self, key: str) -> _Evidence:
        """The votes of every name but ``key``: a name is no evidence for itself."""
        countries: dict[str, float] = {}
        admin1: dict[str, float] = {}
        points = []
        for k, (country, region, weight, point) in self.votes.items():
            if k == key:
                continue
            if country:
                countries[country] = countries.get(country, 0.0) + weight
            if region:
                admin1[region] = admin1.get(region, 0.0) + weight
            if point is not None:
                points.append(point)
        named = {c for k, c in self.named.items() if k != key}
        return _Evidence(countries, admin1, np.array(points).reshape(-1, 2), named)


def _own_scores(index: NameIndex, entries: np.ndarray, surface: str, key: str, *, cue: str,
                article: bool) -> np.ndarray:
    """What a mention says of its entries by itself: kind, size, spelling,
    the word around it.  It does not change between passes, so it is
    scored once."""
    kinds = index.kind[entries]
    population = index.population[entries].astype(float)
    score = _KIND_PRIOR[kinds] + _W_POPULATION * np.log10(population + 10.0)
    score += np.where(index.capital[entries], _W_CAPITAL, 0.0)
    # The project's own located places (geocache) win over the same place
    # from GeoNames, so a parsed report lands on the points the map draws.
    score += np.where(index.curated[entries], 1.5, 0.0)
    names = [index.names[int(e)] for e in entries]
    own = index.own.get(key, ())
    # Written as the entry's own name, up to the romanisations Ukrainian
    # varies between: "Zaporizhzhia" is the city GeoNames spells
    # "Zaporizhzhya" as much as the hamlets the postal list spells like the text.
    loose = loosen(key)
    score += np.array([1.0 if n == surface or int(e) in own
                       or (index.country[e] == "UA" and loosen(fold(n)) == loose) else 0.0
                       for n, e in zip(names, entries)])
    alternate = np.array([fold(n) != key for n in names])  # reached by another of its names
    # A hamlet reached by one of its other names (often an old one: a
    # village once called "Novorossiysk") is seldom what a report means.
    hamlet_alias = alternate & (population < _HAMLET) & (kinds == _K["settlement"])
    # Nor is a hamlet of a large city's name in the same country (the postal
    # list's many "Zaporizhzhia" beside the city): together they would
    # outweigh it.
    cities = np.unique(index.country[entries][(population >= _CITY) & (kinds == _K["settlement"])])
    hamlet_alias |= ((population < _HAMLET) & (kinds == _K["settlement"])
                     & np.isin(index.country[entries], cities))
    score -= np.where(hamlet_alias, _W_HAMLET_ALIAS, 0.0)
    if cue == "region":
        score += np.where(_IS_REGION[kinds], 4.0, 0.0)
    elif cue == "water":
        score += np.where(_IS_WATER[kinds], 6.0, 0.0)
    if cue != "region":
        # A region that answers to its capital's name only as an alternate
        # ("Kharkiv" for Kharkivska oblast): the bare name is the city unless
        # a word after it says "region".  A region whose own name it is
        # ("New York", "Quebec") competes on its own.
        towns = index.admin1[entries[kinds == _K["settlement"]]]
        # So is one of the countries whose regions are named for their
        # cities, even by its own name: "Sevastopol" is the city, not the
        # federal city around it.
        named_for = alternate | np.isin(index.country[entries], REGIONS_NAMED_FOR_CITIES)
        score -= np.where((kinds == _K["region"]) & named_for
                          & np.isin(index.admin1[entries], towns), 3.0, 0.0)
    if article:
        # "the Dnipro": an article before a bare name points to water or land.
        score += np.where(_IS_WATER[kinds] | (kinds == _K["area"]), 2.5, 0.0)
    return score


def _context_scores(index: NameIndex, entries: np.ndarray, evidence: _Evidence) -> np.ndarray:
    """What the document's other places say of the entries: their countries,
    regions and distance."""
    kinds = index.kind[entries]
    score = np.zeros(len(entries))
    countries = index.country[entries]
    total = sum(evidence.countries.values())
    if total > 0:
        share = np.array([evidence.countries.get(str(c), 0.0) / total for c in countries])
        score += _W_COUNTRY * share
    if evidence.named:
        score += np.where(np.isin(countries, list(evidence.named)), _W_NAMED, 0.0)
    admin1 = index.admin1[entries]
    # Places inside a region the document's other places are in; a region
    # must not beat its namesake city on a neighbour's vote.
    inside = np.array([evidence.admin1.get(str(a), 0.0) > 0 for a in admin1])
    score += np.where(inside & _IS_LOCAL[kinds], _W_ADMIN1, 0.0)
    pts = evidence.points
    if len(pts):
        lat = index.lat[entries][:, None]
        lon = index.lon[entries][:, None]
        d = great_circle_km(lat, lon, pts[None, :, 0], pts[None, :, 1])
        nearest = d.min(axis=1)
        score += np.where(kinds == _K["country"], 0.0, -_W_DISTANCE * np.log10(nearest + 50.0))
    return score


def _pair_bonus(index: NameIndex, entries: np.ndarray, pair_admin1: str,
                pair_country: str) -> np.ndarray:
    """The places inside the region or country written after a comma."""
    if pair_admin1:
        return np.where(index.admin1[entries] == pair_admin1, _W_PAIR, 0.0)
    if pair_country:
        return np.where(index.country[entries] == pair_country, _W_PAIR, 0.0)
    return np.zeros(len(entries))


def _same_place(index: NameIndex, entries: np.ndarray, best: int) -> np.ndarray:
    """Which candidates are the winner itself under another source: from
    another source, the same kind in the same country, and for all but
    countries within :data:`_SAME_PLACE_KM`.  Their belief is the winner's:
    Nikopol in GeoNames and in our geocache is one city, not two rivals
    sharing it.  Two villages of one name 10 km apart in one source stay two."""
    winner = entries[best]
    same = (index.kind[entries] == index.kind[winner]) & (
        index.country[entries] == index.country[winner])
    same[best] = False
    for n in np.flatnonzero(same):  # few: the winner's namesakes of its kind and country
        other = int(entries[n])
        same[n] = (index.sources[other].split(":", 1)[0]
                   != index.sources[int(winner)].split(":", 1)[0]) and (
            index.kind[winner] == _K["country"] or great_circle_km(
                index.lat[winner], index.lon[winner], index.lat[other],
                index.lon[other]) <= _SAME_PLACE_KM)
    same[best] = True
    return same


# Between a place and the region or country it is in: "X in the Y region".
# "Svatove in the occupied part of Luhansk region", "Krasnopillia in
# Ukraine's Sumy region" (the country's possessive is a candidate of its own).
# ... or after what the place is: "Horlivka, a Russian-occupied city in
# Donetsk region".
_IN_REGION = re.compile(r"(?:\s+|,\s+an?\s+(?:[\w-]+\s+){0,3}(?:city|town|village|port|"
                        r"settlement|community)\s+)in\s+(?:the\s+)?(?:(?:occupied|"
                        r"Russian-occupied|Russian-held|Ukrainian-held|annexed|southern|northern|"
                        r"eastern|western|central)\s+)?"
                        r"(?:(?:part|parts|areas?)\s+of\s+(?:the\s+)?)?")
_POSSESSIVE = re.compile(r"['’]s\s+(?:(?:occupied|southern|northern|eastern|western|central|"
                         r"border|frontline|front-line)\s+)?")
_REGION_WORD_END = re.compile(r" (?:oblast|region|province|krai|kray|raion|rayon)$")


def _districts_held(text: str, candidates, index: NameIndex) -> dict[int, int]:
    """Mentions named as a district of the place beside them ("Kharkiv's
    Kyivskyi district", "the Shevchenkivskyi district of Dnipro", "in
    Kharkiv, Russian drones struck the city's Kyivskyi district": the last
    town named before it in the sentence): the district's mention -> the
    holder's."""
    held = {}
    for n in range(len(candidates) - 1):
        a, b = candidates[n], candidates[n + 1]
        between = text[a.end:b.start]
        if not _DISTRICT_AFTER.match(text, b.end):
            if _DISTRICT_OF.fullmatch(between):
                held[n] = n + 1
            continue
        if _POSSESSIVE.fullmatch(between):
            held[n + 1] = n
            continue
        for k in range(n, -1, -1):
            # ... or "In Kharkiv, drones hit the Kyivskyi district": a city's
            # district by its adjective's form, in a sentence opening with the city.
            opening = (b.key.endswith(_DISTRICT_FORMS)
                       and _OPENS_SENTENCE.search(text, max(0, candidates[k].start - 12),
                                                  candidates[k].start)
                       and _THEN_THE.fullmatch(text, candidates[k].end, b.start))
            if not (_THE_CITYS.fullmatch(text, candidates[k].end, b.start) or opening):
                break  # a sentence ends between them, or no "the city's"
            if np.any(index.kind[candidates[k].entries] == _K["settlement"]):
                held[n + 1] = k
                break
    return held


def _inside(index: NameIndex, entries: np.ndarray, entry: int, p: float, holder: int,
            holder_p: float) -> tuple[int, float]:
    """The entry for a district of ``holder``: the chosen one if it lies in
    the holder's first-level region or near it, else the likeliest one that
    does, else the holder itself.  Cities' districts share names across
    Ukraine (every large city has a Shevchenkivskyi district), and the
    gazetteer holds only some: Kharkiv's Kyivskyi district is in Kharkiv,
    not at a village called Kyivskyi 150 km away."""
    if index.kind[holder] not in (_K["settlement"], _K["region"], _K["district"]):
        return entry, p
    inside = (index.admin1[entries] == index.admin1[holder]) | (great_circle_km(
        index.lat[holder], index.lon[holder], index.lat[entries],
        index.lon[entries]) <= _SAME_PLACE_KM)
    if index.admin1[holder] == "":
        inside &= index.country[entries] == index.country[holder]
    if entry in entries[inside]:
        return entry, p
    if inside.any():
        return int(entries[inside][np.argmax(index.population[entries[inside]])]), min(p, holder_p)
    return holder, min(p, holder_p)


def _group(candidate) -> str:
    return f"{candidate.key}|{candidate.cue}"


def _listed(text: str, candidates, index: NameIndex) -> dict[int, np.ndarray]:
    """For each mention in a list of places ("near Synkivka, Petropavlivka
    and Tabaivka"), how near each of its candidate places is to some
    candidate of its neighbours in the list: a list names places near each
    other, which settles a village of a common name among its namesakes."""
    out: dict[int, np.ndarray] = {}
    for n in range(len(candidates) - 1):
        a, b = candidates[n], candidates[n + 1]
        if not _LIST_JOIN.fullmatch(text, a.end, b.start):
            continue
        for this, other in ((n, b), (n + 1, a)):
            entries = candidates[this].entries
            if np.any(index.population[entries] >= _LIST_CITY):
                continue  # "Moscow and Troy": a city of the name is not outvoted by a list
            pool = other.entries[_IS_POINT[index.kind[other.entries]]][:_LIST_POOL]
            if not len(pool) or not _IS_POINT[index.kind[entries]].any():
                continue
            d = great_circle_km(index.lat[entries][:, None], index.lon[entries][:, None],
                                index.lat[pool][None, :], index.lon[pool][None, :])
            near = _W_LIST * np.exp(-d.min(axis=1) / _LIST_KM)
            out[this] = out.get(this, 0.0) + near
    return out


def _support(candidates, groups: dict[str, list[int]], index: NameIndex) -> dict[str, np.ndarray]:
    """For each name's candidate places, how many of the document's other
    names have some candidate nearby: local news names places near each
    other, so "Alexandria", "Brandon" and "Douglas County" together settle
    in Minnesota."""
    keys = list(groups)
    firsts = [candidates[groups[k][0]].entries for k in keys]
    pools = []
    for entries in firsts:
        # Each name lends its most likely places (by kind and size) only.
        prior = _KIND_PRIOR[index.kind[entries]] + _W_POPULATION * np.log10(
            index.population[entries] + 10.0)
        pools.append(entries[np.argsort(-prior)[:_SUPPORT_TOP]])
    out = {}
    for k, entries in zip(keys, firsts):
        total = np.zeros(len(entries))
        lat, lon = index.lat[entries][:, None], index.lon[entries][:, None]
        for other, pool in zip(keys, pools):
            if other == k:
                continue
            pool = pool[_IS_POINT[index.kind[pool]]]
            if not len(pool):
                continue
            d = great_circle_km(lat, lon, index.lat[pool][None, :], index.lon[pool][None, :])
            total += np.exp(-d.min(axis=1) / _SUPPORT_KM)
        points = _IS_POINT[index.kind[entries]]
        out[k] = np.where(points, np.minimum(total, _SUPPORT_MAX), 0.0)
    return out


# A region that opens a sentence ("In the Belgorod region, the governor
# said shelling wounded two women in the village of Nikolskoye") holds the
# villages its paragraph names after it.
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?][\"”’]?\s+|\n\s*)In\s+(?:the\s+)?$")
_SMALL = 10_000  # people: a village the region holds none of is not elsewhere's town
_OTHER_CLAUSE = re.compile(r";|\b(?:while|whereas|meanwhile)\b")
_VILLAGE_OF = re.compile(r"\b(?:village|settlement|hamlet|community)\s+of\s+$", re.IGNORECASE)


def _opening_region(text: str, candidates, index: NameIndex,
                    pair: dict[int, tuple[str, str]], elsewhere: set[int]) -> None:
    """Put the settlements named after a sentence-opening "In <region>,"
    in its paragraph in that region (``pair``), or leave a village it holds
    none of unplaced (``elsewhere``); a town elsewhere may be named too ("In
    the Kharkiv region, ... as missiles also hit Dnipro"), so only villages
    are."""
    for m, b in enumerate(candidates):
        regions = b.entries[index.kind[b.entries] == _K["region"]]
        if (not len(regions) or not text.startswith(",", b.end)
                or not (b.cue == "region" or _REGION_WORD_END.search(b.key))
                or not _OPENS_SENTENCE.search(text, max(0, b.start - 12), b.start)):
            continue
        # Its paragraph ("He added that a drone hit ..." too), up to another
        # region or clause ("; in the Kharkiv region", "while in ...").
        stop = text.find("\n", b.end)
        end = stop if stop >= 0 else len(text)
        other = _OTHER_CLAUSE.search(text, b.end, end)
        end = other.start() if other else end
        held = {(str(index.country[e]), str(index.admin1[e])) for e in regions}
        for n in range(m + 1, len(candidates)):
            a = candidates[n]
            if a.start >= end or a.cue == "region" or _REGION_WORD_END.search(a.key):
                break
            if n in pair or not np.all(index.kind[a.entries] == _K["settlement"]):
                continue
            small = index.population[a.entries] < _SMALL
            inside = [e for e in a.entries
                      if (str(index.country[e]), str(index.admin1[e])) in held]
            if inside and (small.all() or not small[a.entries == inside[0]].all()):
                pair[n] = (str(index.admin1[inside[0]]), "")
            elif not inside and (small.all()
                                 or _VILLAGE_OF.search(text, max(0, a.start - 30), a.start)):
                elsewhere.add(n)
            # A town elsewhere (Nikopol, beside a village of its name in
            # the region) stays for the other evidence to place.


def resolve(text: str, candidates, index: NameIndex) -> list[Resolved]:
    """Choose an entry for each candidate (same order)."""
    if not candidates:
        return []
    if any(not len(c.entries) for c in candidates):
        # Names found by their form (streets) that the index has no entry
        # for: unplaced, and no evidence for the others.
        placed = iter(resolve(text, [c for c in candidates if len(c.entries)], index))
        return [next(placed) if len(c.entries) else
                Resolved(start=c.start, end=c.end, text=c.text, entry=None, confidence=0.0)
                for c in candidates]
    # One name, one place per document: group mentions by key.
    # "Kharkiv" and "Kharkiv region" are two places, so the word after the
    # name is part of the group's key.
    groups: dict[str, list[int]] = {}
    for n, c in enumerate(candidates):
        groups.setdefault(_group(c), []).append(n)

    # "Alexandria, La." / "Gainesville, Georgia" / "Lviv, Ukraine": the
    # next candidate is a region or a country right after a comma, and one
    # that holds a place of the name.  A country's name is in no other
    # country ("Russia, U.S. officials").
    # So is "Pershotravneve in Kharkiv Oblast", "Krynky in Ukraine": a region
    # written as one (not "Saltivka in Kharkiv", the city), or a country.
    pair: dict[int, tuple[str, str]] = {}  # mention -> (admin1, country)
    holder: dict[int, int] = {}  # mention -> the region entry it names
    locators: set[int] = set()  # mentions that only say where the one before is
    # Places the text puts in a region that holds none of the name ("the
    # village of Olgovka in Kursk region", which the index has only in
    # Kherson Oblast): unplaced rather than put in the wrong region.
    elsewhere: set[int] = set()
    for n in range(len(candidates) - 1):
        a, m = candidates[n], n + 1
        # A side's hyphenated word between them is none of the two: "Horlivka,
        # a Russian-occupied city in Donetsk region".
        while (m + 1 < len(candidates) and text.startswith("-", candidates[m].end)
               and np.all(index.kind[candidates[m].entries] == _K["country"])):
            m += 1
        between = text[a.end:candidates[m].start]
        within = _IN_REGION.fullmatch(between)
        if not (re.fullmatch(r",\s*", between) or within):
            continue
        if np.any(index.kind[a.entries] == _K["country"]):
            continue
        if (within and m + 1 < len(candidates)
                and np.all(index.kind[candidates[m].entries] == _K["country"])
                and _POSSESSIVE.fullmatch(text, candidates[m].end, candidates[m + 1].start)):
            locators.add(m)  # "in Ukraine's Sumy region": the region says where
            m += 1
        b = candidates[m]
        # "in western Crimea": a name that is only ever a region says so itself.
        region_named = (b.cue == "region" or bool(_REGION_WORD_END.search(b.key))
                        or bool(np.all(index.kind[b.entries] == _K["region"])))
        if within and not (region_named or np.any(index.kind[b.entries] == _K["country"])):
            continue
        regions = [e for e in b.entries if index.kind[e] == _K["region"]
                   and np.any(index.admin1[a.entries] == index.admin1[e])]
        countries = [e for e in b.entries if index.kind[e] == _K["country"]
                     and np.any(index.country[a.entries] == index.country[e])]
        if regions:
            pair[n] = (str(index.admin1[regions[0]]), "")
            # ... and the region is the one that holds it ("Bronx, New York"
            # is the state, not the city).
            holder[m] = int(regions[0])
            locators.add(m)
        elif countries:
            pair[n] = ("", str(index.country[countries[0]]))
            locators.add(m)
        elif within and region_named and np.any(index.kind[b.entries] == _K["region"]) \
                and np.all(index.kind[a.entries] == _K["settlement"]):
            elsewhere.add(n)
            locators.add(m)

    _opening_region(text, candidates, index, pair, elsewhere)
    support = _support(candidates, groups, index)
    listed = _listed(text, candidates, index)
    # A country every mention of which names who acts ("Russian forces").
    actors = {key: all(bool(np.all(index.kind[candidates[n].entries] == _K["country"]))
                       and _ACTOR_AFTER.match(text, candidates[n].end) for n in members)
              for key, members in groups.items()}
    # Mentions of a group differ only in their spelling and an article
    # before them: score each distinct case once, for all passes.
    cases: dict[tuple, np.ndarray] = {}
    own: list[np.ndarray] = []
    for c in candidates:
        article = bool(_ARTICLE_BEFORE.search(text[max(0, c.start - 6):c.start]))
        case = (_group(c), c.text, article)
        if case not in cases:
            cases[case] = _own_scores(index, c.entries, c.text, c.key, cue=c.cue,
                                      article=article)
        own.append(cases[case])
    context = _Context()
    # First guesses: each group's best entry without context, weighted by
    # how unambiguous it is, seed the document's context.
    choice: dict[str, tuple[int, float]] = {}
    for n_pass in range(_PASSES):
        last = n_pass == _PASSES - 1  # only the last pass's confidence is kept
        new_context = _Context()
        for key, members in groups.items():
            first = candidates[members[0]]
            evidence = context.others(key)
            total = np.zeros(len(first.entries))
            paired = np.zeros(len(first.entries))
            near = np.zeros(len(first.entries))
            for n in members:
                c = candidates[n]
                total += own[n]
                if n in listed:
                    near = np.maximum(near, listed[n])
                if n in pair:
                    paired = np.maximum(paired, _pair_bonus(index, c.entries, *pair[n]))
                if n in holder:
                    paired = np.maximum(paired, np.where(c.entries == holder[n], _W_PAIR, 0.0))
            total /= len(members)
            total += _context_scores(index, first.entries, evidence)
            total += paired + near
            total += support[key]
            best = int(np.argmax(total))
            ordered = np.sort(total)[::-1]
            margin = ordered[0] - ordered[1] if len(ordered) > 1 else 5.0
            weight = 1.0 - math.exp(-max(margin, 0.0))
            probs = np.exp(total - ordered[0])
            share = (probs[_same_place(index, first.entries, best)].sum() if last and len(probs) > 1
                     else probs[best])
            choice[key] = (int(first.entries[best]), float(share / probs.sum()))
            if not actors[key]:
                new_context.add(index, int(first.entries[best]), weight * len(members), key)
        context = new_context

    resolved = []
    held = _districts_held(text, candidates, index)
    holders = set(held.values())
    for n, c in enumerate(candidates):
        if n in elsewhere:
            resolved.append(Resolved(start=c.start, end=c.end, text=c.text, entry=None,
                                     confidence=0.0))
            continue
        entry, p = choice[_group(c)]
        holder = choice[_group(candidates[held[n]])] if n in held else None
        if holder is not None:
            entry, p = _inside(index, c.entries, entry, p, *holder)
        resolved.append(Resolved(start=c.start, end=c.end, text=c.text, entry=entry,
                                 confidence=round(float(c.score) * p, 3),
                                 within=holder is not None and entry == holder[0],
                                 holds=n in holders or n in locators))
    return resolved


__all__ = ["Resolved", "resolve"]
