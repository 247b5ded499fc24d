"""Service agreements: the council varies and ends them; providers see their own, with the
person's details (each look logged)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import search, selectors, variations
from caremarket.brokerage.forms_agreements import (
    EndForm,
    ProposalNoteForm,
    VaryForm,
    WithdrawVariationForm,
)
from caremarket.brokerage.models import ServiceAgreement, VariationProposal
from caremarket.brokerage.presenters import agreement_seen_by, viewer_of
from caremarket.brokerage.services import agreements
from caremarket.brokerage.services import variations as variation_services
from caremarket.brokerage.views.actions import bound_to, broker_action, failed, posted_action, run
from caremarket.core import clock
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Column, Table, wants_csv

WHO_COLUMNS = [
    Column("reference", "Agreement", link=lambda a: reverse("brokerage:agreement", args=[a.pk])),
    Column(
        "who",
        "Person or scheme",
        get=lambda a: (
            a.person.reference if a.person else ", ".join(s.name for s in a.schemes.all())
        ),
    ),
    Column("provider", "Delivered by", get=lambda a: a.delivering_provider.display_name),
    Column("start_date", "From", format="date"),
]


def _columns(today: date, viewer: int | None) -> list[Column]:
    """``viewer`` is the acting provider's id (None for council staff): a subcontractor's rows
    show no price where the price is the lead provider's own (``presenters``)."""

    def terms(a: ServiceAgreement) -> Any:
        if not hasattr(a, "_terms_now"):  # three columns read it: work it out once a row
            a._terms_now = a.current_terms(today)  # type: ignore[attr-defined]
        return a._terms_now  # type: ignore[attr-defined]

    def now(name: str) -> Callable[[ServiceAgreement], Any]:
        return lambda a: getattr(terms(a), name)

    def priced(name: str) -> Callable[[ServiceAgreement], Any]:
        return lambda a: (
            getattr(terms(a), name) if agreement_seen_by(viewer, a).shows_price else None
        )

    return [
        *WHO_COLUMNS,
        Column("units", "Units a week", get=now("units_per_week"), numeric=True, format="hours"),
        Column("unit", "Unit"),
        Column("price", "Price", get=priced("unit_price"), numeric=True, format="money"),
        Column("weekly", "Weekly cost", get=priced("weekly_cost"), numeric=True, format="money"),
        Column("status", "Status", get=lambda a: a.status(today)),
    ]


@permission_required("view_agreements")
def agreement_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.agreements_for(request.user)
    show, q = request.GET.get("show", "current"), request.GET.get("q", "")
    if show == "current":
        qs = qs.filter(end_date__isnull=True)
    qs = qs.filter(search.agreement_q(q))
    table = Table.from_request(
        request,
        _columns(clock.today(), viewer_of(request.user)),
        qs,
        default_sort="start_date",
        default_descending=True,
        caption="Service agreements",
        empty_message="No agreements yet.",
    )
    if wants_csv(request):
        return table.csv_response("service agreements")
    table.paginate(request, per_page=50)
    return render(request, "brokerage/agreements.html", {"table": table, "show": show, "q": q})


