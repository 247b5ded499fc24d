from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.pagination import PageLinks, paginate
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.directory import selectors
from caremarket.directory.forms import DirectorySearchForm
from caremarket.market.models import Zone
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
        zones = _zones_searched(form, data)
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
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "pages": pages,
            "results": _results(pages, today),
            "zones": zones,
            "searched": searched,
        },
    )


def _zones_searched(form: DirectorySearchForm, data: dict[str, Any]) -> list[Zone] | None:
    """The zones a search covers: every commissioner's zone covering the postcode (with an
    error on the form when none does), or the zone chosen, or any zone (``None``)."""
    if data.get("postcode"):
        _, zones = zones_covering_postcode(data["postcode"])
        if not zones:
            form.add_error(
                "postcode",
                f"No commissioner on caremarket covers {data['postcode']} yet. Try a zone instead.",
            )
        return zones
    if data.get("zone"):
        return [data["zone"]]
    return None


def _results(pages: PageLinks | None, today: date) -> list[dict[str, Any]]:
    """Each provider on the page with the zones it serves today."""
    if not pages:
        return []
    providers = list(pages.page.object_list)
    served = selectors.zones_served(providers, today)
    return [{"provider": p, "zones": served.get(p.pk, [])} for p in providers]


def provider(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.profile(slug, clock.today())
    return render(
        request, "directory/provider.html", {"profile": profile, "provider": profile.provider}
    )


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/open_data.html")
