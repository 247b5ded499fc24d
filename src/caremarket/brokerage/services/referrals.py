"""Raising a referral, and what a broker does with one that is waiting."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from caremarket.brokerage import visit_pattern
from caremarket.brokerage.models import Person, Referral, ReferralEvent
from caremarket.brokerage.models.referrals import OPEN_STATES
from caremarket.brokerage.routing import RoutePlan, band_on, plan_route
from caremarket.brokerage.rules import (
    TIMES_OF_DAY,
    date_of_birth_error,
    pattern_hours,
    start_date_error,
    unit_of,
)
from caremarket.brokerage.services import sourcing
from caremarket.brokerage.services.common import (
    create_numbered,
    lock_commissioner,
    transition,
    withdraw_open_offers,
)
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from caremarket.engine import postcodes
from caremarket.engine.lifecycle import State
from caremarket.engine.vacancy import BED_TYPES
from caremarket.frameworks.models import Framework
from caremarket.market.models import CareGroup, Commissioner, ServiceType, Specialism, Zone
from caremarket.market.selectors import PostcodeNotCovered, zone_for_postcode


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    date_of_birth: date
    address: str
    postcode: str
    care_group: CareGroup
    unpaid_carer: bool = False
    phone: str = ""


@dataclass
class ReferralInput:
    service_type: ServiceType
    start_date: date
    urgency: str
    outcomes: str
    hours_per_week: Decimal | None = None
    sessions_per_week: int | None = None
    band_level: str = ""
    calls_per_day: int | None = None
    times_of_day: list[str] = field(default_factory=list)
    minutes_per_call: int | None = None
    double_handed: bool = False
    needs: list[Specialism] = field(default_factory=list)
    bed_type: str = ""  # a care home place: the kind of bed


def _validate(commissioner: Commissioner, data: ReferralInput, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    start_error = start_date_error(data.start_date, today)
    if start_error:
        errors["start_date"] = start_error
    if data.urgency not in Referral.Urgency.values:
        errors["urgency"] = "Choose how urgent this is."
    if not data.outcomes.strip():
        errors["outcomes"] = "Say what matters to the person: the outcomes they want."
    if data.hours_per_week is not None and not Decimal("0") < data.hours_per_week <= 168:
        errors["hours_per_week"] = "Hours a week must be more than 0 and at most 168."
    if data.hours_per_week is not None and data.hours_per_week % Decimal("0.25"):
        errors["hours_per_week"] = "Give hours in quarters of an hour, like 7.5 or 10.25."
    if data.sessions_per_week is not None and not 1 <= data.sessions_per_week <= 21:
        errors["sessions_per_week"] = "Sessions a week must be between 1 and 21."
    amount = (data.hours_per_week, data.sessions_per_week, data.band_level, data.bed_type)
    if not any(a not in (None, "") for a in amount):
        errors.update(_no_amount(data.service_type))
    if data.bed_type and data.bed_type not in dict(BED_TYPES):
        errors["bed_type"] = "Choose a kind of care home bed from the list."
    elif data.bed_type and data.service_type.unit != "bed_week":
        errors["bed_type"] = f"{data.service_type.name} is not a care home place."
    if data.calls_per_day is not None and not 1 <= data.calls_per_day <= 8:
        errors["calls_per_day"] = "Calls a day must be between 1 and 8."
    if data.minutes_per_call is not None and not 15 <= data.minutes_per_call <= 720:
        errors["minutes_per_call"] = "Minutes a call must be between 15 and 720."
    unknown = set(data.times_of_day) - set(TIMES_OF_DAY)
    if unknown:
        errors["times_of_day"] = f"Unknown time of day: {', '.join(sorted(unknown))}."
    pattern_error = _pattern_error(data)
    if pattern_error and "hours_per_week" not in errors:
        errors["hours_per_week"] = pattern_error
    return errors


def _pattern_error(data: ReferralInput) -> str:
    """Hourly care given both as hours a week and as a visit pattern that disagree: why."""
    hours, calls, minutes = data.hours_per_week, data.calls_per_day, data.minutes_per_call
    if data.service_type.unit != "hour" or hours is None or calls is None or minutes is None:
        return ""
    if not (1 <= calls <= 8 and 15 <= minutes <= 720):
        return ""  # already refused, on its own field
    return visit_pattern.contradiction(hours, calls, minutes)


def _no_amount(service: ServiceType) -> dict[str, str]:
    """Nothing says how much care: ask for it in the service's own unit, on its own field
    (the one the referral form shows for that service)."""
    name, unit = service.name, service.unit
    if unit in ("session", "night"):
        return {"sessions_per_week": f"{name} is bought by the {unit}: give how many a week."}
    if unit == "week":
        return {"band_level": "Choose the band the social worker assessed."}
    if unit == "bed_week":
        return {"bed_type": "Choose the kind of care home bed the person needs."}
    return {"hours_per_week": f"{name} is bought by the hour: give hours a week."}


@transaction.atomic
def raise_referral(
    by: Any,
    commissioner: Commissioner,
    data: ReferralInput,
    *,
    person: Person | None = None,
    new_person: PersonInput | None = None,
    different_person: bool = False,
) -> Referral:
    """Validate everything first, then write all or nothing, then source it at once where the
    route allows (offers to every eligible provider, or referral to the zone's lead).

    Someone new whose name, date of birth and postcode match a person the council knows is
    refused with that person's reference to use instead (unless the broker says it is a
    different person), and an identical open referral for the same person and service is
    refused naming it: both were how one double-click made two people and two referrals."""
    today = clock.today()
    _derive_hours_from_the_pattern(data)
    errors = _validate(commissioner, data, today)
    zone: Zone | None = person.zone if person else None
    if new_person is not None:
        born_error = date_of_birth_error(new_person.date_of_birth, today)
        if born_error:
            errors["date_of_birth"] = born_error
        try:
            code, zone = zone_for_postcode(commissioner, new_person.postcode)
            new_person.postcode = str(code)
        except PostcodeNotCovered as exc:
            errors["postcode"] = str(exc)
        except postcodes.InvalidPostcode as exc:
            errors["postcode"] = str(exc)
    elif person is None:
        errors["person"] = "Choose the person, or enter their details."
    elif person.commissioner_id != commissioner.pk:
        errors["person"] = "That person is not known to this council."
    if zone is None or errors:
        raise Invalid(errors)
    if person is not None and person.merged_into_id:  # a duplicate: raise for the person
        person = person.merged_into
    if new_person is not None and not different_person:
        _refuse_if_known(commissioner, new_person)
    if person is not None:
        _refuse_if_already_open(person, data.service_type)

    care_group = new_person.care_group if new_person is not None else person.care_group  # type: ignore[union-attr]
    plan = plan_route(commissioner, data.service_type, zone, data.start_date, care_group)
    plan = _say_if_the_date_changed_the_route(plan, commissioner, data, zone, care_group, today)
    amount_errors = _amount_matches_unit(plan.framework, data)
    if amount_errors:
        raise Invalid(amount_errors)
    band = None
    if data.band_level:
        band = band_on(plan.framework, data.band_level, data.start_date)
        if band is None:
            raise Invalid({"band_level": "This framework has no such band."})
    elif (
        plan.framework and plan.framework.pricing_model == Framework.PricingModel.BANDED_WEEKLY_RATE
    ):
        raise Invalid({"band_level": "Choose the band the social worker assessed."})

    commissioner = lock_commissioner(commissioner)
    if new_person is not None:
        person = create_numbered(Person, commissioner, "P", zone=zone, **vars(new_person))
    assert person is not None
    referral = create_numbered(
        Referral,
        commissioner,
        "R",
        person=person,
        zone=zone,
        raised_by=by,
        service_type=data.service_type,
        framework=plan.framework,
        lot=plan.lot,
        route=plan.route,
        hours_per_week=data.hours_per_week,
        sessions_per_week=data.sessions_per_week,
        band=band,
        bed_type=data.bed_type,
        calls_per_day=data.calls_per_day,
        times_of_day=",".join(data.times_of_day),
        minutes_per_call=data.minutes_per_call,
        double_handed=data.double_handed,
        start_date=data.start_date,
        urgency=data.urgency,
        outcomes=data.outcomes.strip(),
    )
    needs = list(data.needs)
    if data.double_handed:
        needs += list(Specialism.objects.filter(code="double-handed"))
    referral.needs.set(needs)
    ReferralEvent.objects.create(
        referral=referral, to_state=State.SUBMITTED, by=by, at=clock.now(), note=plan.explanation
    )
    if plan.route == Framework.Route.FRAMEWORK_FIRST:
        sourcing.send_offers(referral, by=None)
    elif plan.route == Framework.Route.PRIME_PROVIDER:
        sourcing.refer_to_lead(referral, plan.lead, by=None)  # type: ignore[arg-type]
    referral.refresh_from_db()  # sourcing moved it on: return it as it now is
    return referral


def _derive_hours_from_the_pattern(data: ReferralInput) -> None:
    """Hourly care given as a visit pattern only: its hours a week follow from the pattern,
    so the two cannot disagree."""
    if (
        data.hours_per_week is None
        and data.sessions_per_week is None
        and data.calls_per_day
        and data.minutes_per_call
        and data.service_type.unit == "hour"
    ):
        data.hours_per_week = pattern_hours(data.calls_per_day, data.minutes_per_call)


def _refuse_if_known(commissioner: Commissioner, new: PersonInput) -> None:
    """Refuse to make a second record of someone the council already knows."""
    match = (
        Person.objects.filter(
            commissioner=commissioner,
            given_name__iexact=new.given_name.strip(),
            family_name__iexact=new.family_name.strip(),
            date_of_birth=new.date_of_birth,
            postcode=new.postcode,
            merged_into__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if match is not None:
        raise Invalid(
            {
                "person_reference": f"{match.reference} has the same name, date of birth and "
                f"postcode. Enter {match.reference} as the reference to raise this for them, "
                "or say this is a different person."
            }
        )


def _refuse_if_already_open(person: Person, service_type: ServiceType) -> None:
    open_one = (
        Referral.objects.filter(person=person, service_type=service_type, state__in=OPEN_STATES)
        .order_by("pk")
        .first()
    )
    if open_one is not None:
        raise Conflict(
            f"{open_one.reference} is already open for {person.reference} for "
            f"{service_type.name.lower()}: change or cancel it rather than raise another.",
            "service_type",
        )


def _say_if_the_date_changed_the_route(
    plan: RoutePlan,
    commissioner: Commissioner,
    data: ReferralInput,
    zone: Zone,
    care_group: CareGroup,
    today: date,
) -> RoutePlan:
    """A start date after a framework ends (or before it starts) changes the route: say so,
    so the broker sees why, at the time, rather than find a spot purchase later."""
    if data.start_date == today:
        return plan
    now_plan = plan_route(commissioner, data.service_type, zone, today, care_group)
    if now_plan.route == plan.route and now_plan.framework == plan.framework:
        return plan
    if now_plan.framework is not None:
        why = f"{now_plan.framework.name} would buy it if care started today; "
    else:
        why = "Nothing would buy it if care started today; "
    note = f"Because care starts on {data.start_date:%d %B %Y}: {why}{plan.explanation}"
    return replace(plan, explanation=note[:400])


def _amount_matches_unit(framework: Framework | None, data: ReferralInput) -> dict[str, str]:
    """The amount asked for must be in the unit the service is bought in, or the agreement
    could not say how much a week: hours for hourly care, sessions (or nights) for day
    opportunities and night sitting, a band for banded supported living."""
    unit = unit_of(framework.pricing_model if framework else None, data.service_type.unit)
    name = data.service_type.name
    if unit == "hour":
        if data.hours_per_week is None:
            return {"hours_per_week": f"{name} is bought by the hour: give hours a week."}
        if data.sessions_per_week is not None:
            return {"sessions_per_week": f"{name} is bought by the hour, not by the session."}
    elif unit in ("session", "night"):
        if data.sessions_per_week is None:
            return {"sessions_per_week": f"{name} is bought by the {unit}: give how many a week."}
        if data.hours_per_week is not None:
            return {"hours_per_week": f"{name} is bought by the {unit}, not by the hour."}
    elif unit == "week" and not data.band_level:
        return {"band_level": "Choose the band the social worker assessed."}
    if unit != "week" and data.band_level:
        return {"band_level": f"{name} here is not bought at banded rates."}
    return {}


@transaction.atomic
def record_waiting(referral: Referral, *, by: Any, interim: str, next_action: str) -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if interim not in Referral.Interim.values:
        raise Invalid("Choose what the person has meanwhile.", "interim_arrangement")
    referral.interim_arrangement = interim
    referral.next_action = next_action.strip()[:240]
    referral.save(update_fields=["interim_arrangement", "next_action"])


@transaction.atomic
def escalate(referral: Referral, *, by: Any, note: str) -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.is_open:
        raise Invalid("Only a referral still waiting can be escalated.")
    if not note.strip():
        raise Invalid("Say why, and to whom, you are escalating.", "note")
    referral.escalated_at = clock.now()
    referral.next_action = f"Escalated: {note.strip()}"[:240]
    referral.save(update_fields=["escalated_at", "next_action"])


@transaction.atomic
def cancel(referral: Referral, *, by: Any, reason: str) -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not reason.strip():
        raise Invalid("Say why the referral is cancelled.", "reason")
    withdraw_open_offers(referral, "The referral was cancelled.")
    transition(referral, State.CANCELLED, by, reason)


@transaction.atomic
def merge_people(*, by: Any, keep: Person, duplicate: Person, reason: str) -> Person:
    """Fold a duplicate record of someone into the one kept: the duplicate's referrals and
    agreements move to the kept record (each change kept in their history), and the duplicate
    stays, marked as merged into it, so that nothing that named it is lost. Records of care
    delivered keep naming the duplicate; ``merged_into`` leads from it to the person."""
    keep, duplicate = (
        Person.objects.select_for_update().get(pk=keep.pk),
        Person.objects.select_for_update().get(pk=duplicate.pk),
    )
    if keep.pk == duplicate.pk:
        raise Invalid("Choose two different records.", "duplicate")
    if keep.commissioner_id != duplicate.commissioner_id:
        raise Invalid("Both records must be this council's.", "duplicate")
    if duplicate.merged_into_id or keep.merged_into_id:
        merged = duplicate if duplicate.merged_into_id else keep
        raise Conflict(f"{merged.reference} has already been merged.", "duplicate")
    if not reason.strip():
        raise Invalid("Say why these are the same person.", "reason")
    note = f"Merged {duplicate.reference} into {keep.reference}: {reason.strip()}"[:400]
    for referral in Referral.objects.filter(person=duplicate).select_for_update():
        referral.person = keep
        referral._change_reason = note  # type: ignore[attr-defined]
        referral.save(update_fields=["person"])
        ReferralEvent.objects.create(
            referral=referral,
            from_state=referral.state,
            to_state=referral.state,
            by=by,
            at=clock.now(),
            note=note,
        )
    for agreement in duplicate.agreements.select_for_update():
        agreement.person = keep
        agreement._change_reason = note
        agreement.save(update_fields=["person"])
    duplicate.merged_into = keep
    duplicate._change_reason = note  # type: ignore[attr-defined]
    duplicate.save(update_fields=["merged_into"])
    return keep
