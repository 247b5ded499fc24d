"""core.imports: every row checked first, then all or nothing; the same file once; a run
page scoped to its owner."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caremarket.core import imports
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.models import ImportRun
from caremarket.market.models import Commissioner
from tests import factories

pytestmark = pytest.mark.django_db


class CouncilImport(imports.Importer):
    """A test kind: one commissioner a row (a real table, so all-or-nothing is real)."""

    kind = "test-councils"
    title = "Councils (test)"
    columns = (
        imports.Column("name", imports.text(120)),
        imports.Column("slug", imports.text(40)),
        imports.Column("rooms", imports.integer(0, 10), required=False),
    )

    def check_row(self, row: dict[str, Any], line: int, context: dict[str, Any]) -> dict[str, str]:
        seen = context.setdefault("slugs", set())
        if row["slug"] in seen:
            return {"slug": f"slug {row['slug']} appears twice in the file"}
        seen.add(row["slug"])
        return {}

    def write(self, rows: Iterator[tuple[int, dict[str, Any]]], context: dict[str, Any]) -> int:
        made = [Commissioner(name=r["name"], slug=r["slug"]) for _, r in rows]
        Commissioner.objects.bulk_create(made)
        return len(made)


@pytest.fixture(autouse=True)
def _kind(tmp_path):  # type: ignore[no-untyped-def]
    imports.register(CouncilImport())
    with override_settings(IMPORTS_DIR=tmp_path):
        yield


def upload(text: str, name: str = "councils.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


GOOD = "name,slug,rooms\nAlpha Council,alpha-x,1\nBeta Council,beta-x,\n"


def test_a_good_file_is_written_whole() -> None:
    run = imports.start("test-councils", upload(GOOD), owner="commissioner:1")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.rows_written == 2 and run.rows_total == 2 and run.error_count == 0
    assert set(Commissioner.objects.filter(slug__endswith="-x").values_list("slug", flat=True)) == {
        "alpha-x",
        "beta-x",
    }


def test_one_bad_row_writes_nothing_and_names_line_and_column() -> None:
    before = Commissioner.objects.count()
    bad = GOOD + "Gamma Council,gamma-x,eleven\n,delta-x,2\nAlpha again,alpha-x,3\n"
    run = imports.start("test-councils", upload(bad), owner="commissioner:1")
    assert run.status == ImportRun.Status.FAILED
    assert Commissioner.objects.count() == before
    assert run.errors == [
        {"line": 4, "column": "rooms", "message": "rooms must be a whole number from 0 to 10"},
        {"line": 5, "column": "name", "message": "name must be filled in"},
        {"line": 6, "column": "slug", "message": "slug alpha-x appears twice in the file"},
    ]
    assert run.error_count == 3


def test_a_missing_column_is_reported_on_line_one() -> None:
    run = imports.start("test-councils", upload("name,rooms\nA,1\n"), owner="commissioner:1")
    assert run.status == ImportRun.Status.FAILED
    assert run.errors == [
        {
            "line": 1,
            "column": "slug",
            "message": "The column 'slug' is missing from the first line.",
        }
    ]


def test_an_empty_file_and_a_file_of_bytes_are_refused() -> None:
    assert imports.start("test-councils", upload(""), owner="p:1").status == "failed"
    junk = SimpleUploadedFile("x.csv", b"name,slug\n\xff\xfe\x00bad,\xff\n")
    run = imports.start("test-councils", junk, owner="commissioner:1")
    assert run.status == ImportRun.Status.FAILED
    assert "UTF-8" in run.errors[0]["message"]


def test_the_same_file_twice_changes_nothing() -> None:
    first = imports.start("test-councils", upload(GOOD), owner="commissioner:1")
    count = Commissioner.objects.count()
    again = imports.start("test-councils", upload(GOOD, "renamed.csv"), owner="commissioner:1")
    assert again.pk == first.pk and again.repeat is True
    assert Commissioner.objects.count() == count
    assert ImportRun.objects.filter(kind="test-councils").count() == 1


def test_a_failed_file_may_be_sent_again() -> None:
    bad = "name,slug\nA,\n"
    first = imports.start("test-councils", upload(bad), owner="commissioner:1")
    second = imports.start("test-councils", upload(bad), owner="commissioner:1")
    assert first.pk != second.pk and second.repeat is False


@override_settings(IMPORTS_INLINE_ROWS=1)
def test_a_large_file_waits_for_the_worker_then_runs() -> None:
    run = imports.start("test-councils", upload(GOOD), owner="commissioner:1")
    assert run.status == ImportRun.Status.QUEUED and run.percent_checked == 0
    assert imports.process_queued() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.percent_checked == 100


def test_a_path_or_stream_imports_as_an_upload_does(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.csv"
    path.write_text(GOOD)
    assert imports.start("test-councils", str(path), owner="commissioner:2").rows_written == 2
    stream = io.BytesIO(GOOD.replace("-x", "-y").replace("Council", "Borough").encode())
    assert imports.start("test-councils", stream, owner="commissioner:2").rows_written == 2


def test_an_unknown_kind_is_refused_by_name() -> None:
    with pytest.raises(Invalid, match="no import called 'nope'"):
        imports.start("nope", upload(GOOD), owner="commissioner:1")


def test_a_run_is_seen_only_by_its_owner() -> None:
    council = factories.commissioner()
    other = factories.commissioner()
    run = imports.start(
        "test-councils", upload(GOOD), owner=imports.owner_key(commissioner_id=council.pk)
    )
    mine = factories.council_user(council, role="commissioner")
    theirs = factories.council_user(other, role="commissioner")
    assert imports.run_seen_by(mine, run.pk) == run
    with pytest.raises(NotFound):
        imports.run_seen_by(theirs, run.pk)


def test_the_run_page_shows_each_problem(client) -> None:  # type: ignore[no-untyped-def]
    council = factories.commissioner()
    user = factories.council_user(council, role="commissioner")
    owner = imports.owner_key(commissioner_id=council.pk)
    run = imports.start("test-councils", upload("name,slug\n,z\n"), owner=owner)
    client.force_login(user)
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Not imported: nothing was changed" in page
    assert "name must be filled in" in page
    other = factories.council_user(factories.commissioner(), role="commissioner")
    client.force_login(other)
    assert client.get(f"/imports/{run.pk}/").status_code == 404


def test_the_run_page_says_what_a_whole_file_import_is_doing(client) -> None:  # type: ignore[no-untyped-def]
    council = factories.commissioner()
    owner = imports.owner_key(commissioner_id=council.pk)
    run = imports.start("test-councils", upload(GOOD), owner=owner, inline=False)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.WRITING, stage="Matching visits to their plans", rows_checked=2
    )
    client.force_login(factories.council_user(council, role="commissioner"))
    page = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Now: Matching visits to their plans." in page
    assert 'value="100"' in page  # every row checked; the stage says what is left
