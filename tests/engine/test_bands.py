from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.engine.bands import BandSpec, band_table, reprice, weekly_rate

D = Decimal


def test_a_band_is_typical_hours_at_the_hourly_rate_plus_nights() -> None:
    # 14 hours x £23.50 = £329.00; 7 sleep-ins x £96.50 = £675.50; total £1,004.50.
    band = BandSpec("High", D("14"), D("23.50"), sleep_in_nights=D("7"), sleep_in_rate=D("96.50"))
    rate = weekly_rate(band)
    assert (rate.day_care, rate.nights, rate.weekly_rate) == (
        D("329.00"),
        D("675.50"),
        D("1004.50"),
    )


def test_waking_nights_are_added_and_rounding_happens_once() -> None:
    band = BandSpec(
        "Very high", D("10.5"), D("21.333"), waking_nights=D("2"), waking_night_rate=D("162.89")
    )
    # 10.5 x 21.333 = 223.9965; + 325.78 = 549.7765 -> 549.78
    assert weekly_rate(band).weekly_rate == D("549.78")


def test_changing_the_rate_reprices_every_band_in_order() -> None:
    bands = [BandSpec("Medium", D("7"), D("20")), BandSpec("Low", D("3.5"), D("20"))]
    assert [b.weekly_rate for b in band_table(bands)] == [D("70.00"), D("140.00")]
    assert [b.weekly_rate for b in band_table(reprice(bands, D("22")))] == [D("77.00"), D("154.00")]


def test_impossible_bands_are_refused() -> None:
    with pytest.raises(ValueError):
        BandSpec("Nonsense", D("0"), D("20"))
    with pytest.raises(ValueError):
        BandSpec("Nonsense", D("5"), D("20"), sleep_in_nights=D("8"))


@given(
    st.decimals(min_value="0.5", max_value=100, places=2),
    st.decimals(min_value=1, max_value=50, places=2),
    st.decimals(min_value="0.01", max_value=5, places=2),
)
def test_a_higher_rate_never_lowers_a_band(hours: Decimal, rate: Decimal, rise: Decimal) -> None:
    band = BandSpec("Any", hours, rate)
    assert weekly_rate(reprice([band], rate + rise)[0]).weekly_rate >= weekly_rate(band).weekly_rate
