"""A provider's care homes: where each month's return stands, a home's returns, the form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.care_homes import forms as f
from caremarket.care_homes import rules, selectors, services
from caremarket.core import clock
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv
from caremarket.engine import vacancy

STATUS_COLUMNS = [
    Column("home", "Care home", link=lambda r: reverse("care_homes:my-home", args=[r["home_id"]])),
    Column("zone", "Zone"),
    Column("month", "Month", get=lambda r: f"{r['month']:%B %Y}", sortable=False),
    Column("window_closes", "Window closes", format="date"),
    Column("status_label", "Return"),
    Column("version", "Version", numeric=True),
    Column(
        "action",
        "Action",
        sortable=False,
        get=lambda r: "Correct the return" if r["return_id"] else "Make the return",
        link=lambda r: (
            reverse("care_homes:return-form", args=[r["home_id"]]) + f"?month={r['month']:%Y-%m}"
        ),
    ),
]

HISTORY_COLUMNS = [
    Column("month", "Month", get=lambda r: r.month, format="date"),
    Column("version", "Version", numeric=True),
    Column(
        "in_force",
        "In force",
        get=lambda r: "Superseded" if hasattr(r, "superseded_by") else "In force",
    ),
    Column(
        "submitted_at", "Submitted", get=lambda r: clock.local(r.submitted_at).date(), format="date"
    ),
    Column("source", "How", get=lambda r: r.get_source_display()),
    Column(
        "capacity",
        "Capacity",
        get=lambda r: sum(x.maximum_capacity for x in r.lines.all()),
        numeric=True,
    ),
    Column(
        "occupied", "Occupied", get=lambda r: sum(x.occupied for x in r.lines.all()), numeric=True
    ),
    Column(
        "accepting",
        "Accepting admissions",
        get=lambda r: sum(x.vacant_accepting for x in r.lines.all()),
        numeric=True,
    ),
]


@permission_required("provider_pages")
def my_homes(request: HttpRequest) -> HttpResponse:
    rows = selectors.return_statuses(request.user)
    table = Table.from_request(
        request,
        STATUS_COLUMNS,
        rows,
        default_sort="home",
        caption="Returns this month",
        empty_message="You have no care homes registered here.",
    )
    if wants_csv(request):
        return table.csv_response("care home returns")
    today = clock.today()
    window = vacancy.return_window(vacancy.month_start(today))
    return render(
        request, "care_homes/my_homes.html", {"table": table, "window": window, "today": today}
    )


@permission_required("provider_pages")
def my_home(request: HttpRequest, pk: int) -> HttpResponse:
    home = selectors.care_home_for(request.user, pk)
    returns = list(selectors.returns_for(request.user, home))
    table = Table.from_request(
        request,
        HISTORY_COLUMNS,
        returns,
        default_sort="month",
        default_descending=True,
        caption="Returns",
        empty_message="No returns yet.",
    )
    if wants_csv(request):
        return table.csv_response(f"{home.name} returns")
    table.paginate(request, per_page=24)
    return render(request, "care_homes/my_home.html", {"home": home, "table": table})


@permission_required("provider_pages")
def return_form(request: HttpRequest, pk: int) -> HttpResponse:
    home = selectors.care_home_for(request.user, pk)
    today = clock.today()
    months = rules.months_back(vacancy.latest_month_open(today), 12)[::-1]
    chosen = rules.parse_month(request.GET.get("month", ""))
    chosen = chosen if chosen in months else months[0]
    existing = selectors.current_return(home, chosen)
    form = f.ReturnForm(
        request.POST or None,
        registered=selectors.registered_beds(home),
        months=months,
        initial={"month": f"{chosen:%Y-%m}", **f.initial_from(existing)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made, created = services.submit_return(request.user, home.pk, form.to_input())
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            what = f"version {made.version}" if created else "unchanged: the same figures"
            messages.success(request, f"Return for {made.month:%B %Y} saved ({what}).")
            return HttpResponseRedirect(reverse("care_homes:my-home", args=[home.pk]))
    window = vacancy.return_window(chosen)
    context = {"home": home, "form": form, "window": window, "existing": existing}
    return render(request, "care_homes/return_form.html", context)
