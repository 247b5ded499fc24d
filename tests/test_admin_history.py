"""The back office's history pages are scoped like the records, and shared records are the
platform's to change.

django-simple-history looks records up unscoped on its history pages, so a Devon
commissioner could read the Isle of Wight's frameworks, prices and zones by typing a URL;
``CommissionerScopedAdmin`` checks first and answers 404. History is for reading: the
"Revert" of each old version is turned off. Providers and reference data (care groups,
service types, specialisms) are shared by every council: any commissioner may read them,
only the platform administrator may add, change or delete them (``PlatformEditsOnlyAdmin``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models

from caremarket.accounts.models import User
from caremarket.frameworks.models import Appointment, Framework, Price
from caremarket.market.models import CareGroup, ServiceType, Specialism, Zone
from caremarket.providers.models import Provider

pytestmark = pytest.mark.django_db

DEVON, IOW = "devon", "isle-of-wight"


def _framework(slug: str) -> Framework:
    return Framework.objects.filter(commissioner__slug=slug).order_by("pk").first()


def _zone(slug: str) -> Zone:
    return Zone.objects.get(commissioner__slug=slug, number=1)


def _price(slug: str) -> Price:
    """A price on the council's framework. The Isle of Wight pays a fixed rate and has no
    zone prices, so one is made (which also writes its first history row)."""
    found = Price.objects.filter(appointment__lot__framework__commissioner__slug=slug).first()
    if found is not None:
        return found
    appointment = Appointment.objects.filter(lot__framework__commissioner__slug=slug).first()
    return Price.objects.create(
        appointment=appointment,
        zone=appointment.zones.first(),
        unit="hour",
        amount=Decimal("23.45"),
        effective_from=date(2026, 4, 1),
    )


RECORDS = {"framework": _framework, "zone": _zone, "price": _price}
ADMIN_PATH = {
    "framework": "frameworks/framework",
    "zone": "market/zone",
    "price": "frameworks/price",
}


def _history_urls(kind: str, record: models.Model) -> tuple[str, str]:
    base = f"/admin/{ADMIN_PATH[kind]}/{record.pk}/history/"
    version = record.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert version is not None, f"{record} has no history to look at"
    return base, f"{base}{version.history_id}/"


@pytest.mark.parametrize("kind", list(RECORDS))
def test_another_councils_history_is_not_found(client_for, kind: str) -> None:  # type: ignore[no-untyped-def]
    devon = client_for("devon.commissioner")
    history, version = _history_urls(kind, RECORDS[kind](IOW))
    assert devon.get(history).status_code == 404
    assert devon.get(version).status_code == 404
    # The Isle of Wight's own commissioner does read them: the 404 is scope, not a fault.
    iow = client_for("iow.commissioner")
    assert iow.get(history).status_code == 200
    assert iow.get(version).status_code == 200


@pytest.mark.parametrize("kind", list(RECORDS))
def test_a_councils_own_history_can_be_read(client_for, kind: str) -> None:  # type: ignore[no-untyped-def]
    record = RECORDS[kind](DEVON)
    history, version = _history_urls(kind, record)
    devon = client_for("devon.commissioner")
    page = devon.get(history)
    assert page.status_code == 200
    assert page.context["title"] == f"View history: {record}"
    old = devon.get(version)
    assert old.status_code == 200
    assert old.context["title"] == f"View {record}"


def test_another_councils_old_version_cannot_be_posted_back(client_for) -> None:  # type: ignore[no-untyped-def]
    framework = _framework(IOW)
    _, version = _history_urls("framework", framework)
    response = client_for("devon.commissioner").post(version, {"name": "Renamed by Devon"})
    assert response.status_code == 404
    assert Framework.objects.get(pk=framework.pk).name == framework.name


def test_reverting_is_turned_off(client_for) -> None:  # type: ignore[no-untyped-def]
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    _, version = _history_urls("framework", _framework(DEVON))
    for who in ("devon.commissioner", "admin"):
        page = client_for(who).get(version)
        assert page.status_code == 200
        assert page.context["revert_disabled"] is True
        html = page.content.decode()
        assert "Revert" not in html and 'name="_save"' not in html


# --- shared records: read by all, changed by the platform --------------------------------

SHARED = {
    "provider": ("providers/provider", lambda: Provider.objects.order_by("pk").first()),
    "care group": ("market/caregroup", lambda: CareGroup.objects.order_by("pk").first()),
    "service type": ("market/servicetype", lambda: ServiceType.objects.order_by("pk").first()),
    "specialism": ("market/specialism", lambda: Specialism.objects.order_by("pk").first()),
}


def _row(record: models.Model) -> dict[str, Any]:
    return type(record).objects.filter(pk=record.pk).values().get()


def _grant_every_model_permission(username: str, model: type[models.Model]) -> None:
    """Give the user Django's own add, change and delete permissions on the model, so that
    only ``PlatformEditsOnlyAdmin`` stands between a commissioner and an edit (a council's
    group may well be given them one day)."""
    kind = ContentType.objects.get_for_model(model)
    User.objects.get(username=username).user_permissions.add(
        *Permission.objects.filter(content_type=kind).exclude(codename__startswith="view_")
    )


@pytest.mark.parametrize("granted", [False, True], ids=["group-rights", "all-django-rights"])
@pytest.mark.parametrize("kind", list(SHARED))
def test_a_commissioner_reads_shared_records_but_cannot_change_them(  # type: ignore[no-untyped-def]
    client_for, kind: str, granted: bool
) -> None:
    path, first = SHARED[kind]
    record = first()
    if granted:
        _grant_every_model_permission("devon.commissioner", type(record))
    before = _row(record)
    client = client_for("devon.commissioner")

    listing = client.get(f"/admin/{path}/")
    assert listing.status_code == 200
    assert listing.context["cl"].queryset.filter(pk=record.pk).exists()
    change = client.get(f"/admin/{path}/{record.pk}/change/")
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert 'name="_save"' not in change.content.decode()

    assert client.get(f"/admin/{path}/add/").status_code == 403
    assert client.post(f"/admin/{path}/add/", {"name": "New", "code": "new"}).status_code == 403
    assert client.post(f"/admin/{path}/{record.pk}/change/", {"name": "X"}).status_code == 403
    assert client.get(f"/admin/{path}/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/{path}/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert _row(record) == before
    assert type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", list(SHARED))
def test_the_platform_administrator_can_change_shared_records(client_for, kind: str) -> None:  # type: ignore[no-untyped-def]
    path, first = SHARED[kind]
    record = first()
    admin = client_for("admin")
    assert admin.get(f"/admin/{path}/add/").status_code == 200
    change = admin.get(f"/admin/{path}/{record.pk}/change/")
    assert change.context["has_change_permission"] is True
    assert 'name="_save"' in change.content.decode()
    assert admin.get(f"/admin/{path}/{record.pk}/delete/").status_code == 200


def test_the_platform_administrator_renames_a_specialism(client_for) -> None:  # type: ignore[no-untyped-def]
    specialism = Specialism.objects.order_by("pk").first()
    response = client_for("admin").post(
        f"/admin/market/specialism/{specialism.pk}/change/",
        {"name": "Renamed by the platform", "code": specialism.code},
    )
    assert response.status_code == 302  # saved and sent back to the list
    assert Specialism.objects.get(pk=specialism.pk).name == "Renamed by the platform"


# --- found while testing ------------------------------------------------------------------


def _post_data(form: Any) -> dict[str, Any]:
    """What the browser would send back for an unchanged admin form."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data


