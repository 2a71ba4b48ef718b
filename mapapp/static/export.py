"""Static map images (PNG, SVG, PDF) drawn with matplotlib, no browser.

Every option is checked before anything is drawn; the file is written
atomically after the drawing succeeded, so a failure never leaves a partial
or temporary file.  SVG and PDF are vector, keep text as text (SVG) or
embed the fonts (PDF), and are byte-identical for identical inputs: no
dates, fixed ids.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from mapapp.errors import OptionError, OutputError
from mapapp.files import check_output, write_output
from mapapp.static.figtext import check_title_text
from mapapp.static.presets import PRESETS, resolve_spec
from mapapp.view import ViewState, as_view

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Nothing that changes between runs goes into a file (matplotlib would add
# the date, or SOURCE_DATE_EPOCH's, and random SVG ids).
_RC: dict[str, dict[str, Any]] = {
    "png": {},
    "svg": {"svg.fonttype": "none", "svg.hashsalt": "mapapp"},
    "pdf": {"pdf.fonttype": 42, "pdf.compression": 6},
}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": "mapapp (matplotlib)"},
    "svg": {"Date": None, "Creator": "mapapp (matplotlib)"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "mapapp (matplotlib)"},
}

Progress = Callable[[int, int, Path], None]


def format_for(output: str | os.PathLike[str], fmt: str | None) -> str:
    """The format from ``--format`` and the output's suffix, which must agree."""
    suffix = Path(output).suffix.lower().lstrip(".")
    if fmt is not None:
        fmt = str(fmt).lower()
        if fmt not in FORMATS:
            raise OptionError(f"--format {fmt!r}: unknown format (choose from {', '.join(FORMATS)})")
        if suffix and suffix != fmt:
            raise OptionError(f"--format {fmt} does not match the output {str(output)!r} "
                              f"(.{suffix}); name the file .{fmt} or drop --format")
        return fmt
    if suffix in FORMATS:
        return suffix
    raise OptionError(f"output {str(output)!r}: cannot tell the format from the name; "
                      f"use a .png, .svg or .pdf suffix or --format")


def check_theme(theme: str) -> str:
    from mapapp.static.figure import THEMES
    if theme not in THEMES:
        raise OptionError(f"--theme {theme!r}: unknown theme (choose from {', '.join(THEMES)})")
    return theme


def image_spec(spec: Any, *, option: str = "--size"):
    """``spec`` (a :class:`mapapp.static.presets.Preset` or anything with
    ``width_px``, ``height_px``, ``dpi``) as the renderer's ``ImageSpec``;
    the renderer's own limits are reported against ``option``."""
    from mapapp.static.figure import ImageSpec
    if isinstance(spec, ImageSpec):
        return spec
    try:
        return ImageSpec(width_px=int(spec.width_px), height_px=int(spec.height_px),
                         dpi=float(spec.dpi))
    except OptionError as err:
        raise OptionError(f"{option} {spec.width_px}x{spec.height_px} px at {spec.dpi:g} dpi: "
                          f"{err}") from None


def render_bytes(report_map, *, fmt: str, spec: Any, view: ViewState | None = None,
                 **text_and_events: Any) -> bytes:
    """Draw the map with :func:`mapapp.static.figure.render_figure` and return the
    file's bytes.

    ``spec`` is a :class:`mapapp.static.figure.ImageSpec` or a
    :class:`mapapp.static.presets.Preset` (whose ``page_in`` then gives a PDF its
    exact paper size).  PNG is exactly ``width_px`` x ``height_px`` with
    the DPI recorded; SVG and PDF are the same page in points.
    ``view`` is a checked :class:`mapapp.view.ViewState` (by default the
    app's first view); ``text_and_events``: ``title``, ``subtitle``,
    ``theme``, ``highlight``, ``events``, ``event_credits``, passed on to
    ``render_figure``.
    """
    import matplotlib

    from mapapp.static.figure import render_figure

    if fmt not in FORMATS:
        raise OptionError(f"--format {fmt!r}: unknown format (choose from {', '.join(FORMATS)})")
    # The app calls this directly with what was typed into its text boxes.
    for option in ("title", "subtitle"):
        check_title_text(text_and_events.get(option), option)
    drawn_spec = image_spec(spec)
    fig = render_figure(report_map, spec=drawn_spec, view=view, **text_and_events)
    try:
        page_in = getattr(spec, "page_in", None)
        if fmt == "pdf" and page_in:
            # The pixel size is rounded; paper is not (A4 is 595.28 pt wide).
            fig.set_size_inches(*page_in)
        buffer = io.BytesIO()
        with matplotlib.rc_context(_RC[fmt]):
            # No bbox_inches="tight": the page is exactly the size asked for.
            fig.savefig(buffer, format=fmt, dpi=drawn_spec.dpi, metadata=_METADATA[fmt])
        return buffer.getvalue()
    finally:
        fig.clear()  # a Figure not made by pyplot is freed with its last reference


