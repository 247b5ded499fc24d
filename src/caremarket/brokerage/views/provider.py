"""A provider's inbox across every commissioner it works for: offers to answer (with the
time left), referrals to place as a lead, subcontract placements, bids, and awarded work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import routing, selectors
from caremarket.brokerage.models import Offer
from caremarket.brokerage.presenters import offer_price_seen_by, viewer_of
from caremarket.brokerage.services import offers
from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.core.forms import GovukForm
from caremarket.core.permissions import permission_required


@permission_required("provider")
def inbox(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    mine = selectors.offers_for_provider(request.user)
    competitions = [
        {"competition": c, "phase": c.phase(now), "my_bid": c.my_bids[0] if c.my_bids else None}
        for c in selectors.open_competitions_with_my_bid(request.user)
    ]
    return render(
        request,
        "brokerage/inbox.html",
        {
            "to_answer": list(mine.filter(Offer.live_q(now)).order_by("deadline")),
            "answered": list(mine.exclude(Offer.live_q(now)).order_by("-sent_at")[:20]),
            "competitions": competitions,
            "agreements": list(
                selectors.agreements_for(request.user).filter(end_date__isnull=True)[:50]
            ),
            "now": now,
            "today": clock.today(),
        },
    )


@permission_required("provider")
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer an offer: accept (with a quote where the framework takes one), decline, or, as a
    lead provider, deliver it or place it with a panel member, who then confirms."""
    offer = selectors.offer_for_provider(request.user, pk)
    referral = offer.referral
    action = posted_action(request)
    panel = routing.panel_for(offer, clock.today()) if offer.kind == Offer.Kind.LEAD else []
    data = bound_to(request, action)
    forms_ = {
        "decline": f.DeclineForm(data("decline")),
        "quote": f.QuoteForm(data("accept") if referral.takes_quote else None),
        "subcontract": f.SubcontractForm(data("subcontract"), panel=panel),
    }
    if action:
        form = _posted_form(forms_, action, takes_quote=referral.takes_quote)
        done = run(request, form, _answer(request, offer, action), then=reverse("brokerage:inbox"))
        if done is not None:
            return done
    now = clock.now()
    return render(
        request,
        "brokerage/offer.html",
        {
            "offer": offer,
            "price": offer_price_seen_by(viewer_of(request.user), offer),
            "referral": referral,
            "status": offer.effective_status(now),
            "person": selectors.person_for(request.user, referral, request.path),
            "forms": forms_,
            "panel": panel,
            "takes_quote": referral.takes_quote,
            "now": now,
            "provider": request.user.provider,
            "failed_form": failed(*forms_.values()),
        },
    )


def _posted_form(
    forms_: dict[str, GovukForm], action: str, *, takes_quote: bool
) -> GovukForm | None:
    """The form an answer posts: accepting carries a quote only where the framework takes
    one; delivering and confirming are buttons, with no form."""
    if action == "accept":
        return forms_["quote"] if takes_quote else None
    return forms_[action] if action in ("decline", "subcontract") else None


def _answer(request: HttpRequest, offer: Offer, action: str) -> Callable[[dict[str, Any]], str]:
    """The service call for the posted answer, and what to tell the provider when it is done."""
    provider, user, reference = request.user.provider, request.user, offer.referral.reference

    def accept(data: dict[str, Any]) -> str:
        offers.accept(offer.pk, provider=provider, by=user, quote=data.get("quote"))
        return (
            f"You accepted {reference}. The council awards by the "
            "framework's published rule; you will hear either way."
        )

    def decline(data: dict[str, Any]) -> str:
        reason, detail = str(data["reason"]), str(data.get("detail") or "")
        offers.decline(offer.pk, provider=provider, by=user, reason=reason, detail=detail)
        return f"You declined {reference}."

    def deliver(data: dict[str, Any]) -> str:
        offers.lead_delivers(offer.pk, provider=provider, by=user)
        return f"{reference} is yours to deliver."

    def subcontract(data: dict[str, Any]) -> str:
        member = data["member"]
        offers.lead_subcontracts(offer.pk, provider=provider, member=member, by=user)
        return f"Asked {member} to deliver {reference}; they must confirm."

    def confirm(data: dict[str, Any]) -> str:
        offers.subcontractor_confirms(offer.pk, provider=provider, by=user)
        return f"You will deliver {reference} for the lead provider."

    def unknown(data: dict[str, Any]) -> str:
        raise Invalid("Unknown action.")

    answers = {"accept": accept, "decline": decline, "deliver": deliver}
    return {**answers, "subcontract": subcontract, "confirm": confirm}.get(action, unknown)
