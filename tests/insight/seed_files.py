"""Writes record-level CSV files whose totals are the seeds' own tables, for the fidelity
tests (and the benchmark): one row per person, with dates either side of the seeds' dates
so that only the date rules can make the totals come out right.

- Seed 000 (Devon, Supporting Independence): people supported by care group on 1 January
  and 21 August 2019, home-based and group-based.
- Seed 002 (Devon, Living Well at Home): unmet need by zone at mid-October 2019, hours and
  people.
- Seed 004 (Staffordshire supported living): residents by group and band (table 1).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

JAN, AUG = date(2019, 1, 1), date(2019, 8, 21)
MID_OCTOBER = date(2019, 10, 15)

# Seed 000: care group -> (1 Jan 2019, 21 Aug 2019).
HOME_BASED = {
    "OP": (331, 352),
    "OPMH": (27, 28),
    "PD": (220, 231),
    "LD": (1164, 1180),
    "MH": (235, 255),
    "Autism": (112, 145),
}
GROUP_BASED = {
    "OP": (352, 369),
    "OPMH": (3, 2),
    "PD": (85, 85),
    "LD": (193, 200),
    "MH": (10, 12),
    "Autism": (9, 8),
}
HOME_TOTALS, GROUP_TOTALS = (2086, 2189), (651, 674)

# Seed 002: zone -> (hours a week, people), and the zones' names.
UNMET = {
    1: (86, 12),
    2: (139, 14),
    3: (228, 21),
    4: (361, 43),
    5: (426, 34),
    6: (558, 63),
    7: (142, 10),
    8: (60, 8),
}
ZONES = {
    1: "Bideford/Northam, Great Torrington and Holsworthy",
    2: "Ilfracombe, Lynton/Lynmouth, Barnstaple, South Molton",
    3: "Tiverton, Crediton, Cullompton",
    4: "Exeter",
    5: "Honiton, Sidmouth, Exmouth, Seaton",
    6: "Newton Abbot, Totnes, Dartmouth",
    7: "Tavistock, Ivybridge",
    8: "Okehampton, Moretonhampstead",
}

# Seed 004, table 1: group -> residents by band (very high, high, medium, low).
RESIDENTS = {
    "1": (1, 4, 11, 2),
    "2": (11, 82, 105, 3),
    "3a": (1, 11, 7, 0),
    "3b": (2, 24, 111, 40),
    "3c": (0, 0, 0, 26),
    "4": (7, 13, 58, 7),
}
BAND_TOTALS = (22, 134, 292, 78)
BANDS = ("very_high", "high", "medium", "low")

PACKAGE_HEADER = [
    "reference",
    "person_reference",
    "care_group",
    "service_type",
    "setting",
    "lot",
    "zone",
    "hours_per_week",
    "band",
    "start_date",
    "end_date",
]
AWAITING_HEADER = [
    "reference",
    "person_reference",
    "zone",
    "care_group",
    "service_type",
    "hours_per_week",
    "awaiting_since",
    "resolved_on",
]


def _sums(table: dict[str, tuple[int, int]]) -> tuple[int, int]:
    return sum(t for t, _ in table.values()), sum(n for _, n in table.values())


def package_rows() -> list[list[str]]:
    """Per care group and setting: people in place on both dates, people who joined between
    them or left between them, and decoys that ended before 1 January or start after 21
    August (they must count on neither date).

    The seed's TOTAL rows are lower than the sums of their care-group rows (home-based
    2,086 against 2,089 on 1 January; 2,189 against 2,191 on 21 August; group-based 651
    against 652, 674 against 676): read as people supported in two care groups, counted in
    each group's row but once in the total. So that many people here have a package in two
    care groups on the date, which makes both the rows and the totals come out exactly."""
    rows: list[list[str]] = []
    n = 0
    for setting, table, service, totals in (
        ("home", HOME_BASED, "individualised-support", HOME_TOTALS),
        ("group", GROUP_BASED, "group-day-opportunity", GROUP_TOTALS),
    ):
        sums = _sums(table)
        twice_then, twice_now = sums[0] - totals[0], sums[1] - totals[1]
        both = min(twice_then, twice_now)
        kinds: dict[str, dict[str, list[int]]] = {}
        for group, (then, now) in table.items():
            common, joiners, leavers = min(then, now), max(now - then, 0), max(then - now, 0)
            if group == "OP" and twice_then > both:  # a leaver to pair on 1 January only
                common, joiners, leavers = common - 1, joiners + 1, leavers + 1
            plan = (
                [("2018-06-01", "", "common")] * common
                + [("2019-03-01", "", "joiner")] * joiners
                + [("2018-06-01", "2019-05-31", "leaver")] * leavers
                + [
                    ("2018-01-01", "2018-12-31", "decoy"),
                    ("2019-09-01", "", "decoy"),
                    ("2019-08-22", "", "decoy"),
                ]
            )
            kinds[group] = {"common": [], "joiner": [], "leaver": []}
            for start, end, kind in plan:
                n += 1
                if kind != "decoy":
                    kinds[group][kind].append(len(rows))
                rows.append(
                    [
                        f"PK{n:06d}",
                        f"P{n:06d}",
                        group,
                        service,
                        setting,
                        "",
                        str(n % 8 + 1),
                        "6.5",
                        "",
                        start,
                        end,
                    ]
                )

        def pair(
            first: tuple[str, str],
            second: tuple[str, str],
            kinds: dict[str, dict[str, list[int]]] = kinds,
        ) -> None:
            a = kinds[first[0]][first[1]].pop()
            b = kinds[second[0]][second[1]].pop()
            rows[b][1] = rows[a][1]

        for _ in range(both):
            pair(("LD", "common"), ("PD", "common"))
        for _ in range(twice_then - both):
            pair(("OP", "leaver"), ("PD", "common"))
        for _ in range(twice_now - both):
            pair(("OP", "joiner"), ("PD", "common"))
    return rows


def awaiting_rows() -> list[list[str]]:
    """Per zone: the seed's people, their hours summing to the seed's hours, waiting since
    the summer; and a decoy resolved before mid-October."""
    rows: list[list[str]] = []
    n = 0
    for zone, (hours, people) in UNMET.items():
        each = (Decimal(hours) / people).quantize(Decimal("0.01"))
        shares = [each] * people
        shares[0] += Decimal(hours) - sum(shares)
        for share in shares:
            n += 1
            rows.append(
                [
                    f"AW{n:05d}",
                    f"W{n:05d}",
                    str(zone),
                    "OP",
                    "personal-care",
                    str(share),
                    "2019-07-01",
                    "",
                ]
            )
        n += 1
        rows.append(
            [
                f"AW{n:05d}",
                f"W{n:05d}",
                str(zone),
                "OP",
                "personal-care",
                "10",
                "2019-06-01",
                "2019-09-30",
            ]
        )
    return rows


def resident_rows() -> list[list[str]]:
    """One row per resident of seed 004's table 1: reference, group, band."""
    rows: list[list[str]] = []
    n = 0
    for group, counts in RESIDENTS.items():
        for band, count in zip(BANDS, counts, strict=True):
            for _ in range(count):
                n += 1
                rows.append([f"R{n:04d}", group, band])
    return rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_all(folder: Path) -> dict[str, Path]:
    return {
        "packages": write(folder / "devon-packages.csv", PACKAGE_HEADER, package_rows()),
        "awaiting": write(folder / "devon-awaiting.csv", AWAITING_HEADER, awaiting_rows()),
        "residents": write(
            folder / "staffordshire-residents.csv", ["reference", "group", "band"], resident_rows()
        ),
    }
