"""A repeated submission makes nothing twice (issue 14).

Clicking "Raise referral" twice made two people and two referrals, both offered to every
provider. Now a form that creates something carries a one-time token and the API takes an
``Idempotency-Key``; someone matching a known person (name, date of birth, postcode) is not
made again; an identical open referral for the same person and service is refused naming it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.brokerage.models import Person, Referral
from caremarket.brokerage.services import referrals
from caremarket.core import clock
from caremarket.core.errors import Conflict, Invalid
from tests.brokerage.support import (
    account,
    person_input,
    postcode_in,
    raise_referral,
    referral_input,
    service,
    unique_person,
    zone,
)

pytestmark = pytest.mark.django_db


def _form(z: Any, token: str, **extra: Any) -> dict[str, Any]:
    details = extra.pop("details", None) or unique_person()
    start = clock.today() + timedelta(days=7)
    born = details.date_of_birth
    data = {
        "submission_token": token,
        "given_name": details.given_name,
        "family_name": details.family_name,
        "date_of_birth_0": born.day,
        "date_of_birth_1": born.month,
        "date_of_birth_2": born.year,
        "address": details.address,
        "postcode": postcode_in(z),
        "care_group": _group_pk("OP"),
        "service_type": service("personal-care").pk,
        "hours_per_week": "10",
        "start_date_0": start.day,
        "start_date_1": start.month,
        "start_date_2": start.year,
        "urgency": "planned",
        "outcomes": "To stay at home.",
    }
    data.update(extra)
    return data


def _group_pk(code: str) -> int:
    from caremarket.market.models import CareGroup

    return CareGroup.objects.get(code=code).pk


def _api(username: str) -> Client:
    token, _ = Token.objects.get_or_create(user=account(username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_a_second_click_on_raise_referral_makes_nothing_new(client_for: Any) -> None:
    client = client_for("devon.practitioner")
    data = _form(zone("devon", 1), "token-double-click")
    people, raised = Person.objects.count(), Referral.objects.count()

    first = client.post("/referrals/new/", data)
    second = client.post("/referrals/new/", data)

    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Person.objects.count() == people + 1
    assert Referral.objects.count() == raised + 1
    page = client.get(second["Location"])
    assert "was already raised" in page.content.decode()


def test_the_raise_form_carries_a_fresh_token_each_time(client_for: Any) -> None:
    client = client_for("devon.practitioner")
    tokens = [
        client.get("/referrals/new/?service=personal-care")  # the form follows the service
        .content.decode()
        .split('name="submission_token" value="')[1][:32]
        for _ in range(2)
    ]
    assert tokens[0] != tokens[1] and all(len(t) == 32 for t in tokens)


def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_token(
    client_for: Any,
) -> None:
    client = client_for("devon.practitioner")
    data = _form(zone("devon", 1), "token-corrected", outcomes="")
    raised = Referral.objects.count()
    refused = client.post("/referrals/new/", data)
    assert refused.status_code == 200 and Referral.objects.count() == raised
    data["outcomes"] = "To stay at home."
    assert client.post("/referrals/new/", data).status_code == 302
    assert Referral.objects.count() == raised + 1


def test_someone_matching_a_known_person_is_not_made_again() -> None:
    z = zone("devon", 1)
    details = unique_person()
    postcode = postcode_in(z)
    first = raise_referral("devon", 1, "personal-care", details=details, postcode=postcode)
    people = Person.objects.count()
    with pytest.raises(Invalid) as refused:
        referrals.raise_referral(
            account("devon.practitioner"),
            z.commissioner,
            referral_input("personal-care"),
            new_person=person_input(z, details=details, postcode=postcode),
        )
    assert first.person.reference in refused.value.errors["person_reference"]
    assert Person.objects.count() == people
    # Told it is someone else, the platform makes the record.
    other = referrals.raise_referral(
        account("devon.practitioner"),
        z.commissioner,
        referral_input("personal-care"),
        new_person=person_input(z, details=details, postcode=postcode),
        different_person=True,
    )
    assert other.person != first.person


def test_the_web_form_offers_the_known_persons_reference(client_for: Any) -> None:
    z = zone("devon", 1)
    details = unique_person()
    client = client_for("devon.practitioner")
    client.post("/referrals/new/", _form(z, "token-a", details=details))
    known = Person.objects.get(family_name=details.family_name)
    page = client.post("/referrals/new/", _form(z, "token-b", details=details))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Enter {known.reference} as the reference" in text
    assert 'name="different_person"' in text


def test_an_identical_open_referral_is_refused_naming_it() -> None:
    first = raise_referral("devon", 1, "personal-care")
    raised = Referral.objects.count()
    with pytest.raises(Conflict) as refused:
        referrals.raise_referral(
            account("devon.practitioner"),
            first.commissioner,
            referral_input("personal-care"),
            person=first.person,
        )
    assert first.reference in refused.value.message
    assert refused.value.field == "service_type"
    assert Referral.objects.count() == raised


def _api_body(z: Any) -> dict[str, Any]:
    details = unique_person()
    return {
        "person": {
            "given_name": details.given_name,
            "family_name": details.family_name,
            "date_of_birth": details.date_of_birth.isoformat(),
            "address": details.address,
            "postcode": postcode_in(z),
            "care_group": "OP",
        },
        "service_type": "personal-care",
        "hours_per_week": "10",
        "start_date": (clock.today() + timedelta(days=7)).isoformat(),
        "urgency": "planned",
        "outcomes": "To stay at home.",
    }


def test_the_api_takes_an_idempotency_key_on_raising_a_referral() -> None:
    api = _api("devon.practitioner")
    body = _api_body(zone("devon", 1))
    raised = Referral.objects.count()
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-after-timeout-1"}
    first = api.post("/api/v1/referrals/", body, content_type="application/json", **headers)
    again = api.post("/api/v1/referrals/", body, content_type="application/json", **headers)
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == raised + 1
    body["outcomes"] = "Something else entirely."
    reused = api.post("/api/v1/referrals/", body, content_type="application/json", **headers)
    assert reused.status_code == 409
    assert Referral.objects.count() == raised + 1


def test_a_key_is_one_actors_own() -> None:
    """Another practitioner's request with the same key is a request of its own."""
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}
    one = _api("devon.practitioner").post(
        "/api/v1/referrals/",
        _api_body(zone("devon", 1)),
        content_type="application/json",
        **headers,
    )
    two = _api("devon.broker").post(
        "/api/v1/referrals/",
        _api_body(zone("devon", 1)),
        content_type="application/json",
        **headers,
    )
    assert one.status_code == 201 and two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_a_broker_merges_duplicate_people_with_history(client_for: Any) -> None:
    keep = raise_referral("devon", 1, "personal-care")
    duplicate = raise_referral("devon", 1, "personal-care")
    page = client_for("devon.broker").post(
        "/brokerage/people/merge/",
        {
            "keep": keep.person.reference,
            "duplicate": duplicate.person.reference,
            "reason": "Same person: the first record had a typing slip.",
        },
    )
    assert page.status_code == 302
    duplicate.refresh_from_db()
    moved_from = duplicate.person
    assert duplicate.person == keep.person
    old = Person.objects.get(referrals__isnull=True, merged_into=keep.person)
    assert old.history.first().merged_into_id == keep.person.pk
    assert duplicate.history.first().person_id == keep.person.pk
    assert "Merged" in duplicate.events.last().note
    # Merging it again is refused, and a referral raised for the old reference goes to the kept one.
    again = client_for("devon.broker").post(
        "/brokerage/people/merge/",
        {"keep": keep.person.reference, "duplicate": old.reference, "reason": "Again."},
    )
    assert again.status_code == 200 and "already been merged" in again.content.decode()
    assert moved_from == keep.person


def test_merging_is_for_brokers_only(client_for: Any) -> None:
    assert client_for("devon.practitioner").get("/brokerage/people/merge/").status_code == 403
