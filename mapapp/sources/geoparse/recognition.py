"""Finding place names in text: tokens, gazetteer look-ups, and evidence.

The recogniser proposes every longest run of words that the name index
knows and that starts with a capital, then weighs what speaks against it
being a place: a common English word, a person's name around it, a title
before it, the start of a sentence.  Offsets are character offsets into the
text exactly as given.

>>> from mapapp.geo.nameindex import load_index
>>> [(m.start, m.end, m.text) for m in recognise("Missiles hit Kyiv and Lviv.", load_index())]
[(13, 17, 'Kyiv'), (22, 26, 'Lviv')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from mapapp.geo.gazetteer import fold
from mapapp.geo.nameindex import KIND_CODE, NameIndex

# A word: letters, with apostrophes (L'viv) and dots inside (U.S) but not a
# possessive "'s" at its end.  Hyphens split words, so "Kherson-based" still
# yields "Kherson"; multi-word names are joined across spaces and hyphens.
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’ʼ](?!(?:[sS]|ve|ll|re|[dmt])\b)(?=[^\W\d_])"
                   r"|\.(?=[^\W\d_]\.?))*")
_JOIN = re.compile(r"[ \t]{1,2}|[ \t]?[-‐‑–][ \t]?|[ \t]*\n[ \t]*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$|^\s*$|\n\s*$")

# Words that follow a place name and make it a region, district or water.
_REGION_WORDS = {"region", "oblast", "province", "state", "county", "district", "raion",
                 "governorate", "parish", "territory", "prefecture"}
# Region words that are part of the region's name as a report writes it.
_SPAN_REGION_WORDS = {"region", "oblast", "province", "raion", "governorate"}
_WATER_WORDS = {"river", "sea", "lake", "reservoir", "bay", "gulf", "strait"}
# Titles and words that, written just before a capitalised name, make it a
# person's ("President Lincoln", "Mr. Jackson").
_PERSON_BEFORE = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "lady", "lord", "president", "gov", "governor",
    "sen", "senator", "rep", "representative", "mayor", "minister", "general", "gen", "col",
    "colonel", "capt", "captain", "lt", "sgt", "officer", "judge", "justice", "prof",
    "professor", "rev", "reverend", "father", "pope", "saint", "king", "queen", "prince",
    "princess", "coach", "chancellor", "secretary", "ambassador", "commissioner", "chief",
    "sheriff", "deputy", "detective", "attorney", "spokesman", "spokeswoman", "pastor",
    "bishop", "by", "said", "says", "told", "according", "named", "actor", "actress",
    "singer", "player", "director", "author", "writer", "journalist", "correspondent",
}
# Titles written abbreviated, with a dot that ends no sentence ("Sen. Webb").
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "gov", "rep", "gen", "col", "capt", "lt", "sgt",
           "prof", "rev", "det", "cpl", "pvt", "supt", "insp"}
# Capitalised words that, after a place name, say whose or what it is
# ("Kyiv Mayor", "Laurel County Sheriff"): the name is still a place.
_PLACE_BEFORE = {
    "mayor", "governor", "police", "sheriff", "city", "county", "council", "times", "post",
    "university", "college", "school", "schools", "airport", "hospital", "department",
    "office", "government", "officials", "authorities", "fire", "state", "region", "oblast",
    "regional", "military", "army", "forces", "border", "embassy", "consulate", "court",
    "district", "township", "board", "commission", "zoo", "park", "museum", "library",
    "church", "high", "middle", "elementary", "public", "general", "memorial", "center",
    "centre", "station", "bridge", "highway", "avenue", "street", "road", "drive", "lane",
    "boulevard", "river", "lake", "mountains", "valley", "prosecutor", "prosecutors",
    "administration", "ministry", "parliament", "legislature", "senate", "house",
}
# Capitalised words that are never places in a report, whatever a gazetteer
# of small villages says.
_NEVER = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "god", "christmas", "easter", "i", "a", "the", "he",
    "she", "it", "we", "they", "you", "this", "that", "these", "there", "here", "then",
    "but", "and", "or", "if", "in", "on", "at", "of", "for", "by", "with", "as", "so",
    "no", "not", "all", "one", "two", "mr", "mrs", "ms", "dr", "ad", "am", "pm", "tv",
    "police", "office", "court", "church", "school", "university", "college", "city",
    "county", "state", "north", "south", "east", "west", "central", "northern", "southern",
    "eastern", "western", "new", "great", "sheriff", "fire", "news", "times", "post",
    "press", "center", "centre", "park", "street", "road", "home", "union", "army", "navy",
}


# "250 B.C.": after a number these abbreviations are eras, not British Columbia.
_ERAS = {"b c.", "a d.", "b c", "a d"}
_NUMBER_BEFORE = re.compile(r"\d\s*$")

_COUNTRY_OR_CONTINENT = [KIND_CODE["country"], KIND_CODE["continent"]]
_STRONG_KINDS = [KIND_CODE[k] for k in ("country", "continent", "sea", "river", "lake", "area")]


@dataclass(frozen=True)
class Candidate:
    """A span that names something in the index, with the recogniser's view."""

    start: int
    end: int
    text: str
    key: str
    entries: np.ndarray  # index entry ids
    score: float  # how sure the recogniser is that this names a place (0..1)
    cue: str = ""  # "region", "water" or "" when the next word says what it is
    sentence_start: bool = False
    person: bool = False  # written as part of a person's name here
    strong: bool = False  # a country, region, water or city of 100,000+


