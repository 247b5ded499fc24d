"""Call-off competitions: the council's view (open, evaluate, award) and a provider's (bid)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import routing, selectors
from caremarket.brokerage.models import Bid, Competition
from caremarket.brokerage.services import competitions
from caremarket.brokerage.views.actions import failed, posted_action, run
from caremarket.core import clock, idempotency
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import may, permission_required, require


@permission_required("view_competitions")
def competition_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    rows = [
        {"competition": c, "phase": c.phase(now)}
        for c in selectors.competitions_for(request.user).order_by("-opened_at")[:200]
    ]
    return render(
        request,
        "brokerage/competitions.html",
        {"rows": rows, "is_broker": may(request.user, "broker")},
    )


@permission_required("broker")
def competition_new(request: HttpRequest) -> HttpResponse:
    """A call-off for a scheme or a block of schemes (individuals start from their referral)."""
    schemes = selectors.schemes_to_call_off(request.user)
    form = f.SchemeCompetitionForm(request.POST or None)
    chosen = [s for s in schemes if str(s.pk) in request.POST.getlist("schemes")]
    scheme_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            competition = _open_for_schemes(request.user, chosen, form.cleaned_data)
        except CaremarketError as exc:
            scheme_error = exc.errors.get("schemes", "")  # shown beside the scheme boxes too
            apply_error(form, exc)
        else:
            messages.success(request, f"{competition.reference} is open for bids.")
            return HttpResponseRedirect(reverse("brokerage:competition", args=[competition.pk]))
    return render(
        request,
        "brokerage/competition_new.html",
        {
            "form": form,
            "schemes": schemes,
            "chosen": {s.pk for s in chosen},
            "scheme_error": scheme_error,
        },
    )


def _open_for_schemes(user: Any, chosen: list[Any], data: dict[str, Any]) -> Competition:
    """Once per submission token: a second click finds the competition the first opened."""

    def open_it() -> Competition:
        lot = routing.lot_of(chosen)
        band = routing.band_on(lot.framework, data.get("band_level") or "", clock.today())
        return competitions.open_competition(
            by=user,
            lot=lot,
            title=data["title"],
            description=data.get("description", ""),
            schemes=chosen,
            deadline=routing.closing_at(data["deadline"]),
            contract_weeks=data.get("contract_weeks"),
            band=band,
        )

    return idempotency.once(
        "brokerage.open_competition",
        data.get("submission_token", ""),
        user,
        open_it,
        remember=lambda c: c.pk,
        recall=lambda pk: selectors.competition_for(user, int(pk)),
    ).result


@permission_required("view_competitions")
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Providers bid here (sealed until the deadline); after it, a broker scores each bid's
    answers and awards by the published weights. Other council staff look on."""
    competition = selectors.competition_for(request.user, pk)
    now = clock.now()
    is_provider = may(request.user, "provider")
    action = posted_action(request)
    bids = selectors.bids_visible(request.user, competition, now)
    bid_form = f.BidForm(request.POST if action == "bid" else None, questions=competition.questions)
    score_forms = {} if is_provider else _score_forms(request, competition, bids, action)
    done = _act(request, competition, action, bid_form, score_forms)
    if done is not None:
        return done
    my_bid = bids[0] if is_provider and bids else None
    if my_bid and not bid_form.is_bound:  # a provider changing its bid starts from it
        bid_form = f.BidForm.changing(my_bid, questions=competition.questions)
    return render(
        request,
        "brokerage/competition.html",
        {
            "competition": competition,
            "phase": competition.phase(now),
            "bids": bids,
            "my_bid": my_bid,
            "bid_form": bid_form,
            "score_forms": score_forms,
            "cap": routing.cap_for(competition),
            "is_provider": is_provider,
            "is_broker": may(request.user, "broker"),
            "failed_form": failed(bid_form, *score_forms.values()),
            "award": getattr(competition, "award", None),
            "all_scored": competition.all_bids_scored(),
            "prices_hidden": competition.prices_hidden_from_scorer(),
            "withdraw_form": f.NoteForm(prefix="withdraw"),
        },
    )


def _score_forms(
    request: HttpRequest, competition: Competition, bids: list[Bid], action: str | None
) -> dict[int, f.ScoreForm]:
    """One scoring form a bid, starting from the scores already given."""
    return {
        b.pk: f.ScoreForm(
            request.POST if action == f"score-{b.pk}" else None,
            questions=competition.questions,
            prefix=f"bid{b.pk}",
            initial={f"score_{k}": v for k, v in b.answer_scores.items()},
        )
        for b in bids
    }


def _act(
    request: HttpRequest,
    competition: Competition,
    action: str | None,
    bid_form: f.BidForm,
    score_forms: dict[int, f.ScoreForm],
) -> HttpResponse | None:
    """The posted action, if any: a provider bids; a broker scores a bid's answers or awards."""
    is_provider = may(request.user, "provider")
    if action == "bid" and is_provider:
        return _bid(request, competition, bid_form)
    if action and action.startswith("score-") and not is_provider:
        return _score(request, competition, score_forms, action)
    if action == "award" and not is_provider:
        return _award(request, competition)
    if action == "withdraw" and not is_provider:
        return _withdraw(request, competition)
    return None


def _bid(request: HttpRequest, competition: Competition, form: f.BidForm) -> HttpResponse | None:
    def submit(data: dict[str, Any]) -> str:
        competitions.submit_bid(
            competition.pk,
            provider=request.user.provider,
            by=request.user,
            weekly_price=data["weekly_price"],
            answers={q["key"]: data[f"answer_{q['key']}"] for q in competition.questions},
            low_price_explanation=data.get("low_price_explanation", ""),
        )
        return "Your bid is in. It stays sealed until the deadline; you can change it until then."

    def still_open() -> bool:  # once bids have closed, a refusal is a message, not a form error
        return competition.phase(clock.now()) == "open"

    return run(request, form, submit, then=request.path, on_form=still_open)


def _score(
    request: HttpRequest, competition: Competition, forms_: dict[int, f.ScoreForm], action: str
) -> HttpResponse | None:
    require(request.user, "broker")
    suffix = action.split("-", 1)[1]
    form = forms_.get(int(suffix)) if suffix.isdigit() else None
    if form is None:
        messages.error(request, "That bid is not open for scoring on this page.")
        return HttpResponseRedirect(request.path)

    def evaluate(data: dict[str, Any]) -> str:
        scores = {q["key"]: data[f"score_{q['key']}"] for q in competition.questions}
        competitions.evaluate(int(suffix), by=request.user, scores=scores)
        return "Scores saved."

    return run(request, form, evaluate, then=request.path, on_form=lambda: False)


def _award(request: HttpRequest, competition: Competition) -> HttpResponse | None:
    require(request.user, "broker")

    def award(data: dict[str, Any]) -> str:
        done = competitions.award_competition(
            competition.pk, by=request.user, note=request.POST.get("note", "")
        )
        return f"Awarded to {done.provider.display_name}. {done.reason}"

    return run(request, None, award, then=request.path)


def _withdraw(request: HttpRequest, competition: Competition) -> HttpResponse | None:
    """Withdraw with a reason; a refusal (no reason, already decided) is a message."""
    require(request.user, "broker")
    reason = request.POST.get("withdraw-note", "")

    def withdraw(_: dict[str, Any]) -> str:
        competitions.withdraw_competition(competition.pk, by=request.user, reason=reason)
        return f"{competition.reference} withdrawn. Every invited provider has been told why."

    return run(request, None, withdraw, then=request.path)
