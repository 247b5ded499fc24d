"""The pricing pages: what each role sees, the CSV downloads, and refusals shown on the form
with nothing changed. The ``fee_review`` command reaches the same numbers as the page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from caremarket.core import clock
from caremarket.pricing import selectors
from caremarket.pricing.models import FeeReview
from caremarket.pricing.services import reviews
from tests import factories
from tests.pricing import factories as pf
from tests.pricing.test_fee_reviews import _proposal

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _iow_like() -> tuple[FeeReview, object, object]:
    framework, lot = pf.fixed_rate_framework()
    appointment = factories.appointment(lot)
    pf.agreement(lot, appointment, units="10")
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    return review, by, appointment


def test_the_cost_of_care_page_shows_each_component_and_downloads_them() -> None:
    client = _client(factories.council_user(role="finance"))
    page = client.get("/pricing/cost-of-care/")
    assert page.status_code == 200
    assert (
        "£20.69" in page.content.decode() and "Employer National Insurance" in page.content.decode()
    )
    csv = client.get("/pricing/cost-of-care/?preset=hca-2020-21&format=csv").content.decode()
    assert "Paid travel time" in csv and "1.70" in csv


def test_a_commissioner_proposes_on_the_page_and_a_bad_date_changes_nothing() -> None:
    framework, _ = pf.fixed_rate_framework()
    client = _client(pf.commissioner_user(framework))
    past = clock.today() - timedelta(days=3)
    form = {
        "framework": framework.pk,
        "title": "Review",
        "effective_from_0": past.day,
        "effective_from_1": past.month,
        "effective_from_2": past.year,
        "current_rate": "19.28",
        "method": "nlw_cpi",
        "staff_share": "70",
        "nlw_from": "12.21",
        "nlw_to": "12.71",
        "cpi": "3.8",
    }
    refused = client.post("/pricing/fee-reviews/new/", form)
    assert refused.status_code == 200
    assert "cannot take effect in the past" in refused.content.decode()
    assert not FeeReview.objects.filter(framework=framework).exists()
    later = clock.today() + timedelta(days=40)
    form |= {
        "effective_from_0": later.day,
        "effective_from_1": later.month,
        "effective_from_2": later.year,
    }
    done = client.post("/pricing/fee-reviews/new/", form)
    review = FeeReview.objects.get(framework=framework)
    assert done["Location"] == f"/pricing/fee-reviews/{review.pk}/"
    assert review.proposed_rate == Decimal("20.05")


def test_the_page_the_csv_and_the_command_agree_on_the_budget_impact() -> None:
    review, by, _ = _iow_like()
    _, total = selectors.budget_impact(review)
    page = _client(by).get(f"/pricing/fee-reviews/{review.pk}/").content.decode()
    assert f"£{total:,}" in page
    csv = (
        _client(by).get(f"/pricing/fee-reviews/{review.pk}/agreements/?format=csv").content.decode()
    )
    assert "19.28" in csv and "20.05" in csv
    out = StringIO()
    call_command("fee_review", "show", str(review.pk), stdout=out)
    assert f"Budget impact £{total}" in out.getvalue()


def test_a_provider_sees_the_proposal_not_the_budget_impact_and_comments_with_evidence() -> None:
    review, by, appointment = _iow_like()
    reviews.open_consultation(review.pk, by=by, closes=clock.today() + timedelta(days=7))
    provider = _client(pf.provider_user(appointment))
    page = provider.get(f"/pricing/fee-reviews/{review.pk}/").content.decode()
    assert "£20.05" in page and "Budget impact" not in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = provider.post(
        f"/pricing/fee-reviews/{review.pk}/",
        {
            "action": "comment",
            "comment-text": "Our costs are up.",
            "comment-evidence": SimpleUploadedFile("costs.csv", b"a,b\n1,2\n", "text/csv"),
        },
    )
    assert sent.status_code == 302
    comment = review.comments.get()
    assert comment.evidence_name == "costs.csv"
    assert provider.get(f"/pricing/evidence/{comment.pk}/").content == b"a,b\n1,2\n"
    stranger = _client(pf.provider_user(factories.appointment()))
    assert stranger.get(f"/pricing/evidence/{comment.pk}/").status_code == 404


def test_the_commissioner_decides_on_the_page_and_agreements_are_repriced() -> None:
    review, by, _ = _iow_like()
    done = _client(by).post(
        f"/pricing/fee-reviews/{review.pk}/",
        {"action": "decide", "decide-approve": "yes", "decide-note": "Evidence accepted."},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved" and review.repricings.count() == 1


def test_price_transparency_names_outliers_for_the_council_only() -> None:
    framework = factories.framework()
    lot = factories.lot(framework)
    for amount in ("22.00", "23.00", "24.00", "35.00"):
        factories.price(factories.appointment(lot), amount=Decimal(amount))
    page = _client(pf.commissioner_user(framework)).get("/pricing/transparency/").content.decode()
    assert "£23.50" in page  # the median
    assert "£35.00" in page
    provider = _client(pf.provider_user(lot.appointments.first()))
    assert provider.get("/pricing/transparency/").status_code == 403


def test_the_api_proposes_and_refuses_weights_that_do_not_add_up() -> None:
    framework, _ = pf.fixed_rate_framework()
    client = _client(pf.commissioner_user(framework))
    later = (clock.today() + timedelta(days=30)).isoformat()
    body = {
        "framework": framework.pk,
        "title": "API review",
        "effective_from": later,
        "method": "evidenced",
        "current_rate": "19.28",
        "lines": [
            {"name": "Pay", "weight": "60", "change": "5"},
            {"name": "Other", "weight": "30", "change": "2"},
        ],
    }
    refused = client.post("/api/v1/fee-reviews/", body, content_type="application/json")
    assert refused.status_code == 400 and "add up to 100%" in refused.content.decode()
    body["lines"][1]["weight"] = "40"  # type: ignore[index]
    made = client.post("/api/v1/fee-reviews/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["proposed_rate"] == "20.01"  # 60 x 5 + 40 x 2 = 3.8 %; 19.28 x 1.038


def test_the_decision_message_and_page_say_how_many_agreements_were_repriced() -> None:
    framework, lot = pf.fixed_rate_framework()
    live = pf.agreement(lot, factories.appointment(lot))
    by = pf.commissioner_user(framework)
    review = reviews.propose(by, framework, _proposal())
    client = Client()
    client.force_login(by)
    url = f"/pricing/fee-reviews/{review.pk}/"
    done = client.post(
        url, {"action": "decide", "decide-approve": "yes", "decide-note": "Agreed."}, follow=True
    )
    body = done.content.decode()
    assert "Decision recorded: approved. 1 agreement repriced." in body
    assert "What the review did to each agreement" in body
    assert live.reference in body and "£19.28 to £20.05" in body
