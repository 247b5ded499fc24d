"""A fingerprint of the demo's market (providers, appointments, prices), so two builds of the
same code, seed and day can be compared without keeping both databases: the demo cache's
build writes it beside the cache (tests/demo_cache.py), the determinism test compares."""

from __future__ import annotations

import hashlib


def digest() -> str:
    from caremarket.frameworks.models import Appointment, Price
    from caremarket.providers.models import Provider

    rows = [
        *(f"P|{p.name}|{p.is_fictitious}" for p in Provider.objects.order_by("name")),
        *(
            f"A|{a.provider.name}|{a.lot}|{a.quality_score}|"
            f"{sorted(z.number for z in a.zones.all())}"
            for a in Appointment.objects.select_related("provider", "lot").prefetch_related("zones")
        ),
        *(
            f"£|{p.appointment.provider.name}|{p.zone.number}|{p.unit}|{p.amount}|{p.effective_from}"
            for p in Price.objects.select_related("appointment__provider", "zone")
        ),
    ]
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()
