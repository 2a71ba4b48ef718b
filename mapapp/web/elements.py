"""Page elements whose output is never read as a template.

branca renders a ``MacroElement``'s macros and then wraps the result in a
new ``Element(text)``, which compiles ``text`` as a Jinja template a second
time.  Whatever data the first pass wrote into the page (a feature name
holding ``{{ ... }}``) would then run as template code.  The elements here
add their output as :class:`RawElement`, which is emitted verbatim, and they
take data only as JSON made by :func:`mapapp.web.payload.script_json`.

The only JavaScript written in Python is one call per element,
``mapapp.<function>(<parent variable>, <JSON>)``; the functions live in
``assets/mapapp.js`` and ``assets/lesson.js``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from mapapp.web.payload import script_json


class RawElement(Element):
    """Text put into the page exactly as given (trusted markup from our own
    files, or JSON from :func:`script_json`), never compiled as a template."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class PageCall(MacroElement):
    """``mapapp.<function>(<parent>, <payload JSON>[, {name: variable}]);``

    ``function`` is a name from our own scripts; ``payload`` any JSON-able
    value (data included); ``refs`` maps keys to other elements whose
    JavaScript variables the function needs (layer groups of a lesson).
    Variable names are read at render time, because streamlit-folium
    renames every element before it collects the script.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "mapapp.{{ this.function }}({{ this._parent.get_name() }}, {{ this.payload }}"
        "{% if this.refs %}, {{ '{' }}"
        "{% for key, element in this.refs.items() %}{{ key|tojson }}: {{ element.get_name() }}"
        "{{ ', ' if not loop.last }}{% endfor %}{{ '}' }}"
        "{% endif %});"
        "{% endmacro %}"
    )

    def __init__(self, function: str, payload: Any, *,
                 refs: Mapping[str, Element] | None = None):
        super().__init__()
        if not function.isidentifier():
            raise ValueError(f"not a function name: {function!r}")
        self._name = "PageCall"
        self.function = function
        self.payload = script_json(payload)
        self.refs = dict(refs or {})

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError("a PageCall must be part of a map in a Figure")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(RawElement(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
