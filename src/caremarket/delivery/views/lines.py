"""One pay line: why it was paid or held, the thread with the provider, release, adjust."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core.permissions import may, permission_required, require
from caremarket.delivery import forms as f
from caremarket.delivery.selectors import payments as selectors
from caremarket.delivery.services import lines


@permission_required("view_pay_runs")
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_for(request.user, pk)
    action = posted_action(request)
    data = bound_to(request, action)
    message, adjust = (
        f.MessageForm(data("message"), prefix="m"),
        f.AdjustForm(data("adjust"), prefix="a"),
    )
    then = reverse("delivery:line", args=[line.pk])
    u = request.user
    acts: dict[str, Any] = {
        "message": (
            message,
            lambda d: (lines.post_message(line.pk, by=u, text=d["text"]), "Message sent.")[1],
        ),
        "release": (
            None,
            lambda d: (lines.release(line.pk, by=u), "Released into the next draft run.")[1],
        ),
        "adjust": (
            adjust,
            lambda d: (lines.adjust(line.pk, by=u, **d), "Adjustment added to the next draft run.")[
                1
            ],
        ),
    }
    if action in acts:
        if action != "message":
            require(u, "run_payments")
        done = run(request, acts[action][0], acts[action][1], then=then)
        if done is not None:
            return done
    context = {
        "line": line,
        "messages_": line.messages.select_related("by"),
        "message_form": message,
        "adjust_form": adjust,
        "may_run": may(u, "run_payments"),
        "failed_form": failed(message, adjust),
    }
    return render(request, "delivery/line.html", context)
