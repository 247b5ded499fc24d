"""Reference data every commissioner shares: care groups, service types and specialisms.

It is real configuration, not demo data, so it is ensured after every migrate (and after a
test flush) rather than loaded by the demo. Commissioners may add to it in the back office;
these rows are only created if missing and never overwritten.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

PSR = "clc_primary_support_reason"

CARE_GROUPS = [
    # code, name, DHSC Client Level Data primary support reason (Autism: an assumption, as CLD
    # records autism as a condition rather than a support reason).
    ("OP", "Older people", "Physical Support: Personal care support"),
    ("OPMH", "Older people with mental health needs", "Support with Memory & Cognition"),
    ("PD", "Physical disability", "Physical Support: Access & mobility only"),
    ("LD", "Learning disability", "Learning Disability Support"),
    ("MH", "Mental health", "Mental Health Support"),
    ("AUT", "Autism", "Social Support: Support for Social Isolation/Other"),
]

SERVICE_TYPES = [
    # code, name, unit, CQC registration required
    ("personal-care", "Regulated personal care (home care)", "hour", True),
    ("individualised-support", "Individualised support", "hour", False),
    ("group-day-opportunity", "Group day opportunity", "session", False),
    ("supported-living", "Supported living care", "week", True),
    ("replacement-care-day", "Replacement care: day sitting", "hour", False),
    ("replacement-care-night", "Replacement care: night sitting", "night", False),
    ("residential-care", "Residential care", "bed_week", True),
    ("nursing-care", "Nursing care", "bed_week", True),
]

SPECIALISMS = [
    ("mental-health", "Mental health"),
    ("complex-behaviour", "Complex behaviour"),
    ("end-of-life", "End of life care"),
    ("double-handed", "Double-handed care"),
    ("dementia", "Dementia"),
]


@transaction.atomic
def ensure_reference_data() -> None:
    from caremarket.market.models import CareGroup, ServiceType, Specialism

    for order, (code, name, reason) in enumerate(CARE_GROUPS):
        CareGroup.objects.get_or_create(
            code=code, defaults={"name": name, PSR: reason, "display_order": order}
        )
    for order, (code, name, unit, cqc) in enumerate(SERVICE_TYPES):
        ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "cqc_registration_required": cqc,
                "display_order": order,
            },
        )
    for code, name in SPECIALISMS:
        Specialism.objects.get_or_create(code=code, defaults={"name": name})


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    using = kwargs.get("using", "default")
    if using == "default":
        ensure_reference_data()
