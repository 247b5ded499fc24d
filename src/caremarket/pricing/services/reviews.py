"""Fee reviews: proposed (rates computed by ``engine.fee_review``), consulted on, decided,
and carried into live agreements (``services.repricing``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.brokerage.services.common import notify
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.engine import fee_review
from caremarket.frameworks.models import Appointment, Framework
from caremarket.frameworks.rules import price_problem
from caremarket.frameworks.services.rates import rates_from_review
from caremarket.pricing import rules
from caremarket.pricing.models import CostLine, FeeReview, ProviderComment
from caremarket.pricing.rules import LineInput
from caremarket.pricing.services.repricing import reprice

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a commissioner proposes. ``lines`` are the evidenced pressures; for the NLW and
    CPI method they are made from ``staff_share``, ``nlw_from``, ``nlw_to`` and ``cpi``."""

    title: str
    effective_from: date | None
    method: str
    unit: str = "hour"
    current_rate: Decimal | None = None
    staff_share: Decimal | None = None
    nlw_from: Decimal | None = None
    nlw_to: Decimal | None = None
    cpi: Decimal | None = None
    lines: Sequence[LineInput] = ()


def lines_of(proposal: Proposal) -> list[LineInput]:
    if proposal.method != FeeReview.Method.NLW_CPI:
        return list(proposal.lines)
    errors = {}
    if proposal.staff_share is None or not 0 <= proposal.staff_share <= 100:
        errors["staff_share"] = "Enter the staff pay share of the rate, from 0% to 100%."
    for name, label in (("nlw_from", "last year's"), ("nlw_to", "this year's")):
        value = getattr(proposal, name)
        if value is None or not Decimal("5") <= value <= Decimal("50"):
            errors[name] = f"Enter {label} National Living Wage, between £5 and £50 an hour."
    if proposal.cpi is None or not Decimal("-10") <= proposal.cpi <= Decimal("30"):
        errors["cpi"] = "Enter CPI as a per cent between -10% and 30%."
    if errors:
        raise Invalid(errors)
    made = fee_review.nlw_cpi_lines(
        proposal.staff_share,  # type: ignore[arg-type]
        proposal.nlw_from,  # type: ignore[arg-type]
        proposal.nlw_to,  # type: ignore[arg-type]
        proposal.cpi,  # type: ignore[arg-type]
    )
    sources = (
        f"National Living Wage £{proposal.nlw_from} to £{proposal.nlw_to}",
        "ONS CPI 12-month rate",
    )
    return [
        LineInput(line.name, line.weight, line.change, source)
        for line, source in zip(made, sources, strict=True)
    ]


@transaction.atomic
def propose(by: Any, framework: Framework, proposal: Proposal) -> FeeReview:
    """A draft review with its proposed rate worked out; nothing else changes yet."""
    errors: dict[str, str] = {}
    if not proposal.title.strip():
        errors["title"] = "Give the review a title."
    if problem := rules.effective_problem(proposal.effective_from, clock.today()):
        errors["effective_from"] = problem
    fixed = framework.pricing_model == Framework.PricingModel.FIXED_RATE
    if fixed and (problem := price_problem(proposal.current_rate, proposal.unit)):
        errors["current_rate"] = problem
    if errors:
        raise Invalid(errors)
    lines = lines_of(proposal)
    if problem := rules.weights_problem(lines):
        raise Invalid(problem, "lines")
    uplift = fee_review.uplift(rules.engine_lines(lines))
    proposed = (
        fee_review.proposed_rate(proposal.current_rate, rules.engine_lines(lines))
        if fixed and proposal.current_rate is not None
        else None
    )
    if proposed is not None and (problem := price_problem(proposed, proposal.unit)):
        raise Invalid(f"The proposed rate is out of range: {problem}", "lines")
    try:
        with transaction.atomic():
            review = FeeReview.objects.create(
                commissioner=framework.commissioner,
                framework=framework,
                title=proposal.title.strip(),
                unit=proposal.unit,
                effective_from=proposal.effective_from,
                method=proposal.method,
                current_rate=proposal.current_rate if fixed else None,
                uplift=uplift.quantize(Decimal("0.0001")),
                proposed_rate=proposed,
                created_by=by,
            )
    except IntegrityError as exc:
        raise Invalid(
            f"{framework} already has a fee review from {proposal.effective_from:%d %B %Y}.",
            "effective_from",
        ) from exc
    CostLine.objects.bulk_create(
        CostLine(
            review=review,
            position=n,
            name=line.name.strip(),
            weight=line.weight,
            change=line.change,
            evidence=line.evidence[:240],
        )
        for n, line in enumerate(lines, start=1)
    )
    return review


