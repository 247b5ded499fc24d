"""Call-off competitions: the council's view (open, evaluate, award) and a provider's (bid)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import selectors
from caremarket.brokerage.services import competitions
from caremarket.brokerage.services.errors import BrokerageError
from caremarket.brokerage.views.common import apply_error
from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.roles import BROKERS, role_required
from caremarket.frameworks.models import Framework
from caremarket.supported_living.models import Scheme


@role_required(*access.Role.values, "competitions")
def competition_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    rows = [
        {"competition": c, "phase": c.phase(now)}
        for c in selectors.competitions_for(request.user).order_by("-opened_at")[:200]
    ]
    return render(
        request,
        "brokerage/competitions.html",
        {"rows": rows, "is_broker": access.has_role(request.user, BROKERS)},
    )


@role_required(*BROKERS, "opening competitions")
def competition_new(request: HttpRequest) -> HttpResponse:
    """A call-off for a scheme or a block of schemes (individuals start from their referral)."""
    schemes = (
        Scheme.objects.filter(
            commissioner_id=access.commissioner_id_of(request.user),
            lot__framework__route_to_market__in=[
                Framework.Route.CALL_OFF,
                Framework.Route.MINI_COMPETITION,
            ],
        )
        .select_related("lot", "zone")
        .order_by("lot__number", "name")
    )
    form = f.CompetitionForm(request.POST or None)
    chosen = [s for s in schemes if str(s.pk) in request.POST.getlist("schemes")]
    scheme_error = ""

    if request.method == "POST" and form.is_valid():
        try:
            competition = competitions.open_competition(
                by=request.user,
                lot=competitions.lot_of(chosen),
                title=form.cleaned_data["title"],
                description=form.cleaned_data.get("description", ""),
                schemes=chosen,
                deadline=competitions.closing_at(form.cleaned_data["deadline"]),
                contract_weeks=form.cleaned_data.get("contract_weeks"),
                band=None,
            )
        except BrokerageError as exc:
            if exc.field == "schemes":
                scheme_error = exc.message
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


@role_required(*access.Role.values, "competitions")
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = selectors.competition_for(request.user, pk)
    now = clock.now()
    is_provider = access.is_provider(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    bid_form = f.BidForm(request.POST if action == "bid" else None, questions=competition.questions)
    bids = selectors.bids_visible(request.user, competition, now)
    score_forms = (
        {
            b.pk: f.ScoreForm(
                request.POST if action == f"score-{b.pk}" else None,
                questions=competition.questions,
                prefix=f"bid{b.pk}",
                initial={f"score_{k}": v for k, v in b.answer_scores.items()},
            )
            for b in bids
        }
        if not is_provider
        else {}
    )
    try:
        if action == "bid" and is_provider and bid_form.is_valid():
            data = bid_form.cleaned_data
            competitions.submit_bid(
                competition.pk,
                provider=request.user.provider,
                by=request.user,
                weekly_price=data["weekly_price"],
                answers={q["key"]: data[f"answer_{q['key']}"] for q in competition.questions},
            )
            messages.success(
                request,
                "Your bid is in. It stays sealed until the deadline; you can change it until then.",
            )
            return HttpResponseRedirect(request.path)
        if action and action.startswith("score-") and not is_provider:
            access.require_role(request.user, BROKERS, "scoring bids")
            suffix = action.split("-", 1)[1]
            form = score_forms.get(int(suffix)) if suffix.isdigit() else None
            if form is None:
                raise BrokerageError("That bid is not open for scoring on this page.")
            bid_pk = int(suffix)
            if form.is_valid():
                competitions.evaluate(
                    bid_pk,
                    by=request.user,
                    scores={
                        q["key"]: form.cleaned_data[f"score_{q['key']}"]
                        for q in competition.questions
                    },
                )
                messages.success(request, "Scores saved.")
                return HttpResponseRedirect(request.path)
        if action == "award" and not is_provider:
            access.require_role(request.user, BROKERS, "awarding")
            award = competitions.award_competition(
                competition.pk, by=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, f"Awarded to {award.provider.display_name}. {award.reason}")
            return HttpResponseRedirect(request.path)
    except BrokerageError as exc:
        if action == "bid" and competition.phase(clock.now()) == "open":
            apply_error(bid_form, exc)
        else:  # no form to show it on (bids closed, or a scoring or award action)
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
    my_bid = bids[0] if is_provider and bids else None
    if is_provider and my_bid and not bid_form.is_bound:
        bid_form = f.BidForm(
            questions=competition.questions,
            initial={
                "weekly_price": my_bid.weekly_price,
                **{f"answer_{k}": v for k, v in my_bid.answers.items()},
            },
        )
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
            "cap": competitions.cap_for(competition),
            "is_provider": is_provider,
            "is_broker": access.has_role(request.user, BROKERS),
            "failed_form": next(
                (f for f in (bid_form, *score_forms.values()) if f.is_bound and f.errors), None
            ),
            "award": getattr(competition, "award", None),
            "all_scored": bool(bids) and all(b.quality_score is not None for b in bids),
        },
    )
