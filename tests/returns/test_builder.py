"""The Client Level Data file built from the demo's events (caremarket.returns.builder): rows
in the Release 2 field order with the platform's real values, person identifiers pseudonymised,
the pre-submission check clean on the demo's own file, and each injected fault found."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from caremarket.accounts.models import User
from caremarket.brokerage.models import (
    AgreementVariation,
    Referral,
    ReferralEvent,
    ServiceAgreement,
)
from caremarket.core import clock
from caremarket.frameworks.models import Framework
from caremarket.market.models import Commissioner
from caremarket.pricing.models import FeeReview, Repricing
from caremarket.returns import builder, periods, pseudonyms, vocabulary

pytestmark = pytest.mark.django_db
KEY = "test-only-cld-pseudonym-key"


def devon_file() -> builder.CldFile:
    """Devon's return for the quarter the demo's events fall in (a draft, to today)."""
    devon = Commissioner.objects.get(slug="devon")
    return builder.build(devon, periods.parse(periods.quarter_of(clock.today())))


def by_reference(cld: builder.CldFile) -> dict[str, builder.Line]:
    return {line.row["Event_Reference"]: line for line in cld.lines}


def test_the_demos_own_file_passes_the_check_with_every_kind_of_event() -> None:
    cld = devon_file()
    assert cld.findings == []
    counts = cld.counts
    assert counts["Request"] == Referral.objects.filter(commissioner__slug="devon").count()
    assert counts["Service"] > 0 and counts["Review"] >= 1
    assert all(tuple(line.row) == vocabulary.FIELDS for line in cld.lines)
    assert {line.row["LA_Code"] for line in cld.lines} == {"E10000008"}
    assert cld.is_draft and cld.as_at == clock.today()


def test_the_csv_has_the_header_and_one_row_per_event() -> None:
    cld = devon_file()
    rows = list(csv.DictReader(io.StringIO(cld.csv_text())))
    assert tuple(rows[0]) == vocabulary.FIELDS
    assert len(rows) == len(cld.lines)


def test_an_awarded_referral_is_a_request_that_progressed_to_services() -> None:
    referral = (
        Referral.objects.filter(commissioner__slug="devon", state="awarded")
        .select_related("award", "person")
        .order_by("pk")
        .first()
    )
    row = by_reference(devon_file())[referral.reference].row
    assert row["Event_Type"] == "Request"
    assert row["Event_Start_Date"] == clock.local(referral.created_at).date().isoformat()
    assert row["Event_End_Date"] == clock.local(referral.award.decided_at).date().isoformat()
    assert row["Event_Outcome"] == "Progress to support planning or services"
    assert row["Date_of_Birth"] == referral.person.date_of_birth.isoformat()
    assert row["Client_Type"] == "Service user"
    assert row["LA_Person_Unique_Identifier"] == pseudonyms.pseudonym(
        KEY, "E10000008", referral.person.reference
    )


def test_an_open_referral_has_no_end_and_no_outcome() -> None:
    referral = Referral.objects.filter(commissioner__slug="devon", state="awaiting_care").first()
    row = by_reference(devon_file())[referral.reference].row
    assert (row["Event_End_Date"], row["Event_Outcome"]) == ("", "")


def test_a_service_row_carries_the_unit_cost_frequency_and_planned_units() -> None:
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met")
    variation = agreement.variations.order_by("effective_from").first()
    line = by_reference(devon_file())[f"{agreement.reference}-1"]
    row = line.row
    assert row["Event_Type"] == "Service"
    assert row["Unit_Cost"] == f"{variation.unit_price:.2f}"
    assert row["Cost_Frequency_Unit_Type"] == "Hourly"
    assert row["Planned_units_per_week"] == f"{variation.units_per_week:.2f}"
    assert line.weekly_cost == variation.weekly_cost
    assert row["Event_End_Date"] == agreement.end_date.isoformat()
    assert row["Event_Outcome"] == "NFA: Support ended as planned"
    assert row["Service_Type"] == "Long term support: Community"
    assert row["Delivery_Mechanism"] == "CASSR commissioned support"
    assert row["Primary_Support_Reason"] in vocabulary.PRIMARY_SUPPORT_REASONS


def test_a_variation_no_fee_review_made_is_a_review_row() -> None:
    expected = set()
    for agreement in ServiceAgreement.objects.filter(commissioner__slug="devon"):
        variations = list(agreement.variations.order_by("effective_from"))
        for number, v in enumerate(variations[1:], start=2):
            if not hasattr(v, "repricing") and clock.local(v.at).date() <= clock.today():
                expected.add(f"{agreement.reference}-R{number}")
    reviews = [line.row for line in devon_file().lines if line.row["Event_Type"] == "Review"]
    assert expected and {r["Event_Reference"] for r in reviews} == expected
    assert {r["Event_Outcome"] for r in reviews} == {"Continuation of support or services"}


def test_a_variation_a_fee_review_made_is_no_review() -> None:
    row = next(line.row for line in devon_file().lines if line.row["Event_Type"] == "Review")
    reference, number = row["Event_Reference"].rsplit("-R", 1)
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", reference=reference)
    variations = list(agreement.variations.order_by("effective_from"))
    first, second = variations[int(number) - 2 : int(number)]
    review = FeeReview.objects.create(
        commissioner=agreement.commissioner,
        framework=Framework.objects.filter(commissioner=agreement.commissioner).first(),
        title="Annual fee review",
        effective_from=second.effective_from,
        method=FeeReview.Method.NLW_CPI,
        uplift=Decimal("4.0000"),
        status=FeeReview.Status.APPROVED,
        created_by=User.objects.get(username="devon.commissioner"),
    )
    Repricing.objects.create(
        review=review,
        agreement=agreement,
        variation=second,
        old_price=first.unit_price,
        new_price=second.unit_price,
    )
    assert row["Event_Reference"] not in by_reference(devon_file())


def test_the_cqc_location_is_the_delivering_providers_only_registered_one() -> None:
    for line in devon_file().lines:
        if line.row["Event_Type"] != "Service":
            continue
        reference = line.row["Event_Reference"].rsplit("-", 1)[0]
        provider = ServiceAgreement.objects.get(reference=reference).delivering_provider
        ids = [i for i in provider.locations.values_list("cqc_location_id", flat=True) if i]
        assert line.row["Provider_CQC_Location_ID"] == (ids[0] if len(ids) == 1 else "")


def test_no_name_reference_or_other_council_appears_in_the_file() -> None:
    cld = devon_file()
    text = cld.csv_text()
    referral = Referral.objects.filter(commissioner__slug="devon").select_related("person")[0]
    assert referral.person.family_name not in text
    assert f",{referral.person.reference}," not in text
    assert "IOW-" not in text and "STA-" not in text


def test_a_quarter_wholly_before_the_demo_has_no_rows() -> None:
    devon = Commissioner.objects.get(slug="devon")
    cld = builder.build(devon, periods.parse("2020Q1"))
    assert cld.lines == [] and cld.findings == [] and not cld.is_draft


# --- injected faults: each is found, on its row and field ------------------------------------


def rules_found(cld: builder.CldFile) -> set[tuple[str, str, str]]:
    return {(f.reference, f.field, f.rule) for f in cld.findings}


def test_a_weekly_cost_out_of_line_with_the_unit_cost_is_found() -> None:
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met")
    variation = agreement.variations.order_by("effective_from").first()
    AgreementVariation.objects.filter(pk=variation.pk).update(
        weekly_cost=variation.weekly_cost + Decimal("5.00")
    )
    found = rules_found(devon_file())
    assert found == {(f"{agreement.reference}-1", "Unit_Cost", "weekly_cost")}


def test_a_unit_with_no_cld_frequency_is_found_missing() -> None:
    agreement = ServiceAgreement.objects.get(commissioner__slug="devon", end_reason="needs_met")
    ServiceAgreement.objects.filter(pk=agreement.pk).update(unit="fortnight")
    found = rules_found(devon_file())
    assert (f"{agreement.reference}-1", "Cost_Frequency_Unit_Type", "missing") in found


def test_a_council_without_an_ons_code_is_found_on_every_row() -> None:
    Commissioner.objects.filter(slug="devon").update(ons_code="")
    cld = devon_file()
    missing = [f for f in cld.findings if (f.field, f.rule) == ("LA_Code", "missing")]
    assert len(missing) == len(cld.lines) > 0


def test_a_request_ending_before_it_started_is_found() -> None:
    referral = Referral.objects.filter(commissioner__slug="devon", state="offered").first()
    Referral.objects.filter(pk=referral.pk).update(state="cancelled")
    ReferralEvent.objects.create(
        referral=referral,
        from_state="offered",
        to_state="cancelled",
        at=referral.created_at - timedelta(days=2),
    )
    found = rules_found(devon_file())
    assert found == {(referral.reference, "Event_End_Date", "end_before_start")}


def test_without_a_pseudonym_key_the_return_is_refused_clearly() -> None:
    with (
        override_settings(CLD_PSEUDONYM_KEY=""),
        pytest.raises(ImproperlyConfigured, match="CLD_PSEUDONYM_KEY"),
    ):
        devon_file()
