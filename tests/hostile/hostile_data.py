"""The hostile-input corpus and a data folder that carries it in every text field.

``payloads.json`` holds the corpus (script tags, breakouts, template and
Markdown syntax, mathtext, control and bidi characters, 10,000-character
strings...).  :func:`build` copies the project's real data and geocache and
adds, for payload ``i``:

* a place ``hostile-place-<i>`` whose name, query and note are the payload,
  with a cited geocache entry whose query, reference and note are the
  payload (so "how it was located" carries it too);
* a feature ``hostile-<i>`` on that place whose name, local name, summary,
  claim (who and what), figure (label, who, qualifier) are the payload;
* a feature ``hostile-src-<i>`` at cited coordinates whose ``source`` is
  the payload;
* step ``i`` of the story ``hostile``: title, text and question;

and the report's headline, publisher, distributor and summary and the story
title and summary take the payload given as ``report_payload``.

A field gets the payload only where the schema accepts it
(:func:`mapapp.schema.text_problem`: control characters, line breaks in
one-line fields, over-long text are refused); elsewhere it gets a plain
stand-in and the refusal is tested on its own (test_hostile_refused.py).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mapapp.geo.geocode import STORE_NAME
from mapapp.schema import text_problem
from mapapp.sources.report_folder import DATA_DIR, GEOCACHE_DIR

HERE = Path(__file__).resolve().parent
PAYLOADS: list[dict] = json.loads((HERE / "payloads.json").read_text(encoding="utf-8"))["payloads"]

# Where each kind of text field lives: (file kind, field, one line?).
SHORT, LONG = False, True
FIELDS: dict[str, bool] = {
    "report.headline": SHORT, "report.publisher": SHORT, "report.distributor": SHORT,
    "report.summary": LONG,
    "feature.name": SHORT, "feature.name_local": SHORT, "feature.summary": LONG,
    "claim.by": SHORT, "claim.says": LONG,
    "figure.label": SHORT, "figure.claimed_by": SHORT, "figure.qualifier": SHORT,
    "geometry.source": LONG,
    "place.name": SHORT, "place.query": SHORT, "place.note": LONG,
    "geocache.query": SHORT, "geocache.reference": LONG, "geocache.note": LONG,
    "story.title": SHORT, "story.summary": LONG,
    "step.title": SHORT, "step.text": LONG, "step.question": LONG,
}


def fits(text: str, where: str) -> bool:
    """Whether the schema takes ``text`` in the field ``where`` (see FIELDS)."""
    return text_problem(text, long=FIELDS[where]) is None


def usable(payloads: list[dict], where: str) -> list[dict]:
    return [p for p in payloads if fits(p["text"], where)]


@dataclass
class Folder:
    data_dir: Path
    cache_dir: Path
    # (feature id, field) -> the payload put there (only where it fits)
    placed: dict[tuple[str, str], str] = field(default_factory=dict)


def _pick(text: str, where: str, fallback: str) -> str:
    return text if fits(text, where) else fallback


def _spot(i: int) -> tuple[float, float]:
    # Spread over central Ukraine so markers do not sit on top of each other.
    return 26.0 + (i % 16) * 0.7, 47.0 + (i // 16) * 0.45


def build(root: Path, payloads: list[dict] = PAYLOADS, *, report_payload: str | None = None,
          story_payload: str | None = None) -> Folder:
    """A data folder and geocache under ``root`` carrying ``payloads``."""
    data_dir, cache_dir = root / "data", root / "geocache"
    shutil.copytree(DATA_DIR, data_dir)
    shutil.copytree(GEOCACHE_DIR, cache_dir)
    folder = Folder(data_dir, cache_dir)

    report = json.loads((data_dir / "report.json").read_text(encoding="utf-8"))
    if report_payload is not None:
        for name in ("headline", "publisher", "distributor", "summary"):
            if fits(report_payload, f"report.{name}"):
                report[name] = report_payload
                folder.placed[("report", name)] = report_payload
    (data_dir / "report.json").write_text(json.dumps(report), encoding="utf-8")

    places = json.loads((data_dir / "places.json").read_text(encoding="utf-8"))
    features = json.loads((data_dir / "features.json").read_text(encoding="utf-8"))
    steps = []
    for i, payload in enumerate(payloads):
        text = payload["text"]
        lon, lat = _spot(i)
        place = {"id": f"hostile-place-{i}", "name": _pick(text, "place.name", f"Place {i}"),
                 "query": _pick(text, "place.query", f"Hostile query {i}"),
                 "country": "UA", "kind": "village",
                 "note": _pick(text, "place.note", f"Note {i}")}
        places["places"].append(place)
        entry = {"query": place["query"], "country": "UA", "admin1": "", "kind": "village",
                 "lat": lat, "lon": lon, "source": "cited", "precision": "village",
                 "reference": _pick(text, "geocache.reference", f"Reference {i}"),
                 "retrieved": "2026-11-30", "note": _pick(text, "geocache.note", f"Note {i}")}
        with (cache_dir / STORE_NAME).open("a", encoding="utf-8") as store:
            store.write(json.dumps(entry) + "\n")  # one line per place, as the store holds them

        fid = f"hostile-{i}"
        record = {
            "id": fid, "layer": "places", "type": "village",
            "name": _pick(text, "feature.name", f"Hostile {i}"),
            "name_local": _pick(text, "feature.name_local", f"Local {i}"),
            "summary": _pick(text, "feature.summary", f"Summary {i}."),
            "status": "unclear", "event_date": "2022-11-15",
            "geometry": {"place": place["id"]}, "paragraphs": [1],
            "claims": [{"by": _pick(text, "claim.by", f"Someone {i}"),
                        "says": _pick(text, "claim.says", f"Something {i}."), "paragraph": 1}],
            "figures": [{"label": _pick(text, "figure.label", f"things {i}"), "value": i,
                         "claimed_by": _pick(text, "figure.claimed_by", f"Someone {i}"),
                         "qualifier": _pick(text, "figure.qualifier", "about"),
                         "paragraph": 1}],
        }
        features["features"].append(record)
        for name, where in (("name", "feature.name"), ("name_local", "feature.name_local"),
                            ("summary", "feature.summary")):
            if fits(text, where):
                folder.placed[(fid, where)] = text
        for where in ("claim.by", "claim.says", "figure.label", "figure.claimed_by",
                      "figure.qualifier", "place.name", "place.query", "place.note",
                      "geocache.reference", "geocache.note"):
            if fits(text, where):
                folder.placed[(fid, where)] = text

        src = f"hostile-src-{i}"
        features["features"].append({
            "id": src, "layer": "strikes", "type": "explosion", "name": f"Cited point {i}",
            "summary": f"A point with a cited source ({payload['id']}).", "status": "claimed",
            "event_date": "2022-11-15",
            "geometry": {"coordinates": [lon + 0.2, lat + 0.2],
                         "source": _pick(text, "geometry.source", f"Source {i}")},
            "paragraphs": [1], "claims": [{"by": "Test", "says": "A test point.", "paragraph": 1}],
        })
        if fits(text, "geometry.source"):
            folder.placed[(src, "geometry.source")] = text

        steps.append({"id": f"step-{i}", "title": _pick(text, "step.title", f"Step {i}"),
                      "text": _pick(text, "step.text", f"Text {i}."),
                      "question": _pick(text, "step.question", f"Question {i}?"),
                      "bounds": [[lat - 1, lon - 1.5], [lat + 1, lon + 1.5]],
                      "layers": ["places", "strikes"], "highlight": [fid]})
        for where in ("step.title", "step.text", "step.question"):
            if fits(text, where):
                folder.placed[(f"step-{i}", where)] = text
    (data_dir / "places.json").write_text(json.dumps(places), encoding="utf-8")
    (data_dir / "features.json").write_text(json.dumps(features), encoding="utf-8")
    story = {"id": "hostile", "title": "Hostile lesson", "summary": "Every payload, one per step.",
             "steps": steps}
    if story_payload is not None:
        for name in ("title", "summary"):
            if fits(story_payload, f"story.{name}"):
                story[name] = story_payload
                folder.placed[("story", name)] = story_payload
    (data_dir / "stories" / "hostile.json").write_text(json.dumps(story), encoding="utf-8")
    return folder


_CALL = re.compile(r"mapapp\.(\w+)\((?:map|feature_group)_[0-9a-f]{32}, ")


def page_calls(page: str) -> list[tuple[str, object]]:
    """Every ``mapapp.<function>(var, JSON...)`` call in a written page,
    decoded by Python from the file (not by the browser under test)."""
    decoder = json.JSONDecoder()
    return [(m.group(1), decoder.raw_decode(page, m.end())[0]) for m in _CALL.finditer(page)]
