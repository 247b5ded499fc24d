"""The broker's and practitioner's pages: the workbench, raising a referral, and acting on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import selectors
from caremarket.brokerage.models import Offer, Person, Referral
from caremarket.brokerage.models.referrals import STATE_CHOICES
from caremarket.brokerage.services import awards, competitions, offers, referrals
from caremarket.brokerage.services.errors import BrokerageError
from caremarket.brokerage.views.common import apply_error
from caremarket.brokerage.waiting import awaiting_q, with_effective_state
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.roles import BROKERS, COUNCIL, RAISERS, role_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.frameworks.models import Framework
from caremarket.market.models import Commissioner

REFERRAL_COLUMNS = [
    Column("reference", "Referral", link=lambda r: reverse("brokerage:referral", args=[r.pk])),
    Column("person", "Person", get=lambda r: r.person.reference),
    Column("zone", "Zone", get=lambda r: r.zone.number, numeric=True),
    Column("service", "Service", get=lambda r: r.service_type.name),
    Column("amount", "Amount", get=lambda r: r.amount_label, sortable=False),
    Column("urgency", "Urgency", get=lambda r: r.get_urgency_display()),
    Column("start_date", "Start", format="date"),
    Column("route", "Route", get=lambda r: r.get_route_display().split(":")[0]),
    Column("state", "State", get=lambda r: state_label(r.effective_state)),
]


def state_label(state: str) -> str:
    return dict(STATE_CHOICES).get(state, state)


@role_required(*BROKERS, "the brokerage workbench")
def workbench(request: HttpRequest) -> HttpResponse:
    bench = selectors.workbench(request.user, clock.now())
    return render(request, "brokerage/workbench.html", {"bench": bench, "now": clock.now()})


@role_required(*COUNCIL, "referrals")
def referral_list(request: HttpRequest) -> HttpResponse:
    qs = with_effective_state(selectors.referrals_for(request.user), clock.now())
    state = request.GET.get("state", "")
    if state in dict(STATE_CHOICES):
        qs = qs.filter(effective_state=state)
    table = Table.from_request(
        request,
        REFERRAL_COLUMNS,
        qs,
        default_sort="start_date",
        caption="Referrals",
        empty_message="No referrals match." if state else "No referrals yet.",
    )
    if wants_csv(request):
        return table.csv_response("referrals")
    table.paginate(request, per_page=50)
    return render(
        request,
        "brokerage/referral_list.html",
        {"table": table, "state": state, "states": Referral._meta.get_field("state").choices},
    )


def _commissioner(request: HttpRequest) -> Commissioner | None:
    return getattr(request.user, "commissioner", None)


@role_required(*RAISERS, "raising referrals")
def raise_referral(request: HttpRequest) -> HttpResponse:
    commissioner = _commissioner(request)
    if commissioner is None:
        messages.error(
            request, "Sign in as a council's practitioner or broker to raise a referral."
        )
        return HttpResponseRedirect(reverse("home:dashboard"))
    form = f.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referrals.raise_referral(
                request.user,
                commissioner,
                _referral_input(data),
                person=_existing_person(commissioner, data.get("person_reference", "")),
                new_person=None if data.get("person_reference") else _person_input(data),
            )
        except referrals.ReferralInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except BrokerageError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request, f"Referral {referral.reference} raised: {referral.events.first().note}"
            )
            return HttpResponseRedirect(reverse("brokerage:referral", args=[referral.pk]))
    return render(request, "brokerage/raise.html", {"form": form, "commissioner": commissioner})


def _existing_person(commissioner: Commissioner, reference: str) -> Person | None:
    if not reference.strip():
        return None
    person = Person.objects.filter(
        commissioner=commissioner, reference=reference.strip().upper()
    ).first()
    if person is None:
        raise referrals.ReferralInvalid(
            {"person_reference": f"No person {reference} is known to this council."}
        )
    return person


def _person_input(data: dict[str, Any]) -> referrals.PersonInput:
    return referrals.PersonInput(
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        address=data["address"],
        postcode=data["postcode"],
        care_group=data["care_group"],
        unpaid_carer=data["unpaid_carer"],
    )


def _referral_input(data: dict[str, Any]) -> referrals.ReferralInput:
    return referrals.ReferralInput(
        service_type=data["service_type"],
        start_date=data["start_date"],
        urgency=data["urgency"],
        outcomes=data["outcomes"],
        hours_per_week=data.get("hours_per_week"),
        sessions_per_week=data.get("sessions_per_week"),
        band_level=data.get("band_level", ""),
        calls_per_day=data.get("calls_per_day"),
        times_of_day=list(data.get("times_of_day") or []),
        minutes_per_call=data.get("minutes_per_call"),
        double_handed=data["double_handed"],
        needs=list(data.get("needs") or []),
    )


ACTIONS = ("send_offers", "award", "waiting", "escalate", "cancel", "spot", "competition")


@role_required(*COUNCIL, "referrals")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for(request.user, pk)
    now = clock.now()
    accepted = list(
        referral.offers.filter(
            kind=Offer.Kind.FRAMEWORK, status=Offer.Status.ACCEPTED
        ).select_related("provider")
    )
    bound = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if bound else None
    forms_ = {
        "send_offers": f.WidenForm(bound if action == "send_offers" else None, zone=referral.zone),
        "award": f.AwardForm(bound if action == "award" else None, offers=accepted),
        "waiting": f.WaitingForm(
            bound if action == "waiting" else None,
            initial={
                "interim_arrangement": referral.interim_arrangement,
                "next_action": referral.next_action,
            },
        ),
        "escalate": f.NoteForm(bound if action == "escalate" else None, prefix="escalate"),
        "cancel": f.NoteForm(bound if action == "cancel" else None, prefix="cancel"),
        "spot": f.SpotForm(bound if action == "spot" else None),
        "competition": f.CompetitionForm(
            bound if action == "competition" else None,
            initial={"title": f"Supported living for {referral.person.reference}"},
        ),
    }
    if action in ACTIONS:
        access.require_role(request.user, BROKERS, "acting on referrals")
        form = forms_[action]
        if form.is_valid():
            try:
                done = _act(request, referral, action, form.cleaned_data)
            except BrokerageError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("brokerage:referral", args=[referral.pk]))
    ranking = None
    ready, not_ready_because = False, ""
    if accepted:
        ranking = awards.ranking(referral)
        ready, not_ready_because = awards.ready_to_award(referral, now)
    return render(
        request,
        "brokerage/referral.html",
        {
            "referral": referral,
            "person": selectors.person_for(request.user, referral, request.path),
            "offers": referral.offers.select_related("provider", "parent__provider").order_by(
                "kind", "round", "provider__name"
            ),
            "events": referral.events.select_related("by"),
            "forms": forms_,
            "action": action,
            "failed_form": forms_[action] if action in ACTIONS and forms_[action].errors else None,
            "ranking": ranking,
            "ready": ready,
            "not_ready_because": not_ready_because,
            "is_broker": access.has_role(request.user, BROKERS),
            "now": now,
            "days_waiting": selectors.days_waiting(referral, clock.today()),
            "awaiting": Referral.objects.filter(pk=referral.pk).filter(awaiting_q(now)).exists(),
            "competition": getattr(referral, "competition", None),
            "agreement": getattr(getattr(referral, "award", None), "agreement", None),
            "is_call_off": referral.route
            in (Framework.Route.CALL_OFF, Framework.Route.MINI_COMPETITION),
        },
    )


def _act(request: HttpRequest, referral: Referral, action: str, data: dict[str, Any]) -> str:
    user = request.user
    if action == "send_offers":
        count = offers.source_again(referral, by=user, widen_to=list(data.get("zones") or []))
        if referral.route == Framework.Route.PRIME_PROVIDER:
            return "Referred to the lead provider again."
        return (
            f"Offered to {count} provider{'s' if count != 1 else ''}."
            if count
            else "No provider can take it there: it is on the awaiting-care list."
        )
    if action == "award":
        award = awards.confirm(
            referral.pk, by=user, chosen_offer=data.get("chosen_offer"), note=data.get("note", "")
        )
        return f"Awarded to {award.delivering_provider.display_name}. {award.reason}"
    if action == "waiting":
        referrals.record_waiting(
            referral, by=user, interim=data["interim_arrangement"], next_action=data["next_action"]
        )
        return "Recorded what the person has meanwhile, and the next action."
    if action == "escalate":
        referrals.escalate(referral, by=user, note=data["note"])
        return "Escalated."
    if action == "cancel":
        referrals.cancel(referral, by=user, reason=data["note"])
        return f"{referral.reference} cancelled."
    if action == "spot":
        award = awards.spot_purchase(
            referral.pk,
            by=user,
            provider=data["provider"],
            unit_price=data["unit_price"],
            reason=data["reason"],
        )
        return f"Bought spot from {award.provider.display_name}."
    competition = _open_competition(referral, user, data)
    return f"Competition {competition.reference} opened: providers on the lot are invited to bid."


def _open_competition(referral: Referral, user: Any, data: dict[str, Any]) -> Any:
    if referral.lot is None:
        raise BrokerageError("This referral has no framework lot to call off from.")
    return competitions.open_competition(
        by=user,
        lot=referral.lot,
        title=data["title"],
        description=data.get("description", ""),
        deadline=competitions.closing_at(data["deadline"]),
        referral=referral,
        contract_weeks=data.get("contract_weeks"),
    )
