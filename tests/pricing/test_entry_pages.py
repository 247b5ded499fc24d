"""The entry-point pages: a provider applies on the page (a silly price or a closed window is
refused with a message, nothing saved); the outcome letter as a page and a PDF."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from caremarket.core import clock
from caremarket.frameworks.models import Application
from caremarket.frameworks.services import entry
from tests import factories
from tests.frameworks.test_entry import _applicant, _input, _open_framework

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _form(lot, amount: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {f"price_{z.pk}": amount for z in lot.zones.all()}
    data |= {f"answer_{q.pk}": "Our answer." for q in lot.framework.questions.all()}
    data |= {f"item_{i.pk}": "yes" for i in lot.framework.pass_fail.all()}
    return data


def test_a_provider_applies_on_the_page_and_a_silly_price_is_refused() -> None:
    _, lot, window = _open_framework()
    client = _client(_applicant())
    url = f"/entry-windows/{window.pk}/lots/{lot.pk}/apply/"
    refused = client.post(url, _form(lot, "1000"))
    assert refused.status_code == 200 and "between £5.00 and £150.00" in refused.content.decode()
    assert not Application.objects.filter(lot=lot).exists()
    done = client.post(url, _form(lot, "24.50"))
    made = Application.objects.get(lot=lot)
    assert done["Location"] == f"/applications/{made.pk}/"


def test_a_closed_window_shows_the_next_opening_and_refuses_on_the_page() -> None:
    _, lot, window = _open_framework()
    window.opens, window.closes = clock.today() - timedelta(days=30), clock.today() - timedelta(1)
    window.save()
    client = _client(_applicant())
    assert "The next window opens on" in client.get(f"/entry-windows/{window.pk}/").content.decode()
    refused = client.post(f"/entry-windows/{window.pk}/lots/{lot.pk}/apply/", _form(lot, "24.50"))
    assert "closed on" in refused.content.decode()
    assert not Application.objects.filter(lot=lot).exists()


def test_the_outcome_letter_shows_scores_and_feedback_as_a_page_and_a_pdf() -> None:
    _, lot, window = _open_framework()
    applicant = _applicant()
    application = entry.apply(applicant, window, lot, _input(lot))
    evaluators = [factories.council_user(lot.framework.commissioner) for _ in range(2)]
    for a in application.answers.all():
        for n, who in enumerate(evaluators):
            entry.score(a.pk, by=who, value=3 + n)
        entry.moderate(a.pk, by=evaluators[0], value=4, feedback="Well evidenced.")
    entry.decide_outcome(application.pk, by=evaluators[0], feedback="Welcome aboard.")
    client = _client(applicant)
    page = client.get(f"/applications/{application.pk}/outcome/").content.decode()
    assert "Well evidenced." in page and "80.00" in page
    assert "Evaluator 1" not in client.get(f"/applications/{application.pk}/").content.decode()
    pdf = client.get(f"/applications/{application.pk}/outcome/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_an_evaluator_scores_on_the_page_and_a_score_off_the_scale_is_refused() -> None:
    _, lot, window = _open_framework()
    application = entry.apply(_applicant(), window, lot, _input(lot))
    evaluator = factories.council_user(lot.framework.commissioner, role="commissioner")
    client = _client(evaluator)
    answer = application.answers.first()
    url = f"/applications/{application.pk}/"
    refused = client.post(url, {"action": "score", "score-answer": answer.pk, "score-value": "9"})
    assert "from 0 to 5; 9 is not" in refused.content.decode()
    assert not answer.scores.exists()
    client.post(url, {"action": "score", "score-answer": answer.pk, "score-value": "4"})
    assert answer.scores.get().score == Decimal("4")
