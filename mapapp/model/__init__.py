"""What the map is made of: the project's vocabulary and its typed records.

No I/O here: sources build these, renderers read them.
"""

from mapapp.model.feature import Citation, Claim, Feature, Figure, Location, Report, ReportMap
from mapapp.model.vocab import ALL_TYPES, LAYER_LABELS, LAYER_TYPES, LAYERS, STATUS_LABELS, STATUSES

__all__ = ["ALL_TYPES", "LAYER_LABELS", "LAYER_TYPES", "LAYERS", "STATUS_LABELS", "STATUSES",
           "Citation", "Claim", "Feature", "Figure", "Location", "Report", "ReportMap"]
