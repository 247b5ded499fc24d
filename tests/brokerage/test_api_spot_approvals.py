"""Spot purchase requests over the API (``brokerage.api.spot_approvals``): read by the
council's approvers only (brokers and commissioners, as on the web pages), approved by
someone else whose limit covers the yearly cost (once, whatever the retries), refused only
with a reason; every refusal a JSON 4xx naming what is wrong, and nothing bought by a
refused call.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.accounts.models import User
from caremarket.brokerage import spot
from caremarket.brokerage.models import Award, SpotApproval
from caremarket.brokerage.services import spot_purchases
from caremarket.providers.models import Provider
from tests.brokerage.support import account, raise_referral, snapshot

pytestmark = pytest.mark.django_db
REASON = "Nobody on the framework could staff it; 12 weeks agreed."
URL = "/api/v1/spot-approvals/"


def _api(username: str) -> Client:
    token, _ = Token.objects.get_or_create(user=account(username))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def _asked(clock: Any, council: str = "devon") -> SpotApproval:
    """A request above the band, asked for by the council's broker."""
    short = {"devon": "devon", "isle-of-wight": "iow"}[council]
    zone = 4 if council == "devon" else 1
    referral = raise_referral(council, zone, "personal-care", by=f"{short}.practitioner", hours="6")
    clock.advance(hours=24, minutes=1)  # every offer expired: on the awaiting-care list
    quoted = spot.quote(referral, Decimal("1"), referral.start_date)
    assert quoted.band_high is not None, "the framework prices this care"
    provider = Provider.objects.filter(service_types__code="personal-care").order_by("pk")[0]
    broker = User.objects.get(role="broker", commissioner=referral.commissioner, is_active=True)
    asked = spot_purchases.buy(
        referral.pk,
        by=broker,
        provider=provider,
        unit_price=quoted.band_high + Decimal("5"),
        reason=REASON,
    )
    assert isinstance(asked, SpotApproval)
    return asked


def _post(username: str, path: str, body: Any = None, **headers: str) -> Any:
    return _api(username).post(path, body or {}, content_type="application/json", **headers)


# --- reads ------------------------------------------------------------------------------------


