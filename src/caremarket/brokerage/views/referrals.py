"""The broker's and practitioner's pages: the workbench, raising a referral, and acting on it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import awarding, routing, search, selectors, timeline
from caremarket.brokerage import forms as f
from caremarket.brokerage.forms_referral import ChooseServiceForm, ServiceReferralForm
from caremarket.brokerage.forms_spot import SpotForm
from caremarket.brokerage.models import Offer, Referral
from caremarket.brokerage.models.referrals import STATE_CHOICES
from caremarket.brokerage.services import awards, competitions, referrals, sourcing
from caremarket.brokerage.views import spot
from caremarket.brokerage.views.actions import bound_to, broker_action, failed, posted_action
from caremarket.brokerage.waiting import with_effective_state
from caremarket.core import clock, idempotency
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required
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


@permission_required("broker")
def workbench(request: HttpRequest) -> HttpResponse:
    bench = selectors.workbench(request.user, clock.now())
    return render(request, "brokerage/workbench.html", {"bench": bench, "now": clock.now()})


@permission_required("view_referrals")
def referral_list(request: HttpRequest) -> HttpResponse:
    qs = with_effective_state(selectors.referrals_for(request.user), clock.now())
    state, q = request.GET.get("state", ""), request.GET.get("q", "")
    if state in dict(STATE_CHOICES):
        qs = qs.filter(effective_state=state)
    qs = qs.filter(search.referral_q(q))
    table = Table.from_request(
        request,
        REFERRAL_COLUMNS,
        qs,
        default_sort="start_date",
        caption="Referrals",
        empty_message="No referrals match." if state or q else "No referrals yet.",
    )
    if wants_csv(request):
        return table.csv_response("referrals")
    table.paginate(request, per_page=50)
    return render(
        request,
        "brokerage/referral_list.html",
        {
            "table": table,
            "state": state,
            "q": q,
            "states": Referral._meta.get_field("state").choices,
        },
    )


@permission_required("raise_referral")
def raise_referral(request: HttpRequest) -> HttpResponse:
    """Choose the service (a GET form), then the form asks only that service's questions
    (``forms_referral``); an htmx request gets only the form, to swap in place."""
    commissioner: Commissioner | None = getattr(request.user, "commissioner", None)
    if commissioner is None:  # a platform administrator belongs to no council
        messages.error(
            request, "Sign in as a council's practitioner or broker to raise a referral."
        )
        return HttpResponseRedirect(reverse("home:dashboard"))
    chooser = ChooseServiceForm(request.GET if "service" in request.GET else None)
    service = chooser.cleaned_data["service"] if chooser.is_bound and chooser.is_valid() else None
    form = ServiceReferralForm(request.POST or None, service=service)
    if request.method == "POST" and form.service is None:
        chooser = ChooseServiceForm({"service": ""})  # the posted service is unknown: ask again
        chooser.is_valid()
    elif request.method == "POST" and form.is_valid():
        try:
            done = idempotency.once(
                "brokerage.raise_referral",
                form.token,
                request.user,
                lambda: _raise(request.user, commissioner, form),
                remember=lambda r: r.pk,
                recall=lambda pk: selectors.referral_for(request.user, int(pk)),
            )
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            referral = done.result
            if done.repeated:
                messages.success(request, f"Referral {referral.reference} was already raised.")
            else:
                note = referral.events.first().note
                messages.success(request, f"Referral {referral.reference} raised: {note}")
            return HttpResponseRedirect(reverse("brokerage:referral", args=[referral.pk]))
    template = "brokerage/raise.html"
    if request.headers.get("HX-Request") and request.method == "GET":
        template = "brokerage/_raise_form.html"  # htmx: only the form, updated in place
    return render(
        request,
        template,
        {"form": form, "chooser": chooser, "commissioner": commissioner, "service": form.service},
    )


def _raise(user: Any, commissioner: Commissioner, form: f.ReferralForm) -> Referral:
    """For someone the council knows (by reference), or someone new from the form."""
    known = selectors.person_by_reference(
        user, commissioner, form.cleaned_data.get("person_reference", "")
    )
    return referrals.raise_referral(
        user,
        commissioner,
        form.as_input(referrals.ReferralInput),
        person=known,
        new_person=None if known else form.as_input(referrals.PersonInput),
        different_person=form.cleaned_data.get("different_person", False),
    )


@permission_required("view_referrals")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Council staff see the referral; only a broker acts on it (one form per action)."""
    referral = selectors.referral_for(request.user, pk)
    accepted = selectors.acceptances(referral)
    action = posted_action(request)
    forms_ = _referral_forms(referral, accepted, bound_to(request, action))
    then = reverse("brokerage:referral", args=[referral.pk])
    if action == "spot":  # two steps: the costs to confirm, then the purchase (views.spot)
        done = spot.buy_step(request, referral, forms_["spot"])
    else:
        done = broker_action(request, action, forms_, REFERRAL_ACTIONS, referral, then=then)
    if done is not None:
        return done
    context = _referral_context(request, referral, now=clock.now(), accepted=bool(accepted))
    context.update(forms=forms_, action=action, failed_form=failed(*forms_.values()))
    return render(request, "brokerage/referral.html", context)


