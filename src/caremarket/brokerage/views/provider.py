"""A provider's inbox across every commissioner it works for: offers to answer (with the
time left), referrals to place as a lead, subcontract placements, bids, and awarded work."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import selectors
from caremarket.brokerage.models import Bid, Competition, Offer
from caremarket.brokerage.services import offers
from caremarket.brokerage.services.errors import BrokerageError
from caremarket.brokerage.views.common import apply_error
from caremarket.core import clock
from caremarket.core.roles import provider_required
from caremarket.frameworks.models import Framework


@provider_required
def inbox(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    mine = selectors.offers_for_provider(request.user)
    to_answer = list(mine.filter(Offer.live_q(now)).order_by("deadline"))
    answered = list(mine.exclude(Offer.live_q(now)).order_by("-sent_at")[:20])
    my_bids = Prefetch(
        "bids", queryset=Bid.objects.filter(provider_id=request.user.provider_id), to_attr="my_bids"
    )
    competitions = [
        {"competition": c, "phase": c.phase(now), "my_bid": c.my_bids[0] if c.my_bids else None}
        for c in selectors.competitions_for(request.user)
        .filter(status=Competition.Status.OPEN)
        .prefetch_related(my_bids)
        .order_by("deadline")
    ]
    agreements = list(selectors.agreements_for(request.user).filter(end_date__isnull=True)[:50])
    return render(
        request,
        "brokerage/inbox.html",
        {
            "to_answer": to_answer,
            "answered": answered,
            "competitions": competitions,
            "agreements": agreements,
            "now": now,
            "today": clock.today(),
        },
    )


@provider_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_provider(request.user, pk)
    referral = offer.referral
    provider = request.user.provider
    now = clock.now()
    action = request.POST.get("action") if request.method == "POST" else None
    bound = request.POST if request.method == "POST" else None
    panel = offers.panel_for(offer, clock.today()) if offer.kind == Offer.Kind.LEAD else []
    takes_quote = (
        referral.framework is not None
        and referral.framework.pricing_model == Framework.PricingModel.BID
    )
    forms_ = {
        "decline": f.DeclineForm(bound if action == "decline" else None),
        "quote": f.QuoteForm(bound if action == "accept" and takes_quote else None),
        "subcontract": f.SubcontractForm(bound if action == "subcontract" else None, panel=panel),
    }
    if action:
        form = {
            "decline": forms_["decline"],
            "subcontract": forms_["subcontract"],
            "accept": forms_["quote"] if takes_quote else None,
        }.get(action)
        try:
            if form is not None and not form.is_valid():
                raise _Invalid
            done = _act(offer, action, request, form.cleaned_data if form is not None else {})
        except _Invalid:
            pass
        except BrokerageError as exc:
            if form is not None:
                apply_error(form, exc)
            else:
                messages.error(request, exc.message)
                return HttpResponseRedirect(reverse("brokerage:offer", args=[offer.pk]))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("brokerage:inbox"))
    return render(
        request,
        "brokerage/offer.html",
        {
            "offer": offer,
            "referral": referral,
            "status": offer.effective_status(now),
            "person": selectors.person_for(request.user, referral, request.path),
            "forms": forms_,
            "panel": panel,
            "takes_quote": takes_quote,
            "now": now,
            "provider": provider,
            "failed_form": next((f for f in forms_.values() if f.is_bound and f.errors), None),
        },
    )


class _Invalid(Exception):
    pass


def _act(offer: Offer, action: str, request: HttpRequest, data: dict[str, object]) -> str:
    provider, user = request.user.provider, request.user
    if action == "accept":
        offers.accept(offer.pk, provider=provider, by=user, quote=data.get("quote"))  # type: ignore[arg-type]
        return (
            f"You accepted {offer.referral.reference}. The council awards by the "
            "framework's published rule; you will hear either way."
        )
    if action == "decline":
        offers.decline(
            offer.pk,
            provider=provider,
            by=user,
            reason=str(data["reason"]),
            detail=str(data.get("detail") or ""),
        )
        return f"You declined {offer.referral.reference}."
    if action == "deliver":
        offers.lead_delivers(offer.pk, provider=provider, by=user)
        return f"{offer.referral.reference} is yours to deliver."
    if action == "subcontract":
        member = data["member"]
        offers.lead_subcontracts(offer.pk, provider=provider, member=member, by=user)  # type: ignore[arg-type]
        return f"Asked {member} to deliver {offer.referral.reference}; they must confirm."
    if action == "confirm":
        offers.subcontractor_confirms(offer.pk, provider=provider, by=user)
        return f"You will deliver {offer.referral.reference} for the lead provider."
    raise BrokerageError("Unknown action.")
