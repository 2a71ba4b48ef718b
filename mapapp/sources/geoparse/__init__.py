"""The offline geoparser: place names in a report, located.

:func:`geoparse` finds the place mentions of a text and resolves each to a
point of the name index (:mod:`mapapp.geo.nameindex`); with ``spans`` it
only resolves the spans given.  Nothing here reaches the network.

>>> [(m.text, m.kind) for m in geoparse("Explosions were heard in Lviv, Ukraine.")]
[('Lviv', 'settlement'), ('Ukraine', 'country')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mapapp.geo.gazetteer import fold
from mapapp.geo.nameindex import KINDS, NameIndex, load_index
from mapapp.sources.geoparse.recognition import Candidate, recognise
from mapapp.sources.geoparse.resolution import resolve


@dataclass(frozen=True)
class Mention:
    """A place mention: where in the text, where on Earth, and how sure."""

    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    kind: str
    confidence: float
    source: str
    # The name index's entry (its name, country, population), for drafts;
    # not part of the command line's JSON contract.
    entry: int | None = field(default=None, repr=False, compare=False)
    # Named as a district of ``entry``, which stands for it: the gazetteer
    # lacks the district ("Kharkiv's Kyivskyi district" is at Kharkiv).
    within: bool = field(default=False, repr=False, compare=False)
    # Names where the place beside it is: the city of a district ("Kharkiv's"
    # Kyivskyi district), the region or country after a place ("Pershotravneve
    # in Kharkiv Oblast"); not a place spoken of on its own.
    holds: bool = field(default=False, repr=False, compare=False)

    def as_json(self) -> dict:
        return {name: getattr(self, name) for name in CONTRACT_FIELDS}


CONTRACT_FIELDS = ("start", "end", "text", "lat", "lon", "kind", "confidence", "source")


def _mentions(resolved, index: NameIndex) -> list[Mention]:
    out = []
    for r in resolved:
        if r.entry is None:
            out.append(Mention(r.start, r.end, r.text, None, None, "unknown", 0.0, ""))
            continue
        out.append(Mention(
            start=r.start, end=r.end, text=r.text,
            lat=round(float(index.lat[r.entry]), 5), lon=round(float(index.lon[r.entry]), 5),
            kind=KINDS[index.kind[r.entry]], confidence=r.confidence,
            source=index.sources[r.entry], entry=int(r.entry), within=r.within,
            holds=r.holds))
    return out


# A span given with ``--spans`` may come from a tool whose offsets are off by
# a few characters ("hurchill " for Churchill).  A span that starts or ends
# inside a word, or takes in spaces or punctuation around a name, is read as
# the whole words it touches; failing that, as the name the recogniser finds
# overlapping it, or nearest to it within this many characters.
_SHIFT_TOLERANCE = 10
# Letters and digits; an apostrophe ends a word, so "Canada" in "Canada's"
# is a whole word.
_WORD_CHAR = re.compile(r"[^\W_]")
_POSSESSIVE = re.compile(r"['’]s$")


def _in_word(text: str, position: int) -> bool:
    """Whether ``position`` falls between two characters of one word."""
    return (0 < position < len(text) and bool(_WORD_CHAR.match(text[position - 1]))
            and bool(_WORD_CHAR.match(text[position])))


# Words around a name that make it a part or the people of a place the
# index knows under the bare name ("North London", "Greater Toronto Area",
# "Town of Groton", "Ohioans"); tried only when the whole span is unknown.
_PART_BEFORE = re.compile(r"^(?:(?:north|south|east|west|northern|southern|eastern|western|"
                          r"central|upper|lower|greater|(?:north|south)(?:east|west)(?:ern)?)"
                          r"|(?:city|town|village|township|borough) of) ")
_PART_AFTER = re.compile(r" (?:area|valley|metro|region)$")
# People of a place: Ohioans, Minnesotans, Ontarians, Londoners, Richmondites.
_PEOPLE = ((re.compile(r"ians?$"), ("ia", "io", "")), (re.compile(r"ns?$"), ("",)),
           (re.compile(r"ers?$"), ("",)), (re.compile(r"ites?$"), ("",)))


def _looser_keys(surface: str, key: str) -> list[str]:
    """Keys for a span the index does not know as written."""
    out = []
    if "." in surface and not surface.endswith("."):
        out.append(key + ".")  # "N.Y", "U.S" without their last dot
    bare = _PART_AFTER.sub("", _PART_BEFORE.sub("", key))
    if bare != key:
        out.append(bare)
    for suffix, endings in _PEOPLE:
        if suffix.search(key):
            stem = suffix.sub("", key)
            out += [stem + ending for ending in endings if len(stem) > 2]
    return out


def _exact_candidate(text: str, start: int, end: int, index: NameIndex) -> Candidate | None:
    surface = text[start:end]
    key = fold(surface)
    tries = [key + "." if surface.endswith(".") else key, key]
    # A gold span may carry words our names do not: an article, a possessive.
    if key.startswith("the "):
        tries.append(key[len("the "):])
    if key.endswith("s"):
        tries.append(key[:-2] if key.endswith(" s") else key[:-1])
    for word in (" county", " parish", " region", " oblast", " province", " river"):
        if key.endswith(word):
            tries.append(key[: -len(word)])
    if _POSSESSIVE.search(surface):
        # "Canada's" folds to "canadas", a Mexican town's name too: the
        # name without its possessive comes first.
        tries.insert(0, fold(surface[:-2]))
    tries += _looser_keys(surface, key)
    for k in tries:
        entries = index.lookup(k)
        if len(entries):
            cue = ("region" if key.endswith((" region", " oblast", " province", " county"))
                   else "water" if key.endswith((" river", " sea", " lake")) else "")
            return Candidate(start=start, end=end, text=surface, key=k, entries=entries,
                             score=1.0, cue=cue)
    return None


def _span_candidate(text: str, start: int, end: int, index: NameIndex,
                    recognised=None) -> Candidate | None:
    """The candidate a given span names, or None.

    A span that starts or ends inside a word, or with spaces or punctuation
    around the name, is taken to be off by a few characters: it is read as
    the whole words it touches, and failing that as the name ``recognised``
    (a callable giving the text's recognised candidates) finds overlapping
    it, or nearest to it within ``_SHIFT_TOLERANCE`` characters.  The
    candidate returned then has the corrected offsets; the caller reports
    the span as given.
    """
    s, e = max(0, start), min(end, len(text))
    while s < e and not _WORD_CHAR.match(text[s]):
        s += 1
    while e > s and not _WORD_CHAR.match(text[e - 1]):
        e -= 1
    if not _in_word(text, s) and not _in_word(text, e):
        exact = _exact_candidate(text, start, end, index)
        if exact is not None or (s, e) == (start, end):
            return exact  # a well-formed span is read as it is
    while _in_word(text, s):
        s -= 1
    while _in_word(text, e):
        e += 1
    # An abbreviation's dot belongs to it ("Que.").
    reads = [(s, e + 1), (s, e)] if text[e:e + 1] == "." else [(s, e)]
    for a, b in reads if s < e else ():
        whole = _exact_candidate(text, a, b, index)
        if whole is not None:
            return whole
    if recognised is None:
        return None
    candidates = recognised()
    # Nearest first (zero when overlapping), then the widest overlap.
    near = [(max(0, c.start - e, s - c.end), -(min(e, c.end) - max(s, c.start)), n)
            for n, c in enumerate(candidates) if len(c.entries)]
    near = [t for t in near if t[0] <= _SHIFT_TOLERANCE]
    return candidates[min(near)[2]] if near else None


def geoparse(text: str, *, index: NameIndex | None = None,
             spans: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Place mentions of ``text``, in order.  With ``spans``, resolve those only
    (a span the index cannot place gets null coordinates)."""
    index = index or load_index()
    if spans is None:
        candidates = recognise(text, index)
        return _mentions(resolve(text, candidates, index), index)
    cache: list[list[Candidate]] = []

    def recognised() -> list[Candidate]:
        # Only spans that are off by some characters need the recogniser.
        if not cache:
            cache.append(recognise(text, index))
        return cache[0]

    found = [_span_candidate(text, s, e, index, recognised) for s, e in spans]
    # The resolver reads neighbours ("Paris, Texas") in text order,
    # whatever the order the spans were given in.
    placed = sorted((n for n, c in enumerate(found) if c is not None),
                    key=lambda n: (found[n].start, found[n].end))
    resolved = dict(zip(placed, resolve(text, [found[n] for n in placed], index)))
    out = []
    for n, (s, e) in enumerate(spans):
        if n not in resolved:
            out.append(Mention(s, e, text[s:e], None, None, "unknown", 0.0, ""))
        else:
            # The output keeps the span as given, whatever was read there.
            r = replace(resolved[n], start=s, end=e, text=text[s:e])
            out.extend(_mentions([r], index))
    return out


__all__ = ["Mention", "geoparse"]
