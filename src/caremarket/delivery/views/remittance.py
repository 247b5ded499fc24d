"""Remittance advice per provider (page, CSV, PDF) and the finance export of a run."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    pay_run = selectors.run_for(request.user, pk)
    rows = selectors.export_rows(request.user, pay_run)
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
