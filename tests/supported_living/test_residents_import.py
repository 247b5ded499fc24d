"""Importing the residents census (supported_living.services.ResidentsImporter through
core.imports): all or nothing, every bad row reported by line and column."""

from __future__ import annotations

import io

import pytest

from caremarket.core.roles import Role
from caremarket.supported_living import selectors, services
from caremarket.supported_living.models import ResidentCount
from tests import factories as f
from tests.supported_living import factories as sl

pytestmark = pytest.mark.django_db


def _file(text: str, name: str = "census.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = name
    return data


def test_a_good_census_is_loaded_and_shown_by_group_and_band() -> None:
    w = sl.world(rooms=1)
    sl.groups(w.commissioner)
    commissioner = f.council_user(w.commissioner, role=Role.COMMISSIONER)
    text = "group,lot,band,residents,counted_on\n2,,high,82,2026-11-01\n2,,low,3,2026-11-01\n"
    run = services.import_residents(_file(text), by=commissioner)
    assert run.status == "succeeded", run.errors
    (row,) = selectors.residents_by_group(commissioner)
    assert (row.high, row.low, row.total) == (82, 3, 85)
    again = services.import_residents(_file(text), by=commissioner)
    assert again.repeat and ResidentCount.objects.filter(commissioner=w.commissioner).count() == 2


def test_every_bad_row_is_reported_and_nothing_is_saved() -> None:
    w = sl.world(rooms=1)
    sl.groups(w.commissioner)
    commissioner = f.council_user(w.commissioner, role=Role.COMMISSIONER)
    text = (
        "group,lot,band,residents,counted_on\n"
        "2,,high,82,2026-11-01\n"
        "9,,high,1,2026-11-01\n"
        "2,77,extreme,-4,2099-01-01\n"
    )
    run = services.import_residents(_file(text), by=commissioner)
    assert run.status == "failed"
    faults = {(e["line"], e["column"]) for e in run.errors}
    assert (3, "group") in faults and (4, "band") in faults and (4, "residents") in faults
    assert not ResidentCount.objects.filter(commissioner=w.commissioner).exists()
