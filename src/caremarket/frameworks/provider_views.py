"""Pages about providers: who the council works with, and a provider's own organisation.

They live with frameworks because what they show is appointments and prices."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.frameworks import selectors as framework_selectors
from caremarket.frameworks.views import PRICE_COLUMNS
from caremarket.providers import selectors

PROVIDER_COLUMNS = [
    Column("display_name", "Provider", link=lambda p: reverse("providers:detail", args=[p.pk])),
    Column(
        "care_groups",
        "Care groups",
        get=lambda p: ", ".join(g.code for g in p.care_groups.all()),
        sortable=False,
    ),
    Column(
        "specialisms",
        "Specialisms",
        get=lambda p: ", ".join(s.name for s in p.specialisms.all()),
        sortable=False,
    ),
]

MY_PRICE_COLUMNS = [
    Column("commissioner", "Commissioner"),
    Column("framework", "Framework"),
    *PRICE_COLUMNS[1:],
]


@permission_required("council_pages")
def provider_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    providers = list(selectors.providers_for(request.user, search))
    table = Table.from_request(
        request,
        PROVIDER_COLUMNS,
        providers,
        default_sort="display_name",
        caption="Providers",
        empty_message="No providers match your search." if search else "No providers yet.",
    )
    if wants_csv(request):
        return table.csv_response("providers")
    table.paginate(request, per_page=50)
    return render(request, "providers/list.html", {"table": table, "search": search})


@permission_required("council_pages")
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_for(request.user, pk)
    rows = framework_selectors.price_rows(
        request.user, clock.today(), appointment__provider=provider
    )
    table = Table.from_request(
        request,
        PRICE_COLUMNS[1:],
        rows,
        default_sort="zone_number",
        caption="Prices in force",
        empty_message="This provider has no prices in force with your council.",
    )
    if wants_csv(request):
        return table.csv_response(f"{provider.name} prices")
    appointments = framework_selectors.appointments_of(request.user, provider)
    return render(
        request,
        "providers/detail.html",
        {"provider": provider, "table": table, "appointments": appointments},
    )


@permission_required("provider_pages")
def my_organisation(request: HttpRequest) -> HttpResponse:
    appointments = list(framework_selectors.appointments_of_my_organisation(request.user))
    provider = appointments[0].provider if appointments else request.user.provider
    decorated = framework_selectors.my_price_rows(request.user, clock.today(), appointments)
    table = Table.from_request(
        request,
        MY_PRICE_COLUMNS,
        decorated,
        default_sort="commissioner",
        caption="Your prices in force",
        empty_message="You have no prices in force. Commissioners with a fixed rate or banded "
        "rates set the price for you.",
    )
    if wants_csv(request):
        return table.csv_response("my prices")
    table.paginate(request, per_page=50)
    panels = framework_selectors.panels_of_my_organisation(request.user)
    return render(
        request,
        "providers/mine.html",
        {"provider": provider, "appointments": appointments, "table": table, "panels": panels},
    )
