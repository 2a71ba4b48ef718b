"""The offline geoparser: place names in a report, located.

:func:`geoparse` finds the place mentions of a text and resolves each to a
point of the name index (:mod:`mapapp.geo.nameindex`); with ``spans`` it
only resolves the spans given.  Nothing here reaches the network.

>>> [(m.text, m.kind) for m in geoparse("Explosions were heard in Lviv, Ukraine.")]
[('Lviv', 'settlement'), ('Ukraine', 'country')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
            source=index.sources[r.entry], entry=int(r.entry)))
    return out


def _span_candidate(text: str, start: int, end: int, index: NameIndex) -> Candidate | None:
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
    for k in tries:
        entries = index.lookup(k)
        if len(entries):
            cue = ("region" if key.endswith((" region", " oblast", " province", " county"))
                   else "water" if key.endswith((" river", " sea", " lake")) else "")
            return Candidate(start=start, end=end, text=surface, key=k, entries=entries,
                             score=1.0, cue=cue)
    return None


def geoparse(text: str, *, index: NameIndex | None = None,
             spans: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Place mentions of ``text``, in order.  With ``spans``, resolve those only
    (a span the index cannot place gets null coordinates)."""
    index = index or load_index()
    if spans is None:
        candidates = recognise(text, index)
        return _mentions(resolve(text, candidates, index), index)
    found = [(s, e, _span_candidate(text, s, e, index)) for s, e in spans]
    resolved = iter(resolve(text, [c for _, _, c in found if c is not None], index))
    out = []
    for s, e, c in found:
        if c is None:
            out.append(Mention(s, e, text[s:e], None, None, "unknown", 0.0, ""))
        else:
            out.extend(_mentions([next(resolved)], index))
    return out


__all__ = ["Mention", "geoparse"]
