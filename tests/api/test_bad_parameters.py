"""Input that used to be a 500 (issue 15's probe): each is now a 4xx with a JSON body naming
the field, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from rest_framework.authtoken.models import Token

from caremarket.core.bounds import BoundedModelMultipleChoiceField
from caremarket.core.forms import GovukDateField
from caremarket.market.models import Zone

pytestmark = pytest.mark.django_db


def fresh_token(user: object) -> Token:
    """A new token for the user (any the demo gave it is replaced)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


HUGE = "9" * 20  # above 2**63


def test_format_suffix_routes_are_gone_and_answer_json_404(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(None).get("/api/v1/directory.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not Found"}


def test_an_unknown_api_address_is_json_not_an_html_page(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("admin").get("/api/v1/no-such-thing/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404 and response.json()["detail"] == "Not Found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": str(2**64)}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"offset": "null"}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"offset": HUGE}, "offset"),
    ],
)
def test_paging_values_out_of_range_are_a_400_naming_the_field(client_for, query, field) -> None:  # type: ignore[no-untyped-def]
    response = client_for(None).get("/api/v1/directory/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_page_is_never_larger_than_the_maximum(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(None).get("/api/v1/directory/", {"limit": "500"}).status_code == 200
    assert client_for(None).get("/api/v1/directory/", {"limit": "501"}).status_code == 400


@pytest.mark.parametrize("username", ["admin", "devon.commissioner", "provider.devon"])
def test_big_integers_in_filters_are_refused_not_sent_to_the_database(user, username) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_AUTHORIZATION=f"Token {fresh_token(user(username)).key}")
    for address in ("/api/v1/appointments/", "/api/v1/competitions/", "/api/v1/referrals/"):
        for value in (HUGE, "-" + HUGE, "1e400"):
            response = client.get(address, {"lot": value, "provider": value})
            assert response.status_code in (200, 400), (address, value)
            assert response["Content-Type"].startswith("application/json")


def test_a_20_digit_year_in_a_govuk_date_is_a_form_error() -> None:
    class F(forms.Form):
        when = GovukDateField()

    form = F({"when_0": "1", "when_1": "1", "when_2": HUGE})
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter a real date, like 27 3 2027"]


def test_ticked_ids_beyond_any_column_are_an_invalid_choice() -> None:
    field = BoundedModelMultipleChoiceField(queryset=Zone.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([HUGE])
    assert refused.value.code == "invalid_pk_value"
    zone = Zone.objects.first()
    assert list(field.clean([str(zone.pk)])) == [zone]


def test_a_big_lot_on_the_prices_api_is_a_400(user) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_AUTHORIZATION=f"Token {fresh_token(user('admin')).key}")
    assert client.get("/api/v1/prices/", {"lot": HUGE}).status_code == 400
