"""How many people a sentence says were killed and wounded, as a short
note in our words: "killing two people and wounding 12" is "2 killed and
12 wounded".  A drafted strike's summary carries it, so a reader sees the
figure the report gives (and the claim says who gave it).

Only a count the sentence ties to a verb of harm is taken ("five people were
killed", "the death toll rose to 12", "injuring a 63-year-old woman"), and
none from a sentence that counts over a long time ("since February 2022,
strikes on Kharkiv have killed 1,200 civilians"): that is no one event's.
"""

from __future__ import annotations

import re

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "a dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD_NUMBERS.update(_TENS)
_WORD_NUMBERS.update({f"{tens}-{unit}": value + _WORD_NUMBERS[unit] for tens, value in _TENS.items()
                      for unit in ("one", "two", "three", "four", "five", "six", "seven",
                                   "eight", "nine")})  # "twenty-one"
# A vague count stays in words: "dozens wounded".
_VAGUE = ("dozens", "scores", "hundreds")
_QUALIFIER = r"at least|more than|over|nearly|almost|about|around|up to|some"
# A number, not part of one ("12.5", "18-year-old", "10:30", "Twenty-one").
_NUMBER = (r"(?<![\d.,:-])(?:\d{1,3}(?:,\d{3})+|\d+)(?!\d|[.,:]\d|-)|"
           rf"(?<!-)(?:{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))}|"
           rf"{'|'.join(_VAGUE)})(?!-)")
# Who is counted: "two people", "12 civilians", "three children".
_WHO = (r"\s+(?:[\w-]+\s+)?(?:people|persons?|civilians?|residents?|children|child|"
        r"women|men|soldiers|servicemen|others|workers|employees|firefighters|rescuers|"
        r"passengers|police(?:\s+officers)?|medics|journalists)")
# One person: "a woman was killed", "injuring a 63-year-old man".
_ONE = (r"(?:a|an)\s+(?:[\w-]+\s+)?(?:man|woman|child|boy|girl|person|civilian|resident|"
        r"teenager|pensioner|worker|firefighter|rescuer|medic|police\s+officer|soldier|"
        r"serviceman|officer|journalist|driver|volunteer)")
_COUNT = re.compile(rf"(?P<one>{_ONE})|(?:(?P<q>{_QUALIFIER})\s+)?"
                    rf"(?P<n>{_NUMBER})(?:{_WHO})?", re.IGNORECASE)
# Counts listed together are added up, each naming who it counts: "two
# servicemen and one resident", "six police officers and a civilian" (but
# not "On March 5, two people", "one person and 2 were injured").
_NAMED_COUNT = (rf"(?:{_ONE}|(?:(?:{_QUALIFIER})\s+)?(?:{_NUMBER}){_WHO})")
_BARE_COUNT = rf"(?:(?:{_QUALIFIER})\s+)?(?:{_NUMBER})"
_LIST = (rf"(?P<list>{_NAMED_COUNT}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_NAMED_COUNT}){{0,5}}"
         rf"|{_BARE_COUNT})")
_BE = r"\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got)\s+)?(?:reported\s+)?"
# Words before a number that make it no count: a date, a time, an address
# ("on March 5", "Feb 20 killed 3", "On Route 66").
_NOT_A_COUNT = re.compile(r"(?:\b(?:on|at|in|of|to|by|from|since|until|route|road|highway|no|"
                          r"number|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\.?|"
                          r"\b(?:january|february|march|april|june|july|august|september|"
                          r"october|november|december))\s*$", re.IGNORECASE)


def _harm_pattern(done: str, doing: str, toll: bool = False) -> re.Pattern:
    """How a sentence counts one harm: after its verb ("killing two
    people"), before it ("two people were killed", not "no one was"), or
    as a toll ("the death toll rose to 12")."""
    forms = [rf"\b(?:{doing})\s+{_LIST}\b",
             rf"(?<!\bno\s)(?<!\bnot\s)(?<!\bno-)\b{_LIST}{_BE}(?:{done})\b"]
    if toll:
        forms.append(rf"\bdeath\s+toll\s+(?:[\w-]+\s+){{0,16}}?(?:to|at|of|reached|hit|is|was)"
                     rf"\s+{_LIST}\b")
    # Each form has its own group names.
    return re.compile("|".join(f"(?:{form.replace('?P<', f'?P<f{k}')})"
                               for k, form in enumerate(forms)), re.IGNORECASE)


# Only the forms that say it happened: "not to kill a child" counts no one.
_KILLING = r"killing|killed|kills"
_WOUNDING = r"wounding|wounded|wounds|injuring|injured|injures|hurting"
_KILLED = _harm_pattern(r"killed|dead|died", _KILLING, toll=True)
_WOUNDED = _harm_pattern(r"wounded|injured|hurt|hospitali[sz]ed", _WOUNDING)
# Counts over a long time are no one event's: "Since 2022, strikes have
# killed 1,200 civilians" (not "the deadliest attack since January").
_OVER_TIME = re.compile(r"^\W*(?:since|so far|in total|to date|throughout|over the (?:past|last))\b"
                        r"|\bsince the (?:start|beginning|outbreak) of\b|\bso far this year\b|"
                        r"\bin total\b|\bto date\b", re.IGNORECASE)


