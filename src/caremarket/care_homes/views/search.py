"""A broker's placement search: homes with the bed type vacant and accepting admissions,
nearest first from the person's postcode (the page says what distance is measured from)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.care_homes import forms as f
from caremarket.care_homes import selectors
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv

COLUMNS = [
    Column("home", "Care home"),
    Column("provider", "Provider"),
    Column("kind", "Kind"),
    Column("postcode", "Postcode"),
    Column("distance_km", "Distance (km)", numeric=True),
    Column("nearness_label", "How near", get=lambda r: r["nearness_label"]),
    Column("vacant_accepting", "Beds accepting admissions", numeric=True),
    Column("as_of", "Returned for", format="date"),
    Column("phone", "Phone", sortable=False),
]


@permission_required("search_care_home_beds")
def bed_search(request: HttpRequest) -> HttpResponse:
    form = f.BedSearchForm(request.GET if "postcode" in request.GET else None)
    table, searched = None, None
    if form.is_bound and form.is_valid():
        try:
            searched = selectors.placement_search(request.user, **form.cleaned_data)
            rows = searched.rows
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            table = Table.from_request(
                request,
                COLUMNS,
                rows,
                caption="Homes with vacancies",
                empty_message="No home in your area has a bed of this type accepting admissions.",
            )
            if wants_csv(request):
                return table.csv_response("care home vacancies")
    return render(
        request, "care_homes/bed_search.html", {"form": form, "table": table, "searched": searched}
    )
