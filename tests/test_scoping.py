"""A provider never sees what is not theirs; a council never sees another council's records.

These go beyond the access matrix: they check the content of what is allowed, and that a
guessed id of someone else's record is a 404, on the web and in the API.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from caremarket.frameworks.models import Appointment, Framework, Price
from caremarket.providers.models import Provider

pytestmark = pytest.mark.django_db


def _other_providers_price(provider: Provider) -> Price:
    return (
        Price.objects.exclude(appointment__provider=provider)
        .filter(appointment__lot__framework__slug="supporting-independence")
        .first()
    )


def test_a_provider_never_sees_another_providers_prices_on_the_lot_page(client_for, user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.devon").provider
    appointment = me.appointments.filter(lot__framework__slug="supporting-independence").first()
    page = client_for("provider.devon").get(f"/lots/{appointment.lot_id}/").content.decode()
    others = Price.objects.filter(appointment__lot=appointment.lot).exclude(
        appointment__provider=me
    )
    mine = Price.objects.filter(appointment=appointment)
    assert "Your prices" in page
    assert any(f"£{p.amount:,.2f}" in page for p in mine)
    # Other providers appear in the public list of appointments, never in the price table.
    price_table = page[page.index(">Your prices</caption>") :]
    price_table = price_table[: price_table.index("</table>")]
    assert me.display_name in price_table
    assert not any(p.appointment.provider.display_name in price_table for p in others)
    csv = client_for("provider.devon").get(f"/lots/{appointment.lot_id}/", {"format": "csv"})
    names = {line.split(",")[0] for line in csv.content.decode().splitlines()[1:]}
    assert names == {me.display_name}


def test_a_provider_sees_no_quality_scores_of_others(client_for, user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.devon").provider
    lot = me.appointments.first().lot
    page = client_for("provider.devon").get(f"/lots/{lot.pk}/").content.decode()
    assert ">Quality<" not in page
    response = client_for("provider.devon").get("/api/v1/appointments/", {"lot": lot.pk})
    assert all("quality_score" not in a for a in response.json()["results"])


def test_the_prices_api_is_scoped(client_for, user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.devon").provider
    rows = client_for("provider.devon").get("/api/v1/prices/").json()
    assert rows and {r["provider_id"] for r in rows} == {me.pk}
    iow = client_for("iow.broker").get("/api/v1/prices/").json()
    assert iow == []  # Isle of Wight pays a fixed rate: no provider prices at all
    devon = client_for("devon.broker").get("/api/v1/prices/").json()
    assert len({r["provider_id"] for r in devon}) > 100
    assert all(Decimal(r["amount"]) > 0 for r in devon)


@pytest.mark.parametrize("who", ["iow.broker", "staffs.commissioner", "provider.iow"])
def test_someone_elses_framework_is_not_found(client_for, who: str) -> None:  # type: ignore[no-untyped-def]
    si = Framework.objects.get(slug="supporting-independence")
    lot = si.lots.first()
    client = client_for(who)
    assert client.get(f"/frameworks/{si.pk}/").status_code == 404
    assert client.get(f"/lots/{lot.pk}/").status_code == 404
    assert client.get(f"/api/v1/frameworks/{si.pk}/").status_code == 404


def test_council_staff_cannot_open_a_provider_their_council_does_not_use(client_for) -> None:  # type: ignore[no-untyped-def]
    staffs_only = (
        Provider.objects.filter(appointments__lot__framework__commissioner__slug="staffordshire")
        .exclude(appointments__lot__framework__commissioner__slug="devon")
        .exclude(panels__prime__lot__framework__commissioner__slug="devon")
        .first()
    )
    assert client_for("devon.broker").get(f"/providers/{staffs_only.pk}/").status_code == 404
    assert client_for("devon.broker").get(f"/api/v1/providers/{staffs_only.pk}/").status_code == 404


def test_a_provider_working_for_three_councils_sees_all_its_work(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("provider.harbour").get("/my-organisation/").content.decode()
    for council in (
        "Devon County Council",
        "Isle of Wight Council",
        "Staffordshire County Council",
    ):
        assert council in page
    listed = client_for("provider.harbour").get("/frameworks/").content.decode()
    assert "Home care 2021 to 2029" in listed and "Supported Living Flexible Framework" in listed


def test_a_provider_cannot_read_another_providers_appointment(client_for, user) -> None:  # type: ignore[no-untyped-def]
    me = user("provider.harbour").provider
    other = (
        Appointment.objects.filter(lot__framework__slug="living-well-at-home")
        .exclude(provider=me)
        .first()
    )
    # Visible (appointments on a shared framework are public) but without its quality score.
    data = client_for("provider.harbour").get(f"/api/v1/appointments/{other.pk}/").json()
    assert "quality_score" not in data
    hidden = Appointment.objects.filter(lot__framework__slug="replacement-care").first()
    assert (
        client_for("provider.harbour").get(f"/api/v1/appointments/{hidden.pk}/").status_code == 404
    )