def export_image(report_map, output: str | os.PathLike[str], *, fmt: str | None = None,
                 preset: str | None = None, size: str | None = None, dpi: float | None = None,
                 overwrite: bool = False, title: str | None = None, subtitle: str | None = None,
                 theme: str = "light", view: ViewState | None = None, events=None,
                 event_credits: Iterable[str] = ()) -> Path:
    """Draw the map into ``output`` (PNG, SVG or PDF) and return its path.

    The format comes from ``fmt`` or the suffix (they must agree; a name
    without a suffix gets ``.fmt``).  The size from ``preset`` or ``size``
    (see :func:`mapapp.static.presets.resolve_spec`).  ``view`` is a checked
    :class:`mapapp.view.ViewState` (by default the app's first view).  Raises
    :class:`OptionError` for a bad option or an existing output without
    ``overwrite``, :class:`OutputError` when the folder is missing or not
    writable; in either case, and when drawing fails, nothing is written.
    """
    check_title_text(title, "--title")
    check_title_text(subtitle, "--subtitle")
    output = Path(output)
    if fmt is not None and not output.suffix:
        output = output.with_name(f"{output.name}.{str(fmt).lower()}")
    fmt = format_for(output, fmt)
    spec = resolve_spec(preset=preset, size=size, dpi=dpi)
    image_spec(spec, option="--size" if size is not None else "--preset/--dpi")
    check_theme(theme)
    view = as_view(view)  # the view was checked when it was made
    check_output(output, overwrite=overwrite)
    data = render_bytes(report_map, fmt=fmt, spec=spec, view=view, title=title,
                        subtitle=subtitle, theme=theme, events=events,
                        event_credits=tuple(event_credits))
    return write_output(output, data, overwrite=overwrite)


def preset_path(out_dir: str | os.PathLike[str], name: str, fmt: str, stem: str = "map") -> Path:
    """Where :func:`export_presets` writes preset ``name``: ``<stem>-<name>.<fmt>``."""
    return Path(out_dir) / f"{stem}-{name}.{fmt}"


def export_presets(report_map, out_dir: str | os.PathLike[str], *, fmt: str = "png",
                   presets: Sequence[str] | None = None, overwrite: bool = False,
                   progress: Progress | None = None, stem: str = "map",
                   dpi: float | None = None, title: str | None = None,
                   subtitle: str | None = None, theme: str = "light",
                   view: ViewState | None = None) -> list[Path]:
    """One file per preset (all of them by default) in ``out_dir``, named
    ``<stem>-<preset>.<fmt>``; ``progress(done, total, path)`` after each.

    Everything is checked first, every target included, so a bad option
    or an existing file (without ``overwrite``) writes nothing.  A failure
    while drawing leaves the files already written, and no partial one.
    """
    check_title_text(title, "--title")
    check_title_text(subtitle, "--subtitle")
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise OptionError(f"--format {fmt!r}: unknown format (choose from {', '.join(FORMATS)})")
    if not stem or "/" in stem or os.sep in stem:
        raise OptionError(f"stem {stem!r}: give a plain file name stem")
    names = list(PRESETS) if presets is None else list(presets)
    if not names:
        raise OptionError("--preset: no presets chosen")
    names = list(dict.fromkeys(names))  # a preset named twice is written once
    specs = [resolve_spec(preset=name, dpi=dpi) for name in names]
    for spec in specs:
        image_spec(spec, option=f"--preset {spec.name} at --dpi")
    check_theme(theme)
    view = as_view(view)  # the view was checked when it was made
    out_dir = Path(out_dir)
    try:  # a new folder for a batch is what the user asked for
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"--out-dir {str(out_dir)!r} cannot be created: "
                          f"{err.strerror or err}") from err
    targets = [check_output(preset_path(out_dir, spec.name, fmt, stem), overwrite=overwrite)
               for spec in specs]
    written: list[Path] = []
    for spec, target in zip(specs, targets):
        data = render_bytes(report_map, fmt=fmt, spec=spec, view=view, title=title,
                            subtitle=subtitle, theme=theme)
        written.append(write_output(target, data, overwrite=overwrite))
        if progress is not None:
            progress(len(written), len(targets), target)
    return written
