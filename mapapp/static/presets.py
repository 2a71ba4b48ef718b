"""Named image sizes for exports, and parsing of ``--size`` / ``--dpi``.

Screen presets fix the pixels: ``--dpi`` only changes the DPI recorded in
the file and how large text and symbols are drawn.  Print presets fix the
paper: their pixels are the page at the chosen DPI (300 unless told), and
a PDF gets the exact paper size in points.

>>> PRESETS["a4-portrait"].width_px, PRESETS["a4-portrait"].height_px
(2480, 3508)
>>> parse_size("210x297mm", dpi=150)
(1240, 1754)
>>> resolve_spec(preset="social")
Preset(name='social', width_px=1200, height_px=675, dpi=100.0, label='Social media card (16:9)', page_in=None)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mapapp.errors import OptionError

SCREEN_DPI = 100.0
PRINT_DPI = 300.0
MIN_DPI, MAX_DPI = 36.0, 1200.0
MIN_SIDE_PX = 100  # smaller than this there is no room for a map
MAX_SIDE_PX = 20_000
MAX_MEGAPIXELS = 150  # A4 or Letter at 1200 dpi fit; a bigger raster is a mistake
DEFAULT_PRESET = "social"

MM_PER_IN = 25.4
UNITS_PER_IN = {"px": None, "mm": MM_PER_IN, "cm": MM_PER_IN / 10, "in": 1.0}


@dataclass(frozen=True)
class Preset:
    """An image size: pixels, the DPI written into the file, and for paper
    sizes the page in inches (``page_in``), from which the pixels follow."""

    name: str
    width_px: int
    height_px: int
    dpi: float
    label: str
    page_in: tuple[float, float] | None = None

    @property
    def width_in(self) -> float:
        return self.page_in[0] if self.page_in else self.width_px / self.dpi

    @property
    def height_in(self) -> float:
        return self.page_in[1] if self.page_in else self.height_px / self.dpi

    @property
    def is_print(self) -> bool:
        return self.page_in is not None

    def at_dpi(self, dpi: float) -> "Preset":
        """The same preset at another DPI: same paper (more pixels) for a
        print preset, same pixels for a screen preset."""
        if self.page_in:
            w, h = _pixels(self.page_in, dpi)
            return Preset(self.name, w, h, float(dpi), self.label, self.page_in)
        return Preset(self.name, self.width_px, self.height_px, float(dpi), self.label)


def _pixels(page_in: tuple[float, float], dpi: float) -> tuple[int, int]:
    return round(page_in[0] * dpi), round(page_in[1] * dpi)


def _screen(name: str, w: int, h: int, label: str) -> Preset:
    return Preset(name, w, h, SCREEN_DPI, label)


def _paper(name: str, w: float, h: float, unit: str, label: str) -> Preset:
    page = (w / UNITS_PER_IN[unit], h / UNITS_PER_IN[unit])
    return Preset(name, *_pixels(page, PRINT_DPI), PRINT_DPI, label, page)


PRESETS: dict[str, Preset] = {p.name: p for p in (
    _screen("social", 1200, 675, "Social media card (16:9)"),
    _screen("square", 1080, 1080, "Square post (1:1)"),
    _screen("story", 1080, 1920, "Phone story (9:16)"),
    _paper("a4-portrait", 210, 297, "mm", "A4 portrait, print"),
    _paper("a4-landscape", 297, 210, "mm", "A4 landscape, print"),
    _paper("letter-portrait", 8.5, 11, "in", "US Letter portrait, print"),
    _paper("letter-landscape", 11, 8.5, "in", "US Letter landscape, print"),
)}

_SIZE = re.compile(r"^\s*([^x×\s]+)\s*[x×]\s*([^x×\s]+?)\s*(px|mm|cm|in)?\s*$", re.IGNORECASE)


def parse_size(text: str, *, dpi: float = PRINT_DPI) -> tuple[int, int]:
    """``"WxH"`` in pixels, or ``"WxHmm"`` / ``cm`` / ``in`` converted at
    ``dpi``, as ``(width_px, height_px)``.

    >>> parse_size("1600x900"), parse_size("8.5x11in"), parse_size("21 x 29.7 cm", dpi=100)
    ((1600, 900), (2550, 3300), (827, 1169))
    """
    w_px, h_px, _ = _parse_size(text, dpi)
    return w_px, h_px


def _parse_size(text: str, dpi: float) -> tuple[int, int, tuple[float, float] | None]:
    """Pixels, and the page in inches when the size was given in a length unit."""
    match = _SIZE.match(str(text))
    if not match:
        raise OptionError(f"--size {text!r}: expected WIDTHxHEIGHT in pixels (1600x900) "
                          "or with a unit (210x297mm, 21x29.7cm, 8.5x11in)")
    raw_w, raw_h, unit = match.group(1), match.group(2), (match.group(3) or "px").lower()
    try:
        w, h = float(raw_w), float(raw_h)
    except ValueError:
        raise OptionError(f"--size {text!r}: width and height must be numbers") from None
    if not (math.isfinite(w) and math.isfinite(h)) or w <= 0 or h <= 0:
        raise OptionError(f"--size {text!r}: width and height must be greater than zero")
    if unit == "px":
        if w != int(w) or h != int(h):
            raise OptionError(f"--size {text!r}: pixels are whole numbers")
        page = None
        w_px, h_px = int(w), int(h)
    else:
        page = (w / UNITS_PER_IN[unit], h / UNITS_PER_IN[unit])
        if max(page) * dpi > MAX_SIDE_PX:  # also keeps round() off an infinite product
            raise OptionError(f"--size {text!r} is absurd (at most {MAX_SIDE_PX} px a side "
                              f"at {dpi:g} dpi)")
        w_px, h_px = _pixels(page, dpi)
    _check_pixels(w_px, h_px, f"--size {text!r}")
    return w_px, h_px, page


def _check_pixels(w_px: int, h_px: int, what: str) -> None:
    if max(w_px, h_px) > MAX_SIDE_PX:
        raise OptionError(f"{what}: {w_px}x{h_px} px is absurd (at most {MAX_SIDE_PX} px a side)")
    if min(w_px, h_px) < MIN_SIDE_PX:
        raise OptionError(f"{what}: {w_px}x{h_px} px is too small for a map "
                          f"(at least {MIN_SIDE_PX} px a side)")
    if w_px * h_px > MAX_MEGAPIXELS * 1_000_000:
        raise OptionError(f"{what}: {w_px}x{h_px} px is absurd "
                          f"(at most {MAX_MEGAPIXELS} megapixels)")


def check_dpi(dpi: object) -> float:
    """``dpi`` as a float within ``MIN_DPI``..``MAX_DPI``, or OptionError."""
    try:
        value = float(dpi)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise OptionError(f"--dpi {dpi!r}: not a number") from None
    if not (MIN_DPI <= value <= MAX_DPI):  # also false for NaN
        raise OptionError(f"--dpi {dpi!r}: choose between {MIN_DPI:g} and {MAX_DPI:g}")
    return value


def get_preset(name: str) -> Preset:
    """The preset called ``name``, or an OptionError listing the known ones."""
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise OptionError(f"--preset {name!r}: unknown preset "
                          f"(known: {', '.join(PRESETS)})") from None


def resolve_spec(preset: str | None = None, size: str | None = None,
                 dpi: float | None = None) -> Preset:
    """The image size from ``--preset``, ``--size`` and ``--dpi``.

    ``preset`` and ``size`` exclude each other; with neither, ``social``.
    A size in pixels is drawn at ``dpi`` or 100; a size in mm/cm/in at
    ``dpi`` or 300.  The result is named after the preset, or ``"custom"``.

    >>> spec = resolve_spec(preset="a4-landscape", dpi=150)
    >>> spec.width_px, spec.height_px, spec.dpi
    (1754, 1240, 150.0)
    """
    dpi_value = None if dpi is None else check_dpi(dpi)
    if preset is not None and size is not None:
        raise OptionError("--preset and --size: give one or the other, not both")
    if size is not None:
        physical = _SIZE.match(str(size))
        unit = (physical.group(3) or "px").lower() if physical else "px"
        use_dpi = dpi_value or (SCREEN_DPI if unit == "px" else PRINT_DPI)
        w_px, h_px, page = _parse_size(size, use_dpi)
        return Preset("custom", w_px, h_px, use_dpi, f"custom {size}", page)
    chosen = get_preset(DEFAULT_PRESET if preset is None else preset)
    if dpi_value is not None and dpi_value != chosen.dpi:
        chosen = chosen.at_dpi(dpi_value)
        _check_pixels(chosen.width_px, chosen.height_px, f"--preset {chosen.name} at --dpi {dpi}")
    return chosen
