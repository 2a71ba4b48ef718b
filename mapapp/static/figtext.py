"""Text on matplotlib figures (static maps, handouts): always plain text.

matplotlib reads a ``$`` pair as mathtext, and with ``text.usetex`` hands
the string to TeX: ``$\\frac{1}$`` in a title fails to draw, and ``$x^2$``
in a feature name comes out typeset.  Names, titles and story texts are
data, so every text artist of :mod:`mapapp.static.figure` and
:mod:`mapapp.classroom.handout` is made by :func:`add_text` and every width is taken
by :func:`text_width`; both switch mathtext and TeX off whatever the
rcParams say, and draw :func:`drawable` text, so what is measured is what
is drawn.

Text options (``--title``, ``--subtitle``) are checked by
:func:`check_title_text` before anything is drawn; :func:`drawable` is the
second line of defence for text that got past the checks.

>>> drawable("bell\\x07 and $x^2$")
'bell␇ and $x^2$'
"""

from __future__ import annotations

from typing import Any

from mapapp.errors import OptionError

# Glyphs for the characters :func:`drawable` substitutes (DejaVu Sans has
# no control pictures); ships with matplotlib.  Added only to text that was
# changed, so ordinary text keeps its single font family.
FALLBACK_FONT = "Last Resort High-Efficiency"
_DEL = 0x7F
_SUBSTITUTE = "\ufffd"
# Characters matplotlib cannot put in a PDF, and the one that means the same:
# inside text U+FEFF is the old "zero-width no-break space" (the PDF
# backend's font subsetter fails on it), now spelt U+2060 WORD JOINER.
_SAME_MEANING = str.maketrans({"\ufeff": "\u2060"})


def _bad_char(ch: str) -> str | None:
    """What is wrong with ``ch`` in a line of text, or ``None``."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "a control character"
    if 0xD800 <= code <= 0xDFFF:
        # What Python makes of bytes that are not UTF-8 (surrogateescape).
        return "a lone surrogate (not valid UTF-8)"
    if code in (0xFFFE, 0xFFFF):
        return "a noncharacter"
    return None


def check_title_text(text: Any, option: str) -> Any:
    """``text`` unchanged, or an :class:`OptionError` naming ``option`` and
    the first character no title may hold (control characters, lone
    surrogates, U+FFFE/U+FFFF: a title is one line of text, and these make
    an SVG invalid XML).  ``None`` passes: it means the default title.
    Positions count from 1.

    >>> check_title_text("Kherson $1$", "--title")
    'Kherson $1$'
    >>> check_title_text("ab\\x07", "--title")
    Traceback (most recent call last):
    ...
    mapapp.errors.OptionError: --title: contains a control character (U+0007) at position 3
    """
    if text is None:
        return None
    for position, ch in enumerate(str(text), start=1):
        problem = _bad_char(ch)
        if problem:
            raise OptionError(f"{option}: contains {problem} (U+{ord(ch):04X}) at position {position}")
    return text


def _picture(ch: str) -> str:
    if _bad_char(ch) is None:
        return ch
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the matching "control picture", e.g. ␇
    return "\u2421" if code == _DEL else _SUBSTITUTE


def drawable(text: Any) -> str:
    """``text`` with every character that cannot be drawn as one line of
    valid XML replaced one for one: a C0 control by its control picture
    (U+2400 + code), DEL by U+2421, anything else :func:`check_title_text`
    refuses by U+FFFD; U+FEFF by U+2060, which means the same.

    >>> drawable("a\\x1b[31mb\\x7f\\udcff")
    'a␛[31mb␡�'
    >>> drawable("no\\ufeffbreak") == "no\\u2060break"
    True
    """
    text = str(text).translate(_SAME_MEANING)
    if all(_bad_char(ch) is None for ch in text):
        return text
    return "".join(_picture(ch) for ch in text)


def _font_for(shown: str, original: str, prop):
    """``prop``, with the fallback font added when ``original`` had
    characters replaced (their pictures are not in DejaVu Sans)."""
    if shown == original or prop is None:
        return prop
    prop = prop.copy()
    families = list(prop.get_family())
    if FALLBACK_FONT not in families:
        prop.set_family(families + [FALLBACK_FONT])
    return prop


def add_text(target, x: float, y: float, text: Any, *, fontproperties=None, **kwargs):
    """``target.text(x, y, text, ...)`` (a Figure or an Axes) as plain text:
    no mathtext, no TeX, control characters shown as pictures."""
    original = str(text)
    shown = drawable(original)
    return target.text(x, y, shown, fontproperties=_font_for(shown, original, fontproperties),
                       parse_math=False, usetex=False, **kwargs)


def text_width(renderer, text: Any, prop) -> float:
    """Width in display pixels of ``text`` drawn by :func:`add_text` with ``prop``."""
    original = str(text)
    shown = drawable(original)
    width, _, _ = renderer.get_text_width_height_descent(shown, _font_for(shown, original, prop),
                                                         ismath=False)
    return width
