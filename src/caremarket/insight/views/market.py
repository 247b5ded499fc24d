"""Day opportunity services by operating status (with the form a commissioner records a
status on) and the replacement care list: the pages the dashboard's counts link to."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import wants_csv
from caremarket.insight import selectors
from caremarket.insight.forms import DayStatusForm
from caremarket.insight.selectors import services_market
from caremarket.insight.services import market as service
from caremarket.insight.views.dashboard import _dates
from caremarket.insight.views.market_tables import day_services_table, replacement_list


@permission_required("view_sufficiency")
def day_services(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    _, as_of, _ = _dates(request)
    rows = services_market.day_services(commissioner, as_of)
    status = request.GET.get("status", "")
    label = services_market.STATUS_LABELS.get(status)
    shown = [r for r in rows if r.status == status] if label else rows
    caption = f"Day opportunity services: {label.lower() if label else 'all'}"
    table = day_services_table(shown, caption)
    if wants_csv(request):
        return table.csv_response(f"{commissioner.slug} day services {as_of}")
    may_record = may(request.user, "edit_statement")
    choices = [(r.appointment, f"{r.provider} ({r.lot})") for r in rows]
    form = DayStatusForm(request.POST or None, services=choices)
    if request.method == "POST":
        require(request.user, "edit_statement")
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                _, changed = service.record_status(
                    commissioner, by=request.user, appointment_id=data.pop("appointment"), **data
                )
            except CaremarketError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request, "Status recorded." if changed else "That status was already recorded."
                )
                return redirect(request.get_full_path())
    context = {
        "commissioner": commissioner,
        "as_of": as_of,
        "table": table,
        "counts": services_market.status_counts(rows),
        "status": status if label else "",
        "form": form,
        "may_record": may_record,
    }
    return render(request, "insight/day_services.html", context)


@permission_required("view_sufficiency")
def replacement_care(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    _, as_of, _ = _dates(request)
    table = replacement_list(
        services_market.replacement_care(commissioner, as_of), "The replacement care list"
    )
    if wants_csv(request):
        return table.csv_response(f"{commissioner.slug} replacement care {as_of}")
    context = {"commissioner": commissioner, "as_of": as_of, "table": table}
    return render(request, "insight/replacement_care.html", context)
