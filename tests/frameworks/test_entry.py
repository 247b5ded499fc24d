"""Entry points: applying while a window is open (closed windows refuse and name the next
opening), two evaluators' independent scores, moderation, the outcome and the appointment
from the window's commencement date; price revisions effective from the window's date."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from caremarket.core import clock
from caremarket.core.errors import Conflict, DeadlinePassed, Invalid
from caremarket.frameworks.models import (
    Application,
    EntryTerms,
    EntryWindow,
    PassFailItem,
    Price,
    QualityQuestion,
)
from caremarket.frameworks.services import entry
from tests import factories
from tests.pricing import factories as pf

pytestmark = pytest.mark.django_db
D = Decimal


def _open_framework(purpose: str = "entry"):  # type: ignore[no-untyped-def]
    framework = factories.framework()
    lot = factories.lot(framework)
    today = clock.today()
    window = EntryWindow.objects.create(
        framework=framework,
        purpose=purpose,
        opens=today - timedelta(days=5),
        closes=today + timedelta(days=5),
        contracts_commence=today + timedelta(days=60),
    )
    EntryWindow.objects.create(
        framework=framework, opens=today + timedelta(days=300), closes=today + timedelta(days=330)
    )
    EntryTerms.objects.create(framework=framework, quality_threshold=D("60"))
    for n, weight in ((1, "60"), (2, "40")):
        QualityQuestion.objects.create(
            framework=framework, number=n, text=f"Q{n}", criteria="Clear.", weight=D(weight)
        )
    PassFailItem.objects.create(framework=framework, number=1, text="Safeguarding training")
    return framework, lot, window


def _applicant():  # type: ignore[no-untyped-def]
    from caremarket.accounts.models import User

    provider = factories.provider()
    return User.objects.create_user(
        username=f"applicant.{provider.pk}", role="provider", provider=provider
    )


def _input(lot, amount: str = "24.50", meets: bool = True) -> entry.ApplicationInput:  # type: ignore[no-untyped-def]
    framework = lot.framework
    return entry.ApplicationInput(
        zone_prices={z.pk: D(amount) for z in lot.zones.all()},
        answers={q.pk: "Our answer." for q in framework.questions.all()},
        pass_fail={i.pk: meets for i in framework.pass_fail.all()},
    )


def test_a_closed_window_refuses_and_names_the_next_opening() -> None:
    _, lot, window = _open_framework()
    window.closes = clock.today() - timedelta(days=1)
    window.opens = clock.today() - timedelta(days=20)
    window.save()
    with pytest.raises(DeadlinePassed, match="The next window opens on"):
        entry.apply(_applicant(), window, lot, _input(lot))
    assert not Application.objects.filter(lot=lot).exists()


@pytest.mark.parametrize("amount", ["0", "1000"])
def test_a_silly_price_is_refused_and_nothing_is_saved(amount: str) -> None:
    _, lot, window = _open_framework()
    with pytest.raises(Invalid, match=r"between £5\.00 and £150\.00"):
        entry.apply(_applicant(), window, lot, _input(lot, amount))
    assert not Application.objects.filter(lot=lot).exists()


def test_an_application_is_scored_twice_moderated_and_appointed_from_commencement() -> None:
    _, lot, window = _open_framework()
    application = entry.apply(_applicant(), window, lot, _input(lot))
    first, second = (
        factories.council_user(lot.framework.commissioner, role="commissioner"),
        (factories.council_user(lot.framework.commissioner, role="commissioner")),
    )
    answer = application.answers.first()
    with pytest.raises(Invalid, match="from 0 to 5; 6 is not"):
        entry.score(answer.pk, by=first, value=6)
    with pytest.raises(Conflict, match="Both evaluators"):
        entry.moderate(answer.pk, by=first, value=4, feedback="Good.")
    for a in application.answers.all():
        entry.score(a.pk, by=first, value=4)
        with pytest.raises(Conflict):
            entry.score(a.pk, by=first, value=5)  # independently: once each
        entry.score(a.pk, by=second, value=3)
        entry.moderate(a.pk, by=first, value=4, feedback="Good evidence.")
    done = entry.decide_outcome(application.pk, by=first, feedback="Welcome.")
    assert done.status == "successful" and done.quality_score == D("80.00")
    assert done.appointment.appointed_on == window.contracts_commence
    price = Price.objects.get(appointment=done.appointment)
    assert (price.amount, price.effective_from) == (D("24.50"), window.contracts_commence)


def test_an_unmet_pass_fail_item_fails_whatever_the_score() -> None:
    _, lot, window = _open_framework()
    application = entry.apply(_applicant(), window, lot, _input(lot, meets=False))
    evaluators = [factories.council_user(lot.framework.commissioner) for _ in range(2)]
    for a in application.answers.all():
        for who in evaluators:
            entry.score(a.pk, by=who, value=5)
        entry.moderate(a.pk, by=evaluators[0], value=5, feedback="Excellent.")
    done = entry.decide_outcome(application.pk, by=evaluators[0], feedback="")
    assert done.status == "unsuccessful" and "Safeguarding training" in done.outcome_feedback
    assert done.appointment is None


def test_a_price_revision_takes_effect_from_the_windows_date() -> None:
    _, lot, window = _open_framework(purpose="price_revision")
    appointment = factories.appointment(lot)
    factories.price(appointment, amount=D("22.50"))
    user = pf.provider_user(appointment)
    zone = appointment.zones.first()
    with pytest.raises(Invalid, match="between"):
        entry.revise_prices(user, window, appointment, {zone.pk: D("1000")})
    assert entry.revise_prices(user, window, appointment, {zone.pk: D("23.10")}) == 1
    new = Price.objects.get(appointment=appointment, amount=D("23.10"))
    assert new.effective_from == window.contracts_commence
    with pytest.raises(Conflict):
        entry.revise_prices(user, window, appointment, {zone.pk: D("23.20")})
