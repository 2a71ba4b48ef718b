"""The classroom handout: a PDF page per step, paper sizes, the words on
each page, determinism, and refusing to overwrite.

The PDF is read with a small pure-Python reader (below) that knows how
matplotlib writes: Flate streams, Type 0 fonts with a ToUnicode map.
"""

import re
import zlib
from dataclasses import dataclass

import pytest

from mapapp import cli
from mapapp.errors import OptionError
from mapapp.handout import PAPERS, citation, render_handout, write_handout
from mapapp.load import load_report_map

try:  # the real one once it lands; the same shape either way
    from mapapp.story import Step, Story
except ImportError:  # pragma: no cover - until mapapp/story.py exists
    @dataclass(frozen=True)
    class Step:
        id: str
        title: str
        text: str
        bounds: tuple
        layers: tuple
        highlight: tuple
        question: str = ""

    @dataclass(frozen=True)
    class Story:
        id: str
        title: str
        summary: str
        steps: tuple

# Tests only: a view on the south (the code takes no coordinates from literals).
SOUTH = ((45.5, 31.0), (48.5, 36.0))
EAST = ((47.0, 30.0), (51.5, 38.0))

STORY = Story(
    id="test-story",
    title="A test story for the classroom",
    summary="Two steps.",
    steps=(
        Step(id="one", title="Kherson is retaken", text="The city came back.\nA second paragraph.",
             bounds=SOUTH, layers=("places", "front_lines", "control_areas"),
             highlight=("place-kherson", "front-dnipro-2022-11-15"),
             question="Which river now separates the two sides?"),
        Step(id="two", title="Strikes in the east <b>HTML</b>", text="Text with <b>HTML</b> & <i>tags</i>.",
             bounds=EAST, layers=("strikes",), highlight=("strike-kharkiv",),
             question="Why would <b>power</b> stations be targets?"),
    ),
)
PAGE_SIZES_PT = {"a4-portrait": (595.28, 841.89), "letter-portrait": (612.0, 792.0),
                 "a4-landscape": (841.89, 595.28), "letter-landscape": (792.0, 612.0)}


@pytest.fixture(scope="module")
def report_map():
    return load_report_map()


@pytest.fixture(scope="module")
def pdf(report_map) -> bytes:
    return render_handout(report_map, STORY)


# --------------------------------------------------------------------------
# A minimal reader for matplotlib's PDFs


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """``{number: (dictionary, stream or b"")}`` from the xref table, streams
    inflated (matplotlib writes one classic xref table)."""
    xref = data.rindex(b"\nxref\n") + 1
    count = int(data[xref:].split(b"\n")[1].split()[1])
    table = data[xref:].split(b"\n", 2)[2]
    out = {}
    for number in range(1, count):
        entry = table[number * 20:(number + 1) * 20]
        if entry[17:18] != b"n":
            continue
        start = int(entry[:10])
        obj = re.match(rb"\d+ 0 obj\s*", data[start:]).end() + start
        stream_at = data.find(b"stream\n", obj)
        end_at = data.find(b"endobj", obj)
        if stream_at == -1 or end_at < stream_at:
            out[number] = (data[obj:end_at], b"")
            continue
        head = data[obj:stream_at]
        body = data[stream_at + len(b"stream\n"):]
        if b"/FlateDecode" in head:
            stream = zlib.decompressobj().decompress(body)
        else:
            length = int(re.search(rb"/Length (\d+)(?! \d+ R)", head).group(1))
            stream = body[:length]
        out[number] = (head, stream)
    return out


def _cmap(stream: bytes) -> dict[int, str]:
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            codes[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])",
                                      block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith(b"["):
                for i, d in enumerate(re.findall(rb"<([0-9a-fA-F]+)>", dst)):
                    codes[lo + i] = bytes.fromhex(d.decode()).decode("utf-16be")
            else:
                first = bytes.fromhex(dst[1:-1].decode()).decode("utf-16be")
                for i in range(hi - lo + 1):
                    codes[lo + i] = first[:-1] + chr(ord(first[-1]) + i)
    return codes


_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _text_tokens(block: bytes):
    """``(font name, b"")`` for each ``Tf`` and ``(b"", string bytes)`` for
    each literal or hex string in a text object."""
    i = 0
    while i < len(block):
        c = block[i:i + 1]
        if c == b"/":
            m = re.match(rb"/(\w+)\s+[\d.]+\s+Tf", block[i:])
            if m:
                yield m.group(1), b""
                i += m.end()
                continue
        elif c == b"<" and block[i:i + 2] != b"<<":
            end = block.index(b">", i)
            yield b"", bytes.fromhex(block[i + 1:end].decode())
            i = end + 1
            continue
        elif c == b"(":
            out, depth, i = bytearray(), 1, i + 1
            while True:
                b = block[i]
                if b == 0x5C:  # backslash
                    nxt = block[i + 1]
                    octal = re.match(rb"[0-7]{1,3}", block[i + 1:i + 4])
                    if octal:
                        out.append(int(octal.group(0), 8) & 0xFF)
                        i += 1 + len(octal.group(0))
                        continue
                    out += _ESCAPES.get(nxt, bytes([nxt]))
                    i += 2
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                out.append(b)
                i += 1
            yield b"", bytes(out)
            continue
        i += 1