def _locked(review_id: int) -> FeeReview:
    review = FeeReview.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such fee review.")
    return review


@transaction.atomic
def open_consultation(review_id: int, *, by: Any, closes: date | None) -> FeeReview:
    """Send the proposal to every provider appointed on the framework, for comment."""
    review = _locked(review_id)
    if problem := rules.move_problem(review.status, FeeReview.Status.CONSULTING):
        raise Conflict(problem)
    today = clock.today()
    if closes is None or not today <= closes <= review.effective_from:
        raise Invalid(
            "The consultation closes between today and the date the rates take effect.",
            "closes",
        )
    review.status, review.consultation_closes = FeeReview.Status.CONSULTING, closes
    review.save(update_fields=["status", "consultation_closes"])
    emails = (
        Appointment.objects.filter(lot__framework=review.framework)
        .values_list("provider__email", flat=True)
        .distinct()
    )
    rate = f" to £{review.proposed_rate}" if review.proposed_rate else ""
    notify(
        [e for e in emails if e],
        f"Fee review: {review.title}",
        f"{review.commissioner} proposes rates{rate} from {review.effective_from:%d %B %Y}. "
        f"Comments, with evidence, by {closes:%d %B %Y}.",
    )
    return review


@transaction.atomic
def comment(review_id: int, *, by: Any, text: str, evidence: Any = None) -> ProviderComment:
    """A provider's comment on a proposal out to consultation, with one evidence file."""
    review = _locked(review_id)
    provider_id = getattr(by, "provider_id", None)
    appointed = Appointment.objects.filter(
        lot__framework=review.framework, provider_id=provider_id
    ).exists()
    if not appointed or not rules.provider_sees(review.status):
        raise NotFound("No fee review here that you can see.")
    if review.status != FeeReview.Status.CONSULTING or (
        review.consultation_closes and review.consultation_closes < clock.today()
    ):
        raise Invalid("The consultation on this review has closed.")
    if not text.strip():
        raise Invalid("Enter your comment.", "text")
    data = evidence.read() if evidence is not None else None
    if data is not None and len(data) > MAX_EVIDENCE_BYTES:
        raise Invalid("An evidence file must be 5 MB or smaller.", "evidence")
    return ProviderComment.objects.create(
        review=review,
        provider_id=provider_id,
        author=by,
        text=text.strip(),
        evidence=data,
        evidence_name=(getattr(evidence, "name", "") or "")[:160] if data is not None else "",
        evidence_type=(getattr(evidence, "content_type", "") or "")[:80] if data else "",
    )


@transaction.atomic
def decide(review_id: int, *, by: Any, approve: bool, note: str) -> FeeReview:
    """Record the commissioner's decision. Approving writes the framework's new rates from
    the effective date and reprices every live agreement as a dated variation."""
    review = _locked(review_id)
    target = FeeReview.Status.APPROVED if approve else FeeReview.Status.REJECTED
    if problem := rules.move_problem(review.status, target):
        raise Conflict(problem)
    if not note.strip():
        raise Invalid("Record the reason for the decision.", "note")
    if problem := rules.effective_problem(review.effective_from, clock.today()):
        raise Invalid(problem, "effective_from")
    review.status, review.decision_note = target, note.strip()
    review.decided_by, review.decided_at = by, clock.now()
    review.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    if approve:
        rates_from_review(
            review.framework,
            unit=review.unit,
            effective_from=review.effective_from,
            uplift=review.uplift,
            fixed_rate=review.proposed_rate,
            basis=f"{review.title}: {review.decision_note}",
        )
        reprice(review, by=by)
    return review
