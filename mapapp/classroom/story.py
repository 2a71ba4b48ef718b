"""Stories: a lesson walked through the map one step at a time.

A story is a JSON file in ``data/stories/`` (data apart from code, like the
features).  Each step frames the map on ``bounds``, shows some layers and
highlights some features, with a short text and a question for students::

    {"id": "...", "title": "...", "summary": "...",
     "steps": [{"id": "...", "title": "...", "text": "...",
                "bounds": [[south, west], [north, east]],
                "layers": ["strikes"], "highlight": ["strike-kyiv"],
                "question": "..."}]}

Texts are plain text: whoever shows them escapes them.  Every fault is a
:class:`DataError` naming the story file, the step
(``"<story id> step <n> (<step id>)"``) and the field.  A story is named by
its id (the file name in ``data/stories/`` without ``.json``); only the
command line may also name a ``.json`` file (:func:`resolve_story_option`).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.errors import DataError, OptionError
from mapapp.model import LAYERS, ReportMap
from mapapp.schema import MAX_STORY_BYTES, check_fields, check_texts, is_id, read_json
from mapapp.sources.report_folder import DATA_DIR
from mapapp.view import ViewState, view_problem

Bounds = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Step:
    """One screen of a lesson."""

    id: str
    title: str
    text: str
    bounds: Bounds  # ((south, west), (north, east))
    layers: tuple[str, ...]  # layers shown (model.LAYERS)
    highlight: tuple[str, ...]  # feature ids highlighted
    question: str = ""  # optional question for students

    @property
    def view(self) -> ViewState:
        """What the step shows, as the renderers take it."""
        return ViewState(layers=self.layers, bounds=self.bounds)


@dataclass(frozen=True)
class Story:
    """A titled sequence of steps over one report map."""

    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]


STORIES_DIR = DATA_DIR / "stories"

STORY_FIELDS = {"id": str, "title": str, "summary": str, "steps": list}
STORY_REQUIRED = ("id", "title", "summary", "steps")
STEP_FIELDS = {"id": str, "title": str, "text": str, "bounds": list, "layers": list,
               "highlight": list, "question": str}
STEP_REQUIRED = ("id", "title", "text", "bounds", "layers", "highlight")
STORY_SHORT_TEXT, STORY_LONG_TEXT = ("title",), ("summary",)
STEP_SHORT_TEXT, STEP_LONG_TEXT = ("title",), ("text", "question")


def story_path(story_id: str, *, data_dir: Path = DATA_DIR) -> Path:
    """Where the story ``story_id`` lives.

    >>> story_path("lesson-1", data_dir=Path("data")).as_posix()
    'data/stories/lesson-1.json'
    """
    if not is_id(story_id):
        raise OptionError(f"story id {story_id!r}: use lower-case letters and digits "
                          "joined by hyphens (the file name without .json)")
    return Path(data_dir) / "stories" / f"{story_id}.json"


def list_stories(*, data_dir: Path = DATA_DIR) -> list[str]:
    """The ids of the stories in ``data_dir/stories``, sorted."""
    folder = Path(data_dir) / "stories"
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if is_id(p.stem))


def load_story(story: str | Path, *, report_map: ReportMap, data_dir: Path = DATA_DIR) -> Story:
    """Read and validate a story: an id (text) from ``data_dir/stories``, or a
    :class:`~pathlib.Path` to a file.

    A text is only ever an id, never a path: a link or a form cannot make
    the app read a file.  Highlighted feature ids are checked against
    ``report_map``; a story found by id must carry that id.
    """
    if isinstance(story, Path):
        return parse_story(read_json(story, max_bytes=MAX_STORY_BYTES), report_map=report_map,
                           file=str(story))
    path = story_path(story, data_dir=data_dir)
    if not path.exists():
        known = ", ".join(list_stories(data_dir=data_dir)) or "none"
        raise DataError(f"no such story (known: {known})", file=str(path))
    loaded = parse_story(read_json(path, max_bytes=MAX_STORY_BYTES), report_map=report_map,
                         file=str(path))
    if loaded.id != story:
        # The app finds stories by file name and links by id: they must agree.
        raise DataError(f"the id {loaded.id!r} differs from the file name ({story!r})",
                        file=str(path), feature=loaded.id, field="id")
    return loaded


def resolve_story_option(value: str, *, data_dir: Path = DATA_DIR,
                         option: str = "--story") -> str | Path:
    """What a command-line ``--story`` names: a story id of ``data_dir`` (returned
    as text) or an existing ``.json`` file of at most MAX_STORY_BYTES (a Path).

    Anything else is an :class:`OptionError` naming ``option``; nothing is
    read, so no file's content can appear in the message.
    """
    known = ", ".join(list_stories(data_dir=data_dir)) or "none"
    if is_id(value):
        if not story_path(value, data_dir=data_dir).is_file():
            raise OptionError(f"{option}: no such story {value!r} in "
                              f"{Path(data_dir) / 'stories'} (known: {known})")
        return value
    path = Path(value)
    if path.suffix.lower() != ".json":
        raise OptionError(f"{option}: {value!r} is neither a story id (known: {known}) "
                          "nor a .json file")
    try:
        info = os.stat(path)  # follows a link: what counts is what would be read
    except OSError as err:
        raise OptionError(f"{option}: cannot open {value!r} ({err.strerror or err})") from err
    if not stat.S_ISREG(info.st_mode):
        raise OptionError(f"{option}: {value!r} is not a file")
    if info.st_size > MAX_STORY_BYTES:
        raise OptionError(f"{option}: {value!r} is {info.st_size:,} bytes; a story file may "
                          f"have at most {MAX_STORY_BYTES:,}")
    return path


def parse_story(record: Any, *, report_map: ReportMap, file: str) -> Story:
    """Validate one story's JSON object and build the :class:`Story`."""
    story_id = record.get("id") if isinstance(record, dict) else None
    story_id = story_id if isinstance(story_id, str) else None
    check_fields(record, STORY_FIELDS, STORY_REQUIRED, file=file, record_id=story_id)
    if not is_id(story_id):
        raise DataError("must be lower-case letters and digits, joined by single hyphens",
                        file=file, feature=story_id, field="id")
    check_texts(record, short=STORY_SHORT_TEXT, long=STORY_LONG_TEXT, file=file,
                feature=story_id)
    for name in ("title", "summary"):
        if not record[name].strip():
            raise DataError("is empty", file=file, feature=story_id, field=name)
    if not record["steps"]:
        raise DataError("a story needs at least one step", file=file, feature=story_id,
                        field="steps")
    known_ids = {f.id: f.layer for f in report_map.features}
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(record["steps"], start=1):
        step = _parse_step(raw, n, story_id=story_id, known_ids=known_ids, file=file)
        if step.id in seen:
            raise DataError(f"duplicate step id {step.id!r} (also step {seen[step.id]})",
                            file=file, feature=_where(story_id, n, step.id), field="id")
        seen[step.id] = n
        steps.append(step)
    return Story(id=story_id, title=record["title"].strip(), summary=record["summary"].strip(),
                 steps=tuple(steps))


