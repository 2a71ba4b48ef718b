"""A printable classroom handout: one PDF page per story step.

Each page carries the step's number and title, the map framed on the
step's bounds with its subject highlighted, the step's text, the question
for the class in a box with lines to write on, and a footer citing the
report, with "Page n of N".

The map goes in as a raster at :data:`MAP_DPI` (200 dpi), not as vectors:
a step's map is drawn by :func:`mapapp.static.figure.render_figure` into a figure
of its own, and an image is the one way to place that figure on a page
without redrawing it; at 200 dpi it prints sharp, and every page costs
about the same to print whatever the basemap holds.  The page's own words
(title, text, question, footer) stay real text: searchable, and read by a
screen reader, and plain text: drawn through :mod:`mapapp.static.figtext`, so a
``$`` pair in a step's text is never typeset as maths.

>>> sorted(PAPERS)
['a4-landscape', 'a4-portrait', 'letter-landscape', 'letter-portrait']
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mapapp.errors import OptionError
from mapapp.files import check_output, write_output
from mapapp.static.figtext import add_text, text_width
from mapapp.static.presets import PRESETS, get_preset

MAP_DPI = 200
# The map is drawn this much smaller and printed enlarged (same pixels, so
# still MAP_DPI on paper): its labels then read at about 8 pt, not 6.5.
MAP_ENLARGE = 1.25
PAPERS: tuple[str, ...] = tuple(name for name, p in PRESETS.items() if p.is_print)
FONT = "DejaVu Sans"  # as the maps: ships with matplotlib, same glyphs everywhere
# Saving: real text with embedded TrueType subsets, and no dates, so the
# same story gives the same bytes.
PDF_RC: dict[str, Any] = {"pdf.fonttype": 42, "pdf.compression": 6}
PDF_METADATA: dict[str, Any] = {"CreationDate": None, "ModDate": None, "Creator": "mapapp (matplotlib)"}

INK, MUTED, RULE = "#1a1a1a", "#555555", "#9a978f"
BOX_FACE, BOX_EDGE, ACCENT = "#f6f4ef", "#b9b6ae", "#1f4e79"
# Sizes in points.
TITLE_PT, KICKER_PT, BODY_PT, SMALL_PT, FOOTER_PT = 19.0, 8.5, 10.5, 8.5, 7.5
LINE_SPACING = 1.38
WRITE_LINE_PT = 25.0  # room for handwriting between two ruled lines
WRITE_LINES = (3, 7)  # at least, at most
MIN_MAP_IN = 2.2


@dataclass(frozen=True)
class _Text:
    """Lines wrapped to a width, and the height they take (points)."""

    lines: tuple[str, ...]
    size: float
    weight: str = "normal"
    style: str = "normal"

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LINE_SPACING


def citation(report_map) -> str:
    """The report as a reader would cite it.

    >>> from mapapp.model import Report, ReportMap
    >>> citation(ReportMap(Report("r", "The Paper", "Headline", "2022-11-16", 3), ()))
    'Source: The Paper, “Headline”, 2022-11-16'
    """
    report = report_map.report
    parts = [report.publisher, f"“{report.headline}”" if report.headline else "", report.date]
    return "Source: " + ", ".join(p for p in parts if p)


def highlight_names(report_map, step) -> list[str]:
    """Names of the step's highlighted features, in the step's order."""
    names = []
    for feature_id in step.highlight:
        try:
            names.append(report_map.by_id(feature_id).name)
        except KeyError:
            raise OptionError(f"step {step.id!r}: highlight names an unknown feature "
                              f"{feature_id!r}") from None
    return names


def check_paper(paper: str) -> Any:
    """The print preset called ``paper``, or an OptionError naming ``--paper``."""
    if paper not in PAPERS:
        raise OptionError(f"--paper {paper!r}: unknown paper (choose from {', '.join(PAPERS)})")
    return get_preset(paper)


def render_handout(report_map, story, *, paper: str = "a4-portrait") -> bytes:
    """The handout's PDF bytes: one page per step of ``story``."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    preset = check_paper(paper)
    if not story.steps:
        raise OptionError(f"story {story.id!r} has no steps: nothing to print")
    buffer = io.BytesIO()
    total = len(story.steps)
    with matplotlib.rc_context(PDF_RC):
        with PdfPages(buffer, metadata=PDF_METADATA) as pdf:
            for n, step in enumerate(story.steps, start=1):
                fig = _Page(report_map, story, step, n, total, preset.page_in).draw()
                try:
                    pdf.savefig(fig)
                finally:
                    fig.clear()
    return buffer.getvalue()


