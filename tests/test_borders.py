"""Points against the country their rows name (mapapp.geo.borders)."""

from __future__ import annotations

import numpy as np
import pytest

from mapapp.geo.borders import check_countries

KYIV = (30.52, 50.45)
KHERSON = (32.6169, 46.6354)  # on the Dnipro: Natural Earth's land stops 300 m short
BELGOROD = (36.59, 50.60)  # Russia, about 30 km from Ukraine
IRAN = (48.61, 35.42)  # Kyiv oblast's point, swapped


@pytest.mark.parametrize("point, country, known, far, swapped", [
    (KYIV, "Ukraine", True, False, False),
    (KYIV, "UA", True, False, False),
    (KYIV, "ukr", True, False, False),
    (KYIV, "  UKRAINE ", True, False, False),
    (KHERSON, "Ukraine", True, False, False),
    (BELGOROD, "Ukraine", True, False, False),
    (IRAN, "Ukraine", True, True, True),
    ((KHERSON[1], KHERSON[0]), "Ukraine", True, True, True),
    (KYIV, "Poland", True, True, False),
    (BELGOROD, "Russia", True, False, False),
    (IRAN, "Atlantis", False, False, False),
    (IRAN, "", False, False, False),
    (IRAN, None, False, False, False),
    ((np.nan, 50.0), "Ukraine", False, False, False),
])
def test_check_countries(point, country, known, far, swapped):
    found = check_countries(np.array([point[0]]), np.array([point[1]]),
                            np.array([country], dtype=object))
    assert (found.known[0], found.far[0], found.swapped[0]) == (known, far, swapped)


def test_no_rows_and_many_distinct_names():
    empty = check_countries(np.array([]), np.array([]), np.array([], dtype=object))
    assert empty.known.shape == empty.far.shape == empty.swapped.shape == (0,)
    # Names are looked up by one join, not one search each: 50,000 made-up
    # names cost no more than one.
    n = 50_000
    names = np.array([f"Nowhere {i}" for i in range(n - 1)] + ["Ukraine"], dtype=object)
    found = check_countries(np.full(n, IRAN[0]), np.full(n, IRAN[1]), names)
    assert found.known.sum() == 1 and found.swapped[-1]
