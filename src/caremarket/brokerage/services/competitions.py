"""Mini-competition call-offs (Staffordshire supported living).

Bids are sealed: until the deadline only the bidder sees its own bid, and a bidder never sees
another's bid or any rank, before or after. After the deadline the council scores each
answer, the published weights rank the bids, and the award creates a call-off contract.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from caremarket.brokerage.models import Award, Bid, Competition, Referral
from caremarket.brokerage.routing import band_on, cap_for
from caremarket.brokerage.rules import (
    ABNORMALLY_LOW_SHARE,
    abnormally_low,
    deadline_error,
    reason_with_note,
    scores_record,
)
from caremarket.brokerage.services.awards import record_award
from caremarket.brokerage.services.common import (
    create_numbered,
    lock_commissioner,
    notify,
    provider_addresses,
    transition,
)
from caremarket.core import clock
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid
from caremarket.engine import award as engine_award
from caremarket.engine.lifecycle import State
from caremarket.engine.pricing import money
from caremarket.frameworks.models import Appointment, Band, Lot
from caremarket.providers.models import Provider
from caremarket.supported_living.models import Scheme

DEFAULT_QUESTIONS = [
    {
        "key": "outcomes",
        "weight": 40,
        "text": "How will you work with each person to agree and achieve their outcomes?",
    },
    {
        "key": "staffing",
        "weight": 35,
        "text": "How will you recruit, train and keep a stable team for this service?",
    },
    {
        "key": "transition",
        "weight": 25,
        "text": "How will you make the move to your service safe for the people living there?",
    },
]


def _check_questions(questions: list[dict[str, Any]]) -> None:
    if not questions:
        raise Invalid("Ask at least one quality question.", "questions")
    keys = [q.get("key") for q in questions]
    if len(set(keys)) != len(keys) or not all(keys) or not all(q.get("text") for q in questions):
        raise Invalid("Each question needs its own key and some text.", "questions")
    if sum(Decimal(str(q.get("weight", 0))) for q in questions) != 100:
        raise Invalid("The questions' weights must add up to 100.", "questions")


@transaction.atomic
def open_competition(
    *,
    by: Any,
    lot: Lot,
    title: str,
    deadline: datetime,
    referral: Referral | None = None,
    schemes: list[Scheme] | None = None,
    band: Band | None = None,
    description: str = "",
    questions: list[dict[str, Any]] | None = None,
    contract_weeks: int | None = None,
) -> Competition:
    framework = lot.framework
    now = clock.now()
    schemes = schemes or []
    questions = questions or DEFAULT_QUESTIONS
    if deadline <= now:
        raise Invalid("The deadline for bids must be in the future.", "deadline")
    window_error = deadline_error(clock.local(deadline).date(), clock.today())
    if window_error:
        raise Invalid(window_error, "deadline")
    if not title.strip():
        raise Invalid("Give the competition a title.", "title")
    _check_questions(questions)
    if referral is not None:
        if schemes:
            raise Invalid("A competition is for an individual or for schemes, not both.")
        if not referral.is_open or referral.lot_id != lot.pk:
            raise Invalid("That referral cannot be called off on this lot.", "referral")
        if Competition.objects.filter(referral=referral).exists():
            raise Conflict(f"{referral.reference} already has a call-off competition.")

        subject = Competition.Subject.INDIVIDUAL
        band = band or referral.band
    elif schemes:
        if any(s.lot_id != lot.pk for s in schemes):
            raise Invalid("Every scheme must belong to this lot.", "schemes")
        limit = framework.max_schemes_per_block
        if len(schemes) > 1 and limit and len(schemes) > limit:
            raise Invalid(f"A block may cover at most {limit} schemes.", "schemes")
        subject = Competition.Subject.BLOCK if len(schemes) > 1 else Competition.Subject.SCHEME
        _refuse_if_taken(schemes)
        if framework.bids_capped_at_band_rate and band is None:
            band = _highest_band_served(framework, schemes)
            if band is None:
                raise Invalid("Choose the band whose rate caps the bids.", "band_level")
    else:
        raise Invalid("Choose the person or the scheme(s) this call-off is for.")
    commissioner = lock_commissioner(framework.commissioner)
    competition = create_numbered(
        Competition,
        commissioner,
        "C",
        framework=framework,
        lot=lot,
        subject=subject,
        referral=referral,
        title=title.strip(),
        description=description.strip(),
        band=band,
        questions=questions,
        opened_at=now,
        deadline=deadline,
        contract_weeks=contract_weeks,
        created_by=by,
    )
    competition.schemes.set(schemes)
    if referral is not None:
        transition(
            Referral.objects.select_for_update().get(pk=referral.pk),
            State.OFFERED,
            by,
            f"Call-off competition {competition.reference} opened.",
        )
    invited = Appointment.objects.live(clock.today()).filter(lot=lot)
    for appointment in invited.select_related("provider"):
        notify(
            provider_addresses(appointment.provider),
            f"Invitation to bid: {competition.title}",
            f"Bids close {clock.local(deadline):%H:%M on %d %B %Y}. Bid in caremarket.",
        )
    return competition


def _highest_band_served(framework: Any, schemes: list[Scheme]) -> Band | None:
    """Where the broker names no band, bids on a capped framework are capped at the highest
    band the schemes serve (the most a room there could cost), never left uncapped."""
    for level in reversed(Band.Level.values):
        if any(s.serves_band(level) for s in schemes):
            found = band_on(framework, level, clock.today())
            if found is not None:
                return found
    return None


def _refuse_if_taken(schemes: list[Scheme]) -> None:
    """A scheme is called off once at a time: not while a competition for it is open or in
    evaluation, and not while a call-off contract for it is in force."""
    today = clock.today()
    for scheme in schemes:
        running = Competition.objects.filter(schemes=scheme, status=Competition.Status.OPEN)
        first = running.order_by("pk").first()
        if first is not None:
            raise Conflict(
                f"{scheme.name} is already in {first.reference}, which has not been decided: "
                "withdraw it first.",
                "schemes",
            )
        let = scheme.agreements.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        agreement = let.order_by("pk").first()
        if agreement is not None:
            raise Conflict(f"{scheme.name} is already let under {agreement.reference}.", "schemes")


@transaction.atomic
def withdraw_competition(competition_id: int, *, by: Any, reason: str) -> Competition:
    """Withdraw a competition that has not been awarded: every bidder and invitee is told
    why, the bids are kept (withdrawn) for the record, and a person's referral goes back to
    awaiting care so that it is not forgotten."""
    competition = Competition.objects.select_for_update().get(pk=competition_id)
    if competition.status != Competition.Status.OPEN:
        raise Conflict(f"{competition.reference} is {competition.get_status_display().lower()}.")
    if not reason.strip():
        raise Invalid("Say why the competition is withdrawn: every bidder is told.", "reason")
    competition.status = Competition.Status.CANCELLED
    competition.withdrawn_at = clock.now()
    competition.withdrawn_reason = reason.strip()
    competition.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    competition.bids.update(withdrawn=True)
    if competition.referral_id is not None:
        referral = Referral.objects.select_for_update().get(pk=competition.referral_id)
        if referral.is_open:
            transition(
                referral,
                State.AWAITING_CARE,
                by,
                f"Competition {competition.reference} withdrawn: {reason.strip()}",
            )
    invited = Appointment.objects.live(clock.today()).filter(lot=competition.lot)
    for appointment in invited.select_related("provider"):
        notify(
            provider_addresses(appointment.provider),
            f"{competition.reference} withdrawn: {competition.title}",
            f"The council has withdrawn this competition. Why: {reason.strip()}",
        )
    return competition


@transaction.atomic
def submit_bid(
    competition_id: int,
    *,
    provider: Provider,
    by: Any,
    weekly_price: Decimal,
    answers: dict[str, str],
    low_price_explanation: str = "",
) -> Bid:
    competition = Competition.objects.select_for_update().get(pk=competition_id)
    now = clock.now()
    if competition.status != Competition.Status.OPEN:
        raise Conflict("This competition is closed.")
    if now >= competition.deadline:
        raise DeadlinePassed(
            f"Bids closed at {clock.local(competition.deadline):%H:%M on %d %B %Y}."
        )
    appointment = (
        Appointment.objects.live(clock.today())
        .filter(lot=competition.lot, provider=provider)
        .first()
    )
    if appointment is None:
        raise Invalid("Only providers appointed to this lot can bid.")
    if weekly_price is None or weekly_price <= 0:
        raise Invalid("Give a weekly price above zero.", "weekly_price")
    cap = cap_for(competition)
    if cap is not None and weekly_price > cap:
        raise Invalid(f"The weekly price cannot be above the band's rate, £{cap}.", "weekly_price")
    share = Decimal(str(getattr(settings, "CAREMARKET_ABNORMALLY_LOW_SHARE", ABNORMALLY_LOW_SHARE)))
    if abnormally_low(weekly_price, cap, share) and not low_price_explanation.strip():
        raise Invalid(
            f"£{money(weekly_price)} is under {share:.0%} of the most a bid may ask (£{cap}): "
            "explain how you can deliver the service at this price.",
            "low_price_explanation",
        )
    missing = [
        q["key"] for q in competition.questions if not str(answers.get(q["key"], "")).strip()
    ]
    if missing:
        raise Invalid("Answer every quality question.", f"answer_{missing[0]}")
    limit = competition.framework.max_schemes_per_block
    if limit and competition.subject != Competition.Subject.INDIVIDUAL:
        held = sum(
            a.schemes.count()
            for a in provider.agreements.filter(
                award__competition__framework=competition.framework, end_date__isnull=True
            )
        )
        if held + competition.schemes.count() > limit:
            raise Invalid(f"You would hold more than {limit} schemes under this framework.")
    bid, _ = Bid.objects.update_or_create(
        competition=competition,
        provider=provider,
        defaults={
            "appointment": appointment,
            "weekly_price": money(weekly_price),
            "answers": {q["key"]: str(answers[q["key"]]).strip() for q in competition.questions},
            "submitted_at": now,
            "submitted_by": by,
            "withdrawn": False,
            "low_price_explanation": low_price_explanation.strip(),
        },
    )
    return bid


@transaction.atomic
def evaluate(bid_id: int, *, by: Any, scores: dict[str, Decimal]) -> Bid:
    """Score each quality answer 0-100 after the deadline; the bid's quality score is the
    weighted average by the published question weights."""
    bid = Bid.objects.select_for_update(of=("self",)).select_related("competition").get(pk=bid_id)

    competition = bid.competition
    if clock.now() < competition.deadline:
        raise Invalid("Bids are sealed until the deadline: score them after it.")
    if competition.status != Competition.Status.OPEN:
        raise Conflict("This competition has been decided.")
    total = Decimal("0")
    for q in competition.questions:
        value = scores.get(q["key"])
        if value is None or not Decimal("0") <= Decimal(value) <= 100:
            raise Invalid("Score every answer from 0 to 100.", f"score_{q['key']}")
        total += Decimal(value) * Decimal(str(q["weight"]))
    bid.answer_scores = {k: str(v) for k, v in scores.items()}
    bid.quality_score = (total / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    bid.save(update_fields=["answer_scores", "quality_score"])
    return bid


@transaction.atomic
def award_competition(competition_id: int, *, by: Any, note: str = "") -> Award:
    competition = Competition.objects.select_for_update().get(pk=competition_id)
    if competition.status == Competition.Status.AWARDED:
        raise Conflict(f"{competition.reference} has already been awarded.")
    if clock.now() < competition.deadline:
        raise Invalid("Bids are sealed until the deadline.")
    bids = list(competition.bids.filter(withdrawn=False).select_related("provider"))
    if not bids:
        raise Invalid("No bids were made: re-open the competition or buy spot.")
    if any(b.quality_score is None for b in bids):
        raise Invalid("Score every bid's answers before awarding.")
    framework = competition.framework
    ranked = engine_award.rank(
        [
            engine_award.Candidate(
                b.pk, b.provider.display_name, b.weekly_price, b.quality_score, b.submitted_at
            )
            for b in bids
        ],
        engine_award.Rule.WEIGHTED,
        quality_weight=framework.quality_weight,
        price_weight=framework.price_weight,
    )
    by_pk = {b.pk: b for b in bids}
    for r in ranked.ranked:
        bid = by_pk[r.candidate.key]
        bid.price_score, bid.total_score, bid.rank = r.price_score, r.total, r.rank
        bid.save(update_fields=["price_score", "total_score", "rank"])
    winner = by_pk[ranked.winner.candidate.key]
    referral = competition.referral
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
    award = Award(
        bid=winner,
        provider=winner.provider,
        delivering_provider=winner.provider,
        unit="week",
        unit_price=winner.weekly_price,
        competition=competition,
        commissioner=competition.commissioner,
        referral=referral,
        route=framework.route_to_market,
        rule=engine_award.Rule.WEIGHTED,
        scores=scores_record(ranked, "bid"),
        reason=reason_with_note(ranked.reason, note),
        public_reason=ranked.public_reason,
    )
    record_award(award, units=Decimal("1"), by=by, schemes=list(competition.schemes.all()))
    competition.status = Competition.Status.AWARDED
    competition.save(update_fields=["status"])
    for bid in bids:
        won = bid.pk == winner.pk
        notify(
            provider_addresses(bid.provider),
            f"{competition.reference}: {'you have been awarded' if won else 'not awarded'}",
            "Thank you for bidding." + (" The call-off contract is in caremarket." if won else ""),
        )
    return award
