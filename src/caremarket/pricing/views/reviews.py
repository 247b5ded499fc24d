"""Fee review pages: the list, proposing one, and the review itself (consultation, comments,
the decision, and the budget impact with the agreements behind it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core import clock
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required, require
from caremarket.core.tables import Table, wants_csv
from caremarket.pricing import forms as f
from caremarket.pricing import presenters, selectors
from caremarket.pricing.services import reviews


@permission_required("view_fee_reviews")
def review_list(request: HttpRequest) -> HttpResponse:
    table = Table.from_request(
        request,
        presenters.REVIEW_COLUMNS,
        selectors.reviews_for(request.user),
        default_sort="effective_from",
        default_descending=True,
        caption="Fee reviews",
        empty_message="No fee reviews yet.",
    )
    if wants_csv(request):
        return table.csv_response("fee reviews")
    table.paginate(request)
    manages = may(request.user, "manage_fee_reviews")
    return render(request, "pricing/reviews.html", {"table": table, "manages": manages})


@permission_required("manage_fee_reviews")
def review_new(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.frameworks_to_review(request.user)
    form = f.ProposalForm(request.POST or None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        try:
            review = reviews.propose(request.user, form.cleaned_data["framework"], form.proposal())
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Draft review proposed: uplift {review.uplift}%.")
            return HttpResponseRedirect(reverse("pricing:review", args=[review.pk]))
    return render(request, "pricing/review_new.html", {"form": form})


@permission_required("view_fee_reviews")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(request.user, pk)
    action = posted_action(request)
    data = bound_to(request, action)
    files = request.FILES if action == "comment" else None
    forms_ = {
        "consult": f.ConsultForm(data("consult"), prefix="consult"),
        "decide": f.DecideForm(data("decide"), prefix="decide"),
        "comment": f.CommentForm(data("comment"), files, prefix="comment"),
    }
    if action in forms_:
        require(
            request.user, "comment_on_fee_review" if action == "comment" else "manage_fee_reviews"
        )
        done = run(request, forms_[action], _act(request, review.pk, action), then=request.path)
        if done is not None:
            return done
    context: dict[str, Any] = {
        "review": review,
        "lines": Table.fixed(presenters.LINE_COLUMNS, review.lines.all(), caption="Cost lines"),
        "comments": Table.fixed(
            presenters.COMMENT_COLUMNS,
            selectors.comments_for(request.user, review),
            caption="Providers' comments",
            empty_message="No comments yet.",
        ),
        "manages": may(request.user, "manage_fee_reviews"),
        "repricing": _repricing_table(request, review),
        "comments_allowed": may(request.user, "comment_on_fee_review"),
        "failed_form": failed(*forms_.values()),
        **{f"{name}_form": form for name, form in forms_.items()},
    }
    if selectors.sees_budget_impact(request.user):
        groups, total = selectors.budget_impact(review)
        context["impact"] = Table.fixed(
            presenters.IMPACT_COLUMNS, groups, caption="Budget impact in the first year"
        )
        context["total"] = total
    return render(request, "pricing/review.html", context)


def _act(request: HttpRequest, pk: int, action: str | None) -> Any:
    user = request.user

    def act(data: dict[str, Any]) -> str:
        if action == "consult":
            reviews.open_consultation(pk, by=user, closes=data["closes"])
            return "The proposal is out to consultation; providers have been told."
        if action == "decide":
            done = reviews.decide(pk, by=user, approve=data["approve"] == "yes", note=data["note"])
            said = f"Decision recorded: {done.get_status_display().lower()}."
            if done.status != done.Status.APPROVED:
                return said
            outcomes = selectors.repricing_outcomes(done, clock.today())
            repriced = sum(o.repriced for o in outcomes)
            left = len(outcomes) - repriced
            said += f" {repriced} agreement{'s' if repriced != 1 else ''} repriced"
            return said + (f"; {left} not (see why below)." if left else ".")
        reviews.comment(pk, by=user, text=data["text"], evidence=data.get("evidence"))
        return "Your comment has been sent to the council."

    return act


def _repricing_table(request: HttpRequest, review: Any) -> Table | None:
    """After approval, what happened to each agreement (council staff only: it names other
    providers' agreements)."""
    if review.status != review.Status.APPROVED or not selectors.sees_budget_impact(request.user):
        return None
    return Table.fixed(
        presenters.REPRICING_COLUMNS,
        selectors.repricing_outcomes(review, clock.today()),
        caption="What the review did to each agreement",
        empty_message="No agreement on this framework was live on the effective date.",
    )


@permission_required("manage_fee_reviews")
def review_agreements(request: HttpRequest, pk: int) -> HttpResponse:
    """The live agreements behind the budget impact, downloadable as CSV."""
    review = selectors.review_for(request.user, pk)
    table = Table.from_request(
        request,
        presenters.AGREEMENT_COLUMNS,
        selectors.impact_rows(review),
        default_sort="reference",
        caption=f"Agreements live on {review.effective_from:%d %B %Y}",
        empty_message="No agreements on this framework are live on that date.",
    )
    if wants_csv(request):
        return table.csv_response(f"fee review {review.pk} agreements")
    table.paginate(request)
    return render(request, "pricing/review_agreements.html", {"review": review, "table": table})


@permission_required("view_fee_reviews")
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_for(request.user, pk)
    response = HttpResponse(
        bytes(comment.evidence or b""),
        content_type=comment.evidence_type or "application/octet-stream",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{comment.evidence_name or "evidence"}"'
    )
    return response
