"""Finding place names in text: tokens, gazetteer look-ups, and evidence.

The recogniser proposes every longest run of words that the name index
knows and that starts with a capital, then weighs what speaks against it
being a place: a common English word, a person's name around it, a title
before it, the start of a sentence.  Some places are found by their form
whether or not the index knows them: streets ("Hot Springs Drive") and
datelines ("HARWINTON — "); a street has no point.  Offsets are character offsets into the
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
from mapapp.sources.geoparse.events import DATELINE_TAIL

# A word: letters, with apostrophes (L'viv) and dots inside (U.S) but not a
# possessive "'s" at its end.  Hyphens split words, so "Kherson-based" still
# yields "Kherson"; multi-word names are joined across spaces and hyphens.
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’ʼ](?!(?:[sS]|ve|ll|re|[dmt])\b)(?=[^\W\d_])"
                   r"|\.(?=[^\W\d_]\.?))*")
_JOIN = re.compile(r"[ \t]{1,2}|[ \t]?[-‐‑–][ \t]?|[ \t]*\n[ \t]*")
# Before a sentence's (or a quotation's) first word; a closing quote after a
# word ends nothing ('"liberated" Memryk').
_SENTENCE_END = re.compile(r"[.!?:;][\"“”’]?\s*$|(?<![\w,.!?:;])[\"“”]\s*$|^\s*$|\n\s*$")
# Abbreviations that begin a place's name ("St. Petersburg", "Mt. Pleasant",
# "Ft. Worth"): their dot ends no sentence, so the name runs across it.
_NAME_ABBREVIATIONS = {"st", "ste", "mt", "ft", "pt"}
_ABBREVIATION_JOIN = re.compile(r"\.[ \t]")

# Streets and roads: capitalised words before a street word ("Memphis St.",
# "Hot Springs Drive", "East Elm Street").  A street is a place the
# gazetteer cannot hold; found whole, "Memphis" in "Memphis Street" is not
# taken for the city.  ("Way" and "Highway" are left out: "United Way",
# "Highway Patrol".)
_STREET_WORD = (r"(?:Street|Avenue|Road|Drive|Boulevard|Lane|Circle|Parkway|Terrace|Trail|"
                r"Pike|Turnpike|Expressway|Freeway|St\.|Ave\.|Rd\.|Blvd\.|Ln\.|Pkwy\.)")
_NAME_WORD = r"(?:[A-Z][A-Za-z]*(?:['’](?![sS]\b)[A-Za-z]+)?|(?:N|S|E|W|St|Mt|Ft)\.|\d+(?:st|nd|rd|th))"
# A road's number is part of its name ("County Road 43").
_STREET = re.compile(rf"(?<![\w'’.])(?:{_NAME_WORD} ){{1,4}}{_STREET_WORD}(?!\w)(?: \d+\b)?")
# A dateline: a place in capitals opening a paragraph or following the
# headline, perhaps with its state and agency, then a dash ("BANTAM — ",
# "COLUMBUS, Ohio (AP) — ").
_DATELINE = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))([A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})"
                       rf"(?={DATELINE_TAIL})")
_DATELINE_SCORE = 0.9
# Words that may stand capitalised before a name without being part of it
# or a first name ("At Main Street", "Another Gainesville business").
_FUNCTION_WORDS = {
    "the", "a", "an", "at", "in", "on", "of", "and", "but", "or", "to", "from", "by", "for",
    "with", "near", "via", "his", "her", "their", "its", "our", "my", "this", "that", "off",
    "onto", "into", "between", "corner", "both", "when", "while", "as", "if", "then",
    "another", "over", "under", "after", "before", "during", "since", "until", "about",
    "around", "outside", "inside", "across", "along", "through", "towards", "toward",
    "beyond", "behind", "beside", "past", "amid", "throughout", "within",
}

# Words that follow a place name and make it a region or district (the
# drafter's too: "in Kherson region", and no " region" added to a name
# that has one).
REGION_WORDS = {"region", "oblast", "province", "state", "county", "district", "raion",
                "governorate", "parish", "territory", "prefecture"}
# Region words that are part of the region's name as a report writes it:
# "Kherson region" renders Ukraine's "Khersonska oblast".  A lower-case
# "province" describes a name rather than completing it ("in Idlib
# province"); capitalised, it is part of it (_NAME_KIND_WORDS).
_SPAN_REGION_WORDS = {"region", "oblast", "raion"}
# "the Belgorod and Kursk regions", "the Bryansk, Kursk and Belgorod
# oblasts": the plural makes every name of the list a region.
_REGIONS_AFTER = re.compile(
    r"(?:,\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})*,?\s+and\s+[A-Z][\w'-]+"
    r"(?:\s+[A-Z][\w'-]+){0,2}\s+(?i:regions|oblasts|provinces)\b")
_PLURAL_REGION_WORDS = {"regions", "oblasts", "provinces"}
# Kind words that, capitalised after a name, are part of it ("Neches River",
# "Oakport Township", "Pott Co."), so the span takes them in.
_NAME_KIND_WORDS = {"county", "co", "parish", "township", "twp", "valley", "river", "lake",
                    "creek", "island", "islands", "mountains", "mountain", "bay", "province",
                    "governorate"}
_WATER_WORDS = {"river", "sea", "lake", "reservoir", "bay", "gulf", "strait"}
# A river's banks: "Dnipro's left bank", "the east bank of the Dnipro" (not
# the city of Dnipro).
_BANK_AFTER = re.compile(r"['’]s\s+(?:left|right|east|west|eastern|western|northern|southern)"
                         r"\s+banks?\b", re.IGNORECASE)
_BANK_BEFORE = re.compile(r"\bbanks?\s+of\s+(?:the\s+)?$", re.IGNORECASE)
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
# Of those, the verbs: they say a person may follow, not that this is one.
_PERSON_VERBS = {"by", "said", "says", "told", "according", "named"}
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
# Words that make a capitalised name before or after them an institution's
# ("Nashville Film Festival", "Harwinton Selectman", "Downtown Cleveland
# Alliance"), never a person's name.
_INSTITUTION_WORDS = {
    "historical", "historic", "society", "club", "boys", "girls", "shopping", "mall", "film",
    "festival", "review", "recreation", "alliance", "republican", "republicans", "democrat",
    "democrats", "democratic", "circuit", "metropolitan", "community", "volunteer", "market",
    "journal", "chamber", "association", "foundation", "selectman", "selectmen", "council",
    "commissioner", "committee", "downtown", "perimeter", "coalition", "traders", "area",
    "township", "town", "village", "metro", "greater", "upper", "lower", "old", "fair",
    "fairgrounds", "library", "stadium", "arena", "cathedral", "airport", "harbor", "harbour",
    "port", "ward", "precinct", "league", "rotary", "elks", "lions", "kiwanis", "rodeo",
}
# "Rep. Torrey Westrom, R-Elbow Lake": a party letter and a hyphen before a
# name, after a legislator's name, give where the legislator is from.
_PARTY_BEFORE = re.compile(r",\s*(?:D|R|I|DFL|Ind)-$")
_PARTY_BONUS = 0.4

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


# Months and days: "Monday Main Street" names the street after the day.
_NEVER_DAYS = {w for w in _NEVER if w.endswith(("day", "ber", "ary")) or w in
               ("march", "april", "may", "june", "july", "august")}
_NO_ENTRIES = np.zeros(0, dtype=np.int32)
# A street is found by its form, not looked up: a middling certainty.
_STREET_SCORE = 0.6

# "250 B.C.": after a number these abbreviations are eras, not British Columbia.
_ERAS = {"b c.", "a d.", "b c", "a d"}
_NUMBER_BEFORE = re.compile(r"\d\s*$")

_COUNTRY_OR_CONTINENT = [KIND_CODE["country"], KIND_CODE["continent"]]
# An airport or a site is named by its full name ("Hostomel Airport", "the
# Kakhovka dam"), never a bare word.
_STRONG_KINDS = [KIND_CODE[k] for k in ("country", "continent", "sea", "river", "lake", "area",
                                        "airport", "site")]


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
    # a country, large region, water or the project's own place: a name a
    # person's name does not take over ("Georgia Stevens" leaves Georgia)
    landmark: bool = False
    # a title or a first name before it ("Mr. Jones", "Andrew Trapani"):
    # evidence enough to take even a large city's name for a person's
    person_before: bool = False
    # a place of a country the text names ("Robotyne" in a report on Ukraine)
    local: bool = False


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
    joins = [_joined(text, tokens[i], tokens[i + 1], keys[i]) for i in range(len(tokens) - 1)]
    named = _named_countries(words, keys, joins, index)
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
            key = " ".join(keys[i:j + 1])
            # A name ends on a capital ("Sea of Azov"), unless the project
            # lists it with lower-case words ("Zaporizhzhia nuclear power
            # plant", "Baltic states").
            if (not _is_capitalised(words[j]) and not words[j][:1].isdigit()
                    and not (key in index and index.curated[index.lookup(key)].any())):
                continue
            end = tokens[j].end()
            if text[end:end + 1] == "." and key + "." in index:
                match, key, end = j, key + ".", end + 1
                break
            if key in index:
                match = j
                break
        if match is None and "UA" in named and _RUSSIAN_ENDING.search(keys[i]) \
                and keys[i] not in lower and keys[i] not in _NEVER:
            # A village the report spells the Russian way ("Rabotino"): the
            # index has its Ukrainian name only.
            entries = index.spelled_like(keys[i], "UA")
            if len(entries):
                found.append(_weigh(text, tokens, words, keys, i, i, keys[i], tokens[i].end(),
                                    index, lower, named, entries=entries))
                i += 1
                continue
        if match is None or (match == i and key in _NEVER):
            i += 1
            continue
        found.append(_weigh(text, tokens, words, keys, i, match, key, end, index, lower,
                            named))
        i = match + 1
    found = _with_forms(text, found, index)
    return [c for c in _people(found, text) if c.score > 0]


def _named_countries(words, keys, joins, index: NameIndex) -> np.ndarray:
    """Countries the text names, by one or two capitalised words ("Ukraine",
    "Ukrainian", "United States")."""
    codes = set()
    country = KIND_CODE["country"]
    for i, word in enumerate(words):
        if not _is_capitalised(word):
            continue
        spans = [keys[i]] + ([f"{keys[i]} {keys[i + 1]}"] if i + 1 < len(words) and joins[i]
                             else [])
        for key in spans:
            entries = index.lookup(key)
            codes.update(index.country[entries[index.kind[entries] == country]].tolist())
    return np.asarray(sorted(codes), dtype="U2")


def _joined(text: str, token: re.Match, following: re.Match, key: str) -> bool:
    """Whether two words may belong to one name: only spaces or a hyphen
    between them, the dot of an abbreviation such as "St.", or the
    apostrophe of a possessive inside a name ("Donetsk People's Republic";
    a name never ends on its "s")."""
    gap = text[token.end():following.start()]
    return bool(_JOIN.fullmatch(gap)) or (key in _NAME_ABBREVIATIONS
                                          and bool(_ABBREVIATION_JOIN.fullmatch(gap))) or (
        gap in ("'", "’") and following.group() in ("s", "S"))


def _streets(text: str) -> list[tuple[int, int]]:
    """Spans of street names, without the function words before them."""
    spans = []
    for match in _STREET.finditer(text):
        start, end = match.span()
        words = match.group().split(" ")
        while len(words) > 1 and words[0].lower() in _FUNCTION_WORDS | _NEVER_DAYS:
            start += len(words.pop(0)) + 1
        if len(words) > 1:
            spans.append((start, end))
    return spans


def _datelines(text: str, index: NameIndex) -> list[Candidate]:
    """Places named by a dateline ("HARWINTON — ", "CHARLESTON, W.Va. -- "):
    the form says it is a place, whether or not the index knows it."""
    out = []
    for match in _DATELINE.finditer(text):
        start, end = match.span(1)
        key = fold(text[start:end]) + ("." if text[end - 1] == "." else "")
        out.append(Candidate(start=start, end=end, text=text[start:end], key=key,
                             entries=index.lookup(key), score=_DATELINE_SCORE, strong=True,
                             landmark=True))
    return out


def _with_forms(text: str, found: list[Candidate], index: NameIndex) -> list[Candidate]:
    """``found`` with the places its form names (streets, datelines) in
    place of the names inside them."""
    forms = [Candidate(start=s, end=e, text=text[s:e], key=fold(text[s:e]),
                       entries=_NO_ENTRIES, score=_STREET_SCORE, cue="street", strong=True,
                       landmark=True)
             for s, e in _streets(text)]
    forms += _datelines(text, index)
    if not forms:
        return found
    kept = [c for c in found if not any(f.start < c.end and c.start < f.end for f in forms)]
    return sorted(kept + forms, key=lambda c: c.start)


_SAID_AFTER = re.compile(r"^[’']?s?\s*(?:,[^,]{0,40},\s*)?(?:said|says|told|added|wrote|"
                         r"explained|noted|asked|argued|replied|who|(was|is|has|had))\b")


def _people(found: list[Candidate], text: str) -> list[Candidate]:
    """Drop names the document shows to be people's.

    A name written as part of a person's name anywhere in the text ("Jim
    Jones", "Mr. Jones") is taken as that person everywhere in it, unless
    it names a country, a large region, water or the project's own place;
    a large city only when a title or a first name stands before it
    ("Andrew Trapani"), not on a capitalised word after it ("London
    Homeless Coalition"); and a bare name followed by "said" is a person's.
    """
    people = {c.key for c in found
              if c.person and not c.landmark and (c.person_before or not c.strong)}
    out = []
    for c in found:
        if c.key in people and not c.landmark:
            continue
        said = c.score and not c.strong and _SAID_AFTER.match(text[c.end:c.end + 60])
        # "Robotyne was retaken": a village of the country the text is about
        # is the subject of "was" as often as a person is.
        if said and not (c.local and said.group(1)):
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


_VERY_COMMON = 5.5  # Zipf: "most", "first", "good"
_AGENCY_AFTER = re.compile(r"\s+(?:news\s+|press\s+)?agency\b", re.IGNORECASE)
_AGENCY_BEFORE = re.compile(r"\bagency\s+$", re.IGNORECASE)

# A headline capitalises its words: three in four of its longer words.
_HEADLINE_SHARE = 0.75
_HEADLINE_MIN_WORDS = 3
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")
_SENTENCE_MARK = re.compile(r"[.!?\n]")


def _headline(text: str, position: int) -> bool:
    """Whether ``position`` is in the text's first sentence, its headline,
    written in headline case ("Bogdanov Joins Sochi Mayor Race"), where
    capitals say nothing of names."""
    stop = _SENTENCE_MARK.search(text)
    if stop is None or position > stop.start():
        return False
    words = _LONG_WORD.findall(text[:stop.start()])
    capitalised = sum(1 for w in words if w[0].isupper())
    return len(words) >= _HEADLINE_MIN_WORDS and capitalised >= _HEADLINE_SHARE * len(words)


def _kind_word_end(text: str, token: re.Match) -> int:
    """Where a kind word ends, with its dot when it is an abbreviation."""
    end = token.end()
    if token.group().lower() in ("co", "twp") and text[end:end + 1] == ".":
        end += 1
    return end


# What follows a place opening a sentence: an apposition or a clause about it.
_PLACE_SUBJECT_AFTER = re.compile(r",|\s+(?:in|near|was|were|is|has|had|lies|remains|remained|fell|"
                                  r"came under)\b")


# Endings of Russian village names ("Rabotino", "Novomikhailovka",
# "Krasnoye", "Pyatikhatki"), not of surnames ("Petrenko", "Zelenski",
# "Zaluzhny").
_RUSSIAN_ENDING = re.compile(r"(?:[oe]vka|ino|[oe]vo|o[y]?e|aya|[^s]ki)$")


def _with_regions(index: NameIndex, entries: np.ndarray, key: str) -> np.ndarray:
    """``entries`` and the regions ``key`` names with a region word after it:
    "Kherson oblast", or the oblast of the city "Kharkov" if no region
    answers to the name itself."""
    entries = np.union1d(entries, np.union1d(index.lookup(key + " oblast"),
                                             index.lookup(key + " region")))
    if not (index.kind[entries] == KIND_CODE["region"]).any():
        entries = np.union1d(entries, index.regions_of(entries))
    return entries


def _weigh(text, tokens, words, keys, i, j, key, end, index, lower, named,
           entries=None) -> Candidate:
    start = tokens[i].start()
    entries = index.lookup(key) if entries is None else entries
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
    if next_adjacent and keys[j + 1] in REGION_WORDS:
        cue = "region"
        if keys[j + 1] in _SPAN_REGION_WORDS:
            end = tokens[j + 1].end()  # "Kherson region" names the region
            entries = _with_regions(index, entries, key)
    elif (next_adjacent and keys[j + 1] in _PLURAL_REGION_WORDS) or _REGIONS_AFTER.match(
            text, end):
        cue = "region"
        entries = _with_regions(index, entries, key)
    elif (next_adjacent and keys[j + 1] in _WATER_WORDS) or _BANK_AFTER.match(text, end) \
            or _BANK_BEFORE.search(before):
        cue = "water"
    if (next_adjacent and keys[j + 1] in _NAME_KIND_WORDS and _is_capitalised(next_word)
            and end < tokens[j + 1].end()):
        end = _kind_word_end(text, tokens[j + 1])  # "Evergreen Lake", "Oakport Township"

    surface = text[start:end]
    strong = strong_kind or strong_kind_curated or population >= 100_000
    person = False
    score = 0.5
    if strong:
        score += 0.4
    elif population >= 10_000:
        score += 0.15
    elif population < 1_000 and not np.isin(index.country[entries], named).any():
        # A hamlet is seldom what a name means, unless the text is about
        # its country (the war's villages, in a report naming Ukraine).
        score -= 0.15
    if j > i:
        score += 0.25
    if cue:
        score += 0.3
    if key in lower and not strong_kind:
        score -= 0.6  # written in lower case elsewhere in this text: a word
    zipf = index.zipf.get(key, 0.0) if j == i else 0.0
    # A large town does not make a common word a place when the word is only
    # another of its names (Topeka once called itself "Google") or one of the
    # commonest words ("Most", the Czech town, at a sentence's start); "Nice"
    # and "Reading" stay.
    by_size_only = strong and not strong_kind and not strong_kind_curated
    if zipf >= 4.0 and (not strong or (by_size_only and (
            zipf >= _VERY_COMMON or not any(fold(index.names[int(e)]) == key for e in entries)))):
        score -= 0.25 + 0.25 * (zipf - 4.0)  # "Bank", "Valley", "Justice"
    # A news agency's name ("the Xinhua news agency", "agency IRNA") is no place.
    if _AGENCY_AFTER.match(text, end) or _AGENCY_BEFORE.search(before):
        score = 0.0
    # A verb before a large place's name ("said Montreal Mayor", "rules
    # introduced by Ottawa") makes no person of it; a title does.
    if prev_adjacent and prev_key in _PERSON_BEFORE and not (strong and prev_key in _PERSON_VERBS):
        person = True
    # An abbreviated title ("Mrs. Lincoln", "Sen. Webb"): its dot is no
    # sentence end.
    if i > 0 and prev_key in _TITLES and text[tokens[i - 1].end():start] in (". ", "."):
        person = True
    person_before = person and prev_key not in _PERSON_VERBS
    # A capitalised neighbour that is not itself a place a writer would name
    # alone ("Raquel Henry", "George Bush": a hamlet called Bush does not
    # count) makes a person or an organisation; not in a headline, where
    # every word is capitalised.
    # A capitalised preposition ("Near Bakhmut, ...") opens a sentence.
    if (prev_adjacent and _is_capitalised(prev_word) and not (sentence_start and i == 1)
            and prev_key not in _FUNCTION_WORDS
            and not _names_place(index, prev_key) and prev_key not in _NEVER
            and prev_key not in _INSTITUTION_WORDS and not _headline(text, start)):
        person = True
        # A first name is no acronym ("CBC Toronto" is a station), nor a word
        # capitalised as a sentence's first ("Another Gainesville business").
        person_before = not (prev_word.isupper() or prev_key in _FUNCTION_WORDS
                             or _SENTENCE_END.search(text[max(0, start - 60):tokens[i - 1].start()]))
    if (j == i and next_adjacent and _is_capitalised(next_word) and not cue
            and not _names_place(index, keys[j + 1]) and keys[j + 1] not in _NEVER
            and keys[j + 1] not in _PLACE_BEFORE and keys[j + 1] not in _INSTITUTION_WORDS
            and not _headline(text, start)):
        person = True
    if (j == i and next_adjacent and text[end:end + 1] == "-" and _is_capitalised(next_word)
            and keys[j + 1] not in index):
        score = 0.0  # "Wal-Mart", "Coca-Cola": a hyphenated brand, not a place
    if _PARTY_BEFORE.search(before):
        person = False  # "Rep. Tom Bakk, DFL-Cook": a legislator's home
        score += _PARTY_BONUS
    if person:
        score -= 0.35 if strong_kind else 0.6
    # A sentence's first word is capitalised whatever it is.  A village of a
    # country the text names, followed by what follows a place ("Robotyne,
    # which ...", "Robotyne was retaken", in a report on Ukraine), is a place.
    local = bool(np.isin(index.country[entries], named).any())
    if sentence_start and not strong and not (local and _PLACE_SUBJECT_AFTER.match(text, end)):
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
                     strong=strong, landmark=strong_kind or strong_kind_curated,
                     person_before=person_before, local=local)


__all__ = ["REGION_WORDS", "Candidate", "recognise"]
