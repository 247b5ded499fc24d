"""Writing a statement: create it for a date, edit its narrative and action plan, publish
it; and the commissioner's stated parameters and prevalence rates. Each write is in one
transaction and refuses with ``core.errors``; history is kept on every record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from caremarket.insight import rules
from caremarket.insight.models import (
    ActionPlanItem,
    Narrative,
    PrevalenceRate,
    Sector,
    Statement,
    SufficiencyParameters,
)
from caremarket.insight.selectors import figures
from caremarket.market.models import CareGroup, Commissioner


@transaction.atomic
def create_statement(
    commissioner: Commissioner, *, as_of: date, title: str, compare_with: date | None = None
) -> Statement:
    """A draft statement for a date. Refuses a date before any data (the statement would
    show nothing as if it were true), a future date, and a second statement for the date."""
    message = rules.refuse_before_data(as_of, figures.earliest_record(commissioner))
    if message:
        raise Invalid(message, "as_of")
    if as_of > clock.today():
        raise Invalid(
            "A statement describes a date that has happened: choose today or earlier.", "as_of"
        )
    if compare_with is not None and compare_with >= as_of:
        raise Invalid(
            "The date to compare with must be before the statement's date.", "compare_with"
        )
    if not title.strip():
        raise Invalid("Enter a title.", "title")
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                commissioner=commissioner,
                as_of=as_of,
                compare_with=compare_with,
                title=title.strip(),
            )
    except IntegrityError:
        raise Conflict(f"There is already a statement for {as_of:%-d %B %Y}.", "as_of") from None
    Narrative.objects.bulk_create(Narrative(statement=statement, sector=s) for s in Sector.values)
    return statement


def _locked(statement: Statement) -> Statement:
    return Statement.objects.select_for_update().get(pk=statement.pk)


@transaction.atomic
def edit_narrative(
    statement: Statement, *, introduction: str, sections: dict[str, str]
) -> Statement:
    statement = _locked(statement)
    unknown = set(sections) - set(Sector.values)
    if unknown:
        raise Invalid(f"There is no sector {sorted(unknown)[0]!r}.", "sector")
    statement.introduction = introduction
    statement.save(update_fields=["introduction"])
    for sector, text in sections.items():
        Narrative.objects.update_or_create(
            statement=statement, sector=sector, defaults={"text": text}
        )
    return statement


ACTION_FIELDS = ("sector", "action", "activities", "impact", "timescale", "owner", "status")


def _check_action(values: dict[str, Any]) -> None:
    errors = {
        name: f"Enter the {name}."
        for name in ACTION_FIELDS
        if not str(values.get(name) or "").strip()
    }
    if values.get("sector") and values["sector"] not in Sector.values:
        errors["sector"] = "Choose a sector."
    if values.get("status") and values["status"] not in ActionPlanItem.Status.values:
        errors["status"] = "Choose a status."
    if errors:
        raise Invalid(errors)


@transaction.atomic
def add_action(statement: Statement, **values: Any) -> ActionPlanItem:
    statement = _locked(statement)
    values.setdefault("status", ActionPlanItem.Status.NOT_STARTED)
    _check_action(values)
    order = statement.actions.count()
    return ActionPlanItem.objects.create(
        statement=statement, order=order, **{k: values[k] for k in ACTION_FIELDS}
    )


@transaction.atomic
def edit_action(item: ActionPlanItem, **values: Any) -> ActionPlanItem:
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    merged = {k: values.get(k, getattr(item, k)) for k in ACTION_FIELDS}
    _check_action(merged)
    for k, v in merged.items():
        setattr(item, k, v)
    item.save()
    return item


@transaction.atomic
def publish(statement: Statement, *, by: Any) -> Statement:
    """Publish: providers may then read it. Publishing twice is the first publication."""
    statement = _locked(statement)
    if statement.is_published:
        return statement
    statement.status = Statement.Status.PUBLISHED
    statement.published_at = clock.now()
    statement.published_by = by if getattr(by, "pk", None) else None
    statement.save(update_fields=["status", "published_at", "published_by"])
    return statement


@transaction.atomic
def set_parameters(
    commissioner: Commissioner,
    *,
    hours_per_worker: Decimal,
    vacancy_risk_percent: Decimal,
    hours_per_worker_source: str = "",
) -> SufficiencyParameters:
    errors = {}
    if not Decimal("0") < hours_per_worker <= Decimal("60"):
        errors["hours_per_worker"] = "Hours a worker delivers must be more than 0 and at most 60."
    if not Decimal("0") < vacancy_risk_percent <= Decimal("100"):
        errors["vacancy_risk_percent"] = "The vacancy rate must be more than 0 and at most 100."
    if errors:
        raise Invalid(errors)
    params, _ = SufficiencyParameters.objects.select_for_update().get_or_create(
        commissioner=commissioner
    )
    params.hours_per_worker = hours_per_worker
    params.vacancy_risk_percent = vacancy_risk_percent
    if hours_per_worker_source.strip():
        params.hours_per_worker_source = hours_per_worker_source.strip()
    params.save()
    return params


@transaction.atomic
def set_rate(
    commissioner: Commissioner,
    *,
    care_group: CareGroup,
    age_band: str,
    sex: str,
    per_hundred: Decimal,
    source: str,
    assumption: bool,
) -> PrevalenceRate:
    errors = {}
    if not Decimal("0") <= per_hundred <= Decimal("100"):
        errors["per_hundred"] = "A rate per 100 must be between 0 and 100."
    if sex not in PrevalenceRate.Sex.values:
        errors["sex"] = "Choose all, female or male."
    low, _, high = age_band.rstrip("+").partition("-")
    if not low.isdigit() or (high and not high.isdigit()):
        errors["age_band"] = "Enter an age band like 65-69 or 90+."
    if not source.strip():
        errors["source"] = "Say where the rate comes from (or that it is an assumption)."
    if errors:
        raise Invalid(errors)
    rate, _ = PrevalenceRate.objects.update_or_create(
        commissioner=commissioner,
        care_group=care_group,
        age_band=age_band,
        sex=sex,
        defaults={"per_hundred": per_hundred, "source": source.strip(), "assumption": assumption},
    )
    return rate
