"""Visits: a list (filtered, CSV), one visit with the provider's answer, and the upload."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core import imports, roles
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Table, wants_csv
from caremarket.delivery import forms as f
from caremarket.delivery.selectors import shares
from caremarket.delivery.selectors import visits as selectors
from caremarket.delivery.services import responses
from caremarket.delivery.services.ecm_import import ECM_VISITS
from caremarket.delivery.views.columns import VISITS
from caremarket.market.models import Commissioner


@permission_required("view_visits")
def visit_list(request: HttpRequest) -> HttpResponse:
    only = request.GET.get("show") == "exceptions"
    qs = selectors.visits_for(request.user, exceptions=only)
    if wants_csv(request):
        return Table.fixed(VISITS, qs.iterator(chunk_size=2000)).csv_response("visits")
    rows = qs[:2000]
    table = Table.from_request(
        request,
        VISITS,
        rows,
        default_sort="day",
        default_descending=True,
        caption="Exceptions" if only else "Visits",
        empty_message="No visits yet.",
    )
    table.paginate(request, per_page=50)
    upload = may(request.user, "upload_visits")
    return render(request, "delivery/visits.html", {"table": table, "only": only, "upload": upload})


@permission_required("view_visits")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk)
    action = posted_action(request)
    data = bound_to(request, action)
    respond, extra = (
        f.RespondForm(data("respond"), prefix="r"),
        f.ExtraTimeForm(data("extra"), prefix="x"),
    )
    then = reverse("delivery:visit", args=[visit.pk])
    acts: dict[str, Any] = {
        "respond": (respond, lambda d: _respond(request.user, visit.pk, d)),
        "extra": (extra, lambda d: _extra(request.user, visit.pk, d)),
    }
    if action in acts:
        require(request.user, "respond_to_exceptions")
        done = run(request, acts[action][0], acts[action][1], then=then)
        if done is not None:
            return done
    mine = roles.is_provider(request.user) and visit.provider_id == roles.provider_id_of(
        request.user
    )
    context = {
        "visit": visit,
        "responses": selectors.responses_to(visit),
        "mine": mine,
        "respond_form": respond,
        "extra_form": extra,
        "failed_form": failed(respond, extra),
        "long": "long" in visit.exception_list,
        "show_money": shares.money_visibility(request.user)(visit),
    }
    return render(request, "delivery/visit.html", context)


def _respond(user: Any, pk: int, data: dict[str, Any]) -> str:
    responses.respond(user, pk, kind=data["kind"], text=data["text"])
    return "Your answer is recorded." if data["kind"] == "explain" else "Disputed: payment held."


def _extra(user: Any, pk: int, data: dict[str, Any]) -> str:
    responses.request_variation(user, pk, reason=data["reason"])
    return "The extra time is put to the commissioner."


@permission_required("upload_visits")
def upload(request: HttpRequest) -> HttpResponse:
    me = roles.provider_id_of(request.user)
    councils = Commissioner.objects.filter(agreements__delivering_provider_id=me).distinct() | (
        Commissioner.objects.filter(agreements__provider_id=me).distinct()
    )
    form = f.UploadForm(
        request.POST or None, request.FILES or None, commissioners=councils.distinct()
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = imports.start(
                ECM_VISITS.kind,
                form.cleaned_data["file"],
                by=request.user,
                owner=imports.owner_key(provider_id=me),
                options={
                    "provider_id": me,
                    "commissioner_id": form.cleaned_data["commissioner"].pk,
                },
            )
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("core:import-run", args=[done.pk]))
    return render(
        request,
        "delivery/upload.html",
        {"form": form, "columns": ECM_VISITS.columns, "failed_form": form if form.errors else None},
    )
