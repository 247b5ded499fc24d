"""Notifications in the app (issue 14): an offer arrives, a deadline nears, a provider answers,
a referral moves to awaiting care. Each is written in the transaction of its event, reaches
only the people it is for, is counted unread in the navigation and is marked read on the
per-user inbox page; email goes only where a setting enables it and the user has an address.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from caremarket.brokerage.models import InboxItem, Notification, Offer
from caremarket.brokerage.services import inbox, offers, worker
from caremarket.core import clock as clock_module
from caremarket.core import worker as core_worker
from caremarket.core.errors import CaremarketError
from caremarket.core.roles import Role
from caremarket.engine.lifecycle import State
from tests.brokerage.support import account, provider_user, raise_referral

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

NOTIFICATIONS = "/notifications/"


def _devon_referral():  # type: ignore[no-untyped-def]
    """Devon zone 4 is framework-first: offers go at once to every eligible provider."""
    referral = raise_referral("devon", 4, "personal-care")
    assert referral.state == State.OFFERED
    return referral


def test_an_offer_arriving_tells_each_of_the_providers_users(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    checked = 0
    for offer in referral.offers.select_related("provider"):
        for user in offer.provider.users.filter(is_active=True):
            item = InboxItem.objects.get(user=user, offer=offer, kind=InboxItem.Kind.OFFER_ARRIVED)
            assert item.provider_id == offer.provider_id and item.read_at is None
            assert item.link == reverse("brokerage:offer", args=[offer.pk])
            assert referral.reference in item.title
            checked += 1
    assert checked >= 1, "provider.harbour works in Devon zone 4"
    # Nobody else was told of the new offers: not the council, not another provider.
    told = set(
        InboxItem.objects.filter(referral=referral, kind=InboxItem.Kind.OFFER_ARRIVED).values_list(
            "user__provider_id", flat=True
        )
    )
    offered = set(referral.offers.values_list("provider_id", flat=True))
    assert told == offered & set(
        type(account("devon.broker"))
        .objects.filter(provider__isnull=False)
        .values_list("provider_id", flat=True)
    )


def test_a_providers_answer_tells_the_brokers_who_sent_it(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    offer = referral.offers.select_related("provider").first()
    user = provider_user(offer.provider)
    offers.decline(offer.pk, provider=offer.provider, by=user, reason="no_capacity")
    broker = account("devon.broker")
    item = InboxItem.objects.get(
        user=broker, kind=InboxItem.Kind.PROVIDER_ANSWERED, referral=referral
    )
    assert item.title == f"{offer.provider.display_name} declined {referral.reference}"
    assert "No capacity at the moment" in item.body
    assert item.link == reverse("brokerage:referral", args=[referral.pk])
    # Another council's broker hears nothing.
    assert not InboxItem.objects.filter(user=account("iow.broker"), referral=referral).exists()


def test_the_broker_who_sent_a_round_is_the_one_told(clock) -> None:  # type: ignore[no-untyped-def]
    from caremarket.brokerage.services import sourcing

    referral = _devon_referral()
    broker = account("devon.broker")
    second = type(broker).objects.create_user(
        username="devon.broker2", role=Role.BROKER, commissioner=broker.commissioner
    )
    clock.advance(minutes=5)
    sourcing.send_offers(referral, by=second)
    offer = referral.offers.filter(round=2).select_related("provider").first()
    offers.decline(
        offer.pk, provider=offer.provider, by=provider_user(offer.provider), reason="travel"
    )
    answered = InboxItem.objects.filter(kind=InboxItem.Kind.PROVIDER_ANSWERED, offer=offer)
    assert list(answered.values_list("user__username", flat=True)) == ["devon.broker2"]


def test_a_refused_answer_tells_nobody(clock) -> None:  # type: ignore[no-untyped-def]
    """The inbox item is written in the answer's transaction: no answer, no notification."""
    referral = _devon_referral()
    offer = referral.offers.select_related("provider").first()
    with pytest.raises(CaremarketError):
        offers.decline(offer.pk, provider=offer.provider, by=None, reason="not-a-reason")
    assert not InboxItem.objects.filter(
        kind=InboxItem.Kind.PROVIDER_ANSWERED, referral=referral
    ).exists()


