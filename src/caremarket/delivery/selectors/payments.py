"""Pay runs, lines and remittances, as the acting user may see them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Sum

from caremarket.core import roles
from caremarket.core.errors import Conflict, NotFound
from caremarket.core.roles import Actor
from caremarket.delivery import rules
from caremarket.delivery.models import PayLine, PaymentRule, PayRun, SupplierCode
from caremarket.delivery.selectors import scope


def runs_for(user: Actor) -> QuerySet[PayRun]:
    qs = PayRun.objects.select_related("commissioner", "reviewed_by", "approved_by")
    if roles.is_provider(user):
        mine = PayLine.objects.filter(run=OuterRef("pk"), provider_id=roles.provider_id_of(user))
        return qs.filter(Exists(mine))
    return qs.filter(scope.council(user))


def run_for(user: Actor, pk: int) -> PayRun:
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound("No pay run here that you can see.")
    return run


def lines_for(user: Actor, run: PayRun | None = None) -> QuerySet[PayLine]:
    qs = PayLine.objects.filter(scope.lines(user)).select_related(
        "agreement__person", "provider", "run", "released_into__run", "corrects__run"
    )
    return qs.filter(run=run) if run is not None else qs


def line_for(user: Actor, pk: int) -> PayLine:
    line = lines_for(user).filter(pk=pk).first()
    if line is None:
        raise NotFound("No pay line here that you can see.")
    return line


def held_lines_for(user: Actor) -> QuerySet[PayLine]:
    return lines_for(user).filter(held=True, released_into__isnull=True)


@dataclass(frozen=True)
class Remittance:
    run: PayRun
    provider_id: int
    provider_name: str
    lines: list[PayLine]
    paid: Decimal
    held: Decimal


def remittance_for(user: Actor, run_pk: int, provider_id: int) -> Remittance:
    run = run_for(user, run_pk)
    if roles.is_provider(user) and provider_id != roles.provider_id_of(user):
        raise NotFound("No remittance here that you can see.")
    lines = list(lines_for(user, run).filter(provider_id=provider_id))
    if not lines:
        raise NotFound("This provider has no lines in this run.")
    return Remittance(
        run,
        provider_id,
        lines[0].provider.display_name,
        lines,
        sum((ln.amount for ln in lines if not ln.held), Decimal("0")),
        sum((ln.amount for ln in lines if ln.held), Decimal("0")),
    )


def providers_in(user: Actor, run: PayRun) -> list[dict[str, object]]:
    """One row per provider in a run: paid and held totals (for the remittance links)."""
    totals: dict[int, dict[str, object]] = {}
    for line in lines_for(user, run):
        row = totals.setdefault(
            line.provider_id,
            {
                "provider_id": line.provider_id,
                "provider": line.provider.display_name,
                "lines": 0,
                "paid": Decimal("0"),
                "held": Decimal("0"),
            },
        )
        row["lines"] = int(row["lines"]) + 1  # type: ignore[call-overload]
        key = "held" if line.held else "paid"
        row[key] = row[key] + line.amount  # type: ignore[operator]
    return list(totals.values())


def export_rows(user: Actor, run: PayRun) -> list[dict[str, object]]:
    """The finance export (docs/imports/ecm-visits.md, "Finance export"): one row per paid
    line, of an approved or paid run only (``rules.export_refusal``: Conflict otherwise)."""
    refusal = rules.export_refusal(run.state)
    if refusal is not None:
        raise Conflict(refusal)
    rule = PaymentRule.objects.default_for(run.commissioner_id, run.period_start)
    cost_centre = rule.cost_centre if rule else ""
    codes = dict(
        SupplierCode.objects.filter(commissioner_id=run.commissioner_id).values_list(
            "provider_id", "code"
        )
    )
    return [
        {
            "run": run.reference,
            "period_end": run.period_end,
            "supplier_code": codes.get(line.provider_id, f"P{line.provider_id:06d}"),
            "supplier": line.provider.display_name,
            "cost_centre": cost_centre,
            "agreement": line.agreement.reference,
            "kind": line.kind,
            "hours": line.hours,
            "rate": line.rate,
            "amount": line.amount,
        }
        for line in lines_for(user, run).filter(held=False)
    ]


def days_to_payment(user: Actor) -> list[dict[str, object]]:
    """Per provider: paid runs, and the average and longest days from period end to payment."""
    gaps: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    paid = (
        lines_for(user)
        .filter(run__state=PayRun.State.PAID, held=False)
        .values("provider_id", "provider__name", "run__period_end", "run__paid_on")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in paid:
        gaps[row["provider_id"]].append((row["run__paid_on"] - row["run__period_end"]).days)
        names[row["provider_id"]] = row["provider__name"]
    return [
        {
            "provider": names[p],
            "runs": len(g),
            "average_days": round(sum(g) / len(g), 1),
            "longest_days": max(g),
        }
        for p, g in gaps.items()
    ]