def test_approvers_read_their_councils_requests_and_providers_none(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    listed = _api("devon.broker").get(URL)
    assert listed.status_code == 200, listed.content
    ids = [row["id"] for row in listed.json()["results"]]
    assert asked.pk in ids
    assert not SpotApproval.objects.filter(pk__in=ids).exclude(commissioner__slug="devon")

    detail = _api("devon.commissioner").get(f"{URL}{asked.pk}/").json()
    assert detail["referral"] == asked.referral.reference
    assert detail["unit_price"] == str(asked.unit_price)
    assert detail["yearly_cost"] == str(asked.yearly_cost)
    assert detail["band_high"] == str(asked.band_high)
    assert detail["status"] == "pending" and detail["status_label"] == "Waiting for approval"
    assert detail["requested_by"] and detail["award"] is None
    assert "above the band" in detail["needs_approval_because"]

    theirs = _api("iow.commissioner")
    assert theirs.get(f"{URL}{asked.pk}/").status_code == 404
    assert asked.pk not in [r["id"] for r in theirs.get(URL).json()["results"]]
    provider = _api("provider.devon")
    assert provider.get(URL).status_code == 403
    assert provider.get(f"{URL}{asked.pk}/").status_code == 403


def test_council_staff_without_the_approver_role_are_refused_and_see_nothing(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    for username in ("devon.practitioner", "devon.finance"):
        client = _api(username)
        for path in (URL, f"{URL}{asked.pk}/", f"{URL}?status=pending"):
            answer = client.get(path)
            assert answer.status_code == 403, (username, path, answer.content)
            assert "results" not in answer.json() and "referral" not in answer.json()
            assert asked.referral.reference not in answer.content.decode()


def test_the_list_filters_by_status_and_names_a_bad_one(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    client = _api("devon.broker")
    pending = client.get(URL, {"status": "pending"}).json()["results"]
    assert asked.pk in [r["id"] for r in pending]
    refused = client.get(URL, {"status": "refused"}).json()["results"]
    assert asked.pk not in [r["id"] for r in refused]
    assert all(r["status"] == "refused" for r in refused)
    bad = client.get(URL, {"status": "maybe"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "status"


# --- approve ------------------------------------------------------------------------------------


def test_the_one_who_asked_cannot_approve_nor_a_role_without_a_limit(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    before = snapshot()
    own = _post("devon.broker", f"{URL}{asked.pk}/approve/")
    assert own.status_code == 400
    assert "someone else must approve it" in own.json()["detail"]
    assert _post("devon.practitioner", f"{URL}{asked.pk}/approve/").status_code == 403
    assert _post("provider.devon", f"{URL}{asked.pk}/approve/").status_code == 403
    assert snapshot() == before
    asked.refresh_from_db()
    assert asked.status == SpotApproval.Status.PENDING


def test_approving_buys_once_whatever_the_retries(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    path = f"{URL}{asked.pk}/approve/"
    key = {"HTTP_IDEMPOTENCY_KEY": "approve-7f1c"}
    first = _post("devon.commissioner", path, **key)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "approved"
    award = Award.objects.get(referral=asked.referral)
    assert first.json()["award"] == award.pk
    assert award.unit_price == asked.unit_price

    again = _post("devon.commissioner", path, **key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["award"] == award.pk
    assert Award.objects.filter(referral=asked.referral).count() == 1
    # Someone else approving too is told it is decided (409), and buys nothing more.
    late = _post("devon.broker", path)
    assert late.status_code == 409
    assert "already been approved" in late.json()["detail"]
    assert Award.objects.filter(referral=asked.referral).count() == 1


def test_an_idempotency_key_reused_on_another_request_is_refused(clock) -> None:  # type: ignore[no-untyped-def]
    first, second = _asked(clock), _asked(clock)
    key = {"HTTP_IDEMPOTENCY_KEY": "same-key"}
    assert _post("devon.commissioner", f"{URL}{first.pk}/approve/", **key).status_code == 200
    reused = _post("devon.commissioner", f"{URL}{second.pk}/approve/", **key)
    assert reused.status_code == 409
    assert reused.json()["field"] == "Idempotency-Key"
    second.refresh_from_db()
    assert second.status == SpotApproval.Status.PENDING


def test_another_councils_request_is_not_found_and_not_touched(clock) -> None:  # type: ignore[no-untyped-def]
    theirs = _asked(clock, "isle-of-wight")
    for verb, body in (("approve", None), ("refuse", {"reason": "Not ours."})):
        answer = _post("devon.commissioner", f"{URL}{theirs.pk}/{verb}/", body)
        assert answer.status_code == 404, answer.content
    theirs.refresh_from_db()
    assert theirs.status == SpotApproval.Status.PENDING


# --- refuse -------------------------------------------------------------------------------------


def test_a_refusal_needs_a_reason_names_the_field_and_buys_nothing(clock) -> None:  # type: ignore[no-untyped-def]
    asked = _asked(clock)
    path = f"{URL}{asked.pk}/refuse/"
    for body in ({}, {"reason": "   "}):
        refused = _post("devon.commissioner", path, body)
        assert refused.status_code == 400
        assert "reason" in refused.json()
    done = _post("devon.commissioner", path, {"reason": "Ask the framework again first."})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "refused"
    assert done.json()["decision_note"] == "Ask the framework again first."
    assert done.json()["decided_by"]
    assert not Award.objects.filter(referral=asked.referral).exists()
    assert _post("devon.commissioner", path, {"reason": "Again."}).status_code == 409
    assert _post("devon.commissioner", f"{URL}{asked.pk}/approve/").status_code == 409


# --- the document -------------------------------------------------------------------------------


def test_the_schema_documents_who_may_call_each_operation() -> None:
    schema = Client().get("/api/schema/?format=json").json()
    item = schema["paths"][f"{URL}"]["get"]
    detail = schema["paths"][f"{URL}{{id}}/"]["get"]
    for read in (item, detail):  # the same role as the web pages
        assert read["x-permission"] == ["approve_spot"]
        assert "**Who may call it:** broker, commissioner" in read["description"]
    approve = schema["paths"][f"{URL}{{id}}/approve/"]["post"]
    refuse = schema["paths"][f"{URL}{{id}}/refuse/"]["post"]
    assert approve["x-permission"] == refuse["x-permission"] == ["approve_spot"]
    assert "Idempotency-Key" in [p["name"] for p in approve.get("parameters", [])]
    assert {"400", "403", "404", "409"} <= set(approve["responses"])
    body = refuse["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ReasonRequest")
