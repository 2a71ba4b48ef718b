"""Data for the page, serialised once as JSON that is safe inside ``<script>``.

Every value that reaches the browser's script, from a feature name to a
lesson step, goes through :func:`script_json`: no template ever sees it as
source, and no character in it can end the ``<script>`` element, open a
comment or a tag, or break a JavaScript line.

>>> script_json({"name": "</script><b>'{{ 6*7 }}'</b>"})
'{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0027{{ 6*7 }}\\\\u0027\\\\u003c/b\\\\u003e"}'
"""

from __future__ import annotations

import json
from typing import Any

from mapapp.errors import DataError

# ``<``, ``>`` and ``&`` could end the script element or start a comment;
# U+2028/2029 end a line in older JavaScript; ``'`` keeps the text out of
# streamlit-folium's rewrite of ``{{ 'name' }}`` references in the script.
_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027",
    "\u2028": "\\u2028", "\u2029": "\\u2029",
}
_TABLE = str.maketrans(_ESCAPES)


def script_json(value: Any) -> str:
    """``value`` as compact JSON that can sit verbatim inside ``<script>``.

    Non-finite numbers are refused (JSON has none, and a ``NaN`` coordinate
    would draw nowhere without a word): :class:`DataError`.

    >>> script_json([1, "a\\u2028b"])
    '[1,"a\\\\u2028b"]'
    >>> script_json({"x": float("inf")})
    Traceback (most recent call last):
    ...
    mapapp.errors.DataError: cannot put a non-finite number (inf, nan) on the page
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError as err:
        raise DataError("cannot put a non-finite number (inf, nan) on the page") from err
    return text.translate(_TABLE)
