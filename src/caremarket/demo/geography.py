"""The three demo commissioners' geography.

Devon's zones and towns are from seed 000/002 (Supporting Independence and Living Well at
Home). The postcode districts are our assumption: the districts of those towns' post towns.
TQ13 shows a sector override: the district is Bovey Tracey and Ashburton (zone 6) but sector
TQ13 8 is Moretonhampstead (zone 8). The Isle of Wight's three localities and Staffordshire's
districts are assumptions; the seeds name neither.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ZoneSpec:
    number: int
    name: str
    towns: tuple[str, ...]
    postcode_areas: tuple[str, ...]


@dataclass(frozen=True)
class CommissionerSpec:
    slug: str
    name: str
    ons_code: str
    zone_label: str
    website: str
    zones: tuple[ZoneSpec, ...]


DEVON = CommissionerSpec(
    slug="devon",
    name="Devon County Council",
    ons_code="E10000008",
    zone_label="zone",
    website="https://www.devon.gov.uk/",
    zones=(
        ZoneSpec(
            1,
            "Bideford, Torrington and Holsworthy",
            ("Bideford/Northam", "Great Torrington", "Holsworthy"),
            ("EX39", "EX38", "EX22"),
        ),
        ZoneSpec(
            2,
            "Barnstaple and North Devon",
            ("Ilfracombe", "Lynton/Lynmouth", "Barnstaple", "South Molton"),
            ("EX31", "EX32", "EX33", "EX34", "EX35", "EX36", "EX37"),
        ),
        ZoneSpec(
            3, "Mid Devon", ("Tiverton", "Crediton", "Cullompton"), ("EX15", "EX16", "EX17", "EX18")
        ),
        ZoneSpec(4, "Exeter", ("Exeter",), ("EX1", "EX2", "EX3", "EX4", "EX5", "EX6")),
        ZoneSpec(
            5,
            "East Devon",
            ("Honiton", "Sidmouth", "Exmouth", "Seaton"),
            ("EX8", "EX9", "EX10", "EX11", "EX12", "EX13", "EX14"),
        ),
        ZoneSpec(
            6,
            "South Devon",
            ("Newton Abbot", "Totnes", "Dartmouth"),
            ("TQ6", "TQ7", "TQ9", "TQ10", "TQ11", "TQ12", "TQ13", "TQ14", "EX7"),
        ),
        ZoneSpec(7, "West Devon", ("Ivybridge", "Tavistock"), ("PL19", "PL20", "PL21")),
        ZoneSpec(
            8,
            "Okehampton and Dartmoor",
            ("Okehampton", "Moretonhampstead"),
            ("EX20", "EX21", "TQ13 8"),
        ),
    ),
)

ISLE_OF_WIGHT = CommissionerSpec(
    slug="isle-of-wight",
    name="Isle of Wight Council",
    ons_code="E06000046",
    zone_label="locality",
    website="https://www.iow.gov.uk/",
    zones=(
        ZoneSpec(
            1,
            "West and Central",
            ("Newport", "Cowes", "Yarmouth", "Freshwater"),
            ("PO30", "PO31", "PO40", "PO41"),
        ),
        ZoneSpec(
            2, "North East", ("Ryde", "East Cowes", "Bembridge"), ("PO32", "PO33", "PO34", "PO35")
        ),
        ZoneSpec(3, "South", ("Sandown", "Shanklin", "Ventnor"), ("PO36", "PO37", "PO38")),
    ),
)

STAFFORDSHIRE = CommissionerSpec(
    slug="staffordshire",
    name="Staffordshire County Council",
    ons_code="E10000028",
    zone_label="district",
    website="https://www.staffordshire.gov.uk/",
    zones=(
        ZoneSpec(1, "Newcastle-under-Lyme", ("Newcastle-under-Lyme", "Kidsgrove"), ("ST5", "ST7")),
        ZoneSpec(
            2, "Staffordshire Moorlands", ("Leek", "Cheadle", "Biddulph"), ("ST8", "ST10", "ST13")
        ),
        ZoneSpec(3, "Stafford", ("Stafford", "Stone"), ("ST15", "ST16", "ST17", "ST18")),
        ZoneSpec(4, "Cannock Chase", ("Cannock", "Rugeley"), ("WS11", "WS12", "WS15")),
        ZoneSpec(5, "South Staffordshire", ("Penkridge", "Codsall"), ("ST19", "WV8", "WV9")),
        ZoneSpec(6, "Lichfield", ("Lichfield", "Burntwood"), ("WS7", "WS13", "WS14")),
        ZoneSpec(
            7,
            "East Staffordshire",
            ("Burton upon Trent", "Uttoxeter"),
            ("DE13", "DE14", "DE15", "ST14"),
        ),
        ZoneSpec(8, "Tamworth", ("Tamworth",), ("B77", "B78", "B79")),
    ),
)

COMMISSIONERS = (DEVON, ISLE_OF_WIGHT, STAFFORDSHIRE)

# Which zones border which (an assumption from the map), for widening a search for care.
NEIGHBOURS = {
    "devon": [
        (1, 2),
        (1, 3),
        (1, 8),
        (2, 3),
        (3, 4),
        (3, 5),
        (3, 8),
        (4, 5),
        (4, 6),
        (4, 8),
        (6, 7),
        (6, 8),
        (7, 8),
    ],
    "isle-of-wight": [(1, 2), (1, 3), (2, 3)],
    "staffordshire": [
        (1, 2),
        (1, 3),
        (2, 3),
        (2, 7),
        (3, 4),
        (3, 5),
        (3, 7),
        (4, 5),
        (4, 6),
        (6, 7),
        (6, 8),
        (7, 8),
    ],
}

# Staffordshire's three geographic lots (seed 004: "three geographical Lots for Groups 2 and 3").
STAFFORDSHIRE_GEOGRAPHIC_LOTS = {
    "North": (1, 2, 3),
    "South": (4, 5, 6),
    "East": (7, 8, 6),
}
