"""The council's entry-terms page: add a question, see the weights' total, a refusal shown on
the form with nothing saved, and a locked page that says why and offers no forms."""

from __future__ import annotations

import pytest
from django.test import Client

from caremarket.accounts.models import User
from caremarket.frameworks.models import QualityQuestion
from caremarket.frameworks.services import entry
from tests.frameworks.test_entry import _applicant, _input, _open_framework

pytestmark = pytest.mark.django_db


def _commissioner(framework) -> Client:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(
        username=f"terms.{framework.pk}", role="commissioner", commissioner=framework.commissioner
    )
    client = Client()
    client.force_login(user)
    return client


def _question(number: str, weight: str) -> dict[str, str]:
    return {
        "action": "question",
        "question-number": number,
        "question-text": "How do you keep people safe?",
        "question-criteria": "Named policies and a training record.",
        "question-weight": weight,
        "question-scale_max": "5",
    }


def test_a_commissioner_adds_a_question_and_sees_the_weights_total() -> None:
    framework, _, _ = _open_framework()
    client = _commissioner(framework)
    url = f"/entry-windows/frameworks/{framework.pk}/terms/"
    page = client.get(url).content.decode()
    assert "Weights add up to 100" in page and "Add a question" in page
    done = client.post(url, _question("3", "20"))
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "Question 3 saved." in page
    assert "add up to 120%; they must add up to 100%" in page


def test_a_bad_weight_is_shown_on_the_form_and_nothing_is_saved() -> None:
    framework, _, _ = _open_framework()
    client = _commissioner(framework)
    url = f"/entry-windows/frameworks/{framework.pk}/terms/"
    refused = client.post(url, _question("3", "0"))
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "A weight is a percentage above 0 and at most 100." in body
    assert body.count("govuk-error-summary") >= 1
    assert not QualityQuestion.objects.filter(framework=framework, number=3).exists()


def test_the_page_says_why_the_terms_are_locked_and_offers_no_forms() -> None:
    framework, lot, window = _open_framework()
    entry.apply(_applicant(), window, lot, _input(lot))
    client = _commissioner(framework)
    url = f"/entry-windows/frameworks/{framework.pk}/terms/"
    page = client.get(url).content.decode()
    assert "These terms cannot change now." in page and "applied in the open window" in page
    assert 'value="question"' not in page
    refused = client.post(url, _question("3", "10"), follow=True)
    assert "applied in the open window" in refused.content.decode()
    assert not QualityQuestion.objects.filter(framework=framework, number=3).exists()