@permission_required("view_agreements")
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone with an agreement in scope sees it; only a broker varies or ends it."""
    agreement = selectors.agreement_for(request.user, pk)
    action = posted_action(request)
    data = bound_to(request, action)
    price_fixed = agreements.price_follows_framework(agreement)
    vary_form = VaryForm(data("vary"), prefix="vary", price_fixed=price_fixed)
    end_form = EndForm(data("end"), prefix="end")
    pending = variations.to_withdraw(agreement, clock.today())
    withdraw_form = WithdrawVariationForm(data("withdraw"), prefix="withdraw", pending=pending)
    noted = action in ("withdraw_proposal", "decline_variation")
    note_form = ProposalNoteForm(request.POST if noted else None, prefix="proposal")
    then = reverse("brokerage:agreement", args=[agreement.pk])
    forms_ = {
        "vary": vary_form,
        "end": end_form,
        "withdraw": withdraw_form,
        "withdraw_proposal": note_form,
    }
    done = broker_action(request, action, forms_, AGREEMENT_ACTIONS, agreement, then=then)
    if done is None and action in PROVIDER_ACTIONS:
        done = _provider_answers(request, agreement, action, note_form, then)
    if done is not None:
        return done
    referral = agreement.award.referral
    today = clock.today()
    seen = agreement_seen_by(viewer_of(request.user), agreement)
    return render(
        request,
        "brokerage/agreement.html",
        {
            "agreement": agreement,
            "referral": referral,
            "person": selectors.person_for(request.user, referral, request.path)
            if referral
            else None,
            "terms": agreement.current_terms(today),
            "variations": agreement.variations.select_related("by"),
            "status": agreement.status(today),
            "vary_form": vary_form,
            "end_form": end_form,
            "withdraw_form": withdraw_form if pending.exists() else None,
            "price_fixed": price_fixed,
            "changes": variations.changes(agreement),
            # The change waiting for the provider: for the council and that provider only
            # (not a subcontractor, whose price may be the lead's own).
            "proposal": agreement.proposals.filter(status="pending").first()
            if viewer_of(request.user) in (None, agreement.provider_id)
            else None,
            "may_agree": viewer_of(request.user) == agreement.provider_id,
            "note_form": note_form,
            "is_broker": may(request.user, "broker"),
            "shows_price": seen.shows_price,
            "reason": seen.reason,
            "failed_form": failed(vary_form, end_form, withdraw_form, note_form),
        },
    )


def _vary(user: Any, agreement: ServiceAgreement, data: dict[str, Any]) -> str:
    # The form's fields are the variation's terms, named as the service names them.
    done = variation_services.broker_vary(agreement.pk, by=user, **data)
    if isinstance(done, VariationProposal):
        who = agreement.provider.display_name
        return f"Sent to {who} to agree: nothing changes until they accept it."
    return "Variation corrected." if data.get("correcting") else "Agreement varied."


def _withdraw_proposal(user: Any, agreement: ServiceAgreement, data: dict[str, Any]) -> str:
    proposal = agreement.proposals.filter(status="pending").first()
    if proposal is None:
        return "No change is waiting for the provider."
    variation_services.withdraw_proposal(proposal.pk, by=user, reason=data["reason"])
    return "The proposed change is withdrawn; the provider is told."


PROVIDER_ACTIONS = ("accept_variation", "decline_variation")


def _provider_answers(
    request: HttpRequest, agreement: ServiceAgreement, action: str, form: Any, then: str
) -> HttpResponse | None:
    """The provider the agreement is with accepts or declines a change waiting for it."""
    require(request.user, "provider")
    proposal = agreement.proposals.filter(status="pending").first()
    if proposal is None:
        messages.error(request, "No change is waiting for you to agree.")
        return HttpResponseRedirect(then)

    def answer(data: dict[str, Any]) -> str:
        if action == "accept_variation":
            variation_services.accept_proposal(proposal.pk, by=request.user)
            return "Agreed: the new terms take effect from the date proposed."
        variation_services.decline_proposal(proposal.pk, by=request.user, reason=data["reason"])
        return "Declined: the council is told why."

    return run(request, form if action == "decline_variation" else None, answer, then=then)


def _withdraw(user: Any, agreement: ServiceAgreement, data: dict[str, Any]) -> str:
    variation = data["variation"]
    agreements.withdraw_variation(variation.pk, by=user, reason=data["reason"])
    return f"The variation of {variation.effective_from:%d %B %Y} is withdrawn."


def _end(user: Any, agreement: ServiceAgreement, data: dict[str, Any]) -> str:
    end_date, reason, resource = data["end_date"], data["end_reason"], data["resource"]
    agreements.end(agreement.pk, by=user, end_date=end_date, reason=reason, resource=resource)
    return "Agreement ended."


AGREEMENT_ACTIONS: dict[str, Callable[[Any, ServiceAgreement, dict[str, Any]], str]] = {
    "vary": _vary,
    "end": _end,
    "withdraw": _withdraw,
    "withdraw_proposal": _withdraw_proposal,
}


@permission_required("view_subcontracting")
def subcontracting(request: HttpRequest) -> HttpResponse:
    rows = selectors.subcontracting_shares(request.user, clock.today())
    return render(request, "brokerage/subcontracting.html", {"rows": rows, "days": 84})
