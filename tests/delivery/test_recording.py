"""delivery.services.recording.People: which agreement a visit of a day belongs to, as the
row-by-row path finds it and as the bulk import's day ranges give it (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from caremarket.delivery.services.recording import People

D0 = date(2026, 10, 1)


def _people(agreements: list[tuple[int, date, date | None]]) -> People:
    return People(commissioner_id=1, provider_id=1, by_reference={"P1": (7, agreements)})


def _on(segments: list[tuple[int, date, date | None]], day: date) -> int | None:
    found = [pk for pk, first, last in segments if first <= day and (last is None or day <= last)]
    assert len(found) <= 1, f"{day} is in {len(found)} ranges"
    return found[0] if found else None


def test_a_variation_then_an_open_ended_agreement_make_two_ranges() -> None:
    people = _people([(1, D0, date(2026, 10, 14)), (2, date(2026, 10, 15), None)])
    assert people.segments("P1") == [
        (1, D0, date(2026, 10, 14)),
        (2, date(2026, 10, 15), None),
    ]


def test_where_two_agreements_overlap_the_first_listed_keeps_its_days() -> None:
    people = _people([(1, date(2026, 10, 5), date(2026, 10, 9)), (2, D0, date(2026, 10, 20))])
    assert people.segments("P1") == [
        (2, D0, date(2026, 10, 4)),
        (1, date(2026, 10, 5), date(2026, 10, 9)),
        (2, date(2026, 10, 10), date(2026, 10, 20)),
    ]


def test_a_gap_between_agreements_is_no_range() -> None:
    people = _people([(1, D0, date(2026, 10, 3)), (1, date(2026, 10, 8), date(2026, 10, 9))])
    assert people.segments("P1") == [
        (1, D0, date(2026, 10, 3)),
        (1, date(2026, 10, 8), date(2026, 10, 9)),
    ]
    assert _on(people.segments("P1"), date(2026, 10, 5)) is None


agreement = st.tuples(
    st.integers(1, 4),
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 20)),
).map(
    lambda t: (
        t[0],
        D0 + timedelta(days=t[1]),
        None if t[2] is None else D0 + timedelta(days=t[1] + t[2]),
    )
)


@given(st.lists(agreement, min_size=1, max_size=6))
def test_the_ranges_give_every_day_the_agreement_agreement_on_gives(
    agreements: list[tuple[int, date, date | None]],
) -> None:
    people = _people(agreements)
    segments = people.segments("P1")
    for offset in range(-2, 70):
        day = D0 + timedelta(days=offset)
        assert _on(segments, day) == people.agreement_on("P1", day)
    for (_, _, last), (_, first, _) in pairwise(segments):
        assert last is not None and last < first  # disjoint, in order
