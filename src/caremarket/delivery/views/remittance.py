"""Remittance advice per provider (page, CSV, PDF) and the finance export of a run."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.core.errors import Conflict
from caremarket.core.pdf import render_pdf
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Table, wants_csv
from caremarket.delivery.selectors import payments as selectors
from caremarket.delivery.views.columns import DAYS, EXPORT, LINES


@permission_required("view_pay_runs")
def remittance(request: HttpRequest, pk: int, provider: int) -> HttpResponse:
    advice = selectors.remittance_for(request.user, pk, provider)
    table = Table.fixed(LINES, advice.lines, caption="Lines")
    name = f"remittance {advice.run.reference} {advice.provider_name}"
    if wants_csv(request):
        return table.csv_response(name)
    context = {"advice": advice, "table": table}
    if request.GET.get("format") == "pdf":
        return render_pdf(request, "delivery/remittance.html", context, f"{name}.pdf")
    return render(request, "delivery/remittance.html", context)


@permission_required("run_payments")
def finance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft or in-review run is refused (Conflict): the run page says why, nothing is sent."""
    pay_run = selectors.run_for(request.user, pk)
    try:
        rows = selectors.export_rows(request.user, pay_run)
    except Conflict as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("delivery:pay-run", args=[pay_run.pk]))
    return Table.fixed(EXPORT, rows).csv_response(f"{pay_run.reference} finance export")


@permission_required("view_pay_runs")
def payment_days(request: HttpRequest) -> HttpResponse:
    table = Table.from_request(
        request,
        DAYS,
        selectors.days_to_payment(request.user),
        default_sort="average_days",
        default_descending=True,
        caption="Days from period end to payment",
        empty_message="No paid runs yet.",
    )
    if wants_csv(request):
        return table.csv_response("days to payment")
    return render(request, "delivery/payment_days.html", {"table": table})
