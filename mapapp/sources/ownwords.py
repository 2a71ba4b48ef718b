"""Keeping the report's sentences out of the project.

We publish facts and figures from a report, never its sentences.  A report's
*fingerprint* is the set of hashes of every run of ``n`` words in it; the
project stores only the fingerprint (no text can be read back from it), and
every summary and claim is checked against it, so a sentence pasted from the
report is caught even though the report itself is not in the repository.
Names and short phrases ("the east bank of the Dnipro") are shorter than a
run and pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from mapapp.errors import DataError
from mapapp.files import write_atomic
from mapapp.schema import MAX_FINGERPRINT_BYTES, read_json

RUN_WORDS = 7  # words in a row that count as copying (names are shorter)
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-case words; punctuation and curly quotes do not matter.

    >>> words("Mr. Zelensky’s office—said: “70”.")
    ['mr', 'zelensky', 's', 'office', 'said', '70']
    """
    return _WORD.findall(text.casefold())


def _digest(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def runs(text: str, n: int = RUN_WORDS) -> list[str]:
    w = words(text)
    return [" ".join(w[i:i + n]) for i in range(len(w) - n + 1)]


def fingerprint(text: str, n: int = RUN_WORDS) -> set[str]:
    """Hashes of every run of ``n`` words in ``text``."""
    return {_digest(run) for run in runs(text, n)}


@dataclass(frozen=True)
class Fingerprint:
    n: int
    hashes: frozenset[str]
    source: str = ""

    def copied(self, text: str) -> list[str]:
        """The runs of ``text`` that also occur in the report."""
        return [run for run in runs(text, self.n) if _digest(run) in self.hashes]


def check_report_text(report_text: str, *, file: str, n: int = RUN_WORDS) -> None:
    """DataError naming ``file`` when the report has no run of ``n`` words.

    Its fingerprint would be empty, and an empty fingerprint passes every
    summary: the own-words check would be off without anyone noticing.

    >>> check_report_text("  Too short.  ", file="report.txt")
    Traceback (most recent call last):
    ...
    mapapp.errors.DataError: report.txt: has 2 words; a report needs at least 7 to fingerprint (is it the right file?)
    """
    count = len(words(report_text))
    if count < n:
        what = "no words" if count == 0 else f"{count} word{'s' if count > 1 else ''}"
        raise DataError(f"has {what}; a report needs at least {n} to fingerprint "
                        "(is it the right file?)", file=file)


def write_fingerprint(report_text: str, path: Path, *, source: str = "",
                      n: int = RUN_WORDS) -> Fingerprint:
    """Store the fingerprint of ``report_text`` at ``path`` (atomically).

    A text too short to fingerprint is a :class:`DataError` and ``path`` is
    left as it was (see :func:`check_report_text`).
    """
    check_report_text(report_text, file=source or "the report", n=n)
    print_ = Fingerprint(n=n, hashes=frozenset(fingerprint(report_text, n)), source=source)
    doc = {"about": f"SHA-256 prefixes of every run of {n} words of the report; "
                    "used to check that summaries are in our own words.",
           "source": source, "n": n, "hashes": sorted(print_.hashes)}
    write_atomic(path, json.dumps(doc, indent=0) + "\n")
    return print_


def load_fingerprint(path: Path) -> Fingerprint:
    doc = read_json(path, max_bytes=MAX_FINGERPRINT_BYTES)
    file = str(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("hashes"), list) \
            or not isinstance(doc.get("n"), int) or doc["n"] < 3:
        raise DataError("expected {'n': words per run (3 or more), 'hashes': [...]}", file=file)
    return Fingerprint(n=doc["n"], hashes=frozenset(map(str, doc["hashes"])),
                       source=str(doc.get("source", "")))


def copied_texts(data_dir: Path, print_: Fingerprint) -> list[tuple[str, str, str]]:
    """``(feature id, field, copied run)`` for every summary or claim that
    repeats the report, plus the report summary itself and the lesson
    texts in ``stories/`` (id ``story <id> step <n>``)."""
    found: list[tuple[str, str, str]] = []
    report = read_json(Path(data_dir) / "report.json")
    for run in print_.copied(report.get("summary", "")):
        found.append(("report", "summary", run))
    features = read_json(Path(data_dir) / "features.json").get("features", [])
    for record in features:
        fields = [("summary", record.get("summary", ""))]
        fields += [(f"claims[{i}].says", c.get("says", ""))
                   for i, c in enumerate(record.get("claims", []))]
        for field, text in fields:
            for run in print_.copied(text):
                found.append((record.get("id", "?"), field, run))
    for path in sorted((Path(data_dir) / "stories").glob("*.json")):
        story = read_json(path)
        where = f"story {story.get('id', path.stem)}"
        for field in ("title", "summary"):
            for run in print_.copied(str(story.get(field, ""))):
                found.append((where, field, run))
        for number, step in enumerate(story.get("steps", []), start=1):
            for field in ("title", "text", "question"):
                for run in print_.copied(str(step.get(field, ""))):
                    found.append((f"{where} step {number}", field, run))
    return found
