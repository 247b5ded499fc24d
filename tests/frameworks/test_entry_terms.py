"""The terms an entry window publishes, set by the council: questions, pass/fail items and
the pass mark; refused while applicants would be judged by other terms than they answered;
never deleting what an application answered; bad input named by field, nothing saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from caremarket.frameworks.models import Application, EntryTerms, PassFailItem, QualityQuestion
from caremarket.frameworks.services import entry, entry_terms
from tests.frameworks.test_entry import _applicant, _input, _open_framework

pytestmark = pytest.mark.django_db
D = Decimal


def _question(number: int = 3, weight: str = "10", **kw: object) -> entry_terms.QuestionInput:
    values = {"text": "How do you train staff?", "criteria": "A plan with dates.", **kw}
    return entry_terms.QuestionInput(number, values["text"], values["criteria"], D(weight))  # type: ignore[arg-type]


def test_a_question_is_added_changed_and_its_history_kept() -> None:
    framework, _, _ = _open_framework()
    added = entry_terms.save_question(framework.pk, _question(), by=None)
    assert (added.number, added.weight, added.scale_max) == (3, D("10"), 5)
    changed = entry_terms.save_question(
        framework.pk, _question(weight="15", text="Training"), by=None, question_id=added.pk
    )
    assert changed.pk == added.pk and changed.text == "Training"
    assert [h.weight for h in added.history.order_by("history_date")] == [D("10"), D("15")]


def test_the_same_question_number_twice_adds_one_and_says_so() -> None:
    framework, _, _ = _open_framework()
    entry_terms.save_question(framework.pk, _question(), by=None)
    with pytest.raises(Invalid, match="Question 3 already exists") as refused:
        entry_terms.save_question(framework.pk, _question(), by=None)
    assert refused.value.field == "number"
    assert framework.questions.filter(number=3).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_question(number=0), "number"),
        (_question(weight="0"), "weight"),
        (_question(weight="100.5"), "weight"),
        (_question(weight="10.001"), "weight"),
        (_question(text="  "), "text"),
        (_question(criteria=""), "criteria"),
        (entry_terms.QuestionInput(3, "Q", "C", D("10"), scale_max=11), "scale_max"),
    ],
)
def test_bad_questions_are_refused_by_field_and_nothing_is_saved(
    data: entry_terms.QuestionInput, field: str
) -> None:
    framework, _, _ = _open_framework()
    before = QualityQuestion.objects.count()
    with pytest.raises(Invalid) as refused:
        entry_terms.save_question(framework.pk, data, by=None)
    assert field in refused.value.errors
    assert QualityQuestion.objects.count() == before


def test_terms_cannot_change_once_a_provider_has_applied_in_the_open_window() -> None:
    framework, lot, window = _open_framework()
    entry.apply(_applicant(), window, lot, _input(lot))
    question = framework.questions.first()
    with pytest.raises(Conflict, match="1 provider has applied in the open window"):
        entry_terms.save_question(framework.pk, _question(), by=None)
    with pytest.raises(Conflict):
        entry_terms.set_pass_mark(framework.pk, threshold=D("10"), by=None)
    with pytest.raises(Conflict):
        entry_terms.remove_question(framework.pk, question.pk, by=None)
    assert EntryTerms.objects.get(framework=framework).quality_threshold == D("60")


def test_after_the_window_closes_undecided_applications_still_lock_the_terms() -> None:
    framework, lot, window = _open_framework()
    made = entry.apply(_applicant(), window, lot, _input(lot))
    window.opens, window.closes = clock.today() - timedelta(30), clock.today() - timedelta(1)
    window.save()
    with pytest.raises(Conflict, match="1 application is still being evaluated"):
        entry_terms.save_pass_fail_item(
            framework.pk, number=2, text="Insurance", cqc_only=False, by=None
        )
    Application.objects.filter(pk=made.pk).update(status=Application.Status.UNSUCCESSFUL)
    item = entry_terms.save_pass_fail_item(
        framework.pk, number=2, text="Insurance", cqc_only=False, by=None
    )
    assert item.number == 2


def test_an_answered_question_is_never_deleted() -> None:
    framework, lot, window = _open_framework()
    made = entry.apply(_applicant(), window, lot, _input(lot))
    Application.objects.filter(pk=made.pk).update(status=Application.Status.SUCCESSFUL)
    window.opens, window.closes = clock.today() - timedelta(30), clock.today() - timedelta(1)
    window.save()
    question = framework.questions.first()
    with pytest.raises(Conflict, match="answered in 1 application"):
        entry_terms.remove_question(framework.pk, question.pk, by=None)
    item = framework.pass_fail.first()
    with pytest.raises(Conflict, match="stays in their record"):
        entry_terms.remove_pass_fail_item(framework.pk, item.pk, by=None)
    assert QualityQuestion.objects.filter(pk=question.pk).exists()
    assert PassFailItem.objects.filter(pk=item.pk).exists()


def test_an_unanswered_question_is_removed_and_the_pass_mark_is_bounded() -> None:
    framework, _, _ = _open_framework()
    added = entry_terms.save_question(framework.pk, _question(), by=None)
    entry_terms.remove_question(framework.pk, added.pk, by=None)
    assert not QualityQuestion.objects.filter(pk=added.pk).exists()
    with pytest.raises(Invalid, match="from 0 to 100") as refused:
        entry_terms.set_pass_mark(framework.pk, threshold=D("101"), by=None)
    assert refused.value.field == "threshold"
    assert entry_terms.set_pass_mark(
        framework.pk, threshold=D("65"), by=None
    ).quality_threshold == D("65")


def test_providers_cannot_apply_while_the_weights_do_not_add_up() -> None:
    framework, lot, window = _open_framework()
    entry_terms.save_question(framework.pk, _question(), by=None)  # 60 + 40 + 10
    with pytest.raises(Conflict, match="add up to 110%"):
        entry.apply(_applicant(), window, lot, _input(lot))
    assert not Application.objects.filter(lot=lot).exists()
