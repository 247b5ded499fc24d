"""The platform's words in Client Level Data's Release 2 words (docs/cld.md, the mapping).

Each table is the one place a platform value becomes a CLD value, so the builder, the docs
and the tests read the same thing. Pure Python: tested without a database.
"""

from __future__ import annotations

from decimal import Decimal

# CareGroup.clc_primary_support_reason is stored in Release 1 wording (market.CareGroup);
# Release 2 (data from October 2025) words it as in vocabulary.PRIMARY_SUPPORT_REASONS.
PRIMARY_SUPPORT_REASON_R2: dict[str, str] = {
    "Physical Support: Access & mobility only": "Physical support: Access and mobility only",
    "Physical Support: Personal care support": "Physical Support: Personal care support",
    "Sensory Support: Support for visual impairment": (
        "Sensory Support: Support for visual impairment"
    ),
    "Sensory Support: Support for hearing impairment": (
        "Sensory Support: Support for hearing impairment"
    ),
    "Sensory Support: Support for dual impairment": "Sensory Support: Support for dual impairment",
    "Support with Memory & Cognition": "Support with memory and cognition",
    "Learning Disability Support": "Learning disability support",
    "Mental Health Support": "Mental health support",
    "Social Support: Substance misuse support": "Social support: Substance misuse support",
    "Social Support: Asylum seeker support": "Social Support: Asylum seeker support",
    "Social Support: Support for Social Isolation/Other": (
        "Social support: Support for social isolation or other reason"
    ),
    "Social Support: Support to Carer": "Social support: Support to unpaid carer",
}

# ServiceType.code -> Service_Type. Care homes by their kind; replacement care (a break for
# the unpaid carer, delivered to the person cared for) as carer support involving the person:
# our reading, an assumption to confirm. Everything else is long-term support in the community.
SERVICE_TYPE_BY_CODE: dict[str, str] = {
    "residential-care": "Long term support: Residential care",
    "nursing-care": "Long term support: Nursing care",
    "replacement-care-day": "Unpaid carer support: Support involving the person cared-for",
    "replacement-care-night": "Unpaid carer support: Support involving the person cared-for",
}
DEFAULT_SERVICE_TYPE = "Long term support: Community"

# ServiceType.code -> Service_Component, only where the value is one seen in DHSC's code (the
# full list is NOT FOUND): the rest are left blank for the council to add.
SERVICE_COMPONENT_BY_CODE: dict[str, str] = {
    "personal-care": "Home support or domiciliary care",
    "supported-living": "Community supported living",
}

# ServiceType.Unit -> Cost_Frequency_Unit_Type.
FREQUENCY_BY_UNIT: dict[str, str] = {
    "hour": "Hourly",
    "night": "Daily",
    "session": "Per session",
    "week": "Weekly",
    "bed_week": "Weekly",
}
PLANNED_UNITS = frozenset({"Hourly", "Daily", "Per session"})

# ServiceAgreement.EndReason -> Event_Outcome of the service's last period.
CONTINUING = "Continuation of support or services"
OUTCOME_BY_END_REASON: dict[str, str] = {
    "died": "NFA: Deceased",
    "moved_away": "NFA: Responsibility moved to another local authority",
    "needs_met": "NFA: Support ended as planned",
    "moved_provider": CONTINUING,
    "handed_back": CONTINUING,
}

# Referral outcomes: awarded goes on to services; a cancelled (withdrawn) referral records no
# reason the CLD list could take, so "NFA: Other" (an assumption).
REQUEST_OUTCOME_BY_STATE: dict[str, str] = {
    "awarded": "Progress to support planning or services",
    "cancelled": "NFA: Other",
}

CLIENT_TYPE = "Service user"
DELIVERY_MECHANISM = "CASSR commissioned support"


def primary_support_reason(release_1: str) -> str:
    """Release 2 wording; a value we cannot map is Unknown rather than a refused value."""
    return PRIMARY_SUPPORT_REASON_R2.get(release_1, "Unknown")


def service_type(code: str) -> str:
    return SERVICE_TYPE_BY_CODE.get(code, DEFAULT_SERVICE_TYPE)


def frequency(unit: str) -> str:
    """Cost_Frequency_Unit_Type of an agreement's unit ('' when the unit is unknown, which the
    check then reports as missing)."""
    return FREQUENCY_BY_UNIT.get(unit, "")


def planned_units(frequency_type: str, units_per_week: Decimal) -> str:
    """Planned_units_per_week: only where the cost recurs more often than weekly."""
    return f"{units_per_week:.2f}" if frequency_type in PLANNED_UNITS else ""


def service_outcome(end_reason: str, is_last_period: bool, ended: bool) -> str:
    """Event_Outcome of one period of a service: a period a variation closed, or a service
    still open at the end of the reporting period, continues; an ended one by its reason."""
    if not is_last_period or not ended:
        return CONTINUING
    return OUTCOME_BY_END_REASON.get(end_reason, "NFA: Support ended for other reason")


def money(value: Decimal) -> str:
    """Money and units in the file: two decimal places (an assumption: format NOT FOUND)."""
    return f"{value:.2f}"
