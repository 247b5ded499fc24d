"""Pay runs: the list (and opening the next), one run with its actions, held lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core import roles
from caremarket.core.errors import Invalid
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Table, wants_csv
from caremarket.delivery import forms as f
from caremarket.delivery.selectors import payments as selectors
from caremarket.delivery.services import payruns
from caremarket.delivery.views.columns import LINES, PROVIDERS, RUNS


def _council(user: Any) -> int:
    me = roles.commissioner_id_of(user)
    if me is None:
        raise Invalid("Sign in as a council's finance officer to run payments.")
    return me


@permission_required("view_pay_runs")
def run_list(request: HttpRequest) -> HttpResponse:
    form = f.OpenRunForm(request.POST if posted_action(request) == "open" else None, prefix="open")
    if form.is_bound:
        require(request.user, "run_payments")
        act = lambda d: _open(request.user, d)  # noqa: E731
        done = run(request, form, act, then=reverse("delivery:pay-runs"))
        if done is not None:
            return done
    table = Table.from_request(
        request,
        RUNS,
        selectors.runs_for(request.user),
        default_sort="period_start",
        default_descending=True,
        caption="Pay runs",
        empty_message="No pay runs yet.",
    )
    if wants_csv(request):
        return table.csv_response("pay runs")
    table.paginate(request)
    context = {
        "table": table,
        "form": form,
        "may_run": may(request.user, "run_payments"),
        "provider_links": may(request.user, "provider_pages"),
        "failed_form": failed(form),
    }
    return render(request, "delivery/runs.html", context)


def _open(user: Any, data: dict[str, Any]) -> str:
    made = payruns.open_run(_council(user), by=user, period_start=data.get("period_start"))
    payruns.build(made.pk)
    return f"Pay run {made.reference} opened and built from verified visits."


@permission_required("view_pay_runs")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pay_run = selectors.run_for(request.user, pk)
    action = posted_action(request)
    paid = f.PaidForm(bound_to(request, action)("paid"), prefix="paid")
    if action in RUN_ACTIONS:
        require(request.user, "run_payments")
        act = RUN_ACTIONS[action]
        form = paid if action == "paid" else None
        done = run(
            request,
            form,
            lambda d: act(request.user, pay_run.pk, d),
            then=reverse("delivery:pay-run", args=[pay_run.pk]),
        )
        if done is not None:
            return done
    lines = Table.from_request(
        request,
        LINES,
        selectors.lines_for(request.user, pay_run),
        default_sort="provider",
        caption="Lines",
        empty_message="No lines: build the run from verified visits.",
    )
    if wants_csv(request):
        return lines.csv_response(f"{pay_run.reference} lines")
    lines.paginate(request)
    providers = Table.fixed(
        PROVIDERS, selectors.providers_in(request.user, pay_run), caption="Remittances"
    )
    context = {
        "run": pay_run,
        "table": lines,
        "providers": providers,
        "paid_form": paid,
        "may_run": may(request.user, "run_payments"),
        "failed_form": failed(paid),
    }
    return render(request, "delivery/run.html", context)


RUN_ACTIONS: dict[str, Callable[[Any, int, dict[str, Any]], str]] = {
    "build": lambda u, pk, d: (payruns.build(pk), "Run rebuilt from verified visits.")[1],
    "review": lambda u, pk, d: (payruns.send_for_review(pk, by=u), "Sent for review.")[1],
    "back": lambda u, pk, d: (payruns.send_back(pk, by=u), "Sent back to draft.")[1],
    "approve": lambda u, pk, d: (payruns.approve(pk, by=u), "Run approved.")[1],
    "paid": lambda u, pk, d: (
        payruns.record_payment(pk, by=u, paid_on=d["paid_on"]),
        "Payment recorded.",
    )[1],
}


@permission_required("view_pay_runs")
def held_lines(request: HttpRequest) -> HttpResponse:
    table = Table.from_request(
        request,
        LINES,
        selectors.held_lines_for(request.user),
        default_sort="provider",
        caption="Held lines",
        empty_message="No held lines.",
    )
    if wants_csv(request):
        return table.csv_response("held lines")
    table.paginate(request)
    return render(request, "delivery/held.html", {"table": table})
