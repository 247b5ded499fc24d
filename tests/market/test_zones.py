import pytest

from caremarket.engine.postcodes import InvalidPostcode
from caremarket.market import selectors
from caremarket.market.models import Commissioner, PostcodeArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def devon() -> Commissioner:
    return Commissioner.objects.get(slug="devon")


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("ex39 1ab", 1),
        ("EX391AB", 1),
        ("EX4 4QJ", 4),
        ("tq9 5aa", 6),
        ("TQ13 9XZ", 6),
        ("TQ13 8AA", 8),
        ("pl19 0aa", 7),
        ("EX20 1AA", 8),
    ],
)
def test_a_postcode_names_its_zone(devon: Commissioner, typed: str, zone: int) -> None:
    _, found = selectors.zone_for_postcode(devon, typed)
    assert found.number == zone


def test_a_sector_mapping_overrides_its_district(devon: Commissioner) -> None:
    assert PostcodeArea.objects.filter(commissioner=devon, code="TQ13").get().zone.number == 6
    assert selectors.zone_for_postcode(devon, "TQ13 8AB")[1].number == 8


def test_unknown_and_malformed_postcodes_say_what_is_wrong(devon: Commissioner) -> None:
    with pytest.raises(selectors.PostcodeNotCovered, match="not in any of Devon County Council"):
        selectors.zone_for_postcode(devon, "SW1A 1AA")
    with pytest.raises(InvalidPostcode, match="Enter a real postcode"):
        selectors.zone_for_postcode(devon, "EX39")


def test_the_zones_page_names_the_zone_and_lists_towns(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.broker").get("/zones/", {"postcode": "ex39 1ab"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "EX39 1AB is in Zone 1: Bideford, Torrington and Holsworthy" in body
    assert "Great Torrington" in body and "Okehampton" in body


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("zz", "Enter a real postcode"),
        ("SW1A 1AA", "is not in any zone of Devon County Council"),
        ("", "Enter a postcode"),
    ],
)
def test_bad_postcodes_get_a_clear_message_not_an_error_page(client_for, typed, message) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.broker").get("/zones/", {"postcode": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert "govuk-input--error" in body


def test_staff_see_only_their_own_commissioners_zones(client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("iow.practitioner").get("/zones/").content.decode()
    assert "West and Central" in body and "Bideford" not in body
    response = client_for("iow.practitioner").get("/zones/", {"postcode": "EX39 1AB"})
    assert "is not in any zone of Isle of Wight Council" in response.content.decode()


def test_zones_export_as_csv(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("devon.commissioner").get("/zones/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "Zone,Commissioner,Towns,Postcode districts and sectors"
    assert len(lines) == 1 + 8
    assert '"EX1, EX2, EX3, EX4, EX5, EX6"' in lines[4]
