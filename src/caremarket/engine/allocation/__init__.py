"""Allocation engine: place open referrals with providers, and prove how close to best it is.

Pure Python with NumPy, SciPy and HiGHS; plain data in and out (see ``model``); no Django.
The formulation, the JSON formats and the limits are in docs/allocation.md.
"""

from caremarket.engine.allocation.check import check_feasible
from caremarket.engine.allocation.generator import generate
from caremarket.engine.allocation.jsonio import AllocationInputError, from_json, schema, to_json
from caremarket.engine.allocation.model import (
    Allocation,
    Assignment,
    Bounds,
    Capacity,
    Eligibility,
    GuaranteedBlock,
    Prime,
    Problem,
    Provider,
    Referral,
    Totals,
    Unplaced,
    priority_weight,
)
from caremarket.engine.allocation.solve import solve

__all__ = [
    "Allocation",
    "AllocationInputError",
    "Assignment",
    "Bounds",
    "Capacity",
    "Eligibility",
    "GuaranteedBlock",
    "Prime",
    "Problem",
    "Provider",
    "Referral",
    "Totals",
    "Unplaced",
    "check_feasible",
    "from_json",
    "generate",
    "priority_weight",
    "schema",
    "solve",
    "to_json",
]
