"""The terms an entry window publishes: a framework's quality questions (with their criteria,
weight and scale), its pass/fail items and its pass mark, set by the council in the app.

Every change is refused while it would judge applicants by terms other than those they
answered (``rules.terms_locked``); a question or item that applications have answered is
never deleted (their answers and letters keep pointing at it); every change is kept by
simple_history. Numbers are the natural key (one question 3 per framework), so the same
form sent twice adds one question, and the second is told it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid, NotFound
from caremarket.engine.terms import WindowState
from caremarket.frameworks import rules
from caremarket.frameworks.models import (
    Answer,
    Application,
    EntryTerms,
    Framework,
    PassFailAnswer,
    PassFailItem,
    QualityQuestion,
)

UNDECIDED = (
    Application.Status.SUBMITTED,
    Application.Status.EVALUATING,
    Application.Status.MODERATED,
)


@dataclass(frozen=True)
class QuestionInput:
    number: int
    text: str
    criteria: str
    weight: Decimal
    scale_max: int = 5


def lock_reason(framework: Framework) -> str | None:
    """Why the framework's terms may not change today (``rules.terms_locked``), or None."""
    today = clock.today()
    open_ids = [
        w.pk
        for w in framework.entry_windows.filter(purpose="entry")
        if w.as_window().state(today) is WindowState.OPEN
    ]
    applications = Application.objects.filter(window__framework=framework)
    return rules.terms_locked(
        applications.filter(window_id__in=open_ids).count(),
        applications.filter(status__in=UNDECIDED).count(),
    )


def _locked_framework(framework_id: int) -> Framework:
    framework = Framework.objects.select_for_update().filter(pk=framework_id).first()
    if framework is None:
        raise NotFound("No such framework.")
    if reason := lock_reason(framework):
        raise Conflict(reason)
    return framework


def _check_question(data: QuestionInput) -> None:
    errors: dict[str, str] = {}
    if not 1 <= data.number <= 99:
        errors["number"] = "A question number is from 1 to 99."
    if not data.text.strip():
        errors["text"] = "Enter the question."
    if not data.criteria.strip():
        errors["criteria"] = "Enter the criteria each score is judged by."
    if data.weight is None or not Decimal("0") < data.weight <= Decimal("100"):
        errors["weight"] = "A weight is a percentage above 0 and at most 100."
    elif data.weight != data.weight.quantize(Decimal("0.01")):
        errors["weight"] = "A weight has at most two decimal places."
    if not 1 <= data.scale_max <= 10:
        errors["scale_max"] = "Scores run from 0 to a top mark between 1 and 10."
    if errors:
        raise Invalid(errors)


@transaction.atomic
def save_question(
    framework_id: int, data: QuestionInput, *, by: Any, question_id: int | None = None
) -> QualityQuestion:
    """Add a question (``question_id`` None) or change one; the weights' total is the page's
    to show (``rules.weights_problem``), since a council enters them one at a time."""
    framework = _locked_framework(framework_id)
    _check_question(data)
    if question_id is None:
        question = QualityQuestion(framework=framework)
    else:
        question = QualityQuestion.objects.filter(framework=framework, pk=question_id).first()
        if question is None:
            raise NotFound("No such question on this framework.")
    question.number, question.text = data.number, data.text.strip()
    question.criteria, question.weight = data.criteria.strip(), data.weight
    question.scale_max = data.scale_max
    question._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            question.save()
    except IntegrityError:
        raise Invalid(
            f"Question {data.number} already exists on this framework: change it instead.",
            "number",
        ) from None
    return question


@transaction.atomic
def remove_question(framework_id: int, question_id: int, *, by: Any) -> None:
    framework = _locked_framework(framework_id)
    question = QualityQuestion.objects.filter(framework=framework, pk=question_id).first()
    if question is None:
        raise NotFound("No such question on this framework.")
    answered = Answer.objects.filter(question=question).count()
    if answered:
        raise Conflict(
            f"Question {question.number} was answered in {answered} application"
            f"{'s' if answered != 1 else ''}: it stays in their record. Change its text or "
            "weight for the next window instead."
        )
    question._history_user = by  # type: ignore[attr-defined]
    question.delete()


@transaction.atomic
def save_pass_fail_item(
    framework_id: int, *, number: int, text: str, cqc_only: bool, by: Any
) -> PassFailItem:
    framework = _locked_framework(framework_id)
    errors: dict[str, str] = {}
    if not 1 <= number <= 99:
        errors["number"] = "An item number is from 1 to 99."
    if not text.strip():
        errors["text"] = "Enter what a provider must have, for example safeguarding training."
    if errors:
        raise Invalid(errors)
    item = PassFailItem(framework=framework, number=number, text=text.strip()[:240])
    item.cqc_only = cqc_only
    item._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise Invalid(f"Item {number} already exists on this framework.", "number") from None
    return item


@transaction.atomic
def remove_pass_fail_item(framework_id: int, item_id: int, *, by: Any) -> None:
    framework = _locked_framework(framework_id)
    item = PassFailItem.objects.filter(framework=framework, pk=item_id).first()
    if item is None:
        raise NotFound("No such pass or fail item on this framework.")
    if PassFailAnswer.objects.filter(item=item).exists():
        raise Conflict(f"“{item.text}” was answered in applications: it stays in their record.")
    item._history_user = by  # type: ignore[attr-defined]
    item.delete()


@transaction.atomic
def set_pass_mark(framework_id: int, *, threshold: Decimal, by: Any) -> EntryTerms:
    framework = _locked_framework(framework_id)
    if threshold is None or not Decimal("0") <= threshold <= Decimal("100"):
        raise Invalid("The pass mark is a score out of 100, from 0 to 100.", "threshold")
    terms, _ = EntryTerms.objects.get_or_create(framework=framework)
    terms.quality_threshold = threshold
    terms._history_user = by  # type: ignore[attr-defined]
    terms.save()
    return terms
