"""Payment sharing as the acting user may see it: a lead's panel and its shares, and, for a
subcontractor, what its leads were paid for the visits it delivered while they share it.

The money a subcontractor may see is the lead's, so every read here starts from the leads
whose share is live today (``PaymentShare.objects.live``); a lead that never shared, or has
stopped, contributes nothing, and a subcontractor never sees a lead's other lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from caremarket.core import clock, roles
from caremarket.core.roles import Actor
from caremarket.delivery.models import PayLine, PaymentShare, PayRun, Visit
from caremarket.delivery.rules import line_amount
from caremarket.frameworks.models import PanelMember

# Runs whose money has been settled for the lead: what it "was paid" (a draft can still change).
SETTLED = (PayRun.State.APPROVED, PayRun.State.PAID)


@dataclass(frozen=True)
class PanelRow:
    provider_id: int
    provider: str
    share: PaymentShare | None  # the open share, if any


def panel_for(user: Actor, on: date | None = None) -> list[PanelRow]:
    """The lead's live panel members (once each, whatever the lot), with the open share."""
    me = roles.provider_id_of(user) if roles.is_provider(user) else None
    if me is None:
        return []
    day = on or clock.today()
    members = (
        PanelMember.objects.live(day)
        .filter(prime__provider_id=me)
        .exclude(provider_id=me)
        .select_related("provider")
        .order_by("provider__name")
    )
    open_shares = {s.subcontractor_id: s for s in PaymentShare.objects.open().filter(lead_id=me)}
    seen: dict[int, PanelRow] = {}
    for m in members:
        seen.setdefault(
            m.provider_id,
            PanelRow(m.provider_id, m.provider.display_name, open_shares.get(m.provider_id)),
        )
    return list(seen.values())


def history_for(user: Actor) -> QuerySet[PaymentShare]:
    """Every period of sharing the acting lead has given (open and stopped)."""
    me = roles.provider_id_of(user) if roles.is_provider(user) else None
    return (
        PaymentShare.objects.filter(lead_id=me if me is not None else -1)
        .select_related("subcontractor", "shared_by", "stopped_by")
        .order_by("-shared_from", "-pk")
    )


def sharing_leads(user: Actor, on: date | None = None) -> set[int]:
    """The leads whose share with the acting provider is live on the day."""
    me = roles.provider_id_of(user) if roles.is_provider(user) else None
    if me is None:
        return set()
    live = PaymentShare.objects.live(on or clock.today()).filter(subcontractor_id=me)
    return set(live.values_list("lead_id", flat=True))


def money_visibility(user: Actor) -> Callable[[Visit], bool]:
    """Whether the acting user may see the rate on a visit: a council (the payer) and the
    lead (the payee) always; the subcontractor that delivered it only while its lead shares.
    Worked out once per request, then asked per visit."""
    if not roles.is_provider(user):
        return lambda v: True
    me = roles.provider_id_of(user)
    leads = sharing_leads(user)

    def visible(visit: Visit) -> bool:
        if visit.agreement_id is None:
            return visit.provider_id == me
        lead = visit.agreement.provider_id
        return lead == me or lead in leads

    return visible


def paid_for_my_visits(user: Actor) -> list[dict[str, object]]:
    """For a subcontractor: per settled run, lead, agreement and rate, the visits it
    delivered, their paid hours and the amount its lead was paid for them.

    The amount is rounded where the run rounds it: once per pay line
    (``rules.line_amount``), over the subcontractor's
    visits of that line, and the row adds those rounded parts. A run pays an agreement's
    visits of its period and those evidenced late as separate lines, so one rounding over
    the row could differ from the lines by a penny; where the subcontractor delivered all
    of a line's visits, its part is the line to the penny. Held visits are left out of the
    run that held them (the lead was not paid for them) and come in the run a held line is
    released into, as their own row saying where from."""
    me = roles.provider_id_of(user) if roles.is_provider(user) else None
    leads = sharing_leads(user)
    if me is None or not leads:
        return []
    runs = (
        PayRun.objects.filter(
            state__in=SETTLED,
            pk__in=PayLine.objects.filter(provider_id__in=leads).values("run_id"),
        )
        .select_related("commissioner")
        .order_by("-period_start", "pk")
    )
    rows: list[dict[str, object]] = []
    for run in runs:
        found: dict[tuple[str, str, Decimal, str], dict[str, object]] = {}
        # The run's two kinds of line, as ``payruns._lines`` builds them.
        for kind in (PayLine.Kind.VISITS, PayLine.Kind.ADJUSTMENT):
            for part in _parts(Visit.objects.of_line(run, kind).filter(held=False), me, leads):
                _add(found, run, part, "")
        for line in run.lines.filter(
            kind=PayLine.Kind.RELEASED, provider_id__in=leads, corrects__isnull=False
        ).select_related("corrects__run"):
            for part in _parts(_held_behind(line.corrects), me, leads):
                _add(found, run, part, f"released from {line.corrects.run.reference}")
        for key in sorted(found):
            row = found[key]
            minutes = int(row.pop("minutes"))  # type: ignore[call-overload]
            row["hours"] = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
            rows.append(row)
    return rows


def _held_behind(held: PayLine) -> QuerySet[Visit]:
    """The visits a held line held: its run's visits of the line's kind, agreement and
    rate that were held (a line held for want of a price holds its unpriced visits)."""
    visits = Visit.objects.of_line(held.run, held.kind).filter(agreement_id=held.agreement_id)
    if held.rate == 0:
        return visits.filter(Q(rate__isnull=True) | Q(rate=0))
    return visits.filter(rate=held.rate, held=True)


def _add(found: dict[Any, dict[str, object]], run: PayRun, part: Any, note: str) -> None:
    rate = part["rate"] or Decimal("0")
    minutes = int(part["minutes"] or 0)
    lead = part["agreement__provider__name"] + (
        " (fictitious)" if part["agreement__provider__is_fictitious"] else ""
    )
    row = found.setdefault(
        (lead, part["agreement__reference"], rate, note),
        {
            "run": run.reference,
            "council": run.commissioner.name,
            "period_end": run.period_end,
            "state": run.get_state_display(),
            "lead": lead,
            "agreement": part["agreement__reference"],
            "visits": 0,
            "minutes": 0,
            "rate": rate,
            "amount": Decimal("0.00"),
            "note": note,
        },
    )
    row["visits"] += part["visits"]  # type: ignore[operator]
    row["minutes"] += minutes  # type: ignore[operator]
    row["amount"] += line_amount(minutes, rate)  # type: ignore[operator]


def _parts(visits: QuerySet[Visit], me: int, leads: set[int]) -> QuerySet[Any]:
    """The subcontractor's visits of one kind of line, grouped as the run groups them."""
    return (
        visits.filter(provider_id=me, agreement__provider_id__in=leads)
        .values(
            "agreement__reference",
            "agreement__provider__name",
            "agreement__provider__is_fictitious",
            "rate",
        )
        .annotate(visits=Count("pk"), minutes=Sum("paid_minutes"))
        .order_by()
    )
