"""Entry points: a provider applies while a window is open; two evaluators score each answer
independently; a moderator settles one score; the outcome weighs the scores against the pass
mark and the pass/fail items, and a successful applicant is appointed from the window's
contract commencement date with its prices effective from then."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.core import clock
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid, NotFound
from caremarket.engine.terms import WindowState
from caremarket.frameworks import rules
from caremarket.frameworks.models import (
    Answer,
    Application,
    ApplicationPrice,
    Appointment,
    EntryTerms,
    EntryWindow,
    Lot,
    PassFailAnswer,
    Price,
    PriceRevision,
    Score,
)

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVALUATORS = 2


@dataclass
class ApplicationInput:
    zone_prices: Mapping[int, Decimal | None]  # zone id -> price an hour
    answers: Mapping[int, str]  # question id -> free text
    evidence: Mapping[int, Any] = field(default_factory=dict)  # question id -> uploaded file
    pass_fail: Mapping[int, bool] = field(default_factory=dict)  # item id -> met


def _refuse_unless_open(window: EntryWindow) -> None:
    state = window.as_window().state(clock.today())
    if state is not WindowState.OPEN:
        summary = window.framework.entry_summary(clock.today())
        upcoming = summary.next_opening
        then = (
            f" The next window opens on {upcoming.opens:%d %B %Y}."
            if upcoming
            else " No further window is planned yet."
        )
        word = "has not opened yet" if state is WindowState.UPCOMING else "closed on"
        when = "" if state is WindowState.UPCOMING else f" {window.closes:%d %B %Y}"
        raise DeadlinePassed(f"This entry window {word}{when}.{then}")


def questions_for(lot: Lot) -> tuple[list[Any], list[Any]]:
    """The lot's published quality questions and the pass/fail items it asks."""
    framework = lot.framework
    regulated = lot.service_types.filter(cqc_registration_required=True).exists()
    items = [i for i in framework.pass_fail.all() if regulated or not i.cqc_only]
    return list(framework.questions.all()), items


@transaction.atomic
def apply(by: Any, window: EntryWindow, lot: Lot, data: ApplicationInput) -> Application:
    if window.purpose != EntryWindow.Purpose.ENTRY or lot.framework_id != window.framework_id:
        raise NotFound("No such entry window for this lot.")
    _refuse_unless_open(window)
    provider_id = getattr(by, "provider_id", None)
    if Appointment.objects.filter(lot=lot, provider_id=provider_id).exists():
        raise Conflict("You are already appointed on this lot: revise prices in a revision window.")
    errors: dict[str, str] = {}
    lot_zones = {z.pk: z for z in lot.zones.all()}
    chosen = {z: p for z, p in data.zone_prices.items() if z in lot_zones}
    if not chosen:
        errors["zones"] = "Choose at least one zone and give your price there."
    for zone_id, amount in chosen.items():
        if problem := rules.price_problem(amount):
            errors[f"price_{zone_id}"] = f"{lot_zones[zone_id].name}: {problem}"
    questions, items = questions_for(lot)
    if problem := rules.weights_problem(q.weight for q in questions):
        raise Conflict(
            f"This framework's questions cannot be scored yet: {problem} Ask the council."
        )
    for q in questions:
        if not (data.answers.get(q.pk) or "").strip():
            errors[f"answer_{q.pk}"] = f"Answer question {q.number}."
        upload = data.evidence.get(q.pk)
        if upload is not None and upload.size > MAX_EVIDENCE_BYTES:
            errors[f"evidence_{q.pk}"] = "An evidence file must be 5 MB or smaller."
    for item in items:
        if item.pk not in data.pass_fail:
            errors[f"item_{item.pk}"] = f"Say whether you meet: {item.text}."
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                window=window, lot=lot, provider_id=provider_id, submitted_by=by
            )
    except IntegrityError as exc:
        raise Conflict("You have already applied for this lot in this window.") from exc
    application.zones.set(chosen)
    ApplicationPrice.objects.bulk_create(
        ApplicationPrice(application=application, zone_id=z, amount=p) for z, p in chosen.items()
    )
    for q in questions:
        upload = data.evidence.get(q.pk)
        Answer.objects.create(
            application=application,
            question=q,
            text=data.answers[q.pk].strip(),
            evidence=upload.read() if upload is not None else None,
            evidence_name=(upload.name[:160] if upload is not None else ""),
            evidence_type=(getattr(upload, "content_type", "") or "")[:80] if upload else "",
        )
    PassFailAnswer.objects.bulk_create(
        PassFailAnswer(application=application, item=i, met=data.pass_fail[i.pk]) for i in items
    )
    return application