def pdf_pages(data: bytes) -> list[dict]:
    """Each page's ``MediaBox`` and its text, one string per text object."""
    objs = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objs.values():
        font_dicts = re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        font_dicts += [objs[int(n)][0] for n in re.findall(rb"/Font\s+(\d+) 0 R", head)]
        for font_dict in font_dicts:
            for name, num in re.findall(rb"/(\w+)\s+(\d+) 0 R", font_dict):
                font = objs[int(num)][0]
                to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
                if to_unicode:
                    fonts[name] = _cmap(objs[int(to_unicode.group(1))][1])
    pages = []
    for head, _ in objs.values():
        if not re.search(rb"/Type\s*/Page\b(?!s)", head):
            continue
        box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", head).group(1).split()]
        content = objs[int(re.search(rb"/Contents\s+(\d+) 0 R", head).group(1))][1]
        texts, cmap = [], {}
        for block in re.findall(rb"\nBT\n(.*?)\nET\n", content, re.S):
            parts = []
            for font, string in _text_tokens(block):
                if font:
                    cmap = fonts.get(font, {})
                    continue
                parts.extend(cmap.get(int.from_bytes(string[i:i + 2], "big"), "?")
                             for i in range(0, len(string) - 1, 2))
            texts.append("".join(parts))
        pages.append({"mediabox": box, "text": texts})
    return pages


def page_text(page: dict) -> str:
    return " ".join(" ".join(page["text"]).split())


# --------------------------------------------------------------------------


def test_one_page_per_step(pdf):
    assert len(pdf_pages(pdf)) == len(STORY.steps)
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("paper", ["a4-portrait", "letter-portrait"])
def test_page_size_is_the_paper(report_map, paper):
    one = Story("s", "One step", "", STORY.steps[:1])
    pages = pdf_pages(render_handout(report_map, one, paper=paper))
    assert len(pages) == 1
    x0, y0, x1, y1 = pages[0]["mediabox"]
    assert (x0, y0) == (0, 0)
    assert (x1, y1) == pytest.approx(PAGE_SIZES_PT[paper], abs=0.5)


def test_each_page_has_its_step_and_the_citation(report_map, pdf):
    pages = pdf_pages(pdf)
    for n, (page, step) in enumerate(zip(pages, STORY.steps), start=1):
        text = page_text(page)
        assert step.title in text
        assert "Question for the class:" in text
        assert " ".join(step.question.split()) in text
        assert f"Page {n} of {len(STORY.steps)}" in text
        assert STORY.title in text
        assert report_map.report.publisher in text and report_map.report.date in text
        assert f"STEP {n} OF {len(STORY.steps)}" in text


def test_markup_in_story_text_is_printed_literally(pdf):
    text = page_text(pdf_pages(pdf)[1])
    assert "Strikes in the east <b>HTML</b>" in text
    assert "<b>HTML</b> & <i>tags</i>." in text
    assert "<b>power</b>" in text


def test_highlighted_features_are_named_under_the_map(report_map, pdf):
    text = page_text(pdf_pages(pdf)[0])
    assert "Highlighted on the map: Kherson" in text


def test_same_story_same_bytes(report_map, pdf):
    assert render_handout(report_map, STORY) == pdf
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def test_write_refuses_an_existing_file_without_overwrite(report_map, tmp_path):
    one = Story("s", "One step", "", STORY.steps[:1])
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"keep me")
    with pytest.raises(OptionError, match="--overwrite"):
        write_handout(report_map, one, target)
    assert target.read_bytes() == b"keep me"
    assert write_handout(report_map, one, target, overwrite=True) == target
    assert len(pdf_pages(target.read_bytes())) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]  # no temporary left


@pytest.mark.parametrize("paper", ["a3", "social", "", None])
def test_unknown_paper_is_an_option_error(report_map, tmp_path, paper):
    with pytest.raises(OptionError, match="--paper"):
        write_handout(report_map, STORY, tmp_path / "h.pdf", paper=paper)
    assert not (tmp_path / "h.pdf").exists()


def test_only_pdf_outputs(report_map, tmp_path):
    with pytest.raises(OptionError, match=r"\.pdf"):
        write_handout(report_map, STORY, tmp_path / "h.png")


def test_unknown_highlight_is_an_option_error(report_map):
    bad = Story("s", "t", "", (Step("x", "X", "x", SOUTH, ("places",), ("no-such-feature",)),))
    with pytest.raises(OptionError, match="no-such-feature"):
        render_handout(report_map, bad)


def test_a_step_without_a_question_gets_a_notes_box(report_map):
    step = Step("x", "No question", "Some text.", SOUTH, ("places",), ())
    text = page_text(pdf_pages(render_handout(report_map, Story("s", "t", "", (step,))))[0])
    assert "Notes:" in text and "Question for the class" not in text


def test_all_print_papers_are_offered():
    assert set(PAPERS) == set(PAGE_SIZES_PT)


def test_citation_names_publisher_headline_and_date(report_map):
    report = report_map.report
    assert citation(report_map) == f"Source: {report.publisher}, “{report.headline}”, {report.date}"


# --------------------------------------------------------------------------
# The command line


def test_cli_writes_the_story_handout(tmp_path, capsys):
    target = tmp_path / "handout.pdf"
    assert cli.main(["handout", "--story", "report-2022-11-16", "-o", str(target),
                     "--paper", "letter-portrait"]) == 0
    pages = pdf_pages(target.read_bytes())
    assert len(pages) >= 1
    assert pages[0]["mediabox"][2:] == pytest.approx(PAGE_SIZES_PT["letter-portrait"], abs=0.5)
    assert "Wrote" in capsys.readouterr().out
    # Again without --overwrite: refused, and the error names the option.
    assert cli.main(["handout", "--story", "report-2022-11-16", "-o", str(target)]) == 2
    assert "--overwrite" in capsys.readouterr().err


def test_cli_unknown_paper_is_refused_by_the_parser(tmp_path):
    with pytest.raises(SystemExit):
        cli.main(["handout", "-o", str(tmp_path / "h.pdf"), "--paper", "a3"])
