"""Small hand-made and random problems for the allocation tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from caremarket.engine.allocation import (
    Capacity,
    Eligibility,
    GuaranteedBlock,
    Prime,
    Problem,
    Provider,
    Referral,
)

D = Decimal
FLAGS = ("double_handed", "end_of_life")


def referral(
    rid: str,
    hours: str,
    urgency: str = "planned",
    *,
    zone: str = "z1",
    days: int = 0,
    arrival: int = 0,
    needs: frozenset[str] = frozenset(),
    service: str = "home_care",
    commissioner: str = "c1",
) -> Referral:
    return Referral(rid, commissioner, zone, service, D(hours), urgency, days, needs, arrival)


@st.composite
def problems(draw: st.DrawFn, fine_hours: bool = False) -> Problem:
    """Random small problems with every feature: needs, blocks, primes, shared zones.

    ``fine_hours`` draws hours in hundredths rather than quarter and half hours.
    """
    n_zone = draw(st.integers(1, 3))
    zones = [f"z{i}" for i in range(n_zone)]
    services = ["home_care", "support"][: draw(st.integers(1, 2))]
    providers = [
        Provider(
            f"p{i}",
            D(draw(st.integers(0, 100))),
            frozenset(draw(st.sets(st.sampled_from(FLAGS)))),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    ids = [p.id for p in providers]
    hours = (
        st.integers(50, 2000).map(lambda q: D(q) / 100)
        if fine_hours
        else st.integers(1, 40).map(lambda q: D(q) / 2)
    )
    package = (
        st.integers(150, 1500).map(lambda q: D(q) / 100)
        if fine_hours
        else st.integers(6, 60).map(lambda q: D(q) / 4)
    )
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ids), st.sampled_from(zones), st.sampled_from(services), hours
            ),
            max_size=10,
        )
    )
    capacity = [Capacity(p, z, s, h) for p, z, s, h in rows]
    blocks = [
        GuaranteedBlock(p, z, s, h)
        for p, z, s, h in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ids), st.sampled_from(zones), st.sampled_from(services), hours
                ),
                max_size=3,
            )
        )
    ]
    appointed = draw(
        st.dictionaries(
            st.tuples(st.sampled_from(ids), st.sampled_from(zones), st.sampled_from(services)),
            st.integers(1500, 2600).map(lambda p: D(p) / 100),
            max_size=12,
        )
    )
    eligibility = [Eligibility(p, "c1", z, s, price) for (p, z, s), price in appointed.items()]
    primes = []
    if draw(st.booleans()) and len(ids) > 1:
        lead = draw(st.sampled_from(ids))
        primes.append(
            Prime(
                lead=lead,
                commissioner="c1",
                zones=frozenset({zones[0]}),
                min_subcontract_share=D(draw(st.sampled_from(["0", "0.3", "0.5"]))),
                panel=frozenset(draw(st.sets(st.sampled_from(ids)))) - {lead},
                hourly_price=draw(st.sampled_from([None, D("19.28")])),
            )
        )
    refs = [
        Referral(
            f"r{i:02d}",
            "c1",
            draw(st.sampled_from(zones)),
            draw(st.sampled_from(services)),
            draw(package),
            draw(st.sampled_from(["crisis", "hospital_discharge", "planned"])),
            draw(st.integers(0, 100)),
            frozenset(draw(st.sets(st.sampled_from(FLAGS), max_size=1))),
            draw(st.integers(0, 30)),
        )
        for i in range(draw(st.integers(0, 14)))
    ]
    return Problem(
        tuple(refs),
        tuple(providers),
        tuple(capacity),
        tuple(blocks),
        tuple(eligibility),
        tuple(primes),
    )
