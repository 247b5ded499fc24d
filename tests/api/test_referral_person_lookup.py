"""Raising a referral over the API for someone the council knows: the reference is read as the
web form reads it (one selector, ``brokerage.selectors.person_by_reference``), so the same
typing finds the same person and an unknown reference gets the same message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caremarket.brokerage.models import Person, Referral
from caremarket.core import clock
from tests.brokerage.support import snapshot

pytestmark = pytest.mark.django_db


def _body(reference: str) -> dict[str, Any]:
    return {
        "person_reference": reference,
        "service_type": "personal-care",
        "hours_per_week": "7.5",
        "start_date": (clock.today() + timedelta(days=7)).isoformat(),
        "urgency": "planned",
        "outcomes": "To keep going to the allotment on Tuesdays.",
    }


def test_a_known_reference_in_any_case_finds_the_person(client_for) -> None:  # type: ignore[no-untyped-def]
    # Someone with no home care referral: a second open one would be refused as a duplicate.
    person = (
        Person.objects.filter(commissioner__slug="devon")
        .exclude(referrals__service_type__code="personal-care")
        .order_by("pk")
        .first()
    )
    typed = f"  {person.reference.lower()} "
    response = client_for("devon.practitioner").post(
        "/api/v1/referrals/", _body(typed), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert Referral.objects.get(pk=response.json()["id"]).person == person


def test_an_unknown_reference_gets_the_web_forms_message(client_for) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    response = client_for("devon.practitioner").post(
        "/api/v1/referrals/", _body("DEV-P-999999"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "person_reference": "No person DEV-P-999999 is known to this council."
    }
    assert snapshot() == before
