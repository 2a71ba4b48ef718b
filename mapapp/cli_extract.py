"""``python -m mapapp extract REPORT.txt -o DIR``: a draft source to review.

DIR becomes a report folder, as the map reads one (``--data-dir DIR`` for
``check``, ``html``, ``export``, or ``MAPAPP_DATA_DIR=DIR`` for the app):
the report's text (``report.txt``, which stays in the user's folder),
``report.json`` with the text's SHA-256, ``features.json`` with the places
the geoparser is fairly sure of, each citing its paragraphs and the
offsets of its words, a lesson in ``stories/``, and ``candidates.json``
with every place found, kept or not, and the guesses for each.  DIR is
written whole or not at all, and an existing one only with ``--overwrite``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mapapp.errors import OptionError, OutputError


def add_extract_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("report", type=Path, metavar="REPORT.txt",
                        help="the report as a UTF-8 text file")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                        help="folder to write the draft into (created)")
    parser.add_argument("--publisher", default="", help="who published the report")
    parser.add_argument("--headline", default="",
                        help="the report's headline (default: guessed from its first lines)")
    parser.add_argument("--date", default="",
                        help="the report's date, YYYY-MM-DD (default: its dateline's)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing DIR")
    return parser


def run_extract(args: argparse.Namespace) -> int:
    # Imported here: every other command would pay for the geoparser's imports.
    from mapapp.files import write_atomic, write_folder
    from mapapp.sources.geoparse.draft import draft_files, draft_report, feature_records
    from mapapp.sources.geoparse.text import read_text_file
    from mapapp.sources.report_folder import load_report_map

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise OptionError(f"-o {out}: is a file, not a folder")
    if out.exists() and any(out.iterdir()) and not args.overwrite:
        raise OptionError(f"-o {out}: the folder exists and is not empty; pass --overwrite "
                          "to replace it")
    text = read_text_file(args.report)
    draft = draft_report(text, headline=args.headline, publisher=args.publisher,
                         date=args.date)
    records = feature_records(draft.rows, draft.report)
    files = draft_files(draft.report, text, records)
    files["candidates.json"] = json.dumps(
        {"about": "Every place the geoparser found, kept or not, with its guesses; offsets "
                  "are characters into report.txt. Tick 'keep' and fix a row, then move it "
                  "into features.json, or review the report in the app's New report page.",
         "rows": draft.rows}, ensure_ascii=False, indent=1) + "\n"

    def fill(folder: Path) -> None:
        for relative, content in files.items():
            write_atomic(folder / relative, content)
        load_report_map(folder)  # a draft that would not load is not written

    try:
        write_folder(out, fill, prefix=f".{out.name}-")
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or err}; nothing was "
                          "changed") from err
    kept = len(records)
    print(f"{out}: {kept} of {len(draft.rows)} places kept as features "
          f"(report of {draft.report['date']}, {draft.report['paragraphs']} paragraphs); "
          f"review candidates.json, then: python -m mapapp check --data-dir {out}")
    return 0


__all__ = ["add_extract_arguments", "run_extract"]
