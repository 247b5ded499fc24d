"""Corrections of one home's month at the same moment (PostgreSQL: real concurrent
transactions). Whatever the interleaving, the versions form one chain, 1, 2, 3..., each
superseding the one before, exactly one in force, and no caller gets anything but a clean
refusal (or success)."""

from __future__ import annotations

import itertools
import threading
from datetime import date

import pytest
from django.db import connection

from caremarket.care_homes import services
from caremarket.care_homes.models import VacancyReturn
from caremarket.core.errors import CaremarketError
from caremarket.engine.vacancy import BedLine
from tests.care_homes import factories as ch

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks and serialises every writer",
    ),
]

CALLERS = 8


def test_simultaneous_corrections_form_one_chain(transactional_db) -> None:  # type: ignore[no-untyped-def]
    home = ch.care_home(beds={"general_residential": 40})
    user = ch.provider_user(home.location.provider)
    barrier = threading.Barrier(CALLERS)
    errors: list[BaseException] = []

    def submit(occupied: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            data = services.ReturnInput(
                date(2026, 11, 1),
                [BedLine("general_residential", 40, occupied, 0, 40 - occupied)],
                ch.WORKFORCE,
            )
            services.submit_return(user, home.pk, data)
        except BaseException as exc:  # judged below, in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(30 + i,)) for i in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert all(isinstance(e, CaremarketError) for e in errors), errors
    versions = list(VacancyReturn.objects.filter(care_home=home).order_by("version"))
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    assert len(versions) + len(errors) == CALLERS
    assert all(v.supersedes_id == p.pk for p, v in itertools.pairwise(versions))
    assert VacancyReturn.objects.current().filter(care_home=home).count() == 1
