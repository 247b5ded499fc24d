"""Payment sharing: the lead's page (share with, or stop sharing with, each subcontractor on
its panel, and the dated history) and the subcontractor's read of what its leads were paid
for the visits it delivered. Thin: the services decide, the selectors scope."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import failed, posted_action, run
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Table, wants_csv
from caremarket.delivery import forms as f
from caremarket.delivery.selectors import shares as selectors
from caremarket.delivery.services import shares
from caremarket.delivery.views.columns import PAID_FOR_VISITS, SHARE_HISTORY

ACTIONS = {"share": shares.share, "stop": shares.stop}


@permission_required("provider_pages")
def sharing(request: HttpRequest) -> HttpResponse:
    action = posted_action(request)
    form = f.ShareForm(request.POST if action in ACTIONS else None)
    if action in ACTIONS:
        act = ACTIONS[action]
        done = run(
            request,
            form,
            lambda d: act(request.user, d["subcontractor"]).message,
            then=reverse("delivery:sharing"),
            on_form=lambda: False,  # a hidden field: the refusal is shown as a message
        )
        if done is not None:
            return done
    history = Table.fixed(
        SHARE_HISTORY,
        list(selectors.history_for(request.user)),
        caption="History of sharing",
        empty_message="You have not shared payment information yet.",
    )
    if wants_csv(request):
        return history.csv_response("payment sharing")
    context = {
        "panel": selectors.panel_for(request.user),
        "table": history,
        "failed_form": failed(form),
    }
    return render(request, "delivery/sharing.html", context)


@permission_required("provider_pages")
def paid_for_my_visits(request: HttpRequest) -> HttpResponse:
    table = Table.from_request(
        request,
        PAID_FOR_VISITS,
        selectors.paid_for_my_visits(request.user),
        default_sort="period_end",
        default_descending=True,
        caption="What your lead providers were paid for your visits",
        empty_message="No lead provider shares its payments with you.",
    )
    if wants_csv(request):
        return table.csv_response("paid for your visits")
    return render(request, "delivery/paid_for_my_visits.html", {"table": table})
