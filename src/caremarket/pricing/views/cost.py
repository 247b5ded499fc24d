"""The cost of an hour of care, component by component, and providers' prices against it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.core import clock
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Table, wants_csv
from caremarket.engine.cost_of_care import HCA_2020_21, PRESETS, cost_of_care
from caremarket.pricing import presenters, selectors
from caremarket.pricing.forms import PresetForm


def _preset(request: HttpRequest) -> tuple[PresetForm, object]:
    form = PresetForm(request.GET or None)
    key = form.cleaned_data.get("preset") if form.is_valid() else ""
    return form, PRESETS.get(key or "", HCA_2020_21)


@permission_required("view_cost_of_care")
def cost_of_care_page(request: HttpRequest) -> HttpResponse:
    form, preset = _preset(request)
    breakdown = cost_of_care(preset.inputs)  # type: ignore[attr-defined]
    table = Table.fixed(
        presenters.COMPONENT_COLUMNS,
        breakdown.components,
        caption=f"An hour of care: {preset.name}",  # type: ignore[attr-defined]
    )
    if wants_csv(request):
        return table.csv_response(f"cost of care {preset.key}")  # type: ignore[attr-defined]
    groups = Table.fixed(
        presenters.GROUP_COLUMNS,
        [{"group": g, "amount": a} for g, a in breakdown.by_group().items()],
        caption="By the Homecare Association's groups",
    )
    return render(
        request,
        "pricing/cost_of_care.html",
        {"form": form, "preset": preset, "breakdown": breakdown, "table": table, "groups": groups},
    )


@permission_required("view_price_transparency")
def transparency(request: HttpRequest) -> HttpResponse:
    form, preset = _preset(request)
    cost = cost_of_care(preset.inputs).total  # type: ignore[attr-defined]
    rows = selectors.price_spreads(request.user, clock.today(), cost)
    table = Table.from_request(
        request,
        presenters.SPREAD_COLUMNS,
        rows,
        default_sort="framework",
        caption="Hourly prices in force today, per lot and zone",
        empty_message="No hourly prices are in force on your frameworks.",
    )
    if wants_csv(request):
        return table.csv_response("price transparency")
    return render(
        request, "pricing/transparency.html", {"form": form, "preset": preset, "table": table}
    )
