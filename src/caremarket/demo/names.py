"""Fictitious provider names: deterministic, plausible, and never a real organisation's.

Every generated provider is flagged ``is_fictitious`` and shown with "(fictitious)".
"""

from __future__ import annotations

import random

PLACES = [
    "Acorn",
    "Alder",
    "Anchor",
    "Ashdown",
    "Beacon",
    "Birch",
    "Bluebell",
    "Bramble",
    "Brook",
    "Burrow",
    "Cedar",
    "Clover",
    "Coastline",
    "Compass",
    "Copper Beech",
    "Cove",
    "Dale",
    "Estuary",
    "Fernlea",
    "Foxglove",
    "Granite",
    "Hawthorn",
    "Heather",
    "Heron",
    "Hillside",
    "Holly",
    "Juniper",
    "Kestrel",
    "Lantern",
    "Larch",
    "Lighthouse",
    "Linden",
    "Maple",
    "Meadow",
    "Millstream",
    "Moorgate",
    "Oakridge",
    "Orchard",
    "Otter",
    "Pebble",
    "Primrose",
    "Quarry",
    "Rowan",
    "Saltmarsh",
    "Sandstone",
    "Seagrass",
    "Sherwood",
    "Skylark",
    "Sorrel",
    "Starling",
    "Stonebridge",
    "Sunrise",
    "Swallow",
    "Teasel",
    "Thistle",
    "Tidewater",
    "Wagtail",
    "Willow",
    "Wren",
    "Yew Tree",
]

KINDS = {
    "day": ["Day Opportunities", "Community Hub", "Activity Centre", "Day Club", "Life Skills"],
    "support": [
        "Support Services",
        "Independent Living",
        "Community Support",
        "Enablement",
        "Outreach",
    ],
    "home": ["Homecare", "Care at Home", "Home Support", "Domiciliary Care", "Care Services"],
    "living": ["Supported Living", "Living Support", "Housing Support", "Care Partnership"],
    "sitting": ["Sitting Service", "Carers' Break", "Respite at Home"],
}

SUFFIXES = ["Ltd", "CIC", "Limited", "Trust", "Partnership", "Co-operative"]


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, kind: str) -> str:
        for _ in range(10_000):
            name = (
                f"{self.rng.choice(PLACES)} {self.rng.choice(KINDS[kind])} "
                f"{self.rng.choice(SUFFIXES)}"
            )
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of fictitious names")

    def reserve(self, name: str) -> str:
        self.used.add(name)
        return name
