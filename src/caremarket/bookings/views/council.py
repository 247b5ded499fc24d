"""A broker or practitioner finds a room for a referral: the referrals needing one, a search
of live vacancies, a hold (checked on a confirmation panel first), the booking's page, and a
direct payment where the person chooses a room outside the call-off."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.bookings import forms as f
from caremarket.bookings import presenters as p
from caremarket.bookings import selectors
from caremarket.bookings.services import holds, releases, tenancies
from caremarket.core import clock
from caremarket.core.errors import CaremarketError, Invalid
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required
from caremarket.core.tables import Table
from caremarket.market.selectors import zones_for
from caremarket.supported_living.presenters import csv_of
from caremarket.supported_living.selectors import groups_for


@permission_required("book_rooms")
def find(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    tables = {
        "referrals": Table.from_request(
            request,
            p.REFERRAL_COLUMNS,
            selectors.referrals_to_house(request.user),
            default_sort="start_date",
            caption="Referrals needing a room",
            empty_message="No supported living referral is waiting for a room.",
        ),
        "bookings": Table.from_request(
            request,
            p.booking_columns(now, link="bookings:booking"),
            selectors.bookings_for(request.user)[:200],
            default_sort="held_at",
            default_descending=True,
            caption="Holds and bookings",
            empty_message="No holds or bookings yet.",
        ),
        "payments": Table.from_request(
            request,
            p.DIRECT_PAYMENT_COLUMNS,
            selectors.direct_payments_for(request.user),
            default_sort="start_date",
            caption="Direct payments for rooms outside the call-off",
            empty_message="No direct payments recorded.",
        ),
    }
    done = csv_of(request, tables, "referrals")
    return done or render(request, "bookings/find.html", {"tables": tables})


@permission_required("book_rooms")
def search(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_to_house(request.user, pk)
    groups = groups_for(request.user).filter(commissioner_id=referral.commissioner_id)
    zones = zones_for(request.user).filter(commissioner_id=referral.commissioner_id)
    form = f.SearchForm(request.GET or None, groups=groups, zones=zones)
    hold_form = f.HoldForm(request.POST if request.method == "POST" else None)
    if hold_form.is_bound and hold_form.is_valid():
        data = hold_form.cleaned_data
        try:
            booking = holds.hold(referral.pk, data["room"], by=request.user, group=data["group"])
        except CaremarketError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.get_full_path())
        messages.success(request, f"{booking.room} is held until {p._when(booking.expires_at)}.")
        return HttpResponseRedirect(reverse("bookings:booking", args=[booking.pk]))
    found = []
    if form.is_bound and form.is_valid():
        found = _search(form, referral)
    group = form.cleaned_data.get("group", "") if form.is_bound and form.is_valid() else ""
    table = Table.from_request(
        request,
        p.vacancy_columns(referral.pk, group),
        found,
        caption="Matching rooms",
        empty_message="No room matches. Widen the search, or record a direct payment if the "
        "person chooses a room outside the call-off.",
    )
    done = csv_of(request, {"rooms": table}, "rooms")
    chosen = next((v for v in found if str(v.room.pk) == request.GET.get("hold")), None)
    context = {
        "referral": referral,
        "form": form,
        "table": table,
        "chosen": chosen,
        "group": group,
        "searched": form.is_bound,
    }
    return done or render(request, "bookings/search.html", context)


def _search(form: f.SearchForm, referral: object) -> list:  # type: ignore[type-arg]
    data = form.cleaned_data
    try:
        return selectors.search_for_referral(
            referral,  # type: ignore[arg-type]
            clock.now(),
            group=data["group"],
            zone_id=int(data["zone"]) if data["zone"] else None,
            postcode=data["postcode"],
            within_km=float(data["within_km"] or 10),
            needs=tuple(data["needs"]),
            has_pets=data["has_pets"],
            smokes=data["smokes"],
            gender=data["gender"],
            kind=data["kind"],
        )
    except Invalid as exc:
        apply_error(form, exc)
        return []


@permission_required("view_rooms")
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for(request.user, pk)
    ending = request.method == "POST" and request.POST.get("action") == "end"
    allowed = ending and may(request.user, "book_rooms")
    end_form = f.EndTenancyForm(request.POST if allowed else None)
    if end_form.is_bound:
        done = end_tenancy_from(request, booking, end_form, "bookings:booking")
        if done:
            return done
    withdrawing = request.method == "POST" and not ending
    form = f.WithdrawForm(request.POST if withdrawing else None)
    if withdrawing and may(request.user, "book_rooms") and form.is_valid():
        try:
            releases.withdraw(booking.pk, by=request.user, reason=form.cleaned_data["reason"])
        except CaremarketError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "The hold is withdrawn; the room is free again.")
        return HttpResponseRedirect(request.path)
    context = {
        "booking": booking,
        "state": booking.effective_state(clock.now()),
        "form": form,
        "may_withdraw": may(request.user, "book_rooms"),
        "person": selectors.person_seen_by(request.user, booking, request.path),
        "end_form": end_form,
        "failed_form": end_form if end_form.errors else None,
    }
    return render(request, "bookings/booking.html", context)


def end_tenancy_from(
    request: HttpRequest, booking: object, form: f.EndTenancyForm, back: str
) -> HttpResponse | None:
    """Both sides' pages end a tenancy the same way: the redirect when it is done, or None
    with the service's refusal on the form."""
    if not form.is_valid():
        return None
    try:
        tenancies.end_tenancy(booking.pk, by=request.user, **form.cleaned_data)  # type: ignore[attr-defined]
    except CaremarketError as exc:
        apply_error(form, exc)
        return None
    messages.success(request, "The tenancy has ended: the room is vacant and the care ends.")
    return HttpResponseRedirect(reverse(back, args=[booking.pk]))  # type: ignore[attr-defined]


@permission_required("book_rooms")
def direct_payment(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_to_house(request.user, pk)
    form = f.DirectPaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            releases.record_direct_payment(
                referral.pk, by=request.user, **form.cleaned_data_for_service()
            )
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Direct payment recorded for {referral.reference}.")
            return HttpResponseRedirect(reverse("bookings:find"))
    return render(request, "bookings/direct_payment.html", {"referral": referral, "form": form})
