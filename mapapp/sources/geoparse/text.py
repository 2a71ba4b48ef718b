"""A report's text as the user gave it: read, checked, never changed.

Offsets everywhere are into the text exactly as decoded here (UTF-8, no
newline or whitespace normalisation), so a span found today still points at
the same words in the user's file tomorrow.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

from mapapp.errors import DataError

# A long report is some 50 kB of text; 2 MB is a book, not an article.
MAX_TEXT_BYTES = 2 * 1024 * 1024


def _check_size(size: int, *, name: str, limit: int) -> None:
    if size > limit:
        raise DataError(f"{name}: {size:,} bytes is over the {limit:,}-byte limit "
                        f"for a report's text")


def decode_text(data: bytes, *, name: str, limit: int = MAX_TEXT_BYTES) -> str:
    """``data`` as UTF-8 text, or a :class:`DataError` naming ``name`` and why."""
    _check_size(len(data), name=name, limit=limit)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Windows' "Unicode" text: readable, not UTF-8
        raise DataError(f"{name}: is UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:8192]:
        raise DataError(f"{name}: looks like a binary file, not text "
                        f"(save the report as plain UTF-8 text)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(f"{name}: not UTF-8 text (byte {err.start}: "
                        f"{data[err.start:err.start + 1]!r}); save it as UTF-8") from err


def read_text_file(path: Path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """A text file's content, decoded as :func:`decode_text` does."""
    try:
        # Refused before a large file is read into memory.
        _check_size(path.stat().st_size, name=str(path), limit=limit)
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read: {err.strerror or err}") from err
    return decode_text(data, name=str(path), limit=limit)


# A web page or a PDF carries far more than its words: room for that, still
# far below what would stall the app.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
UPLOAD_TYPES = ("txt", "html", "htm", "pdf")

# Elements whose end starts a new paragraph; and those whose text is not
# the page's reading text at all.
_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section",
           "article", "header", "footer", "blockquote", "pre", "table", "ul", "ol", "dd",
           "dt", "figcaption", "title", "hr", "main", "aside", "nav"}
_HIDDEN = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}


class _PageText(HTMLParser):
    """The reading text of a page: paragraphs between block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.title: list[str] = []
        self.in_title = False

    def _break(self) -> None:
        words = " ".join("".join(self.current).split())
        if words:
            self.paragraphs.append(words)
        self.current = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in _HIDDEN:
            self.hidden += 1
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag) -> None:
        if tag == "title":
            self.in_title = False
        elif tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            self.current.append(data)


def html_text(page: str) -> str:
    """The words of an HTML page, one paragraph per block, blank lines
    between; scripts, styles and the head are left out, never run.

    >>> html_text("<h1>Kyiv hit</h1><script>alert(1)</script><p>Missiles &amp; drones.</p>")
    'Kyiv hit\\n\\nMissiles & drones.'
    """
    parser = _PageText()
    parser.feed(page)
    parser.close()
    parser._break()
    return "\n\n".join(parser.paragraphs)


def pdf_text(data: bytes, *, name: str) -> str:
    """The text layer of a PDF, one page after another; a clear DataError
    for a damaged or locked file, and for a scan with no text to read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DataError(f"{name}: the PDF is locked with a password; save an unlocked copy "
                            "or paste its text")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DataError(f"{name}: {len(reader.pages):,} pages; a report has at most "
                            f"{MAX_PDF_PAGES}")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as err:
        # pypdf meets damaged files with many kinds of error; all mean the same.
        raise DataError(f"{name}: not a readable PDF ({type(err).__name__})") from err
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise DataError(f"{name}: this PDF has no text layer (a scanned image?); mapapp reads "
                        "text, not pictures of it: paste the report's text instead")
    return text


def text_from_upload(name: str, data: bytes) -> str:
    """A report's text from an uploaded file: plain UTF-8 text as it is, the
    reading text of an HTML page, or the text layer of a PDF.  Anything else
    is a DataError naming the file and why."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        raise DataError(f"{name}: a report is a .txt, .html or .pdf file, not "
                        f"{'.' + suffix if suffix else 'a file without an extension'}")
    if suffix == "txt":
        return decode_text(data, name=name)
    _check_size(len(data), name=name, limit=MAX_UPLOAD_BYTES)
    if suffix == "pdf":
        if not data.startswith(b"%PDF"):
            raise DataError(f"{name}: not a PDF (it does not start with %PDF)")
        text = pdf_text(data, name=name)
    else:
        text = html_text(decode_text(data, name=name, limit=MAX_UPLOAD_BYTES))
        if not text.strip():
            raise DataError(f"{name}: the page has no text outside its scripts and styles")
    _check_size(len(text.encode("utf-8")), name=name, limit=MAX_TEXT_BYTES)
    return text


__all__ = ["MAX_TEXT_BYTES", "MAX_UPLOAD_BYTES", "UPLOAD_TYPES", "decode_text", "html_text",
           "pdf_text", "read_text_file", "text_from_upload"]
