"""One exception tree for mapapp.

Callers (the Streamlit app, the CLI) catch :class:`MapAppError` and show its
message; anything else escaping is a bug.  Leaves also inherit the matching
built-in, as geopy does, so ``except ValueError`` keeps working too.
"""

from __future__ import annotations


class MapAppError(Exception):
    """Root of every error mapapp raises on purpose."""


class DataError(MapAppError, ValueError):
    """A data file is unreadable or breaks the schema.

    The message always names the file, and where they are known the
    feature id and the field, so an editor can go straight to the fault.
    """

    def __init__(self, message: str, *, file: str | None = None,
                 feature: str | None = None, field: str | None = None):
        self.file = file
        self.feature = feature
        self.field = field
        where = []
        if file:
            where.append(str(file))
        if feature:
            where.append(f"feature {feature!r}")
        if field:
            where.append(f"field {field!r}")
        super().__init__(f"{': '.join(where)}: {message}" if where else message)
        self.detail = message


class GeocodeError(MapAppError, LookupError):
    """A place could not be located by any enabled source."""


class GeocoderServiceError(GeocodeError, IOError):
    """A live geocoding service failed (timeout, rate limit, HTTP error)."""


class CacheError(MapAppError, IOError):
    """The geocache on disk cannot be read or written."""


class AssetError(MapAppError, FileNotFoundError):
    """An offline asset (Leaflet, plugin, basemap) is not installed."""


class OptionError(MapAppError, ValueError):
    """A command-line option, function argument or URL value is not allowed.

    The message names the option and the values it accepts.
    """


class SourceExistsError(OptionError):
    """A new source would take the name of one the data folder has (a saved
    source or its own report): nothing is ever replaced without asking.
    ``name`` is the name asked for; the message words it for the command line.
    """

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message)
        self.name = name


class OutputError(MapAppError, IOError):
    """An output file cannot be written (nothing partial is left behind)."""
