"""Entry points: windows (open, closed, the next opening), a provider's application to a
lot, a price revision, and the council's evaluation and outcome letters (page and PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core import clock
from caremarket.core.errors import CaremarketError, NotFound
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Table, wants_csv
from caremarket.frameworks import selectors as fs
from caremarket.frameworks.services import entry
from caremarket.pricing import forms as f
from caremarket.pricing.views import entry_support as p


@permission_required("view_frameworks")
def windows(request: HttpRequest) -> HttpResponse:
    rows = p.window_rows(fs.entry_frameworks_for(request.user), clock.today())
    table = Table.from_request(
        request,
        p.WINDOW_COLUMNS,
        rows,
        default_sort="opens",
        default_descending=True,
        caption="Entry and price revision windows",
        empty_message="No windows yet.",
    )
    if wants_csv(request):
        return table.csv_response("entry windows")
    table.paginate(request)
    return render(request, "pricing/windows.html", {"table": table})


@permission_required("view_frameworks")
def window(request: HttpRequest, pk: int) -> HttpResponse:
    found = fs.window_for(request.user, pk)
    today = clock.today()
    return render(
        request,
        "pricing/window.html",
        {
            "window": found,
            "state": found.as_window().state(today).value,
            "summary": found.framework.entry_summary(today),
            "lots": found.framework.lots.all(),
            "questions": found.framework.questions.all(),
            "items": found.framework.pass_fail.all(),
            "applies": may(request.user, "apply_to_framework"),
            "sets_terms": may(request.user, "set_entry_terms"),
            "mine": fs.my_appointment_on(request.user, found.framework),
        },
    )


@permission_required("apply_to_framework")
def apply(request: HttpRequest, pk: int, lot: int) -> HttpResponse:
    found = fs.window_for(request.user, pk)
    chosen = found.framework.lots.filter(pk=lot).first()
    if chosen is None:
        raise NotFound("No such lot on this framework.")
    questions, items = entry.questions_for(chosen)
    form = f.ApplicationForm(
        request.POST or None,
        request.FILES or None,
        zones=chosen.zones.all(),
        questions=questions,
        items=items,
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = entry.apply(request.user, found, chosen, p.application_input(form))
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Your application has been submitted.")
            return HttpResponseRedirect(reverse("pricing:application", args=[made.pk]))
    return render(request, "pricing/apply.html", {"window": found, "lot": chosen, "form": form})


@permission_required("apply_to_framework")
def revise_prices(request: HttpRequest, pk: int) -> HttpResponse:
    found = fs.window_for(request.user, pk)
    mine = fs.my_appointment_on(request.user, found.framework)
    if mine is None:
        raise NotFound("You are not appointed on this framework.")
    form = f.ApplicationForm(request.POST or None, zones=mine.zones.all(), questions=[], items=[])

    def act(data: dict[str, Any]) -> str:
        count = entry.revise_prices(request.user, found, mine, form.by_prefix("price_"))
        effective = found.contracts_commence or found.closes
        return f"{count} new prices take effect from {effective:%d %B %Y}."

    if request.method == "POST":
        done = run(request, form, act, then=reverse("pricing:window", args=[found.pk]))
        if done is not None:
            return done
    return render(request, "pricing/revise.html", {"window": found, "form": form})


@permission_required("view_frameworks")
def applications(request: HttpRequest) -> HttpResponse:
    table = Table.from_request(
        request,
        p.APPLICATION_COLUMNS,
        fs.applications_for(request.user),
        default_sort="submitted",
        default_descending=True,
        caption="Applications",
        empty_message="No applications yet.",
    )
    if wants_csv(request):
        return table.csv_response("applications")
    table.paginate(request)
    return render(request, "pricing/applications.html", {"table": table})


@permission_required("view_frameworks")
def application(request: HttpRequest, pk: int) -> HttpResponse:
    found = fs.application_for(request.user, pk)
    action = posted_action(request)
    data = bound_to(request, action)
    forms_ = {
        "score": f.ScoreForm(data("score"), prefix="score"),
        "moderate": f.ModerateForm(data("moderate"), prefix="moderate"),
        "outcome": f.OutcomeForm(data("outcome"), prefix="outcome"),
    }
    if action in forms_:
        require(request.user, "evaluate_applications")
        done = run(
            request,
            forms_[action],
            p.evaluation_act(request.user, found, action),
            then=request.path,
        )
        if done is not None:
            return done
    context = p.application_context(request.user, found)
    context |= {
        "failed_form": failed(*forms_.values()),
        "evaluates": may(request.user, "evaluate_applications"),
    }
    context |= {f"{name}_form": form for name, form in forms_.items()}
    return render(request, "pricing/application.html", context)


@permission_required("view_frameworks")
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    found = fs.application_for(request.user, pk)
    if found.decided_at is None:
        raise NotFound("The outcome of this application has not been decided yet.")
    context = p.application_context(request.user, found)
    if request.GET.get("format") == "pdf":
        from caremarket.core.pdf import render_pdf

        return render_pdf(request, "pricing/outcome.html", context, f"outcome-{found.pk}.pdf")
    return render(request, "pricing/outcome.html", context)


@permission_required("view_frameworks")
def answer_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    answer = fs.answer_for(request.user, pk)
    response = HttpResponse(
        bytes(answer.evidence or b""),
        content_type=answer.evidence_type or "application/octet-stream",
    )
    response["Content-Disposition"] = f'attachment; filename="{answer.evidence_name or "evidence"}"'
    return response
