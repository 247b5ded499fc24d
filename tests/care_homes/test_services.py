"""Making a return: the checks, versions that supersede, and nothing changed on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from caremarket.care_homes import services
from caremarket.care_homes.models import VacancyReturn
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.roles import Role
from caremarket.engine.vacancy import BedLine
from tests import factories
from tests.care_homes import factories as ch

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


def _input(month: date = NOV, occupied: int = 18, **workforce: int) -> services.ReturnInput:
    return services.ReturnInput(
        month,
        [BedLine("general_residential", 20, occupied, 0, 20 - occupied)],
        {**ch.WORKFORCE, **workforce},
    )


@pytest.fixture
def home_and_user():  # type: ignore[no-untyped-def]
    home = ch.care_home()
    return home, ch.provider_user(home.location.provider)


def test_first_return_then_same_figures_then_a_correction(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, user = home_and_user
    first, created = services.submit_return(user, home.pk, _input())
    assert created and first.version == 1 and first.submitted_by == user
    again, created = services.submit_return(user, home.pk, _input())
    assert not created and again.pk == first.pk
    second, created = services.submit_return(user, home.pk, _input(occupied=17))
    assert created and second.version == 2 and second.supersedes == first
    first.refresh_from_db()
    assert first.lines.get().occupied == 18  # the earlier version is kept as it was
    assert list(VacancyReturn.objects.current().for_month(NOV).filter(care_home=home)) == [second]


def test_occupied_above_capacity_is_refused_and_nothing_saved(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, user = home_and_user
    bad = services.ReturnInput(NOV, [BedLine("general_residential", 20, 19, 1, 1)], ch.WORKFORCE)
    with pytest.raises(Invalid) as caught:
        services.submit_return(user, home.pk, bad)
    assert "more than the maximum capacity" in caught.value.errors["general_residential-occupied"]
    assert not VacancyReturn.objects.filter(care_home=home).exists()


@pytest.mark.parametrize(
    ("month", "message"),
    [(date(2027, 1, 1), "future"), (date(2021, 1, 1), "August 2022")],
)
def test_a_month_outside_the_returns_is_refused(home_and_user, month, message) -> None:  # type: ignore[no-untyped-def]
    home, user = home_and_user
    with pytest.raises(Invalid) as caught:
        services.submit_return(user, home.pk, _input(month))
    assert message in caught.value.errors["month"]
    assert not VacancyReturn.objects.filter(care_home=home).exists()


def test_capacity_above_registered_and_missing_bed_types(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, user = home_and_user
    data = services.ReturnInput(NOV, [BedLine("general_residential", 25, 10, 0, 0)], ch.WORKFORCE)
    with pytest.raises(Invalid) as caught:
        services.submit_return(user, home.pk, data)
    assert "20 registered" in caught.value.errors["general_residential-maximum_capacity"]
    empty = services.ReturnInput(NOV, [], ch.WORKFORCE)
    with pytest.raises(Invalid) as caught:
        services.submit_return(user, home.pk, empty)
    assert "general residential" in caught.value.errors["lines"]


def test_a_headcount_out_of_range_names_the_field(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, user = home_and_user
    with pytest.raises(Invalid) as caught:
        services.submit_return(user, home.pk, _input(care_staff_agency=5000))
    assert set(caught.value.errors) == {"care_staff_agency"}


def test_another_providers_home_is_not_found(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, _ = home_and_user
    stranger = ch.provider_user(factories.provider())
    with pytest.raises(NotFound):
        services.submit_return(stranger, home.pk, _input())
    assert not VacancyReturn.objects.filter(care_home=home).exists()


def test_a_commissioner_returns_only_for_homes_in_its_zones(home_and_user) -> None:  # type: ignore[no-untyped-def]
    home, _ = home_and_user
    own = factories.council_user(home.zone.commissioner, role=Role.COMMISSIONER)
    other = factories.council_user(role=Role.COMMISSIONER)
    made, _ = services.submit_return(own, home.pk, _input(), source=VacancyReturn.Source.IMPORT)
    assert made.source == "import"
    with pytest.raises(NotFound):
        services.submit_return(other, home.pk, _input(occupied=10))


def test_a_broker_may_not_make_returns(home_and_user) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    home, _ = home_and_user
    broker = factories.council_user(home.zone.commissioner, role=Role.BROKER)
    with pytest.raises(PermissionDenied):
        services.submit_return(broker, home.pk, _input())


def test_register_a_care_home_finds_its_zone() -> None:
    from caremarket.accounts.models import User
    from caremarket.providers.models import Location

    zone = factories.zone()
    district = zone.postcode_areas.get().code
    location = Location.objects.create(
        provider=factories.provider(), name="New home", postcode=f"{district} 1AA"
    )
    admin = User.objects.create_superuser("factory.admin.ch", "a@x.example", "pw")
    home = services.register_care_home(
        admin,
        location=location,
        commissioner=zone.commissioner,
        kind="nursing",
        beds={"general_nursing": 30},
    )
    assert home.zone == zone and home.beds.get().beds == 30
    with pytest.raises(Invalid) as caught:
        services.register_care_home(
            admin,
            location=location,
            commissioner=zone.commissioner,
            kind="nursing",
            beds={"general_nursing": 0},
        )
    assert "general_nursing" in caught.value.errors
