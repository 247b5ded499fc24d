from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.pagination import paginate
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.directory import selectors
from caremarket.directory.forms import DirectorySearchForm
from caremarket.market.selectors import zones_covering_postcode

DIRECTORY_COLUMNS = [
    Column("display_name", "Provider", link=lambda p: reverse("directory:provider", args=[p.slug])),
    Column(
        "services",
        "Services",
        sortable=False,
        get=lambda p: ", ".join(s.name for s in p.service_types.all()),
    ),
    Column(
        "care_groups",
        "Supports",
        sortable=False,
        get=lambda p: ", ".join(g.name for g in p.care_groups.all()),
    ),
]


def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    today = clock.today()
    providers = None
    zones = None
    searched = bool(request.GET)
    if not searched or form.is_valid():
        data = form.cleaned_data if searched else {}
        if data.get("postcode"):
            _, zones = zones_covering_postcode(data["postcode"])
            if not zones:
                form.add_error(
                    "postcode",
                    f"No commissioner on caremarket covers {data['postcode']} yet. "
                    "Try a zone instead.",
                )
        elif data.get("zone"):
            zones = [data["zone"]]
        if not form.errors:
            providers = selectors.search(
                today,
                zones=zones,
                service_type=data.get("service_type"),
                care_group=data.get("care_group"),
            )
    if providers is not None and wants_csv(request):
        table = Table.from_request(
            request, DIRECTORY_COLUMNS, providers, default_sort="display_name"
        )
        return table.csv_response("care providers")
    pages = paginate(request, providers, per_page=20) if providers is not None else None
    served = selectors.zones_served(list(pages.page.object_list), today) if pages else {}
    results = (
        [{"provider": p, "zones": served.get(p.pk, [])} for p in pages.page.object_list]
        if pages
        else []
    )
    return render(
        request,
        "directory/search.html",
        {"form": form, "pages": pages, "results": results, "zones": zones, "searched": searched},
    )


def provider(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.profile(slug, clock.today())
    return render(
        request, "directory/provider.html", {"profile": profile, "provider": profile.provider}
    )


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/open_data.html")
