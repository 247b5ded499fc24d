"""The cost of an hour of home care, built up line by line so a council can see why an hour
costs what it does (the Homecare Association's "minimum price" method).

An hour of contact needs more than an hour's pay: the care worker is paid to travel between
visits, for holidays, training and sickness cover; the employer pays National Insurance above
a weekly threshold and a pension contribution above the qualifying-earnings threshold; the
worker is reimbursed for mileage; the business has running costs and needs a small surplus.

Rounding: each component is computed exactly and rounded once (``pricing.money``, half up)
when it is stated; the price of the hour is the sum of the stated components, so the
breakdown a council publishes always adds up to the price it pays.

Presets (``PRESETS``) say where each figure comes from. Figures calibrated to reproduce a
published total, rather than published themselves, are labelled as assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from caremarket.engine.pricing import money

ZERO = Decimal("0")

# The groups the Homecare Association publishes its breakdown in.
CONTACT = "Contact time"
TRAVEL = "Travel time"
NI_AND_PENSION = "NI and pension"
OTHER_ON_COSTS = "Other on-costs"
MILEAGE = "Mileage"
RUNNING = "Running the business"
SURPLUS = "Surplus"
GROUPS = (CONTACT, TRAVEL, NI_AND_PENSION, OTHER_ON_COSTS, MILEAGE, RUNNING, SURPLUS)


@dataclass(frozen=True, slots=True)
class CostInputs:
    """What an hour of care costs is made of. Rates are fractions (0.138 for 13.8 %),
    thresholds are pounds a week, the rest pounds (or hours, miles) per contact hour."""

    pay_rate: Decimal
    travel_hours_per_contact_hour: Decimal
    holiday_rate: Decimal
    training_rate: Decimal
    sickness_rate: Decimal
    contact_hours_per_week: Decimal
    employer_ni_rate: Decimal
    ni_threshold_per_week: Decimal
    pension_rate: Decimal
    pension_threshold_per_week: Decimal
    miles_per_contact_hour: Decimal
    mileage_rate: Decimal
    running_costs_per_hour: Decimal
    surplus_rate: Decimal

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 0:
                raise ValueError(f"{name.replace('_', ' ')} cannot be negative")
        if self.contact_hours_per_week <= 0:
            raise ValueError("contact hours per week must be more than zero")
        for name in ("holiday_rate", "training_rate", "sickness_rate", "employer_ni_rate"):
            if getattr(self, name) >= 1:
                raise ValueError(f"{name.replace('_', ' ')} is a fraction below 1")


@dataclass(frozen=True, slots=True)
class Component:
    group: str
    name: str
    amount: Decimal  # rounded once, to the penny
    how: str  # the working, in words a finance officer can check


@dataclass(frozen=True, slots=True)
class CostBreakdown:
    components: tuple[Component, ...]

    @property
    def total(self) -> Decimal:
        """The price of an hour: the sum of the stated (rounded) components, no further
        rounding, so the breakdown adds up."""
        return sum((c.amount for c in self.components), ZERO)

    def by_group(self) -> dict[str, Decimal]:
        groups = dict.fromkeys(GROUPS, ZERO)
        for c in self.components:
            groups[c.group] += c.amount
        return groups

    @property
    def staff_pay_share(self) -> Decimal:
        """Fraction of the price that is pay and pay on-costs: what the National Living Wage
        moves in a fee review (``fee_review.nlw_cpi_weights``)."""
        pay = sum(
            (
                c.amount
                for c in self.components
                if c.group in (CONTACT, TRAVEL, NI_AND_PENSION, OTHER_ON_COSTS)
            ),
            ZERO,
        )
        return pay / self.total if self.total else ZERO


def _per_hour_above(
    rate: Decimal, gross_per_hour: Decimal, hours: Decimal, threshold: Decimal
) -> Decimal:
    """An employer's contribution charged on weekly pay above a weekly threshold, spread over
    the week's contact hours."""
    weekly = gross_per_hour * hours
    return rate * max(ZERO, weekly - threshold) / hours


def cost_of_care(inputs: CostInputs) -> CostBreakdown:
    """Each component of an hour's price, from the inputs."""
    i = inputs
    travel_pay = i.pay_rate * i.travel_hours_per_contact_hour
    wages = i.pay_rate + travel_pay
    holiday = wages * i.holiday_rate
    training = wages * i.training_rate
    sickness = wages * i.sickness_rate
    gross = wages + holiday + training + sickness  # all pay per contact hour, for NI/pension
    hours = i.contact_hours_per_week
    ni = _per_hour_above(i.employer_ni_rate, gross, hours, i.ni_threshold_per_week)
    pension = _per_hour_above(i.pension_rate, gross, hours, i.pension_threshold_per_week)
    mileage = i.miles_per_contact_hour * i.mileage_rate
    pct = _percent
    parts = [
        Component(CONTACT, "Care worker pay", money(i.pay_rate), f"£{i.pay_rate} an hour"),
        Component(
            TRAVEL,
            "Paid travel time",
            money(travel_pay),
            f"{i.travel_hours_per_contact_hour} hours per contact hour at £{i.pay_rate}",
        ),
        Component(OTHER_ON_COSTS, "Holiday pay", money(holiday), f"{pct(i.holiday_rate)} of wages"),
        Component(OTHER_ON_COSTS, "Training", money(training), f"{pct(i.training_rate)} of wages"),
        Component(
            OTHER_ON_COSTS, "Sickness cover", money(sickness), f"{pct(i.sickness_rate)} of wages"
        ),
        Component(
            NI_AND_PENSION,
            "Employer National Insurance",
            money(ni),
            f"{pct(i.employer_ni_rate)} of weekly pay above £{i.ni_threshold_per_week}, "
            f"over {hours} contact hours a week",
        ),
        Component(
            NI_AND_PENSION,
            "Employer pension",
            money(pension),
            f"{pct(i.pension_rate)} of weekly pay above £{i.pension_threshold_per_week}",
        ),
        Component(
            MILEAGE,
            "Mileage",
            money(mileage),
            f"{i.miles_per_contact_hour} miles per contact hour at £{i.mileage_rate} a mile",
        ),
        Component(
            RUNNING,
            "Running the business",
            money(i.running_costs_per_hour),
            "office, management, regulation, insurance, systems",
        ),
    ]
    costs = sum((c.amount for c in parts), ZERO)
    parts.append(
        Component(
            SURPLUS,
            "Surplus",
            money(costs * i.surplus_rate),
            f"{pct(i.surplus_rate)} of £{costs}",
        )
    )
    return CostBreakdown(tuple(parts))


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


