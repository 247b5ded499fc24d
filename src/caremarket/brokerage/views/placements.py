"""The broker's "suggest placements", and a provider's capacity declarations."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import allocation
from caremarket.brokerage.services import placements
from caremarket.core import clock
from caremarket.core.forms import GovukForm
from caremarket.core.roles import BROKERS, provider_required, role_required
from caremarket.market.models import ServiceType, Zone
from caremarket.providers import services as provider_services


@role_required(*BROKERS, "suggested placements")
def suggest(request: HttpRequest) -> HttpResponse:
    commissioner = getattr(request.user, "commissioner", None)
    if commissioner is None:
        messages.error(request, "Suggestions are for one council: sign in as its broker.")
        return HttpResponseRedirect(reverse("home:dashboard"))
    if request.method == "POST":
        choices = []
        for value in request.POST.getlist("place"):
            try:
                referral, placed, delivered = (int(x) for x in value.split(":"))
            except ValueError:
                continue
            choices.append((referral, placed, delivered))
        if not choices:
            messages.error(request, "Tick the placements to act on.")
            return HttpResponseRedirect(request.path)
        outcome = placements.accept(commissioner, choices, by=request.user)
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
            parts.append(
                "Not sent: "
                + "; ".join(outcome.skipped[:5])
                + ("…" if len(outcome.skipped) > 5 else "")
                + "."
            )
        messages.success(request, " ".join(parts) or "Nothing to send.")
        return HttpResponseRedirect(reverse("brokerage:workbench"))
    proposal = allocation.propose(commissioner)
    o, g = proposal.optimal.totals, proposal.greedy.totals
    return render(
        request,
        "brokerage/suggest.html",
        {
            "proposal": proposal,
            "optimal": o,
            "greedy": g,
            "bounds": proposal.optimal.bounds,
            "more_hours": o.hours_placed - g.hours_placed,
            "more_people": o.people_placed - g.people_placed,
            "more_weighted": o.weighted_hours_placed - g.weighted_hours_placed,
            "unplaced_reasons": sorted(Counter(reason for _, reason in proposal.unplaced).items()),
            "reasons": {
                "no_eligible_provider": "Nobody appointed there can meet the needs",
                "capacity_exhausted": "Providers who could have no hours left",
            },
        },
    )


class CapacityForm(GovukForm):
    zone = forms.ModelChoiceField(
        label="Zone", queryset=Zone.objects.none(), empty_label="Choose a zone"
    )
    service_type = forms.ModelChoiceField(
        label="Service", queryset=ServiceType.objects.none(), empty_label="Choose a service"
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week you can take on",
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        decimal_places=2,
        help_text="New packages you could start now. 0 if none.",
    )

    def __init__(
        self, *args: object, zones: list[Zone], services: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["zone"].queryset = (
            Zone.objects.filter(pk__in=[z.pk for z in zones])
            .select_related(  # type: ignore[attr-defined]
                "commissioner"
            )
            .order_by("commissioner__name", "number")
        )
        self.fields["zone"].label_from_instance = lambda z: f"{z.commissioner.name}: {z.label}"  # type: ignore[attr-defined]
        self.fields["service_type"].queryset = services  # type: ignore[attr-defined]


@provider_required
def capacity(request: HttpRequest) -> HttpResponse:
    provider = request.user.provider
    today = clock.today()
    zones = provider_services.zones_served(provider, today)
    form = CapacityForm(
        request.POST or None, zones=zones, services=provider.service_types.filter(unit="hour")
    )
    if request.method == "POST" and form.is_valid():
        try:
            provider_services.declare_capacity(provider, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Capacity declared. Brokers see it when they place care.")
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "brokerage/capacity.html",
        {
            "form": form,
            "declarations": provider_services.current_declarations(provider, today),
            "zones": zones,
        },
    )
