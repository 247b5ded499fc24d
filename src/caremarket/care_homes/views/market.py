"""The commissioner's care homes page: vacancy rates by zone and bed type over months (a
table and an SVG chart of the same figures), homes at financial risk or business critical,
and returns missing; and the upload of returns from a CSV export."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.care_homes import forms as f
from caremarket.care_homes import imports as returns_import
from caremarket.care_homes import presenters, rules, selectors
from caremarket.core import clock, imports
from caremarket.core import roles as access
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.engine import vacancy

RATE = {"numeric": True, "format": "percent"}


def _percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else rate * 100


def _pivot(rows: list[dict], key: str, label: str, months: list) -> tuple[list, list[dict]]:
    """Rows of one zone (or bed type) with a rate per month: the page's table, whose CSV
    is the same figures; the long form (beds, occupied per month) is ``vacancy_rates``."""
    by: dict[str, dict] = {}
    for row in rows:
        entry = by.setdefault(row[key], {"label": row[key], "rates": {}, "beds": 0})
        entry["rates"][row["month"]] = row["rate"]
        if row["month"] == months[-1]:
            entry["beds"] = row["capacity"]
    columns = [Column("label", label), Column("beds", f"Beds {months[-1]:%b %Y}", numeric=True)]
    columns += [
        Column(
            f"m{m:%Y%m}",
            f"{m:%b %Y}",
            get=lambda r, m=m: _percent(r["rates"].get(m)),
            **RATE,
        )
        for m in months
    ]
    return columns, list(by.values())


HOME_COLUMNS = [
    Column("home", "Care home"),
    Column("provider", "Provider"),
    Column("zone", "Zone"),
    Column("kind", "Kind"),
    Column("capacity", "Beds", numeric=True),
    Column("vacant", "Vacant", numeric=True),
    Column("rate", "Vacancy rate", get=lambda r: _percent(r["rate"]), **RATE),
    Column("risk", "Financial risk", get=lambda r: "At risk" if r["financial_risk"] else "No"),
    Column("business_critical_labels", "Business critical for"),
    Column("returned", "Returned", get=lambda r: "Yes" if r["returned"] else "Missing"),
]


def _threshold(request: HttpRequest) -> Decimal:
    """A commissioner may try another threshold (a percent) on the page: ?threshold=15."""
    try:
        percent = Decimal(request.GET.get("threshold", ""))
    except InvalidOperation:
        return selectors.risk_threshold()
    return percent / 100 if Decimal(0) < percent <= Decimal(100) else selectors.risk_threshold()


def _chart(rows: list[dict], months: list) -> dict:
    series: dict[str, dict] = defaultdict(dict)
    for row in rows:
        series[row["zone"]][row["month"]] = row["rate"]
    return presenters.line_chart(months, dict(sorted(series.items())))


def _tables(request: HttpRequest, threshold: Decimal, months: list) -> tuple[dict, list]:
    """The page's three tables (each also its CSV), and the zone rows the chart draws."""
    by_zone = selectors.vacancy_rates(request.user, by=("zone",))
    by_bed = selectors.vacancy_rates(request.user, by=("bed_type",))
    none_yet = "No returns from homes in your zones yet."
    built = {}
    for key, rows, label, caption in (
        ("zones", by_zone, "Zone", "Vacancy rate by zone, month by month"),
        ("beds", by_bed, "Bed type", "Vacancy rate by bed type, month by month"),
    ):
        columns, pivoted = _pivot(
            rows, "zone" if key == "zones" else "bed_type_label", label, months
        )
        built[key] = Table.from_request(
            request,
            columns,
            pivoted,
            default_sort="label",
            caption=caption,
            empty_message=none_yet,
        )
    built["homes"] = Table.from_request(
        request,
        HOME_COLUMNS,
        selectors.home_stratification(request.user, threshold=threshold),
        default_sort="rate",
        default_descending=True,
        caption="Care homes: financial risk and business critical",
        empty_message="No care homes in your zones.",
    ).paginate(request, per_page=50)  # the CSV keeps every home; drawing 500 rows took 0.3 s
    return built, by_zone


@permission_required("view_care_home_market")
def market(request: HttpRequest) -> HttpResponse:
    threshold = _threshold(request)
    months = rules.months_back(vacancy.latest_month_closed(clock.today()), 12)
    tables, by_zone = _tables(request, threshold, months)
    if wants_csv(request):
        key = request.GET.get("table", "homes")
        return tables.get(key, tables["homes"]).csv_response(f"care homes {key}")
    context = {
        **tables,
        "chart": _chart(by_zone, months),
        "threshold": threshold * 100,
        "compliance": selectors.return_compliance(request.user),
        "months": months,
    }
    return render(request, "care_homes/market.html", context)


@permission_required("submit_care_home_return")
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of returns (a provider's for its homes; a commissioner's Tracker export
    for homes in its zones) and go to the import's report."""
    owner = _owner(request.user)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and owner and form.is_valid():
        run = imports.start(
            returns_import.KIND, form.cleaned_data["file"], by=request.user, owner=owner
        )
        return HttpResponseRedirect(reverse("core:import-run", args=[run.pk]))
    importer = imports.importer_for(returns_import.KIND)
    context = {
        "form": form,
        "columns": importer.columns,
        "owner": owner,
        "header": imports.example_csv(importer),
    }
    return render(request, "care_homes/upload.html", context)


def _owner(user) -> str | None:  # type: ignore[no-untyped-def]
    if access.is_provider(user):
        return imports.owner_key(provider_id=access.provider_id_of(user))
    if access.is_council(user):
        return imports.owner_key(commissioner_id=access.commissioner_id_of(user))
    return None