@dataclass(frozen=True, slots=True)
class Preset:
    key: str
    name: str
    inputs: CostInputs
    sources: tuple[str, ...] = field(default=())
    expected_total: Decimal | None = None  # the published figure the preset reproduces


HCA_2020_21 = Preset(
    key="hca-2020-21",
    name="Homecare Association minimum price 2020/21 (£20.69)",
    inputs=CostInputs(
        pay_rate=Decimal("8.72"),  # National Living Wage from April 2020 (gov.uk)
        travel_hours_per_contact_hour=Decimal("0.195"),  # assumption: calibrated to £1.70
        holiday_rate=Decimal("0.1207"),  # 5.6 weeks' statutory leave / 46.4 weeks worked
        training_rate=Decimal("0.03"),  # assumption: calibrated with sickness to £1.97
        sickness_rate=Decimal("0.0384"),  # assumption: calibrated with training to £1.97
        contact_hours_per_week=Decimal("28.5"),  # assumption: calibrated to £1.14
        employer_ni_rate=Decimal("0.138"),  # employer Class 1 NI 2020/21 (HMRC)
        ni_threshold_per_week=Decimal("169"),  # secondary threshold 2020/21 (HMRC)
        pension_rate=Decimal("0.03"),  # auto-enrolment employer minimum (The Pensions Regulator)
        pension_threshold_per_week=Decimal("120"),  # qualifying earnings lower limit 2020/21
        miles_per_contact_hour=Decimal("3.02"),  # assumption: calibrated to £1.36
        mileage_rate=Decimal("0.45"),  # HMRC approved mileage allowance rate
        running_costs_per_hour=Decimal("5.20"),  # Homecare Association 2020/21 breakdown
        surplus_rate=Decimal("0.03"),  # assumption: 3 % of costs gives the published £0.60
    ),
    sources=(
        "Homecare Association, Minimum Price for Homecare 2020/21: £20.69 (contact 8.72, "
        "travel 1.70, NI and pension 1.14, other on-costs 1.97, mileage 1.36, running the "
        "business 5.20, surplus 0.60); domain-facts.md section 4.4 and issue 12",
        "National Living Wage April 2020 £8.72: domain-facts.md section 4.1",
        "Employer NI 13.8 % above £169 a week, pension 3 % above £120 a week: HMRC and The "
        "Pensions Regulator 2020/21 rates (not in domain-facts.md; configurable)",
        "Travel, training, sickness, contact hours, miles and the surplus rate are assumptions "
        "calibrated so that each published group total is reproduced to the penny",
    ),
    expected_total=Decimal("20.69"),
)

ILLUSTRATIVE_2026_27 = Preset(
    key="illustrative-2026-27",
    name="Illustrative 2026/27 at the National Living Wage (£12.71)",
    inputs=CostInputs(
        pay_rate=Decimal("12.71"),  # National Living Wage from April 2026 (gov.uk)
        travel_hours_per_contact_hour=Decimal("0.195"),  # assumption, as 2020/21
        holiday_rate=Decimal("0.1207"),  # 5.6 weeks' statutory leave
        training_rate=Decimal("0.03"),  # assumption
        sickness_rate=Decimal("0.0384"),  # assumption
        contact_hours_per_week=Decimal("28.5"),  # assumption
        employer_ni_rate=Decimal("0.15"),  # employer NI 15 % from April 2025 (domain-facts 4.4)
        ni_threshold_per_week=Decimal("96"),  # £5,000 a year from April 2025 (HMRC; not in
        # domain-facts.md, configurable)
        pension_rate=Decimal("0.03"),  # auto-enrolment employer minimum
        pension_threshold_per_week=Decimal("120"),  # qualifying earnings lower limit
        miles_per_contact_hour=Decimal("3.02"),  # assumption
        mileage_rate=Decimal("0.45"),  # HMRC approved mileage allowance rate
        running_costs_per_hour=Decimal("7.00"),  # assumption: demo value, not published
        surplus_rate=Decimal("0.03"),  # assumption
    ),
    sources=(
        "National Living Wage April 2026 £12.71: domain-facts.md section 4.1",
        "Employer NI 15 %: domain-facts.md section 4.4 (2025/26 note)",
        "Running costs and the calibrated shares are assumptions: the Homecare Association's "
        "itemised 2025/26 and 2026/27 breakdowns are NOT FOUND (domain-facts.md)",
    ),
)

PRESETS: dict[str, Preset] = {p.key: p for p in (HCA_2020_21, ILLUSTRATIVE_2026_27)}
