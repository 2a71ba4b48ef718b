"""Image size presets and the parsing of --size / --dpi / --preset."""

import pytest

from mapapp.errors import OptionError
from mapapp.static.presets import (
    MAX_SIDE_PX,
    PRESETS,
    Preset,
    check_dpi,
    get_preset,
    parse_size,
    resolve_spec,
)

SIZES = {
    "social": (1200, 675, 100),
    "square": (1080, 1080, 100),
    "story": (1080, 1920, 100),
    "a4-portrait": (2480, 3508, 300),
    "a4-landscape": (3508, 2480, 300),
    "letter-portrait": (2550, 3300, 300),
    "letter-landscape": (3300, 2550, 300),
}


@pytest.mark.parametrize("name, size", SIZES.items())
def test_preset_pixel_sizes(name, size):
    preset = PRESETS[name]
    assert (preset.width_px, preset.height_px, preset.dpi) == size
    assert preset.name == name and preset.label


def test_print_presets_keep_the_exact_paper_size():
    a4 = PRESETS["a4-portrait"]
    assert a4.is_print and not PRESETS["social"].is_print
    assert a4.width_in * 72 == pytest.approx(595.28, abs=0.01)
    assert a4.height_in * 72 == pytest.approx(841.89, abs=0.01)
    assert PRESETS["letter-landscape"].page_in == (11, 8.5)


@pytest.mark.parametrize("text, dpi, expected", [
    ("1600x900", 300, (1600, 900)),
    ("1600X900", 300, (1600, 900)),
    ("1600 × 900 px", 300, (1600, 900)),
    ("210x297mm", 300, (2480, 3508)),
    ("210x297MM", 150, (1240, 1754)),
    ("21x29.7cm", 300, (2480, 3508)),
    ("8.5x11in", 300, (2550, 3300)),
    ("4x3in", 100, (400, 300)),
])
def test_parse_size(text, dpi, expected):
    assert parse_size(text, dpi=dpi) == expected


@pytest.mark.parametrize("kwargs, expected", [
    ({}, ("social", 1200, 675, 100)),
    ({"preset": "story"}, ("story", 1080, 1920, 100)),
    # a screen preset keeps its pixels; the DPI is recorded and scales text
    ({"preset": "social", "dpi": 200}, ("social", 1200, 675, 200)),
    # a print preset keeps its paper
    ({"preset": "a4-portrait", "dpi": 150}, ("a4-portrait", 1240, 1754, 150)),
    ({"preset": "letter-portrait", "dpi": "72"}, ("letter-portrait", 612, 792, 72)),
    ({"size": "1600x900"}, ("custom", 1600, 900, 100)),
    ({"size": "1600x900", "dpi": 144}, ("custom", 1600, 900, 144)),
    ({"size": "210x297mm"}, ("custom", 2480, 3508, 300)),
    ({"size": "100x100mm", "dpi": 100}, ("custom", 394, 394, 100)),
])
def test_resolve_spec(kwargs, expected):
    spec = resolve_spec(**kwargs)
    assert isinstance(spec, Preset)
    assert (spec.name, spec.width_px, spec.height_px, spec.dpi) == expected


def test_a_size_in_mm_keeps_its_paper():
    spec = resolve_spec(size="210x297mm")
    assert spec.page_in == pytest.approx((210 / 25.4, 297 / 25.4))
    assert resolve_spec(size="1600x900").page_in is None


@pytest.mark.parametrize("kwargs, option, words", [
    ({"preset": "poster"}, "--preset", "social, square, story"),
    ({"preset": ""}, "--preset", "unknown preset"),
    ({"size": "0x900"}, "--size", "greater than zero"),
    ({"size": "1600x0"}, "--size", "greater than zero"),
    ({"size": "-5x900"}, "--size", "greater than zero"),
    ({"size": "-5"}, "--size", "WIDTHxHEIGHT"),
    ({"size": "wide x tall"}, "--size", "numbers"),
    ({"size": "1600"}, "--size", "WIDTHxHEIGHT"),
    ({"size": ""}, "--size", "WIDTHxHEIGHT"),
    ({"size": "1600x900x3"}, "--size", ""),
    ({"size": "1600.5x900"}, "--size", "whole"),
    ({"size": "nanxinf"}, "--size", "greater than zero"),
    ({"size": "1600x900ft"}, "--size", ""),
    ({"size": "30000x10"}, "--size", "absurd"),
    ({"size": f"{MAX_SIDE_PX + 1}x1000"}, "--size", "absurd"),
    ({"size": "20000x20000"}, "--size", "absurd"),
    ({"size": "2000x2000mm"}, "--size", "absurd"),
    ({"size": "50x50"}, "--size", "too small"),
    ({"size": "1600x900", "preset": "social"}, "--preset and --size", "not both"),
    ({"dpi": 0}, "--dpi", "between 36 and 1200"),
    ({"dpi": -300}, "--dpi", "between"),
    ({"dpi": 5000}, "--dpi", "between"),
    ({"dpi": float("nan")}, "--dpi", "between"),
    ({"dpi": "lots"}, "--dpi", "not a number"),
    ({"preset": "a4-portrait", "dpi": 1200, "size": None}, None, None),  # allowed: 139 MP
])
def test_bad_sizes_name_the_option(kwargs, option, words):
    if option is None:
        assert resolve_spec(**kwargs).width_px == 9921
        return
    with pytest.raises(OptionError) as info:
        resolve_spec(**kwargs)
    message = str(info.value)
    assert message.startswith(option), message
    assert words in message


def test_errors_are_value_errors_too():
    with pytest.raises(ValueError):
        get_preset("poster")
    with pytest.raises(ValueError):
        check_dpi(None)
    assert check_dpi("300") == 300.0


@pytest.mark.parametrize("size", ["1e306x1in", "1e308x1in", "99999x1mm"])
def test_absurd_sizes_in_units_are_refused(size):
    with pytest.raises(OptionError, match="--size"):
        parse_size(size)
