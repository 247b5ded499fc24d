"""The dashboard as of a date, the records behind its figures, and the projections."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.errors import Invalid
from caremarket.core.forms import apply_error
from caremarket.core.pagination import paginate
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.insight import selectors
from caremarket.insight.forms import AsOfForm
from caremarket.insight.selectors import dashboard as dash
from caremarket.insight.selectors import projections as proj
from caremarket.insight.selectors import records
from caremarket.insight.views import tables


def _dates(request: HttpRequest) -> tuple[AsOfForm, date, date | None]:
    form = AsOfForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"] or clock.today(), form.cleaned_data["compare_with"]
    return form, clock.today(), None


@permission_required("view_sufficiency")
def dashboard(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    form, as_of, compare_with = _dates(request)
    context = {"form": form, "commissioner": commissioner, "as_of": as_of}
    try:
        d = dash.dashboard(commissioner, as_of, compare_with)
    except Invalid as error:
        apply_error(form, error)
        return render(request, "insight/dashboard.html", context, status=200)
    built = tables.tables(d)
    if wants_csv(request) and request.GET.get("table") in built:
        return built[request.GET["table"]].csv_response(
            f"{commissioner.slug} {request.GET['table']} {as_of}"
        )
    context.update(d=d, tables=built, charts=tables.chart_set(d), csv=tables.csv_links(d))
    return render(request, "insight/dashboard.html", context)


def _record_page(request: HttpRequest, kind: str) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    _, as_of, _ = _dates(request)
    zone = request.GET.get("zone", "")
    filters = {
        "zone": int(zone) if zone.isdigit() else None,
        "care_group": request.GET.get("care_group") or None,
        "setting": request.GET.get("setting") or None,
    }
    page = records.records(commissioner, kind, as_of, **filters)
    table = Table.from_request(
        request,
        page.columns,
        [],  # the rows are sorted and paged in the database, below
        default_sort="zone",
        caption=page.caption,
        empty_message=page.empty,
    )
    rows = records.ordered(page.rows, table.sort, table.descending)
    if wants_csv(request):
        table.rows = list(rows)
        return table.csv_response(f"{commissioner.slug} {kind} {as_of}")
    table.pages = paginate(request, rows, per_page=50)
    table.rows = list(table.pages.page.object_list)
    context = {
        "table": table,
        "page": page,
        "as_of": as_of,
        "commissioner": commissioner,
        "zone": filters["zone"],
        "brokerage_awaiting": reverse("brokerage:awaiting"),
    }
    return render(request, "insight/records.html", context)


@permission_required("view_sufficiency")
def packages(request: HttpRequest) -> HttpResponse:
    return _record_page(request, "packages")


@permission_required("view_sufficiency")
def awaiting(request: HttpRequest) -> HttpResponse:
    return _record_page(request, "awaiting")


@permission_required("view_sufficiency")
def projections(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    _, as_of, _ = _dates(request)
    p = proj.projections(commissioner, as_of, years=10)
    views = {y: (tables.projection_chart(p, y), tables.projection_table(p, y)) for y in (5, 10)}
    if wants_csv(request):
        years = 5 if request.GET.get("table") == "5" else 10
        return views[years][1].csv_response(f"{commissioner.slug} projections {years} years")
    rates = Table.fixed(
        [
            Column("group", "Care group", get=lambda r: r.care_group.code),
            Column("age_band", "Age band"),
            Column("sex", "Sex"),
            Column("per_hundred", "Per 100", numeric=True),
            Column("source", "Source"),
            Column("assumption", "Assumption", get=lambda r: "Yes" if r.assumption else "No"),
        ],
        selectors.rates_for(commissioner),
        caption="Prevalence rates used",
        empty_message="No prevalence rates yet.",
    )
    context = {"commissioner": commissioner, "as_of": as_of, "p": p, "views": views, "rates": rates}
    return render(request, "insight/projections.html", context)
