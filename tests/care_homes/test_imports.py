"""Returns from a CSV file: every bad row reported by line and column, all or nothing, and a
re-import that changes nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest

from caremarket.care_homes.imports import KIND, CareHomeReturnsImporter
from caremarket.care_homes.models import VacancyReturn
from caremarket.core import imports
from caremarket.core.roles import Role
from tests import factories
from tests.care_homes import factories as ch

pytestmark = pytest.mark.django_db

HEADER = ",".join(c.name for c in CareHomeReturnsImporter.columns)
STAFF = "2,20,6,0,3,0"


def _file(*rows: str) -> io.BytesIO:
    stream = io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode())
    stream.name = "returns.csv"
    return stream


@pytest.fixture
def homes():  # type: ignore[no-untyped-def]
    zone = factories.zone()
    provider = factories.provider()
    one = ch.care_home(zone, provider, beds={"general_nursing": 30, "dementia_nursing": 10})
    two = ch.care_home(zone, provider, beds={"general_residential": 20})
    return one, two, ch.provider_user(provider)


def _rows(one, two, month: str = "2026-11", occupied: int = 27) -> list[str]:  # type: ignore[no-untyped-def]
    a, b = one.location.cqc_location_id, two.location.cqc_location_id
    return [
        f"{a},{month},general_nursing,30,{occupied},0,2,{STAFF}",
        f"{a},{month},Dementia nursing,10,10,0,0,{STAFF}",
        f"{b},{month},general_residential,20,18,1,1,1,15,4,0,0,0",
    ]


def _start(user, stream):  # type: ignore[no-untyped-def]
    return imports.start(KIND, stream, by=user, owner=f"provider:{user.provider_id}")


def test_a_sound_file_writes_every_return(homes) -> None:  # type: ignore[no-untyped-def]
    one, two, user = homes
    run = _start(user, _file(*_rows(one, two)))
    assert run.status == "succeeded", run.errors
    assert run.rows_written == 3
    made = VacancyReturn.objects.get(care_home=one, month=date(2026, 11, 1))
    assert made.source == "import" and made.import_run_id == run.pk
    assert made.lines.get(bed_type="general_nursing").occupied == 27
    assert made.nurses_employed == 2


def test_every_bad_row_is_reported_and_nothing_written(homes) -> None:  # type: ignore[no-untyped-def]
    one, two, user = homes
    stranger = ch.care_home(beds={"general_residential": 10})
    rows = _rows(one, two)
    rows[0] = rows[0].replace(",30,27,0,2,", ",30,29,0,2,")  # occupied + vacant above capacity
    rows.append(f"{stranger.location.cqc_location_id},2026-11,general_residential,10,5,0,5,{STAFF}")
    rows.append(f"{one.location.cqc_location_id},2027-02,general_nursing,30,1,0,0,{STAFF}")
    rows.append(f"{one.location.cqc_location_id},2026-10,suites,30,1,0,0,{STAFF}")
    rows.append(f"{two.location.cqc_location_id},2026-10,general_residential,20,x,0,0,{STAFF}")
    run = _start(user, _file(*rows))
    assert run.status == "failed"
    found = {(e["line"], e["column"]) for e in run.errors}
    assert found == {
        (2, "occupied"),
        (5, "cqc_location_id"),
        (6, "month"),
        (7, "bed_type"),
        (8, "occupied"),
    }
    assert "future" in next(e["message"] for e in run.errors if e["line"] == 6)
    assert not VacancyReturn.objects.filter(care_home__in=[one, two]).exists()


def test_workforce_must_agree_and_bed_types_must_be_complete(homes) -> None:  # type: ignore[no-untyped-def]
    one, two, user = homes
    rows = _rows(one, two)
    rows[1] = rows[1].replace(STAFF, "9,20,6,0,3,0")
    run = _start(user, _file(*rows))
    assert [(e["line"], e["column"]) for e in run.errors] == [(3, "nurses_employed")]
    incomplete = _start(user, _file(_rows(one, two)[0]))
    assert incomplete.status == "failed"
    assert "dementia nursing" in incomplete.errors[0]["message"]
    assert not VacancyReturn.objects.filter(care_home__in=[one, two]).exists()


def test_the_same_file_again_changes_nothing(homes) -> None:  # type: ignore[no-untyped-def]
    one, two, user = homes
    first = _start(user, _file(*_rows(one, two)))
    again = _start(user, _file(*_rows(one, two)))
    assert again.pk == first.pk and again.repeat
    # Another file with the same figures (a different order) writes no new version either.
    reordered = _start(user, _file(*reversed(_rows(one, two))))
    assert reordered.status == "succeeded" and reordered.rows_written == 0
    changed = _start(user, _file(*_rows(one, two, occupied=26)))
    assert changed.rows_written == 2
    versions = VacancyReturn.objects.filter(care_home=one).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    assert (
        VacancyReturn.objects.current()
        .get(care_home=one)
        .lines.get(bed_type="general_nursing")
        .occupied
        == 26
    )
    assert VacancyReturn.objects.filter(care_home=two).count() == 1


def test_a_commissioner_imports_the_trackers_export_for_its_zones(homes) -> None:  # type: ignore[no-untyped-def]
    one, two, _ = homes
    staff = factories.council_user(one.zone.commissioner, role=Role.COMMISSIONER)
    run = imports.start(
        KIND, _file(*_rows(one, two)), by=staff, owner=f"commissioner:{staff.commissioner_id}"
    )
    assert run.status == "succeeded", run.errors
    other = factories.council_user(role=Role.COMMISSIONER)
    refused = imports.start(
        KIND,
        _file(*_rows(one, two, occupied=20)),
        by=other,
        owner=f"commissioner:{other.commissioner_id}",
    )
    assert {e["column"] for e in refused.errors} == {"cqc_location_id"}
