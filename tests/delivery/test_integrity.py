"""The visits' references without database keys (ADR 0011): the ORM still refuses to delete
what visits name, and ``check_visits`` finds any reference broken around it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import ProtectedError

from caremarket.delivery.integrity import orphaned_visits
from caremarket.delivery.models import Visit
from caremarket.delivery.services import planning, recording
from tests.delivery import factories as d

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 10, 5)


@pytest.fixture
def visit():  # type: ignore[no-untyped-def]
    a = d.agreement(start=MONDAY)
    d.daily_pattern(a)
    d.rule(a.commissioner)
    planning.plan(a.commissioner_id, MONDAY, MONDAY)
    recording.record(
        provider_id=a.provider_id,
        commissioner_id=a.commissioner_id,
        rows=[d.visit_row(a, MONDAY, vid="V1")],
    )
    return Visit.objects.get(external_id="V1")


def test_a_sound_table_has_no_orphans_and_the_command_says_so(visit, capsys) -> None:  # type: ignore[no-untyped-def]
    assert visit.planned_id is not None
    assert set(orphaned_visits().values()) == {0}
    call_command("check_visits")
    assert "Every visit's references exist" in capsys.readouterr().out


def test_what_a_visit_names_cannot_be_deleted_through_the_orm(visit) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProtectedError):
        visit.planned.delete()
    with pytest.raises(ProtectedError):
        visit.agreement.delete()
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_reference_broken_around_the_orm_is_found(visit) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cur:
        cur.execute("UPDATE delivery_visit SET planned_id = %s WHERE id = %s", [10**9, visit.pk])
    assert orphaned_visits()["planned"] == 1
    with pytest.raises(CommandError, match="1 name a missing planned"):
        call_command("check_visits")
