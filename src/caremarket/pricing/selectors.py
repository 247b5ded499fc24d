"""Reads for pricing, scoped to the acting user (taken first).

Council staff see their own commissioner's reviews, with the budget impact and every
comment. A provider sees the reviews of frameworks it is appointed to once they go out to
consultation, and only its own comments; never the budget impact, which is built from other
providers' agreements and prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from caremarket.brokerage import selectors as brokerage_selectors
from caremarket.brokerage.models import AgreementVariation, ServiceAgreement
from caremarket.core import roles as access
from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.engine import fee_review, pricing
from caremarket.engine.pricing import money
from caremarket.frameworks import selectors as frameworks_selectors
from caremarket.frameworks.models import Appointment, Band, Framework
from caremarket.pricing.models import FeeReview, ProviderComment


def reviews_for(user: Actor) -> QuerySet[FeeReview]:
    qs = FeeReview.objects.select_related("framework", "commissioner")
    if access.is_platform(user):
        return qs
    if access.is_council(user):
        return qs.filter(commissioner_id=access.commissioner_id_of(user))
    if access.is_provider(user):
        appointed = Appointment.objects.filter(provider_id=access.provider_id_of(user))
        return (
            qs.filter(framework__lots__appointments__in=appointed)
            .exclude(status=FeeReview.Status.DRAFT)
            .distinct()
        )
    return qs.none()


def review_for(user: Actor, pk: int) -> FeeReview:
    review = reviews_for(user).prefetch_related("lines").filter(pk=pk).first()
    if review is None:
        raise NotFound("No fee review here that you can see.")
    return review


def sees_budget_impact(user: Actor) -> bool:
    return access.is_council(user) or access.is_platform(user)


def comments_for(user: Actor, review: FeeReview) -> QuerySet[ProviderComment]:
    qs = review.comments.select_related("provider", "author")
    if access.is_provider(user):
        return qs.filter(provider_id=access.provider_id_of(user))
    return qs


def comment_for(user: Actor, pk: int) -> ProviderComment:
    comment = (
        ProviderComment.objects.filter(review__in=reviews_for(user), pk=pk)
        .select_related("review")
        .first()
    )
    if comment is None or comment not in comments_for(user, comment.review):
        raise NotFound("No evidence here that you can see.")
    return comment


def frameworks_to_review(user: Actor) -> QuerySet[Framework]:
    if access.is_platform(user):
        return Framework.objects.all()
    return Framework.objects.filter(commissioner_id=access.commissioner_id_of(user))


@dataclass(frozen=True, slots=True)
class AgreementImpact:
    agreement_id: int
    reference: str
    provider: str
    framework: str
    zone: str
    units_per_week: Decimal
    old_price: Decimal
    new_price: Decimal
    annual_change: Decimal  # rounded once, for this row of the download

    def line(self) -> fee_review.ImpactLine:
        return fee_review.ImpactLine(
            self.framework,
            self.zone,
            self.reference,
            self.units_per_week,
            self.old_price,
            self.new_price,
        )


def agreements_affected(review: FeeReview) -> QuerySet[ServiceAgreement]:
    """Agreements on the review's framework (and unit) live on its effective date."""
    on = review.effective_from
    return (
        ServiceAgreement.objects.filter(
            Q(award__referral__framework=review.framework)
            | Q(award__competition__framework=review.framework),
            commissioner_id=review.commissioner_id,
            unit=review.unit,
            start_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("delivering_provider", "award__referral__zone")
        .prefetch_related("variations")
        .order_by("reference")
    )


def new_price(review: FeeReview, old: Decimal) -> Decimal:
    """A fixed-rate review sets every agreement to the proposed rate; otherwise each
    agreement's own price moves by the uplift, rounded once."""
    if review.proposed_rate is not None:
        return review.proposed_rate
    return money(old * (1 + review.uplift / 100))


def impact_rows(review: FeeReview) -> list[AgreementImpact]:
    """The agreements behind the budget impact. Once applied, the prices the review actually
    set; before, the terms in force on the effective date and the price they would move to."""
    weeks = fee_review.weeks_in_year(review.effective_from)
    done = {r.agreement_id: r for r in review.repricings.all()}
    rows = []
    for agreement in agreements_affected(review):
        if agreement.pk in done:
            old, new = done[agreement.pk].old_price, done[agreement.pk].new_price
            terms = agreement.terms_on(review.effective_from)
        else:
            terms = agreement.terms_on(review.effective_from)
            if terms is None:
                continue
            old, new = terms.unit_price, new_price(review, terms.unit_price)
        referral = agreement.award.referral
        units = terms.units_per_week if terms else Decimal("0")
        line = fee_review.ImpactLine(
            review.framework.name,
            referral.zone.name if referral and referral.zone else "Schemes",
            agreement.reference,
            units,
            old,
            new,
        )
        rows.append(
            AgreementImpact(
                agreement.pk,
                agreement.reference,
                agreement.delivering_provider.display_name,
                line.framework,
                line.zone,
                units,
                old,
                new,
                money(line.annual_change(weeks)),
            )
        )
    return rows


@dataclass(frozen=True)
class RepricingStep:
    """What carrying a decided review into one agreement does: from ``on`` at ``price``, or
    why not (``skip``). ``services.repricing`` acts on it; the review page shows it."""

    on: date
    terms: AgreementVariation | None
    price: Decimal | None
    skip: str | None


def repricing_step(review: FeeReview, agreement: ServiceAgreement, today: date) -> RepricingStep:
    on: date = max(review.effective_from, today, agreement.start_date)
    if agreement.end_date and on > agreement.end_date:
        return RepricingStep(on, None, None, f"Ended on {agreement.end_date:%d %B %Y}.")
    terms = agreement.terms_on(on)
    if terms is None:
        return RepricingStep(on, None, None, "No terms in force on that date.")
    price = new_price(review, terms.unit_price)
    if price == terms.unit_price:
        return RepricingStep(on, terms, price, f"Already at £{price}: nothing to change.")
    if any(v.effective_from == on for v in agreement.variations.all()):
        return RepricingStep(
            on,
            terms,
            price,
            f"Varied by hand on {on:%d %B %Y}, the day the review would take effect: "
            "vary it to the new price by hand.",
        )
    return RepricingStep(on, terms, price, None)


@dataclass(frozen=True, slots=True)
class RepricingOutcome:
    reference: str
    provider: str
    outcome: str
    repriced: bool


def repricing_outcomes(review: FeeReview, today: date) -> list[RepricingOutcome]:
    """For a decided review, each agreement it touched: repriced (old and new price, from
    when) or not, and why, so none is silently left at the old price."""
    done = {r.agreement_id: r for r in review.repricings.select_related("variation")}
    rows = []
    for agreement in agreements_affected(review):
        provider = agreement.delivering_provider.display_name
        if (made := done.get(agreement.pk)) is not None:
            when = made.variation.effective_from
            text = f"Repriced from £{made.old_price} to £{made.new_price} from {when:%d %B %Y}."
            rows.append(RepricingOutcome(agreement.reference, provider, text, True))
            continue
        step = repricing_step(review, agreement, today)
        text = f"Not repriced: {step.skip}" if step.skip else "Waiting to be repriced."
        rows.append(RepricingOutcome(agreement.reference, provider, text, False))
    return rows


def budget_impact(review: FeeReview) -> tuple[list[fee_review.ImpactGroup], Decimal]:
    groups = fee_review.budget_impact(
        (r.line() for r in impact_rows(review)), fee_review.weeks_in_year(review.effective_from)
    )
    return groups, fee_review.total_impact(groups)


@dataclass(frozen=True, slots=True)
class SpreadRow:
    framework: str
    lot: str
    zone: str
    count: int
    lowest: Decimal
    median: Decimal
    highest: Decimal
    cost_of_care: Decimal
    outliers: str


def price_spreads(user: Actor, today: date, cost_of_care: Decimal) -> list[SpreadRow]:
    """Per lot and zone, the hourly prices in force today on the commissioner's frameworks,
    against the cost of care. Council staff only: a provider never sees another's price."""
    if not (access.is_council(user) or access.is_platform(user)):
        raise NotFound("Only council staff see providers' prices side by side.")
    rows = frameworks_selectors.price_rows(user, today, unit="hour")
    lots = {
        a.pk: a.lot
        for a in Appointment.objects.filter(pk__in={r.appointment_id for r in rows}).select_related(
            "lot__framework"
        )
    }
    groups: dict[tuple[str, str, int, str], list[tuple[str, Decimal]]] = {}
    for r in rows:
        lot = lots[r.appointment_id]
        key = (lot.framework.name, f"Lot {lot.number}: {lot.name}", r.zone_number, r.zone)
        groups.setdefault(key, []).append((r.provider, r.amount))
    result = []
    for (framework, lot_name, _, zone), prices in sorted(groups.items()):
        spread = pricing.price_spread(prices, cost_of_care=cost_of_care)
        if spread is None:
            continue
        result.append(
            SpreadRow(
                framework,
                lot_name,
                zone,
                spread.count,
                spread.lowest,
                spread.median,
                spread.highest,
                cost_of_care,
                ", ".join(spread.outliers) or "None",
            )
        )
    return result


def band_in_force(framework_id: int, level: str, on: date) -> Band | None:
    """The band of that level whose rate is in force on the day (latest effective)."""
    return (
        Band.objects.filter(framework_id=framework_id, level=level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def band_held(agreement: ServiceAgreement, on: date) -> Band | None:
    """The band a person holds on a day: the last band review effective by then, or the band
    the referral was placed at."""
    last = agreement.band_reviews.filter(effective_from__lte=on).order_by("-effective_from").first()
    if last is not None:
        return last.to_band
    referral = agreement.award.referral
    return referral.band if referral is not None else None


@dataclass(frozen=True, slots=True)
class BandHeld:
    band: str
    weekly_rate: Decimal
    since: date
    until: date | None
    reason: str


def band_history(agreement: ServiceAgreement) -> list[BandHeld]:
    """Each band held and when, oldest first."""
    referral = agreement.award.referral
    first = referral.band if referral is not None else None
    reviews = list(agreement.band_reviews.select_related("to_band").order_by("effective_from"))
    spans: list[tuple[Band, date, str]] = []
    if first is not None:
        spans.append((first, agreement.start_date, "Placed at this band"))
    spans += [(r.to_band, r.effective_from, r.reason) for r in reviews]
    rows = []
    for n, (band, since, reason) in enumerate(spans):
        until = spans[n + 1][1] if n + 1 < len(spans) else agreement.end_date
        rows.append(BandHeld(band.get_level_display(), band.weekly_rate, since, until, reason))
    return rows


def band_agreement_for(user: Actor, pk: int) -> ServiceAgreement:
    """A banded agreement the user may see (a practitioner or broker of its council)."""
    agreement = brokerage_selectors.agreement_for(user, pk)
    if agreement.unit != "week":
        raise NotFound("This agreement is not paid at a banded weekly rate.")
    return agreement
