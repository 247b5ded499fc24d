"""Service agreements: the council varies and ends them; providers see their own, with the
person's details (each look logged)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import selectors
from caremarket.brokerage.services import agreements
from caremarket.brokerage.services.errors import BrokerageError
from caremarket.brokerage.views.common import apply_error
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.roles import BROKERS, role_required
from caremarket.core.tables import Column, Table, wants_csv


def _columns(today, viewer: int | None):  # type: ignore[no-untyped-def]
    """``viewer`` is the acting provider's id (None for council staff): a subcontractor's rows
    show no price where the price is the lead provider's own (``shows_price_to``)."""

    def priced(a, value):  # type: ignore[no-untyped-def]
        return value if a.shows_price_to(viewer) else None

    def terms(a):  # type: ignore[no-untyped-def]
        if not hasattr(a, "_terms_now"):  # three columns read it: work it out once a row
            a._terms_now = a.current_terms(today)
        return a._terms_now

    return [
        Column(
            "reference", "Agreement", link=lambda a: reverse("brokerage:agreement", args=[a.pk])
        ),
        Column(
            "who",
            "Person or scheme",
            get=lambda a: (
                a.person.reference if a.person else ", ".join(s.name for s in a.schemes.all())
            ),
        ),
        Column("provider", "Delivered by", get=lambda a: a.delivering_provider.display_name),
        Column("start_date", "From", format="date"),
        Column(
            "units",
            "Units a week",
            get=lambda a: terms(a).units_per_week,
            numeric=True,
            format="hours",
        ),
        Column("unit", "Unit"),
        Column(
            "price",
            "Price",
            get=lambda a: priced(a, terms(a).unit_price),
            numeric=True,
            format="money",
        ),
        Column(
            "weekly",
            "Weekly cost",
            get=lambda a: priced(a, terms(a).weekly_cost),
            numeric=True,
            format="money",
        ),
        Column("status", "Status", get=lambda a: a.status(today)),
    ]


@role_required(*access.Role.values, "agreements")
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    qs = selectors.agreements_for(request.user)
    show = request.GET.get("show", "current")
    if show == "current":
        qs = qs.filter(end_date__isnull=True)
    table = Table.from_request(
        request,
        _columns(today, access.provider_id_of(request.user)),
        qs,
        default_sort="start_date",
        default_descending=True,
        caption="Service agreements",
        empty_message="No agreements yet.",
    )
    if wants_csv(request):
        return table.csv_response("service agreements")
    table.paginate(request, per_page=50)
    return render(request, "brokerage/agreements.html", {"table": table, "show": show})


@role_required(*access.Role.values, "agreements")
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    vary_form = f.VaryForm(request.POST if action == "vary" else None, prefix="vary")
    end_form = f.EndForm(request.POST if action == "end" else None, prefix="end")
    if action in ("vary", "end"):
        access.require_role(request.user, BROKERS, "changing agreements")
        form = vary_form if action == "vary" else end_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "vary":
                    agreements.vary(
                        agreement.pk,
                        by=request.user,
                        effective_from=data["effective_from"],
                        units_per_week=data["units_per_week"],
                        reason=data["reason"],
                        unit_price=data.get("unit_price"),
                    )
                    done = "Agreement varied."
                else:
                    agreements.end(
                        agreement.pk,
                        by=request.user,
                        end_date=data["end_date"],
                        reason=data["end_reason"],
                        resource=data["resource"],
                    )
                    done = "Agreement ended."
            except BrokerageError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("brokerage:agreement", args=[agreement.pk]))
    referral = agreement.award.referral
    person = selectors.person_for(request.user, referral, request.path) if referral else None
    today = clock.today()
    return render(
        request,
        "brokerage/agreement.html",
        {
            "agreement": agreement,
            "referral": referral,
            "person": person,
            "terms": agreement.current_terms(today),
            "variations": agreement.variations.select_related("by"),
            "status": agreement.status(today),
            "vary_form": vary_form,
            "end_form": end_form,
            "is_broker": access.has_role(request.user, BROKERS),
            "shows_price": agreement.shows_price_to(access.provider_id_of(request.user)),
            "failed_form": next((f for f in (vary_form, end_form) if f.errors), None),
        },
    )


@role_required(*access.Role.values, "subcontracting shares")
def subcontracting(request: HttpRequest) -> HttpResponse:
    rows = selectors.subcontracting_shares(request.user, clock.today())
    return render(request, "brokerage/subcontracting.html", {"rows": rows, "days": 84})