def test_a_commissioner_cannot_change_a_provider_through_its_history_page(client_for) -> None:  # type: ignore[no-untyped-def]
    provider = Provider.objects.get(pk=Provider.history.order_by("history_id").first().id)
    version = provider.history.order_by("-history_id").first()
    url = f"/admin/providers/provider/{provider.pk}/history/{version.history_id}/"
    client = client_for("devon.commissioner")
    page = client.get(url)
    assert page.status_code == 200
    data = {**_post_data(page.context["adminform"].form), "email": "hijacked@example.com"}
    client.post(url, data)
    assert Provider.objects.get(pk=provider.pk).email == provider.email


@pytest.mark.parametrize("kind", ["care group", "service type", "specialism"])
def test_the_history_link_of_reference_data_works(client_for, kind: str) -> None:  # type: ignore[no-untyped-def]
    path, first = SHARED[kind]
    record = first()
    client = client_for("admin")
    client.raise_request_exception = False
    change = client.get(f"/admin/{path}/{record.pk}/change/").content.decode()
    assert f"/admin/{path}/{record.pk}/history/" in change
    assert client.get(f"/admin/{path}/{record.pk}/history/").status_code == 200


@pytest.mark.parametrize("who", ["devon.commissioner", "admin"])
def test_a_history_url_with_a_non_numeric_id_is_not_found(client_for, who: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(who)
    client.raise_request_exception = False
    assert client.get("/admin/market/zone/abc/change/").status_code == 302
    assert client.get("/admin/market/zone/abc/history/").status_code == 404
