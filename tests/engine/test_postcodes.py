import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine import postcodes


@pytest.mark.parametrize("typed", ["ex39 1ab", "EX391AB", " Ex39  1aB ", "EX39\t1AB"])
def test_any_case_and_spacing_parses_to_one_postcode(typed: str) -> None:
    code = postcodes.parse(typed)
    assert str(code) == "EX39 1AB"
    assert code.district == "EX39"
    assert code.sector == "EX39 1"
    assert code.lookup_keys() == ("EX39 1", "EX39")


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("EC1A 1BB", "EC1A"),
        ("W1A 0AX", "W1A"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("TQ13 8AA", "TQ13"),
        ("PO30 1UD", "PO30"),
    ],
)
def test_every_shape_of_uk_outward_code(typed: str, district: str) -> None:
    assert postcodes.parse(typed).district == district


@pytest.mark.parametrize(
    "typed", ["", "   ", "EX39", "12345", "EX39 1A", "EXX39 1AB", "EX39 AAB", "not a postcode"]
)
def test_malformed_postcodes_get_a_message_for_a_person(typed: str) -> None:
    with pytest.raises(postcodes.InvalidPostcode) as error:
        postcodes.parse(typed)
    assert "postcode" in str(error.value).lower()
    assert "EX39 1AB" in str(error.value)  # it shows what a good one looks like


@pytest.mark.parametrize(
    ("typed", "area"), [("ex39", "EX39"), ("ex39 1", "EX39 1"), ("TQ138", "TQ13 8"), ("w1a", "W1A")]
)
def test_zone_mapping_areas_normalise(typed: str, area: str) -> None:
    assert postcodes.normalise_area(typed) == area


def test_a_full_postcode_is_not_a_mapping_area() -> None:
    with pytest.raises(postcodes.InvalidPostcode):
        postcodes.normalise_area("EX39 1AB")


def test_areas_sort_as_people_read_them() -> None:
    codes = ["EX10", "EX8", "TQ13 8", "EX1", "TQ13", "EC1A"]
    assert sorted(codes, key=postcodes.area_sort_key) == [
        "EC1A",
        "EX1",
        "EX8",
        "EX10",
        "TQ13",
        "TQ13 8",
    ]


@given(
    area=st.from_regex(r"[A-Z]{1,2}", fullmatch=True),
    district=st.integers(min_value=1, max_value=99),
    sector=st.integers(min_value=0, max_value=9),
    unit=st.from_regex(r"[A-Z]{2}", fullmatch=True),
    spacing=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
)
def test_parse_is_insensitive_to_case_and_spacing(
    area: str, district: int, sector: int, unit: str, spacing: str, lower: bool
) -> None:
    canonical = f"{area}{district} {sector}{unit}"
    typed = f"{area}{district}{spacing}{sector}{unit}"
    typed = typed.lower() if lower else typed
    assert str(postcodes.parse(typed)) == canonical
