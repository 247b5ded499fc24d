"""Delivery's factories: an agreement with a weekly pattern, a payment rule, users.

Built on tests/factories.py (the shared market and people), each record the smallest the
delivery rules need: an award straight to a provider (no offers), one variation at the
framework's price.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from caremarket.accounts.models import User
from caremarket.brokerage.models import AgreementVariation, Award, ServiceAgreement
from caremarket.core.roles import Role
from caremarket.delivery.models import PaymentRule, VisitPattern
from caremarket.market.models import Commissioner
from caremarket.providers.models import Provider
from tests import factories as f

_n = [0]


def _next() -> int:
    _n[0] += 1
    return _n[0]


def agreement(
    *,
    provider: Provider | None = None,
    delivering: Provider | None = None,
    commissioner: Commissioner | None = None,
    start: date = date(2026, 10, 5),
    price: Decimal = Decimal("19.28"),
    hours: Decimal = Decimal("7"),
) -> ServiceAgreement:
    referral = f.referral(**({"person": f.person(f.zone(commissioner))} if commissioner else {}))
    lead = provider or f.provider()
    award = Award.objects.create(
        commissioner=referral.commissioner,
        referral=referral,
        provider=lead,
        delivering_provider=delivering or lead,
        route="framework_first",
        reason="Test award.",
        unit="hour",
        unit_price=price,
        decided_at=timezone.now(),
    )
    made = ServiceAgreement.objects.create(
        award=award,
        commissioner=referral.commissioner,
        reference=f"TA{_next():05d}",
        person=referral.person,
        provider=lead,
        delivering_provider=delivering or lead,
        unit="hour",
        start_date=start,
    )
    AgreementVariation.objects.create(
        agreement=made,
        effective_from=start,
        units_per_week=hours,
        unit_price=price,
        weekly_cost=hours * price,
        reason="Start",
        at=timezone.now(),
    )
    return made


def daily_pattern(
    a: ServiceAgreement, *, at: time = time(8, 0), minutes: int = 60, carers: int = 1
) -> list[VisitPattern]:
    return [
        VisitPattern.objects.create(
            agreement=a,
            weekday=d,
            start_time=at,
            minutes=minutes,
            carers=carers,
            effective_from=a.start_date,
        )
        for d in range(7)
    ]


def rule(commissioner: Commissioner, **fields: Any) -> PaymentRule:
    values: dict[str, Any] = {
        "effective_from": date(2020, 1, 1),
        "frequency": PaymentRule.Frequency.WEEKLY,
        "cost_centre": "ASC-HC-01",
    }
    values.update(fields)
    return PaymentRule.objects.create(commissioner=commissioner, **values)


def finance(commissioner: Commissioner, role: str = Role.FINANCE) -> User:
    return f.council_user(commissioner, role=role)


def provider_user(provider: Provider) -> User:
    n = _next()
    return User.objects.create_user(
        username=f"dlv.provider.{n}", role=Role.PROVIDER, provider=provider, email=f"p{n}@x.example"
    )


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


def visit_row(
    a: ServiceAgreement,
    day: date,
    *,
    vid: str,
    start: tuple[int, int] = (8, 0),
    minutes: int = 60,
    method: str = "telephony",
    carer: str = "C1",
    reason: str = "",
) -> dict[str, Any]:
    check_in = at(day, *start)
    return {
        "visit_id": vid,
        "person_ref": a.person.reference,
        "carer_ref": carer,
        "check_in": check_in,
        "check_out": check_in + timedelta(minutes=minutes),
        "method": method,
        "manual_reason": reason,
    }
