"""A provider's holds: confirm (with the move-in date) or decline (with a reason). The
person's details appear only once the provider has confirmed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.bookings import forms as f
from caremarket.bookings import presenters as p
from caremarket.bookings import selectors
from caremarket.bookings.services import holds
from caremarket.bookings.views.council import end_tenancy_from
from caremarket.core import clock
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Table
from caremarket.supported_living.presenters import csv_of


@permission_required("provider_rooms")
def hold_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    columns = p.booking_columns(now, link="bookings:hold")
    tables = {
        "holds": Table.from_request(
            request,
            columns,
            selectors.holds_waiting(request.user, now),
            default_sort="expires_at",
            caption="Holds to answer",
            empty_message="No holds are waiting for your answer.",
        ),
        "answered": Table.from_request(
            request,
            columns,
            selectors.bookings_for(request.user).exclude(
                pk__in=selectors.holds_waiting(request.user, now)
            )[:100],
            default_sort="held_at",
            default_descending=True,
            caption="Answered, withdrawn or expired",
            empty_message="Nothing yet.",
        ),
    }
    done = csv_of(request, tables, "holds")
    return done or render(request, "bookings/holds.html", {"tables": tables})


@permission_required("provider_rooms")
def hold_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = f.ConfirmForm(request.POST if action == "confirm" else None)
    decline_form = f.DeclineForm(request.POST if action == "decline" else None)
    end_form = f.EndTenancyForm(request.POST if action == "end" else None)
    if action == "end":
        done = end_tenancy_from(request, booking, end_form, "bookings:hold")
        return done or _page(request, booking, confirm_form, decline_form, end_form, end_form)
    form = {"confirm": confirm_form, "decline": decline_form}.get(action or "")
    if form is not None and form.is_valid():
        try:
            if action == "confirm":
                holds.confirm(booking.pk, by=request.user, **form.cleaned_data)
            else:
                holds.decline(booking.pk, by=request.user, **form.cleaned_data)
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Thank you: your answer for {booking.room} is recorded.")
            return HttpResponseRedirect(reverse("bookings:hold", args=[booking.pk]))
    failed = form if form is not None and form.errors else None
    return _page(request, booking, confirm_form, decline_form, end_form, failed)


def _page(request: HttpRequest, booking: Any, *forms: Any) -> HttpResponse:
    confirm_form, decline_form, end_form, failed = forms
    context = {
        "booking": booking,
        "state": booking.effective_state(clock.now()),
        "summary": p.summary_of(booking),
        "person": selectors.person_seen_by(request.user, booking, request.path),
        "confirm_form": confirm_form,
        "decline_form": decline_form,
        "end_form": end_form,
        "failed_form": failed,
    }
    return render(request, "bookings/hold.html", context)
