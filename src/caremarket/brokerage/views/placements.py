"""The broker's "suggest placements", and a provider's capacity declarations."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import allocation
from caremarket.brokerage import forms as f
from caremarket.brokerage.services import placements
from caremarket.core import clock
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.market.models import ServiceType
from caremarket.providers import services as provider_services

UNPLACED_BECAUSE = {
    "no_eligible_provider": "Nobody appointed there can meet the needs",
    "capacity_exhausted": "Providers who could have no hours left",
}


@permission_required("broker")
def suggest(request: HttpRequest) -> HttpResponse:
    """What the engine would place, against first come, first served; the broker ticks the
    placements to send, and each goes through its referral's own route."""
    commissioner = getattr(request.user, "commissioner", None)
    if commissioner is None:
        messages.error(request, "Suggestions are for one council: sign in as its broker.")
        return HttpResponseRedirect(reverse("home:dashboard"))
    if request.method == "POST":
        return _send(request, commissioner)
    return render(request, "brokerage/suggest.html", _proposal(allocation.propose(commissioner)))


def _send(request: HttpRequest, commissioner: Any) -> HttpResponse:
    choices = f.ticked_placements(request.POST.getlist("place"))
    if not choices:
        messages.error(request, "Tick the placements to act on.")
        return HttpResponseRedirect(request.path)
    outcome = placements.accept(commissioner, choices, by=request.user)
    messages.success(request, _sent(outcome) or "Nothing to send.")
    return HttpResponseRedirect(reverse("brokerage:workbench"))


def _sent(outcome: Any) -> str:
    """What was sent where, and what was not (the first five reasons)."""
    parts = []
    if outcome.offered:
        parts.append(
            f"Offered {len(outcome.offered)} referral"
            f"{'s' if len(outcome.offered) != 1 else ''} to the suggested providers."
        )
    if outcome.to_lead:
        parts.append(
            f"Sent {len(outcome.to_lead)} to their lead providers with the "
            "suggested subcontractor named."
        )
    if outcome.skipped:
        more = "…" if len(outcome.skipped) > 5 else ""
        parts.append("Not sent: " + "; ".join(outcome.skipped[:5]) + more + ".")
    return " ".join(parts)


def _proposal(proposal: Any) -> dict[str, Any]:
    o, g = proposal.optimal.totals, proposal.greedy.totals
    return {
        "proposal": proposal,
        "optimal": o,
        "greedy": g,
        "bounds": proposal.optimal.bounds,
        "more_hours": o.hours_placed - g.hours_placed,
        "more_people": o.people_placed - g.people_placed,
        "more_weighted": o.weighted_hours_placed - g.weighted_hours_placed,
        "unplaced_reasons": sorted(Counter(reason for _, reason in proposal.unplaced).items()),
        "reasons": UNPLACED_BECAUSE,
    }


@permission_required("provider")
def capacity(request: HttpRequest) -> HttpResponse:
    provider = request.user.provider
    today = clock.today()
    appointed = allocation.appointed_for(provider.pk, today)
    zones = [
        z
        for z in provider_services.zones_served(provider, today)
        if any(z.pk == zone for zone, _ in appointed)
    ]
    services = ServiceType.objects.filter(unit="hour", pk__in={s for _, s in appointed})
    form = f.CapacityForm(request.POST or None, zones=zones, services=services, appointed=appointed)
    if request.method == "POST" and form.is_valid():
        try:
            provider_services.declare_capacity(provider, by=request.user, **form.cleaned_data)
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Capacity declared. Brokers see it when they place care.")
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "brokerage/capacity.html",
        {
            "form": form,
            "declarations": allocation.remaining_capacity(
                provider_services.current_declarations(provider, today)
            ),
            "zones": zones,
        },
    )
