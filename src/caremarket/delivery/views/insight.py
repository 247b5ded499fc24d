"""KPIs per provider (table and chart), the subcontracting share from delivered hours, and
over-tolerance time put to the commissioner."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import posted_action, run
from caremarket.core import clock
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Table, wants_csv
from caremarket.delivery import rules
from caremarket.delivery.selectors import kpis
from caremarket.delivery.selectors import visits as visit_selectors
from caremarket.delivery.services import responses
from caremarket.delivery.views.columns import KPIS, REQUESTS, SHARES, WEEKS


@permission_required("view_visits")
def kpi_page(request: HttpRequest) -> HttpResponse:
    end = clock.today() - timedelta(days=1)
    start = end - timedelta(days=27)
    rows = kpis.provider_kpis(request.user, start, end)
    table = Table.from_request(
        request,
        KPIS,
        rows,
        default_sort="provider",
        caption="By provider",
        empty_message="No visits in the last four weeks.",
    )
    weeks = Table.fixed(
        WEEKS, kpis.weekly_electronic(request.user, start, 4), caption="Week by week"
    )
    if wants_csv(request):
        return (weeks if request.GET.get("table") == "weeks" else table).csv_response(
            "delivery kpis"
        )
    chart = rules.bar_chart(
        rows, label="provider", value="electronic", standard=kpis.ELECTRONIC_STANDARD
    )
    context = {
        "table": table,
        "weeks": weeks,
        "chart": chart,
        "start": start,
        "end": end,
        "standard": kpis.ELECTRONIC_STANDARD,
    }
    return render(request, "delivery/kpis.html", context)


@permission_required("view_visits")
def subcontracting(request: HttpRequest) -> HttpResponse:
    start = rules.quarter_start(clock.today())
    if request.GET.get("quarter") == "previous":
        start = rules.quarter_start(start - timedelta(days=1))
    rows = kpis.subcontracting_shares(request.user, start)
    table = Table.from_request(
        request,
        SHARES,
        rows,
        default_sort="lead",
        caption="Lead providers",
        empty_message="No evidenced visits this quarter.",
    )
    if wants_csv(request):
        return table.csv_response("subcontracting share")
    context = {"table": table, "start": start, "end": rules.quarter_end(start)}
    return render(request, "delivery/subcontracting.html", context)


@permission_required("view_visits")
def variation_requests(request: HttpRequest) -> HttpResponse:
    action = posted_action(request)
    if action in ("approve", "refuse"):
        require(request.user, "decide_extra_time")
        pk = int(request.POST.get("request", 0) or 0)
        act = lambda d: _decide(request, pk, action == "approve")  # noqa: E731
        done = run(request, None, act, then=reverse("delivery:variation-requests"))
        if done is not None:
            return done
    qs = visit_selectors.variation_requests_for(request.user)
    table = Table.from_request(
        request,
        REQUESTS,
        qs,
        default_sort="visit_day",
        default_descending=True,
        caption="Extra time asked for",
        empty_message="Nothing asked for.",
    )
    if wants_csv(request):
        return table.csv_response("extra time requests")
    pending = [r for r in qs if r.state == "pending"]
    context = {
        "table": table,
        "pending": pending,
        "may_decide": may(request.user, "decide_extra_time"),
    }
    return render(request, "delivery/requests.html", context)


def _decide(request: HttpRequest, pk: int, approve: bool) -> str:
    responses.decide_variation(request.user, pk, approve=approve)
    return "Approved: paid in the next draft run." if approve else "Refused."
