from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.frameworks import selectors

FRAMEWORK_COLUMNS = [
    Column("name", "Framework", link=lambda f: reverse("frameworks:detail", args=[f.pk])),
    Column("commissioner", "Commissioner", get=lambda f: f.commissioner.name),
    Column("kind", "Kind", get=lambda f: f.get_kind_display()),
    Column("start_date", "Starts", format="date"),
    Column("end_date", "Initial term ends", format="date"),
    Column("route", "Route to market", get=lambda f: f.get_route_to_market_display()),
]

PRICE_COLUMNS = [
    Column("provider", "Provider"),
    Column("zone_number", "Zone", numeric=True),
    Column("zone", "Zone name"),
    Column("unit", "Per"),
    Column("amount", "Price", numeric=True, format="money"),
    Column("effective_from", "Since", format="date"),
    Column("next_amount", "Next price", numeric=True, format="money"),
    Column("next_effective_from", "From", format="date"),
]
QUALITY_COLUMN = Column("quality_score", "Quality", numeric=True)


@permission_required("view_frameworks")
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = list(selectors.frameworks_for(request.user))
    table = Table.from_request(
        request,
        FRAMEWORK_COLUMNS,
        frameworks,
        default_sort="name",
        caption="Frameworks",
        empty_message="There are no frameworks you can see yet.",
    )
    if wants_csv(request):
        return table.csv_response("frameworks")
    return render(request, "frameworks/list.html", {"table": table})


@permission_required("view_frameworks")
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.framework_for(request.user, pk)
    today = clock.today()
    windows = [
        {"window": w, "state": w.as_window().state(today)} for w in framework.entry_windows.all()
    ]
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "term": framework.term(),
            "live": framework.term().is_live(today),
            "entry": framework.entry_summary(today),
            "windows": windows,
            "today": today,
            "rates": framework.rates.all(),
            "bands": framework.bands.all(),
        },
    )


@permission_required("view_frameworks")
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = selectors.lot_for(request.user, pk)
    zone_filter = _zone_filter(request, lot)
    filters: dict[str, object] = {"appointment__lot": lot}
    if zone_filter is not None:
        filters["zone__number"] = zone_filter
    rows = selectors.price_rows(request.user, clock.today(), **filters)
    show_quality = selectors.sees_quality_scores(request.user)
    columns = [*PRICE_COLUMNS, QUALITY_COLUMN] if show_quality else PRICE_COLUMNS
    own = selectors.sees_only_own_prices(request.user)
    table = Table.from_request(
        request,
        columns,
        rows,
        default_sort="provider",
        caption="Your prices" if own else "Prices per zone",
        empty_message=_empty_prices_message(lot),
    )
    if wants_csv(request):
        return table.csv_response(f"{lot.framework.name} lot {lot.number} prices")
    table.paginate(request, per_page=50)
    return render(
        request,
        "frameworks/lot.html",
        {
            "lot": lot,
            "framework": lot.framework,
            "table": table,
            "appointments": list(selectors.appointments_on(lot)),
            "show_quality": show_quality,
            "zone_filter": zone_filter,
            "zones": lot.zones.all(),
        },
    )


def _zone_filter(request: HttpRequest, lot: object) -> int | None:
    raw = request.GET.get("zone", "")
    return int(raw) if raw.isdigit() else None


def _empty_prices_message(lot: object) -> str:
    framework = lot.framework  # type: ignore[attr-defined]
    if framework.pricing_model != framework.PricingModel.PROVIDER_ZONE_PRICE:
        return (
            f"Providers on this lot do not set their own prices: the framework uses a "
            f"{framework.get_pricing_model_display().lower()}, shown on the framework page."
        )
    return "No prices are in force today for this lot."
