"""The insight imports: every bad row named by line and column, nothing changed; a good file
imported once; the same file again a repeat; a later file updates by reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from caremarket.core import imports
from caremarket.insight.models import AwaitingCareRecord, PackageInPlace, PopulationCount
from tests.insight.factories import devon_like

pytestmark = pytest.mark.django_db

PACKAGES = (
    "reference,person_reference,care_group,service_type,setting,lot,zone,hours_per_week,"
    "band,start_date,end_date\n"
)


@pytest.fixture
def devon(settings, tmp_path: Path):
    settings.IMPORTS_DIR = tmp_path / "imports"
    return devon_like()


def _run(kind: str, commissioner, tmp_path: Path, text: str, name: str = "f.csv"):
    path = tmp_path / name
    path.write_text(text)
    return imports.start(
        kind,
        path,
        owner=imports.owner_key(commissioner_id=commissioner.pk),
        options={"commissioner_id": commissioner.pk},
        inline=True,
    )


def test_an_unknown_zone_or_care_group_is_named_and_nothing_is_written(devon, tmp_path) -> None:
    run = _run(
        "packages-in-place",
        devon,
        tmp_path,
        PACKAGES
        + "PK1,P1,LD,individualised-support,home,,4,10,,2019-01-01,\n"
        + "PK2,P2,LD,individualised-support,home,,9,10,,2019-01-01,\n"
        + "PK3,P3,XX,individualised-support,home,,1,10,,2019-01-01,\n",
    )
    assert run.status == "failed"
    assert {(e["line"], e["column"]) for e in run.errors} == {(3, "zone"), (4, "care_group")}
    assert "zone '9' is not one of" in run.errors[0]["message"]
    assert PackageInPlace.objects.count() == 0


def test_packages_import_once_then_repeat_then_update(devon, tmp_path) -> None:
    body = PACKAGES + "PK1,P1,Autism,group-day-opportunity,,,2,6,,2019-01-01,\n"
    first = _run("packages-in-place", devon, tmp_path, body)
    assert first.status == "succeeded" and first.rows_written == 1
    package = PackageInPlace.objects.get()
    assert (package.care_group.code, package.setting, package.zone.number) == ("AUT", "group", 2)
    again = _run("packages-in-place", devon, tmp_path, body)
    assert again.repeat and again.pk == first.pk
    later = _run(
        "packages-in-place",
        devon,
        tmp_path,
        body.replace(",6,,2019-01-01,", ",8,,2019-01-01,2019-12-31"),
        name="g.csv",
    )
    assert later.status == "succeeded"
    package.refresh_from_db()
    assert (PackageInPlace.objects.count(), package.hours_per_week, str(package.end_date)) == (
        1,
        8,
        "2019-12-31",
    )


def test_hours_or_band_and_dates_in_order(devon, tmp_path) -> None:
    run = _run(
        "packages-in-place",
        devon,
        tmp_path,
        PACKAGES
        + "PK1,P1,OP,personal-care,,,1,,,2019-01-01,\n"
        + "PK2,P2,OP,personal-care,,,1,5,,2019-02-01,2019-01-01\n",
    )
    assert {(e["line"], e["column"]) for e in run.errors} == {
        (2, "hours_per_week"),
        (3, "end_date"),
    }


def test_a_negative_population_count_is_refused(devon, tmp_path) -> None:
    run = _run(
        "population",
        devon,
        tmp_path,
        "area,age_band,sex,year,count\n"
        "E10000008,65-69,female,2026,27400\nE10000008,65-69,male,2026,-5\n"
        "E10000008,sixty,male,2026,5\n",
    )
    assert run.status == "failed"
    assert {(e["line"], e["column"]) for e in run.errors} == {(3, "count"), (4, "age_band")}
    assert PopulationCount.objects.count() == 0


def test_population_imports_and_a_repeated_cell_is_refused(devon, tmp_path) -> None:
    header = "area,age_band,sex,year,count\n"
    dup = _run(
        "population", devon, tmp_path, header + "E1,90+,female,2026,1\nE1,90+,female,2026,2\n"
    )
    assert [(e["line"], e["column"]) for e in dup.errors] == [(3, "age_band")]
    ok = _run(
        "population",
        devon,
        tmp_path,
        header + "E1,90+,female,2026,1\nE1,90+,male,2026,2\n",
        name="p.csv",
    )
    assert ok.status == "succeeded" and PopulationCount.objects.count() == 2


def test_awaiting_care_since_cannot_be_in_the_future(devon, tmp_path) -> None:
    header = (
        "reference,person_reference,zone,care_group,service_type,hours_per_week,"
        "awaiting_since,resolved_on\n"
    )
    run = _run(
        "awaiting-care", devon, tmp_path, header + "A1,W1,4,OP,personal-care,7,2999-01-01,\n"
    )
    assert [(e["line"], e["column"]) for e in run.errors] == [(2, "awaiting_since")]
    assert AwaitingCareRecord.objects.count() == 0