def _referral_forms(
    referral: Referral, accepted: list[Offer], data: Callable[[str], Any]
) -> dict[str, Any]:
    """The page's forms, one per action, keyed by the action's name."""
    return {
        "send_offers": f.WidenForm(data("send_offers"), zone=referral.zone),
        "award": f.AwardForm(data("award"), offers=accepted),
        "waiting": f.WaitingForm(
            data("waiting"),
            initial={
                "interim_arrangement": referral.interim_arrangement,
                "next_action": referral.next_action,
            },
        ),
        "escalate": f.NoteForm(data("escalate"), prefix="escalate"),
        "cancel": f.NoteForm(data("cancel"), prefix="cancel"),
        "spot": SpotForm(data("spot")),
        "competition": f.CompetitionForm(
            data("competition"),
            initial={"title": f"Supported living for {referral.person.reference}"},
        ),
    }


def _referral_context(
    request: HttpRequest, referral: Referral, *, now: datetime, accepted: bool
) -> dict[str, Any]:
    ranking, ready, not_ready_because = None, False, ""
    if accepted:  # acceptances in: rank them by the framework's rule
        ranking = awarding.ranking(referral)
        ready, not_ready_because = awarding.ready_to_award(referral, now)
    award = getattr(referral, "award", None)
    return {
        "referral": referral,
        "person": selectors.person_for(request.user, referral, request.path),
        "offers": referral.offers.select_related("provider", "parent__provider").order_by(
            "kind", "round", "provider__name"
        ),
        "events": referral.events.select_related("by"),
        "timeline": timeline.entries(referral),
        "ranking": ranking,
        "ready": ready,
        "not_ready_because": not_ready_because,
        "is_broker": may(request.user, "broker"),
        "now": now,
        "days_waiting": selectors.days_waiting(referral, clock.today()),
        "awaiting": selectors.is_awaiting(referral, now),
        "competition": getattr(referral, "competition", None),
        "agreement": getattr(award, "agreement", None),
        "is_call_off": referral.is_call_off,
        "spot_waiting": referral.spot_approvals.filter(status="pending").first(),
    }


# One function per action a broker takes on a referral; each returns what to tell them.


def _send_offers(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    count = sourcing.source_again(referral, by=user, widen_to=list(data.get("zones") or []))
    if referral.route == Framework.Route.PRIME_PROVIDER:
        return "Referred to the lead provider again."
    if not count:
        return "No provider can take it there: it is on the awaiting-care list."
    return f"Offered to {count} provider{'s' if count != 1 else ''}."


def _award(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    award = awards.confirm(
        referral.pk, by=user, chosen_offer=data.get("chosen_offer"), note=data.get("note", "")
    )
    return f"Awarded to {award.delivering_provider.display_name}. {award.reason}"


def _record_waiting(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    referrals.record_waiting(
        referral, by=user, interim=data["interim_arrangement"], next_action=data["next_action"]
    )
    return "Recorded what the person has meanwhile, and the next action."


def _escalate(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    referrals.escalate(referral, by=user, note=data["note"])
    return "Escalated."


def _cancel(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    referrals.cancel(referral, by=user, reason=data["note"])
    return f"{referral.reference} cancelled."


def _open_competition(user: Any, referral: Referral, data: dict[str, Any]) -> str:
    done = idempotency.once(
        "brokerage.open_competition",
        data.get("submission_token", ""),
        user,
        lambda: competitions.open_competition(
            by=user,
            lot=referral.lot_to_call_off(),
            title=data["title"],
            description=data.get("description", ""),
            deadline=routing.closing_at(data["deadline"]),
            referral=referral,
            contract_weeks=data.get("contract_weeks"),
        ),
        remember=lambda c: c.pk,
        recall=lambda pk: selectors.competition_for(user, int(pk)),
    )
    competition = done.result
    if done.repeated:
        return f"Competition {competition.reference} was already opened."
    return f"Competition {competition.reference} opened: providers on the lot are invited to bid."


REFERRAL_ACTIONS: dict[str, Callable[[Any, Referral, dict[str, Any]], str]] = {
    "send_offers": _send_offers,
    "award": _award,
    "waiting": _record_waiting,
    "escalate": _escalate,
    "cancel": _cancel,
    "competition": _open_competition,
}