def write_handout(report_map, story, output: str | os.PathLike[str], *, paper: str = "a4-portrait",
                  overwrite: bool = False) -> Path:
    """Write the handout PDF for ``story`` to ``output`` and return its path.

    Raises :class:`OptionError` for an unknown paper, an existing output
    without ``overwrite``, or a step that does not fit on its page;
    :class:`OutputError` when the file cannot be written.  Nothing partial
    is ever left behind.
    """
    output = Path(output)
    if output.is_dir():  # before ".pdf" is added: "-o out" meant that folder
        check_output(output, overwrite=overwrite)
    if not output.suffix:
        output = output.with_name(f"{output.name}.pdf")
    elif output.suffix.lower() != ".pdf":
        raise OptionError(f"output {str(output)!r}: a handout is a PDF; name the file .pdf")
    check_paper(paper)
    check_output(output, overwrite=overwrite)
    return write_output(output, render_handout(report_map, story, paper=paper),
                        overwrite=overwrite)


class _Page:
    """One step's page, laid out top to bottom in points from the top left."""

    def __init__(self, report_map, story, step, number: int, total: int, page_in: tuple[float, float]):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.rm, self.story, self.step = report_map, story, step
        self.number, self.total = number, total
        self.W, self.H = page_in[0] * 72, page_in[1] * 72
        self.fig = Figure(figsize=page_in, dpi=72, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.renderer = self.fig.canvas.get_renderer()
        self.margin = min(self.W, self.H) * 0.075
        self.width = self.W - 2 * self.margin

    # ---- text helpers
    def _prop(self, size: float, weight: str = "normal", style: str = "normal"):
        from matplotlib.font_manager import FontProperties

        return FontProperties(family=FONT, size=size, weight=weight, style=style)

    def _measure(self, text: str, prop) -> float:
        return text_width(self.renderer, text, prop)  # dpi 72: pixels are points

    def wrap(self, text: str, size: float, width: float, *, weight: str = "normal",
             style: str = "normal") -> _Text:
        """Greedy wrap by words, paragraph breaks kept; a word longer than a
        line is cut by characters."""
        prop = self._prop(size, weight, style)
        lines: list[str] = []
        for paragraph in str(text).splitlines() or [""]:
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}" if line else word
                if self._measure(candidate, prop) <= width:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                while self._measure(word, prop) > width and len(word) > 1:
                    # The longest head that fits, by halving: a 10,000-letter
                    # word takes a few dozen measurements a line, not thousands.
                    low, high = 1, len(word) - 1
                    while low < high:
                        middle = (low + high + 1) // 2
                        if self._measure(word[:middle], prop) <= width:
                            low = middle
                        else:
                            high = middle - 1
                    lines.append(word[:low])
                    word = word[low:]
                line = word
            lines.append(line)
        while lines and not lines[-1]:
            lines.pop()
        return _Text(tuple(lines), size, weight, style)

    def put(self, x: float, top: float, block: _Text, *, color: str = INK, ha: str = "left",
            gid: str | None = None) -> float:
        """Draw ``block`` with its first line's top at ``top``; the y under it."""
        prop = self._prop(block.size, block.weight, block.style)
        y = top
        for line in block.lines:
            y += block.size * LINE_SPACING
            if line:
                # Baseline a little above the bottom of the line's slot.
                add_text(self.fig, x / self.W, 1 - (y - block.size * 0.32) / self.H, line,
                         fontproperties=prop, color=color, ha=ha, va="baseline", gid=gid)
        return y

    def rect(self, left: float, top: float, width: float, height: float):
        """Figure-fraction rect (left, bottom, width, height) from points from the top left."""
        return (left / self.W, 1 - (top + height) / self.H, width / self.W, height / self.H)

    # ---- the page
    def draw(self):
        m, width = self.margin, self.width
        step = self.step
        # Header: a kicker line, then the number in a badge beside the title.
        kicker = self.wrap(f"CLASSROOM HANDOUT · STEP {self.number} OF {self.total}", KICKER_PT, width,
                           weight="bold")
        y = self.put(m, m - KICKER_PT * 0.8, kicker, color=ACCENT, gid="handout-kicker")
        badge = TITLE_PT * 2.0
        title = self.wrap(step.title, TITLE_PT, width - badge - TITLE_PT * 0.6, weight="bold")
        title_top = y + TITLE_PT * 0.3
        title_h = max(title.height, badge)
        self._badge(m, title_top + (title_h - badge) / 2 if title.height < badge else title_top, badge)
        self.put(m + badge + TITLE_PT * 0.6, title_top + max(0.0, (badge - title.height) / 2), title,
                 gid="handout-title")
        y = title_top + title_h + TITLE_PT * 0.6

        # Everything under the map, measured first: the map takes the room left.
        names = highlight_names(self.rm, step)
        caption = self.wrap(f"Highlighted on the map: {', '.join(names)}", SMALL_PT, width,
                            style="italic") if names else None
        body = self.wrap(step.text, BODY_PT, width)
        box_pad = BODY_PT * 0.9
        heading = "Question for the class:" if step.question.strip() else "Notes:"
        q_head = self.wrap(heading, BODY_PT, width - 2 * box_pad, weight="bold")
        question = self.wrap(step.question, BODY_PT, width - 2 * box_pad)
        footer = self._footer_blocks()
        footer_h = footer[0].height + footer[1].height + FOOTER_PT * 1.2
        bottom = self.H - m - footer_h
        gap = BODY_PT * 1.0
        fixed = (caption.height + SMALL_PT * 0.4 if caption else 0) + gap + body.height + gap \
            + 2 * box_pad + q_head.height + question.height
        room = bottom - y - fixed
        map_h = min(room - WRITE_LINES[0] * WRITE_LINE_PT, width * 0.72)
        if map_h < MIN_MAP_IN * 72:
            raise OptionError(f"step {step.id!r} does not fit on one page: its text and question "
                              f"leave too little room for the map; shorten them")
        write_lines = int(min(WRITE_LINES[1], (room - map_h) // WRITE_LINE_PT))
        # Whatever is still left goes to the map.
        map_h = min(room - write_lines * WRITE_LINE_PT, width * 0.8)

        self._map(m, y, width, map_h)
        y += map_h
        if caption:
            y = self.put(m, y + SMALL_PT * 0.4, caption, color=MUTED, gid="handout-highlight")
        y = self.put(m, y + gap, body, gid="handout-text")
        box_top = y + gap
        box_h = 2 * box_pad + q_head.height + question.height + write_lines * WRITE_LINE_PT
        self._question_box(m, box_top, width, box_h, box_pad, q_head, question, write_lines)
        self._footer(*footer)
        return self.fig

    def _badge(self, left: float, top: float, size: float):
        from matplotlib.patches import Circle

        cx, cy = (left + size / 2) / self.W, 1 - (top + size / 2) / self.H
        ax = self.fig.add_axes(self.rect(left, top, size, size))
        ax.set_axis_off()
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        ax.add_patch(Circle((0, 0), 0.98, facecolor=ACCENT, edgecolor="none"))
        add_text(self.fig, cx, cy, str(self.number), fontproperties=self._prop(TITLE_PT * 0.95, "bold"),
                 color="white", ha="center", va="center_baseline", gid="handout-number")

    def _map(self, left: float, top: float, width: float, height: float):
        from PIL import Image

        from mapapp.static.export import render_bytes
        from mapapp.static.figure import ImageSpec

        spec = ImageSpec(round(width / 72 * MAP_DPI), round(height / 72 * MAP_DPI), dpi=MAP_DPI * MAP_ENLARGE)
        step = self.step
        png = render_bytes(self.rm, fmt="png", spec=spec, view=step.view,
                           highlight=step.highlight, title="", subtitle="")
        import numpy as np

        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        ax = self.fig.add_axes(self.rect(left, top, width, height), gid="handout-map")
        ax.set_axis_off()
        # "none": a PDF gets the pixels as they are, not resampled to the page.
        ax.imshow(image, interpolation="none", aspect="auto")

    def _question_box(self, left, top, width, height, pad, head: _Text, question: _Text, n_lines: int):
        from matplotlib.lines import Line2D
        from matplotlib.patches import FancyBboxPatch

        self.fig.patches.append(FancyBboxPatch(
            (left / self.W, 1 - (top + height) / self.H), width / self.W, height / self.H,
            boxstyle=f"round,pad=0,rounding_size={6 / self.W}", transform=self.fig.transFigure,
            facecolor=BOX_FACE, edgecolor=BOX_EDGE, linewidth=0.9, figure=self.fig))
        y = self.put(left + pad, top + pad * 0.6, head, color=ACCENT, gid="handout-question-heading")
        y = self.put(left + pad, y, question, gid="handout-question")
        for i in range(1, n_lines + 1):
            yy = 1 - (y + i * WRITE_LINE_PT) / self.H
            self.fig.lines.append(Line2D([(left + pad) / self.W, (left + width - pad) / self.W], [yy, yy],
                                         transform=self.fig.transFigure, color=RULE, linewidth=0.6,
                                         figure=self.fig))

    def _footer_blocks(self) -> tuple[_Text, _Text, str]:
        page = f"Page {self.number} of {self.total}"
        left_w = self.width - self._measure(page, self._prop(FOOTER_PT)) - FOOTER_PT * 2
        story = self.wrap(self.story.title, FOOTER_PT, left_w, weight="bold")
        return story, self.wrap(citation(self.rm), FOOTER_PT, left_w), page

    def _footer(self, story: _Text, cite: _Text, page: str):
        from matplotlib.lines import Line2D

        m = self.margin
        top = self.H - m - story.height - cite.height
        rule_y = 1 - (top - FOOTER_PT * 0.4) / self.H
        self.fig.lines.append(Line2D([m / self.W, 1 - m / self.W], [rule_y, rule_y],
                                     transform=self.fig.transFigure, color=BOX_EDGE, linewidth=0.6,
                                     figure=self.fig))
        y = self.put(m, top, story, color=MUTED, gid="handout-story")
        self.put(m, y, cite, color=MUTED, gid="handout-citation")
        self.put(self.W - m, top, _Text((page,), FOOTER_PT), color=MUTED, ha="right", gid="handout-page")