def test_awaiting_care_tells_the_practitioner_who_raised_it(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    clock.advance(days=3)  # every offer's deadline passes
    worker.expire_and_move()
    referral.refresh_from_db()
    assert referral.state == State.AWAITING_CARE
    item = InboxItem.objects.get(kind=InboxItem.Kind.AWAITING_CARE, referral=referral)
    assert item.user == account("devon.practitioner")
    assert item.title == f"{referral.reference} is awaiting care"


def test_a_nearing_deadline_is_said_once_per_offer(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    offer = referral.offers.get(provider=account("provider.harbour").provider)
    assert "brokerage.deadline_warnings" in core_worker._JOBS  # run by ``caremarket tick``
    assert offer.deadline > clock.moment + timedelta(hours=inbox.warning_hours())
    inbox.warn_deadlines()
    assert not InboxItem.objects.filter(offer=offer, kind=InboxItem.Kind.DEADLINE_NEAR).exists()
    clock.set(offer.deadline - timedelta(hours=1))
    first = core_worker._JOBS["brokerage.deadline_warnings"]()
    assert first >= 1
    warned = InboxItem.objects.filter(offer=offer, kind=InboxItem.Kind.DEADLINE_NEAR)
    assert warned.count() == offer.provider.users.filter(is_active=True).count() >= 1
    assert inbox.warn_deadlines() == 0  # the next tick says nothing again
    assert warned.count() == offer.provider.users.filter(is_active=True).count()


def test_an_answered_offer_gets_no_deadline_warning(clock) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    offer = referral.offers.select_related("provider").order_by("deadline").first()
    offers.decline(
        offer.pk, provider=offer.provider, by=provider_user(offer.provider), reason="travel"
    )
    clock.set(offer.deadline - timedelta(minutes=30))
    inbox.warn_deadlines()
    assert not InboxItem.objects.filter(offer=offer, kind=InboxItem.Kind.DEADLINE_NEAR).exists()


def test_email_only_when_enabled_and_the_user_has_an_address(clock, settings) -> None:  # type: ignore[no-untyped-def]
    broker = account("devon.broker")
    settings.CAREMARKET_NOTIFY_BY_EMAIL = False
    referral = _devon_referral()
    first, second = referral.offers.select_related("provider")[:2]
    offers.decline(
        first.pk, provider=first.provider, by=provider_user(first.provider), reason="travel"
    )
    assert not Notification.objects.filter(to=broker.email).exists()

    settings.CAREMARKET_NOTIFY_BY_EMAIL = True
    type(broker).objects.filter(username="devon.practitioner").update(email="")
    offers.decline(
        second.pk, provider=second.provider, by=provider_user(second.provider), reason="travel"
    )
    mail = Notification.objects.get(to=broker.email)
    assert mail.subject == f"{second.provider.display_name} declined {referral.reference}"
    assert not Notification.objects.filter(to="").exists()


def test_the_page_lists_only_your_own_and_marks_them_read(clock, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = _devon_referral()
    user = account("provider.harbour")
    offer = referral.offers.get(provider=user.provider)
    own = InboxItem.objects.get(user=user, offer=offer)
    # An item of the user's from a provider they no longer work for is not shown.
    stale = InboxItem.objects.create(
        user=user,
        provider=account("provider.staffs").provider,
        kind=InboxItem.Kind.OFFER_ARRIVED,
        title="Stale offer from another provider",
        link="/inbox/",
        created_at=clock_module.now(),
    )
    client = client_for(None)
    client.force_login(user)
    page = client.get(NOTIFICATIONS).content.decode()
    assert own.title in page and stale.title not in page
    assert 'class="app-nav-count">' in page  # the unread count beside Notifications
    assert f'href="{own.link}"' in page

    # Marking another user's item read does nothing to it.
    other = InboxItem.objects.exclude(user=user).first()
    client.post(NOTIFICATIONS, {"item": other.pk})
    other.refresh_from_db()
    assert other.read_at is None

    client.post(NOTIFICATIONS, {"item": own.pk})
    own.refresh_from_db()
    assert own.read_at is not None
    client.post(NOTIFICATIONS, {"all": "1"})
    assert not InboxItem.objects.filter(
        user=user, provider=user.provider, read_at__isnull=True
    ).exists()
    stale.refresh_from_db()
    assert stale.read_at is None  # not shown, so not marked either


def test_the_page_is_paginated_and_has_an_empty_state(client_for) -> None:  # type: ignore[no-untyped-def]
    finance = account("devon.finance")
    client = client_for("devon.finance")
    assert "No notifications yet." in client.get(NOTIFICATIONS).content.decode()
    now = clock_module.now()
    InboxItem.objects.bulk_create(
        InboxItem(
            user=finance,
            kind=InboxItem.Kind.AWAITING_CARE,
            title=f"Item number {n:02d}",
            link="/referrals/",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(25)
    )
    first = client.get(NOTIFICATIONS).content.decode()
    assert "Item number 00" in first and "Item number 24" not in first
    assert "Showing 1 to 20 of 25" in first
    second = client.get(NOTIFICATIONS + "?page=2").content.decode()
    assert "Item number 24" in second and "Item number 00" not in second
    assert "25 unread" in first


def test_signed_out_is_sent_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_every_role_has_notifications_in_the_navigation(client_for) -> None:  # type: ignore[no-untyped-def]
    for username in ("devon.broker", "devon.practitioner", "devon.commissioner", "devon.finance"):
        page = client_for(username).get("/home/").content.decode()
        assert f'href="{NOTIFICATIONS}"' in page, username
    assert Offer.objects.exists()


def test_a_placement_warns_the_subcontractor_not_the_lead(clock) -> None:  # type: ignore[no-untyped-def]
    referral = raise_referral("iow", 2, "personal-care")
    lead_offer = referral.offers.get(kind=Offer.Kind.LEAD)
    lead, sub = account("provider.iow"), account("provider.subcontractor")
    placement = offers.lead_subcontracts(
        lead_offer.pk, provider=lead.provider, member=sub.provider, by=lead
    )
    clock.set(placement.deadline - timedelta(minutes=30))
    inbox.warn_deadlines()
    warned = InboxItem.objects.filter(referral=referral, kind=InboxItem.Kind.DEADLINE_NEAR)
    assert set(warned.values_list("user__username", flat=True)) == {"provider.subcontractor"}
