"""The project's words: map layers, feature types and how sure a claim is.

Every record, filter, style table and link is checked against these.
"""

from __future__ import annotations

# Map layers, in drawing order (areas under lines under points).
LAYERS: tuple[str, ...] = ("control_areas", "front_lines", "fighting", "strikes", "places",
                           "mentions")

LAYER_LABELS: dict[str, str] = {
    "strikes": "Strike points",
    "front_lines": "Front lines",
    "fighting": "Ground fighting",
    "control_areas": "Control areas",
    "places": "Other places",
    "mentions": "Mentioned far away",
}

# Which feature types each layer admits.
LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "strikes": ("missile_strike", "drone_strike", "air_strike", "shelling", "strike",
                "explosion", "strike_wave"),
    "front_lines": ("front_line", "former_front_line"),
    # Fighting on the ground at a place: clashes, assaults, advances and
    # captures, which a front-line report is mostly about.
    "fighting": ("fighting",),
    "control_areas": ("russian_held", "held_before_2022", "contested", "returned_to_ukraine",
                      "change_taken", "change_returned", "change_contested", "other_map_held"),
    "places": ("city", "town", "village", "airport", "site", "region", "river", "water"),
    "mentions": ("meeting", "statement", "country"),
}

# Every feature type, layer by layer.
ALL_TYPES: tuple[str, ...] = tuple(t for layer in LAYERS for t in LAYER_TYPES[layer])

# How sure a claim is, from firmest to weakest.
STATUSES: tuple[str, ...] = ("confirmed", "reported", "assessed", "claimed", "disputed", "unclear")

STATUS_LABELS: dict[str, str] = {
    "confirmed": "Confirmed by several sides",
    "reported": "Reported by officials on the spot",
    "assessed": "Assessment by an analyst or ministry",
    "claimed": "Claimed by one party",
    "disputed": "Disputed: sides disagree",
    "unclear": "Unclear at the time of the report",
}

# What an imported control map's features are mapped to (by a rules file or
# their own ``category`` property): published maps each have their own
# legends, and these are the categories they share.
AREA_CATEGORIES: dict[str, str] = {
    "occupied": "Occupied since February 2022",
    "occupied_before_2022": "Occupied before 2022 (Crimea, parts of Donetsk and Luhansk)",
    "unknown": "Unknown or contested",
    "returned": "Liberated or returned to Ukraine",
}
# A line in a control map: the front as its source draws it.
FRONT_LINE_CATEGORY = "front_line"
# The categories held by Russia, when areas are compared or a line derived.
HELD_CATEGORIES: tuple[str, ...] = ("occupied", "occupied_before_2022")
