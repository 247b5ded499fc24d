"""A commissioner's identity (name, slug, reference prefix) is platform staff's to change,
with history; references stay unique whatever happens to names."""

from __future__ import annotations

import pytest

from caremarket.market.models import Commissioner

pytestmark = pytest.mark.django_db


def test_council_staff_cannot_rename_their_council_in_the_back_office(client_for) -> None:  # type: ignore[no-untyped-def]
    devon = Commissioner.objects.get(slug="devon")
    client = client_for("devon.commissioner")
    address = f"/admin/market/commissioner/{devon.pk}/change/"
    page = client.get(address)
    if page.status_code == 200:  # the commissioner may edit its other details, not these
        form = page.context["adminform"].form
        assert not {"name", "slug", "reference_prefix"} & set(form.fields)
        client.post(address, {"name": "Isle of Wight Council", "slug": "isle-of-wight"})
    else:
        assert page.status_code in (302, 403)
    devon.refresh_from_db()
    assert (devon.name, devon.slug) == ("Devon County Council", "devon")


def test_platform_staff_rename_with_history_and_the_prefix_stays(client_for) -> None:  # type: ignore[no-untyped-def]
    devon = Commissioner.objects.get(slug="devon")
    form = client_for("admin").get(f"/admin/market/commissioner/{devon.pk}/change/")
    fields = form.context["adminform"].form.fields
    assert {"name", "slug"} <= set(fields) and "reference_prefix" not in fields
    devon.name, devon.slug = "Devon Council", "devon-council"
    devon.save()
    devon.refresh_from_db()
    assert devon.reference_prefix == "DEV"
    assert devon.history.count() >= 2


def test_every_commissioner_has_its_own_prefix_even_with_a_look_alike_name() -> None:
    prefixes = list(Commissioner.objects.values_list("reference_prefix", flat=True))
    assert None not in prefixes and len(set(prefixes)) == len(prefixes)
    twin = Commissioner.objects.create(name="Devonport Borough", slug="devonport")
    assert twin.reference_prefix not in prefixes and twin.reference_prefix.startswith("DEV")