def _total(listed: str) -> str:
    """A list of counts in our words, added up: "at least 3", "dozens"."""
    values, qualifier = [], ""
    for count in _COUNT.finditer(listed):
        if count.group("one"):
            values.append(1)
            continue
        number = count.group("n").lower()
        if number in _VAGUE:
            return number  # "dozens" and any more are still dozens
        values.append(_WORD_NUMBERS.get(number) or int(number.replace(",", "")))
        qualifier = qualifier or (count.group("q") or "").lower()
    total = f"{sum(values):,}"
    return f"{qualifier} {total}" if qualifier else total


def harm_counts(sentence: str) -> dict[str, str]:
    """The killed and wounded a sentence counts, in our words: {"killed":
    "2", "wounded": "at least 12"} (empty when it gives no count, or counts
    over a long time)."""
    if _OVER_TIME.search(sentence):
        return {}
    counts = {}
    for pattern, what in ((_KILLED, "killed"), (_WOUNDED, "wounded")):
        match = pattern.search(sentence)
        while match:
            name, listed = next((name, value) for name, value in match.groupdict().items()
                                if value and name.endswith("list"))
            start = match.start(name)
            if not (name.startswith("f1")
                    and _NOT_A_COUNT.search(sentence, max(0, start - 12), start)):
                counts[what] = _total(listed)
                break
            # "Feb 20 killed 3": the date is no count; "killed 3" may be.
            match = pattern.search(sentence, match.start() + 1)
    return counts


# A count just before a place, in a sentence about several: "killing one
# person in Mykolaiv, two in Kryvyi Rih and three in Dnipro".
_COUNT_IN = re.compile(rf"(?P<list>{_NAMED_COUNT}|{_BARE_COUNT})\s+in\s+"
                       r"(?:the\s+(?:city|town|village)\s+of\s+)?$", re.IGNORECASE)
_HARM_VERB = re.compile(rf"\b(?:({_KILLING})|{_WOUNDING})\b", re.IGNORECASE)


def harm_at(sentence: str, at: int) -> dict[str, str]:
    """The count given just before the place at offset ``at`` of a sentence
    about several places, as :func:`harm_counts` gives it; the verb before
    the count says whether they were killed or wounded.

    >>> s = "Missiles hit Kyiv and Lviv, killing one person in Kyiv and two in Lviv."
    >>> harm_at(s, s.rindex("Kyiv")), harm_at(s, s.rindex("Lviv")), harm_at(s, s.index("Kyiv"))
    ({'killed': '1'}, {'killed': '2'}, {})
    """
    if _OVER_TIME.search(sentence):
        return {}
    count = _COUNT_IN.search(sentence, max(0, at - 80), at)
    verbs = list(_HARM_VERB.finditer(sentence, 0, count.start())) if count else []
    if not verbs:
        return {}
    return {"killed" if verbs[-1].group(1) else "wounded": _total(count.group("list"))}


def harm_text(counts: dict[str, str]) -> str:
    """Counts as a note: "2 killed and 12 wounded"."""
    return " and ".join(f"{counts[what]} {what}" for what in ("killed", "wounded")
                        if what in counts)


def harm_note(sentence: str) -> str:
    """The killed and wounded a sentence counts, as a note ("" if none).

    >>> harm_note("On March 5, two people were killed; at 10:30, 2 were hurt on Route 66.")
    '2 killed and 2 wounded'
    >>> harm_note("A strike on Sumy on Feb 20 killed 3; Twenty-one people were wounded.")
    '3 killed and 21 wounded'
    >>> harm_note("It killed one person and 2 were injured, 5 of them children.")
    '1 killed and 2 wounded'

    >>> harm_note("The strike killed two people and injured at least 12, the mayor said.")
    '2 killed and at least 12 wounded'
    >>> harm_note("Two servicemen and one local resident were injured; a 63-year-old man died.")
    '1 killed and 3 wounded'
    >>> harm_note("The death toll from the strike on a residential block rose to 9 on Monday.")
    '9 killed'
    >>> harm_note("Since 2022, strikes have killed 1,200 civilians in the city.")
    ''
    >>> harm_note("Two missiles were shot down over the city.")
    ''
    >>> harm_note("No one was killed, and not a single person was hurt.")
    ''
    """
    return harm_text(harm_counts(sentence))


# A drafted summary's note, as harm_note writes it after ", with ".
HARM_NOTE = re.compile(r", with ((?:[\w ,]+? killed)?(?: and )?(?:[\w ,]+? wounded)?)\.$")


def with_harm(summary: str, note: str) -> str:
    """``summary`` (one sentence ending in a full stop) with the note:
    "A drone strike at Odesa, with 2 killed."

    >>> with_harm("A drone strike at Odesa.", "2 killed")
    'A drone strike at Odesa, with 2 killed.'
    """
    return f"{summary[:-1]}, with {note}." if note else summary


__all__ = ["HARM_NOTE", "harm_at", "harm_counts", "harm_note", "harm_text", "with_harm"]