def _answer(answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_for_update()
        .select_related("application", "question")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise NotFound("No such answer.")
    if answer.application.status in (
        Application.Status.SUCCESSFUL,
        Application.Status.UNSUCCESSFUL,
    ):
        raise Conflict("The outcome of this application has been decided.")
    return answer


@transaction.atomic
def score(answer_id: int, *, by: Any, value: int | None, note: str = "") -> Score:
    """One evaluator's independent score; at most two evaluators an answer."""
    answer = _answer(answer_id)
    if problem := rules.score_problem(value, answer.question.scale_max):
        raise Invalid(problem, "score")
    if answer.scores.filter(evaluator=by).exists():
        raise Conflict("You have already scored this answer; the moderator settles differences.")
    if answer.scores.count() >= EVALUATORS:
        raise Conflict("Two evaluators have already scored this answer.")
    made = Score.objects.create(answer=answer, evaluator=by, score=value, note=note.strip())
    Application.objects.filter(pk=answer.application_id, status="submitted").update(
        status=Application.Status.EVALUATING
    )
    return made


@transaction.atomic
def moderate(answer_id: int, *, by: Any, value: int | None, feedback: str) -> Answer:
    """Settle one score from the two evaluators', with feedback for the provider."""
    answer = _answer(answer_id)
    if answer.scores.count() < EVALUATORS:
        raise Conflict("Both evaluators must score an answer before it is moderated.")
    if problem := rules.score_problem(value, answer.question.scale_max):
        raise Invalid(problem, "score")
    if not feedback.strip():
        raise Invalid("Give feedback for the provider.", "feedback")
    answer.moderated_score, answer.feedback, answer.moderated_by = value, feedback.strip(), by
    answer.save(update_fields=["moderated_score", "feedback", "moderated_by"])
    application = answer.application
    if not application.answers.filter(moderated_score__isnull=True).exists():
        application.status = Application.Status.MODERATED
        application.save(update_fields=["status"])
    return answer


@transaction.atomic
def decide_outcome(application_id: int, *, by: Any, feedback: str) -> Application:
    """Weigh the moderated scores against the pass mark and check the pass/fail items; a
    successful applicant is appointed from the window's commencement date."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound("No such application.")
    if application.status != Application.Status.MODERATED:
        raise Conflict("Every answer must be moderated before the outcome is decided.")
    answers = list(application.answers.select_related("question"))
    try:
        quality = rules.weighted_score(
            rules.QuestionScore(a.question.weight, a.moderated_score or 0, a.question.scale_max)
            for a in answers
        )
    except ValueError as exc:  # the framework's published weights are wrong: fix them first
        raise Invalid(f"The framework's {exc}.") from exc
    terms = EntryTerms.objects.filter(framework_id=application.window.framework_id).first()
    threshold = terms.quality_threshold if terms else Decimal("60")
    unmet = [p.item.text for p in application.pass_fail_answers.select_related("item") if not p.met]
    passed = quality >= threshold and not unmet
    application.quality_score = quality
    reasons = [f"Quality score {quality} against a pass mark of {threshold}."]
    if unmet:
        reasons.append("Not met: " + "; ".join(unmet) + ".")
    application.outcome_feedback = " ".join([*reasons, feedback.strip()]).strip()
    application.status = (
        Application.Status.SUCCESSFUL if passed else Application.Status.UNSUCCESSFUL
    )
    application.decided_at = clock.now()
    if passed:
        application.appointment = _appoint(application, quality)
    application.save()
    return application


def _appoint(application: Application, quality: Decimal) -> Appointment:
    start = application.window.contracts_commence or application.window.closes
    appointment = Appointment.objects.create(
        provider=application.provider,
        lot=application.lot,
        appointed_on=start,
        quality_score=quality,
    )
    appointment.zones.set(application.zones.all())
    for p in application.prices.all():
        Price.objects.create(
            appointment=appointment, zone=p.zone, unit=p.unit, amount=p.amount, effective_from=start
        )
    return appointment


@transaction.atomic
def revise_prices(
    by: Any, window: EntryWindow, appointment: Appointment, zone_prices: Mapping[int, Decimal]
) -> int:
    """An appointed provider's new zone prices, effective from the revision window's date
    (its contract commencement date); the old prices stay in force until then."""
    if window.purpose != EntryWindow.Purpose.PRICE_REVISION:
        raise NotFound("No such price revision window.")
    if appointment.lot.framework_id != window.framework_id or appointment.provider_id != getattr(
        by, "provider_id", None
    ):
        raise NotFound("No such appointment.")
    _refuse_unless_open(window)
    zones = {z.pk: z for z in appointment.zones.all()}
    errors = {
        f"price_{z}": f"{zones[z].name}: {problem}"
        for z, amount in zone_prices.items()
        if z in zones and (problem := rules.price_problem(amount))
    }
    chosen = {z: a for z, a in zone_prices.items() if z in zones}
    if not chosen and not errors:
        errors["zones"] = "Give a new price for at least one of your zones."
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            PriceRevision.objects.create(window=window, appointment=appointment, submitted_by=by)
    except IntegrityError as exc:
        raise Conflict("You have already revised your prices in this window.") from exc
    effective = window.contracts_commence or window.closes
    for zone_id, amount in chosen.items():
        Price.objects.create(
            appointment=appointment,
            zone_id=zone_id,
            unit="hour",
            amount=amount,
            effective_from=effective,
        )
    return len(chosen)