def _tokens(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def recognise(text: str, index: NameIndex) -> list[Candidate]:
    """Every place-name candidate in ``text``, left to right, not overlapping."""
    tokens = _tokens(text)
    words = [t.group() for t in tokens]
    keys = [fold(w) for w in words]
    # Words the text itself writes in lower case are ordinary words there.
    lower = {k for w, k in zip(words, keys) if w[:1].islower()}
    joins = [bool(_JOIN.fullmatch(text[tokens[i].end():tokens[i + 1].start()]))
             for i in range(len(tokens) - 1)]
    found: list[Candidate] = []
    i, n = 0, len(tokens)
    max_words = min(index.max_words, 8)
    while i < n:
        word = words[i]
        if not _is_capitalised(word):
            i += 1
            continue
        match = None
        # Longest name first; a name may not run across punctuation.
        last = i
        while last + 1 < n and last + 1 < i + max_words and joins[last]:
            last += 1
        for j in range(last, i - 1, -1):
            if not _is_capitalised(words[j]) and not words[j][:1].isdigit():
                continue
            key = " ".join(keys[i:j + 1])
            end = tokens[j].end()
            if text[end:end + 1] == "." and key + "." in index:
                match, key, end = j, key + ".", end + 1
                break
            if key in index:
                match = j
                break
        if match is None or (match == i and key in _NEVER):
            i += 1
            continue
        found.append(_weigh(text, tokens, words, keys, i, match, key, end, index, lower))
        i = match + 1
    return [c for c in _people(found, text) if c.score > 0]


_SAID_AFTER = re.compile(r"^[’']?s?\s*(?:,[^,]{0,40},\s*)?(?:said|says|told|added|wrote|"
                         r"explained|noted|asked|argued|replied|who|was|is|has|had)\b")


def _people(found: list[Candidate], text: str) -> list[Candidate]:
    """Drop names the document shows to be people's.

    A name written as part of a person's name anywhere in the text ("Jim
    Jones", "Mr. Jones") is taken as that person everywhere in it, unless
    it names a country, a region or a large city; and a bare name followed
    by "said" is a person's.
    """
    people = {c.key for c in found if c.person and not c.strong}
    out = []
    for c in found:
        if c.key in people and not c.strong:
            continue
        if c.score and not c.strong and _SAID_AFTER.match(text[c.end:c.end + 60]):
            continue
        out.append(c)
    return out


def _names_place(index: NameIndex, key: str) -> bool:
    """Whether ``key`` is a name a writer would mean as a place on its own."""
    entries = index.lookup(key)
    if not len(entries):
        return False
    return bool((index.population[entries] >= 100_000).any()
                or np.isin(index.kind[entries], _COUNTRY_OR_CONTINENT).any())


def _code_as_word(index: NameIndex, entries: np.ndarray, surface: str) -> bool:
    """A three-letter word that names a country only as its code ("Sen.",
    "Can", "Per"): codes are written in capitals, so this is a word."""
    return (len(surface) == 3 and not surface.isupper()
            and bool((index.kind[entries] == KIND_CODE["country"]).any()))


def _population(index: NameIndex, entries: np.ndarray, kinds: np.ndarray, key: str) -> int:
    """The largest population the name stands for.  A county reached by its
    bare stem ("Brown" for Brown County) does not count: a report adds
    "County", and the bare word is far more often a surname."""
    if not len(entries):
        return 0
    sizes = index.population[entries].copy()
    for n in np.nonzero(kinds == KIND_CODE["district"])[0]:
        if fold(index.names[int(entries[n])]) != key:
            sizes[n] = 0
    return int(sizes.max())


def _weigh(text, tokens, words, keys, i, j, key, end, index, lower) -> Candidate:
    start = tokens[i].start()
    entries = index.lookup(key)
    kinds = index.kind[entries]
    population = _population(index, entries, kinds, key)
    # Places the project located itself (geocache, aliases) are known to matter.
    strong_kind_curated = bool(index.curated[entries].any())
    # Countries, continents, water and large regions are names a writer
    # means as places; a parish called "Michael" is not.
    strong_kind = bool(np.isin(kinds, _STRONG_KINDS).any() or (
        (kinds == KIND_CODE["region"]) & (index.population[entries] >= 100_000)).any())
    before = text[max(0, start - 40):start]
    sentence_start = bool(_SENTENCE_END.search(before))
    prev_key = keys[i - 1] if i > 0 else ""
    prev_word = words[i - 1] if i > 0 else ""
    prev_adjacent = i > 0 and bool(_JOIN.fullmatch(text[tokens[i - 1].end():start]))
    next_word = words[j + 1] if j + 1 < len(words) else ""
    next_adjacent = j + 1 < len(words) and bool(
        _JOIN.fullmatch(text[end:tokens[j + 1].start()]))
    cue = ""
    if next_adjacent and keys[j + 1] in _REGION_WORDS:
        cue = "region"
        if keys[j + 1] in _SPAN_REGION_WORDS:
            end = tokens[j + 1].end()  # "Kherson region" names the region
            entries = np.union1d(entries, np.union1d(index.lookup(key + " oblast"),
                                                     index.lookup(key + " region")))
    elif next_adjacent and keys[j + 1] in _WATER_WORDS:
        cue = "water"

    surface = text[start:end]
    strong = strong_kind or strong_kind_curated or population >= 100_000
    person = False
    score = 0.5
    if strong:
        score += 0.4
    elif population >= 10_000:
        score += 0.15
    elif population < 1_000:
        score -= 0.15
    if j > i:
        score += 0.25
    if cue:
        score += 0.3
    if key in lower and not strong_kind:
        score -= 0.6  # written in lower case elsewhere in this text: a word
    zipf = index.zipf.get(key, 0.0) if j == i else 0.0
    if zipf >= 4.0 and not strong:
        score -= 0.25 + 0.25 * (zipf - 4.0)  # "Bank", "Valley", "Justice"
    if prev_adjacent and prev_key in _PERSON_BEFORE:
        person = True
    # An abbreviated title ("Mrs. Lincoln", "Sen. Webb"): its dot is no
    # sentence end.
    if i > 0 and prev_key in _TITLES and text[tokens[i - 1].end():start] in (". ", "."):
        person = True
    # A capitalised neighbour that is not itself a place ("Raquel Henry",
    # "Jackson Smith") makes a person or an organisation.
    if (prev_adjacent and _is_capitalised(prev_word) and not (sentence_start and i == 1)
            and not _names_place(index, prev_key) and prev_key not in _NEVER):
        person = True
    if (j == i and next_adjacent and _is_capitalised(next_word) and not cue
            and keys[j + 1] not in index and keys[j + 1] not in _NEVER
            and keys[j + 1] not in _PLACE_BEFORE):
        person = True
    if person:
        score -= 0.35 if strong_kind else 0.6
    if sentence_start and not strong:
        score -= 0.1
    if surface.isupper() and not key.endswith(".") \
            and len(key.replace(" ", "")) <= 3 \
            and not (kinds == KIND_CODE["country"]).any():
        score = 0.0  # "BA", "LE": acronyms, not places
    elif len(key) <= 2 and not surface.isupper():
        score -= 0.5
    if (key in _ERAS and _NUMBER_BEFORE.search(before)) \
            or _code_as_word(index, entries, text[start:tokens[j].end()]):
        score = 0.0
    score = max(0.0, min(1.0, score))
    if score < 0.5:
        score = 0.0
    return Candidate(start=start, end=end, text=text[start:end], key=key, entries=entries,
                     score=score, cue=cue, sentence_start=sentence_start, person=person,
                     strong=strong)


__all__ = ["Candidate", "recognise"]
