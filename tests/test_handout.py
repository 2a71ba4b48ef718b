"""The classroom handout: a PDF page per step, paper sizes, the words on
each page, determinism, and refusing to overwrite.

The PDF is read with a small pure-Python reader (tests/pdf_text.py) that knows how
matplotlib writes: Flate streams, Type 0 fonts with a ToUnicode map.
"""

import pytest

from mapapp import cli
from mapapp.classroom.handout import PAPERS, citation, render_handout, write_handout
from mapapp.classroom.story import Step, Story
from mapapp.errors import OptionError
from mapapp.sources.report_folder import load_report_map

from pdf_text import page_text, pdf_pages

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


def test_a_folder_named_as_output_is_refused_not_renamed(report_map, tmp_path):
    # "-o out" with a folder "out" there: never a surprise "out.pdf" beside it.
    (tmp_path / "out").mkdir()
    with pytest.raises(OptionError, match="is a folder"):
        write_handout(report_map, STORY, tmp_path / "out")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert write_handout(report_map, STORY, tmp_path / "h").name == "h.pdf"


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


def test_dollar_pairs_and_backslashes_in_a_step_are_printed_literally(report_map):
    step = Step("maths", r"Title $\frac{1}$", "Text with $a$ and $b$ and \\alpha.", SOUTH, ("places",), (),
                question="Is $x^2$ maths?")
    text = page_text(pdf_pages(render_handout(report_map, Story("s", "Story $1$", "", (step,))))[0])
    for part in (r"Title $\frac{1}$", "Text with $a$ and $b$ and \\alpha.", "Is $x^2$ maths?", "Story $1$"):
        assert part in text, part


def test_control_characters_in_a_step_are_printed_as_pictures(report_map):
    # The loader refuses them in data; drawn anyway, they still make a valid page.
    step = Step("ctl", "Bell\x07", "Escape\x1b[0m here.", SOUTH, ("places",), ())
    text = page_text(pdf_pages(render_handout(report_map, Story("s", "t", "", (step,))))[0])
    assert "Bell\u2407" in text and "Escape\u241b[0m here." in text
