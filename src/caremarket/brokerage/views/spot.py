"""Spot purchases on the web: the broker's two steps (the costs, then confirm) and the second
person's decision on a purchase that needs approval.

No JavaScript: the referral page's form posts without ``confirm``; the answer is a page with
the weekly and yearly cost and the band, carrying the same values in hidden fields and one
button that posts them again with ``confirm``. Only that second post buys (or asks).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.timezone import localdate

from caremarket.brokerage import spot_approvals
from caremarket.brokerage.forms_spot import RefuseSpotForm, SpotForm
from caremarket.brokerage.models import Award, Referral, SpotApproval
from caremarket.brokerage.services import spot_purchases
from caremarket.brokerage.views.actions import posted_action
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required, require
from caremarket.core.tables import Column, Table, wants_csv


def buy_step(request: HttpRequest, referral: Referral, form: SpotForm) -> HttpResponse | None:
    """The referral page's "spot" action. None: show the referral page again with the
    form's errors. Otherwise the confirm page, or (confirmed) a redirect with what was done."""
    require(request.user, "broker")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        done = spot_purchases.buy(
            referral.pk,
            by=request.user,
            provider=data["provider"],
            unit_price=data["unit_price"],
            reason=data["reason"],
            below_band_reason=data.get("below_band_reason", ""),
            # Only the confirm page's button sends it; the form never carries it, so a form
            # shown again with errors cannot buy without the costs being shown first.
            confirmed=request.POST.get("confirm") == "on",
        )
    except CaremarketError as exc:
        apply_error(form, exc)
        return None
    back = reverse("brokerage:referral", args=[referral.pk])
    if isinstance(done, Award):
        messages.success(request, f"Bought spot from {done.provider.display_name}.")
        return HttpResponseRedirect(back)
    if isinstance(done, SpotApproval):
        messages.success(
            request,
            f"Sent for approval ({done.needs_approval_because}). Nothing is bought until "
            "someone else approves it.",
        )
        return HttpResponseRedirect(back)
    return render(
        request,
        "brokerage/spot_confirm.html",
        {"referral": referral, "quote": done, "data": data, "back": back},
    )


COLUMNS = [
    Column(
        "referral",
        "Referral",
        get=lambda a: a.referral.reference,
        link=lambda a: reverse("brokerage:spot-approval", args=[a.pk]),
    ),
    Column("provider", "Provider", get=lambda a: a.provider.display_name),
    Column("unit_price", "Price", numeric=True, format="money"),
    Column("yearly_cost", "Yearly cost", numeric=True, format="money"),
    Column("requested_by", "Asked by", get=lambda a: _name(a.requested_by)),
    Column("requested_at", "Asked", get=lambda a: localdate(a.requested_at), format="date"),
    Column("status", "Status", get=lambda a: a.status_label),
]


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@permission_required("approve_spot")
def approval_list(request: HttpRequest) -> HttpResponse:
    """Requests waiting for this user first; every request of the council below, with CSV."""
    waiting = list(spot_approvals.waiting_for(request.user))
    table = Table.from_request(
        request,
        COLUMNS,
        spot_approvals.requests_for(request.user),
        default_sort="requested_at",
        default_descending=True,
        caption="Every spot purchase request",
        empty_message="No spot purchase has needed approval.",
    )
    if wants_csv(request):
        return table.csv_response("spot purchase requests")
    table.paginate(request, per_page=50)
    return render(request, "brokerage/spot_approvals.html", {"waiting": waiting, "table": table})


@permission_required("approve_spot")
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    request_ = spot_approvals.request_for(request.user, pk)
    action = posted_action(request)
    refuse_form = RefuseSpotForm(request.POST if action == "refuse" else None)
    here = reverse("brokerage:spot-approval", args=[request_.pk])
    try:
        if action == "approve":
            award = spot_purchases.approve(request_.pk, by=request.user)
            messages.success(request, f"Approved: bought from {award.provider.display_name}.")
            return HttpResponseRedirect(here)
        if action == "refuse" and refuse_form.is_valid():
            spot_purchases.refuse(
                request_.pk, by=request.user, reason=refuse_form.cleaned_data["reason"]
            )
            messages.success(request, "Refused: the broker who asked is told why.")
            return HttpResponseRedirect(here)
    except CaremarketError as exc:
        if action == "refuse":
            apply_error(refuse_form, exc)
        else:
            messages.error(request, exc.message)
            return HttpResponseRedirect(here)
    may_decide = spot_approvals.waiting_for(request.user).filter(pk=request_.pk).exists()
    return render(
        request,
        "brokerage/spot_approval.html",
        {
            "approval": request_,
            "refuse_form": refuse_form,
            "may_decide": may_decide,
            "own": request_.requested_by_id == request.user.pk,
            "failed_form": refuse_form if refuse_form.errors else None,
            "history": request_.history.select_related("history_user").order_by("history_id"),
        },
    )
