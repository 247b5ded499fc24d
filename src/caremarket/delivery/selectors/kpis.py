"""Key performance indicators and the subcontracting share, from evidenced visits.

- electronically logged: visits by telephony, app/GPS or QR/NFC over all visits (Central
  Bedfordshire's agreed call-logging rate is 85%: domain-facts 3.3);
- punctual: matched visits not late beyond the rule's lateness;
- missed: planned visits nobody arrived for, over planned visits;
- continuity: visits by the person's most frequent carer, over the person's visits;
- commissioned vs delivered hours: planned minutes vs actual minutes of matched visits.

Subcontracting share (the Isle of Wight's 30% minimum, seed 001): of the evidenced (paid, not
held) minutes on a lead provider's agreements in a quarter, the share delivered by another
provider (its panel member), not counted from referrals.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, Sum

from caremarket.core import roles
from caremarket.core.roles import Actor
from caremarket.delivery import rules
from caremarket.delivery.models import PlannedVisit, Visit
from caremarket.delivery.models.visits import ELECTRONIC
from caremarket.delivery.selectors import scope

ELECTRONIC_STANDARD = 85  # percent, Central Bedfordshire (domain-facts 3.3)
SUBCONTRACT_MINIMUM = 30  # percent, Isle of Wight (seed 001)


def _planned(user: Actor) -> Q:
    if roles.is_provider(user):
        return Q(provider_id=roles.provider_id_of(user)) | Q(
            agreement__provider_id=roles.provider_id_of(user)
        )
    return scope.council(user)


def provider_kpis(user: Actor, start: date, end: date) -> list[dict[str, Any]]:
    visits = Visit.objects.filter(scope.visits(user), day__gte=start, day__lte=end)
    rows: dict[int, dict[str, Any]] = {}
    for r in visits.values("provider_id", "provider__name").annotate(
        n=Count("pk"),
        electronic=Count("pk", filter=Q(method__in=ELECTRONIC)),
        matched=Count("pk", filter=Q(planned__isnull=False)),
        late=Count("pk", filter=Q(exceptions__contains="late")),
        minutes=Sum("minutes", filter=Q(planned__isnull=False)),
    ):
        rows[r["provider_id"]] = {
            "provider": r["provider__name"],
            "visits": r["n"],
            "electronic": rules.percent(r["electronic"], r["n"]),
            "punctual": rules.percent(r["matched"] - r["late"], r["matched"]),
            "delivered_hours": rules.hours(r["minutes"] or 0),
            "meets_standard": rules.percent(r["electronic"], r["n"]) >= ELECTRONIC_STANDARD,
        }
    plans = PlannedVisit.objects.filter(_planned(user), day__gte=start, day__lte=end)
    for r in plans.values("provider_id").annotate(
        n=Count("pk"), missed=Count("pk", filter=Q(missed=True)), minutes=Sum("minutes")
    ):
        row = rows.setdefault(r["provider_id"], {"provider": "", "visits": 0})
        row["missed"] = rules.percent(r["missed"], r["n"])
        row["commissioned_hours"] = rules.hours(r["minutes"] or 0)
    carers: dict[int, dict[int, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for provider, person, carer, n in (
        visits.values_list("provider_id", "person_id", "carer_ref")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        carers[provider][person][carer] += n
    for provider, people in carers.items():
        top = sum(c.most_common(1)[0][1] for c in people.values())
        total = sum(sum(c.values()) for c in people.values())
        rows[provider]["continuity"] = rules.percent(top, total)
    return sorted(rows.values(), key=lambda r: str(r["provider"]))


def weekly_electronic(user: Actor, start: date, weeks: int) -> list[dict[str, Any]]:
    """The trend: % electronically logged and % punctual, week by week."""
    out = []
    for w in range(weeks):
        a = start + timedelta(days=7 * w)
        qs = Visit.objects.filter(scope.visits(user), day__gte=a, day__lte=a + timedelta(days=6))
        agg = qs.aggregate(
            n=Count("pk"),
            e=Count("pk", filter=Q(method__in=ELECTRONIC)),
            m=Count("pk", filter=Q(planned__isnull=False)),
            late=Count("pk", filter=Q(exceptions__contains="late")),
        )
        out.append(
            {
                "week": a,
                "visits": agg["n"],
                "electronic": rules.percent(agg["e"], agg["n"]),
                "punctual": rules.percent(agg["m"] - agg["late"], agg["m"]),
            }
        )
    return out


def subcontracting_shares(user: Actor, quarter_start: date) -> list[dict[str, Any]]:
    end = rules.quarter_end(quarter_start)
    visits = Visit.objects.filter(
        scope.visits(user),
        day__gte=quarter_start,
        day__lte=end,
        held=False,
        verified=True,
        agreement__isnull=False,
    )
    rows = []
    for r in visits.values("agreement__provider_id", "agreement__provider__name").annotate(
        total=Sum("paid_minutes"),
        sub=Sum("paid_minutes", filter=~Q(provider_id=F("agreement__provider_id"))),
    ):
        share = rules.percent(r["sub"] or 0, r["total"] or 0)
        rows.append(
            {
                "lead": r["agreement__provider__name"],
                "evidenced_hours": rules.hours(r["total"] or 0),
                "subcontracted_hours": rules.hours(r["sub"] or 0),
                "share": share,
                "meets_minimum": share >= SUBCONTRACT_MINIMUM,
            }
        )
    return sorted(rows, key=lambda r: str(r["lead"]))
