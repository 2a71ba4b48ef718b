"""``python -m mapapp geoparse FILE_OR_DIR... [--spans SPANS.json] --json``.

A stable contract that other tools call.  Prints one JSON object mapping
each input file's base name to its mentions, each
``{"start", "end", "text", "lat", "lon", "kind", "confidence", "source"}``,
with ``start``/``end`` character offsets into the file's text decoded as
UTF-8 exactly as read (no newline or whitespace normalisation).  All files
share one loaded index.  With ``--spans`` (a JSON object: base name ->
list of ``[start, end]``) recognition is skipped and only those spans are
resolved; a span the index cannot place gets null coordinates.

Nothing is printed unless every file could be read: a bad file is named on
standard error and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mapapp.errors import DataError, OptionError


def add_geoparse_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR",
                        help="text files, or folders whose files are all read (not recursive)")
    parser.add_argument("--spans", type=Path, metavar="SPANS.json",
                        help="resolve only these spans: {base name: [[start, end], ...]}")
    parser.add_argument("--json", action="store_true",
                        help="print the JSON object (the default prints a table)")
    return parser


def _input_files(inputs: list[str]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found = [path]
        else:
            raise OptionError(f"{raw}: no such file or folder")
        for f in found:
            if f.name in files and files[f.name].resolve() != f.resolve():
                raise OptionError(f"{f}: base name {f.name!r} is also {files[f.name]}; "
                                  f"output is keyed by base name, so each must be unique")
            files[f.name] = f
    if not files:
        raise OptionError("no input files (the folders given are empty)")
    return files


def read_spans(path: Path, texts: dict[str, str]) -> dict[str, list[tuple[int, int]]]:
    """The ``--spans`` file, checked against the texts it points into."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise DataError(f"{path}: cannot read the spans file: {err}") from err
    if not isinstance(document, dict):
        raise DataError(f"{path}: expected a JSON object mapping base names to span lists")
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, items in document.items():
        if name not in texts:
            raise DataError(f"{path}: {name!r} is not one of the input files "
                            f"({', '.join(sorted(texts))})")
        if not isinstance(items, list):
            raise DataError(f"{path}: {name!r}: expected a list of [start, end] pairs")
        checked = []
        for n, item in enumerate(items):
            ok = (isinstance(item, list) and len(item) == 2
                  and all(isinstance(v, int) and not isinstance(v, bool) for v in item))
            if not ok or not 0 <= item[0] < item[1] <= len(texts[name]):
                raise DataError(f"{path}: {name!r} span {n}: expected [start, end] with "
                                f"0 <= start < end <= {len(texts[name])}, got {item!r}")
            checked.append((item[0], item[1]))
        spans[name] = checked
    return spans


def run_geoparse(args: argparse.Namespace) -> int:
    # Imported here: every other command would pay for the geoparser's imports.
    from mapapp.geo.nameindex import load_index
    from mapapp.sources.geoparse import geoparse
    from mapapp.sources.geoparse.text import MAX_TEXT_BYTES, read_text_file

    files = _input_files(args.inputs)
    texts = {name: read_text_file(path, limit=MAX_TEXT_BYTES) for name, path in files.items()}
    spans = read_spans(args.spans, texts) if args.spans else None
    index = load_index()
    result = {}
    for name, text in texts.items():
        given = None if spans is None else spans.get(name, [])
        result[name] = [m.as_json() for m in geoparse(text, index=index, spans=given)]
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for name, mentions in result.items():
        print(f"{name}: {len(mentions)} mention(s)")
        for m in mentions:
            where = (f"{m['lat']:.4f}, {m['lon']:.4f}" if m["lat"] is not None
                     else "not located")
            print(f"  {m['start']:>6}-{m['end']:<6} {m['text']!r:30} {m['kind']:10} "
                  f"{where:22} {m['confidence']:.2f} {m['source']}")
    return 0


__all__ = ["add_geoparse_arguments", "read_spans", "run_geoparse"]