def _where(story_id: str, n: int, step_id: Any) -> str:
    return f"{story_id} step {n}" + (f" ({step_id})" if isinstance(step_id, str) and step_id else "")


def _parse_step(raw: Any, n: int, *, story_id: str, known_ids: dict[str, str],
                file: str) -> Step:
    step_id = raw.get("id") if isinstance(raw, dict) else None
    where = _where(story_id, n, step_id)
    check_fields(raw, STEP_FIELDS, STEP_REQUIRED, file=file, record_id=where)

    def fail(field: str, message: str) -> DataError:
        return DataError(message, file=file, feature=where, field=field)

    if not is_id(step_id):
        raise fail("id", "must be lower-case letters and digits, joined by single hyphens")
    check_texts(raw, short=STEP_SHORT_TEXT, long=STEP_LONG_TEXT, file=file, feature=where)
    for name in ("title", "text"):
        if not raw[name].strip():
            raise fail(name, "is empty")
    bounds = _parse_bounds(raw["bounds"], fail)
    layers = raw["layers"]
    if not layers:
        raise fail("layers", f"show at least one layer ({', '.join(LAYERS)})")
    for layer in layers:
        if layer not in LAYERS:
            raise fail("layers", f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    if len(set(layers)) != len(layers):
        raise fail("layers", "a layer is listed twice")
    for feature_id in raw["highlight"]:
        if not isinstance(feature_id, str) or feature_id not in known_ids:
            raise fail("highlight", f"unknown feature id {feature_id!r}")
        if known_ids[feature_id] not in layers:
            # Students would be told to look at something the map hides.
            raise fail("highlight", f"feature {feature_id!r} is on layer "
                                    f"{known_ids[feature_id]!r}, which this step does not show")
    return Step(id=step_id, title=raw["title"].strip(), text=raw["text"].strip(), bounds=bounds,
                layers=tuple(v for v in LAYERS if v in layers),
                highlight=tuple(dict.fromkeys(raw["highlight"])),
                question=raw.get("question", "").strip())


def _parse_bounds(value: list, fail) -> Bounds:
    shape = "must be [[south, west], [north, east]] in degrees"
    if len(value) != 2 or not all(isinstance(c, list) and len(c) == 2 for c in value):
        raise fail("bounds", shape)
    numbers = [v for corner in value for v in corner]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        raise fail("bounds", shape)
    try:
        (south, west), (north, east) = ((float(a), float(b)) for a, b in value)
    except OverflowError:  # a 400-digit integer
        raise fail("bounds", shape) from None
    # The same limits as every other view, so the handout can draw each step.
    problem = view_problem(south, west, north, east)
    if problem:
        raise fail("bounds", problem)
    return ((south, west), (north, east))
