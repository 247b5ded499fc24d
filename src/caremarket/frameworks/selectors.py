"""Reads of frameworks, lots, appointments and prices, scoped to the acting user.

Council staff see their own commissioner's frameworks and every price on them. A provider
sees the frameworks it is appointed to, the other providers appointed alongside it (that is
public, as the directory shows), and only its own prices.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from caremarket.core import roles as access
from caremarket.core.errors import NotFound
from caremarket.core.roles import Actor
from caremarket.engine import pricing
from caremarket.frameworks.models import (
    Answer,
    Application,
    Appointment,
    EntryWindow,
    Framework,
    Lot,
    PanelMember,
    Price,
    Score,
)


def frameworks_for(user: Actor) -> QuerySet[Framework]:
    qs = Framework.objects.select_related("commissioner")
    if access.is_platform(user):
        return qs
    if access.is_council(user):
        return qs.filter(commissioner_id=access.commissioner_id_of(user))
    if access.is_provider(user):
        provider_id = access.provider_id_of(user)
        return qs.filter(
            Q(lots__appointments__provider_id=provider_id)
            | Q(lots__appointments__panel__provider_id=provider_id)
        ).distinct()
    return qs.none()


def framework_for(user: Actor, pk: int) -> Framework:
    framework = (
        frameworks_for(user)
        .prefetch_related(
            "extension_options",
            "entry_windows",
            "rates",
            "bands",
            Prefetch(
                "lots",
                queryset=Lot.objects.prefetch_related("service_types", "care_groups", "zones"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if framework is None:
        raise NotFound("No framework here that you can see.")
    return framework


def lot_for(user: Actor, pk: int) -> Lot:
    lot = (
        Lot.objects.filter(framework__in=frameworks_for(user), pk=pk)
        .select_related("framework__commissioner")
        .prefetch_related("service_types", "care_groups", "zones")
        .first()
    )
    if lot is None:
        raise NotFound("No lot here that you can see.")
    return lot


def appointments_for(user: Actor) -> QuerySet[Appointment]:
    """Every appointment on a framework the user can see (the API's appointments list)."""
    return (
        Appointment.objects.filter(lot__framework__in=frameworks_for(user))
        .select_related("provider", "lot")
        .prefetch_related("zones", "prime_zones")
        .order_by("pk")
    )


def appointments_on(lot: Lot) -> QuerySet[Appointment]:
    """Everyone appointed on a lot: public knowledge, shown without prices."""
    return (
        lot.appointments.select_related("provider")
        .prefetch_related("zones", "prime_zones")
        .order_by("provider__name")
    )


@dataclass(frozen=True, slots=True)
class PriceRow:
    appointment_id: int
    provider_id: int
    provider: str
    zone_number: int
    zone: str
    unit: str
    amount: Decimal
    effective_from: date
    next_amount: Decimal | None
    next_effective_from: date | None
    quality_score: Decimal | None


def sees_only_own_prices(user: Actor) -> bool:
    """A provider sees its own prices and no one else's; council staff see every price on
    their commissioner's frameworks (``_visible_prices`` applies the same rule to rows)."""
    return access.is_provider(user)


def sees_quality_scores(user: Actor) -> bool:
    """Quality scores are the council's assessment: its staff and platform administrators
    see them; providers do not, not even their own."""
    return access.is_council(user) or access.is_platform(user)


def _visible_prices(user: Actor) -> Q:
    if access.is_platform(user):
        return Q()
    if access.is_council(user):
        return Q(appointment__lot__framework__commissioner_id=access.commissioner_id_of(user))
    if access.is_provider(user):
        return Q(appointment__provider_id=access.provider_id_of(user))
    return Q(pk__in=[])


def price_rows(user: Actor, today: date, **filters: object) -> list[PriceRow]:
    """The price in force today for each appointment, zone and unit the user may see,
    with the next scheduled change, computed from effective dates (never a 'current' flag)."""
    prices = (
        Price.objects.filter(_visible_prices(user), **filters)
        .select_related("appointment__provider", "zone")
        .order_by("appointment_id", "zone__number", "unit", "effective_from")
    )
    grouped: dict[tuple[int, int, str], list[Price]] = defaultdict(list)
    for price in prices:
        grouped[(price.appointment_id, price.zone_id, price.unit)].append(price)
    rows: list[PriceRow] = []
    for group in grouped.values():
        current = pricing.rate_on((p.as_rate_point() for p in group), today)
        if current is None:
            continue
        upcoming = [p for p in group if p.effective_from > today]
        first = group[0]
        rows.append(
            PriceRow(
                appointment_id=first.appointment_id,
                provider_id=first.appointment.provider_id,
                provider=first.appointment.provider.display_name,
                zone_number=first.zone.number,
                zone=first.zone.name,
                unit=first.get_unit_display(),
                amount=current.amount,
                effective_from=current.effective_from,
                next_amount=upcoming[0].amount if upcoming else None,
                next_effective_from=upcoming[0].effective_from if upcoming else None,
                quality_score=first.appointment.quality_score,
            )
        )
    return rows


def appointments_of_my_organisation(user: Actor) -> QuerySet[Appointment]:
    """A provider's appointments with every commissioner it works with."""
    if not access.is_provider(user):
        raise NotFound("Only provider users have an organisation page.")
    return (
        Appointment.objects.filter(provider_id=access.provider_id_of(user))
        .select_related("lot__framework__commissioner", "provider")
        .prefetch_related("zones", "prime_zones")
        .order_by("lot__framework__commissioner__name", "lot__framework__name", "lot__number")
    )


def my_price_rows(
    user: Actor, today: date, appointments: list[Appointment]
) -> list[dict[str, object]]:
    """A provider's prices in force with every commissioner, each labelled with the
    commissioner and the framework and lot it is for (rows of ``appointments`` only)."""
    labels = {a.pk: a for a in appointments}
    return [
        {
            **{f: getattr(r, f) for f in r.__dataclass_fields__},
            "commissioner": labels[r.appointment_id].lot.framework.commissioner.name,
            "framework": f"{labels[r.appointment_id].lot.framework.name}, "
            f"lot {labels[r.appointment_id].lot.number}",
        }
        for r in price_rows(user, today)
        if r.appointment_id in labels
    ]


def panels_of_my_organisation(user: Actor) -> QuerySet[PanelMember]:
    """The lead providers' panels a provider subcontracts on."""
    if not access.is_provider(user):
        raise NotFound("Only provider users have an organisation page.")
    return (
        PanelMember.objects.filter(provider_id=access.provider_id_of(user))
        .select_related("prime__provider", "prime__lot__framework__commissioner")
        .prefetch_related("zones")
        .order_by("prime__lot__framework__commissioner__name")
    )


def appointments_of(user: Actor, provider: object) -> QuerySet[Appointment]:
    """A provider's appointments on the frameworks the user may see."""
    return (
        Appointment.objects.filter(provider=provider, lot__framework__in=frameworks_for(user))
        .select_related("lot__framework__commissioner")
        .prefetch_related("zones", "prime_zones")
        .order_by("lot__framework__name", "lot__number")
    )


# --- entry points -----------------------------------------------------------------------------


def entry_frameworks_for(user: Actor) -> QuerySet[Framework]:
    """Frameworks whose entry windows a user may see: a council its own; any provider every
    framework with a window (an open framework's windows are public, to invite entrants)."""
    if access.is_provider(user):
        return Framework.objects.filter(entry_windows__isnull=False).distinct()
    return frameworks_for(user)


def window_for(user: Actor, pk: int) -> EntryWindow:
    window = (
        EntryWindow.objects.filter(framework__in=entry_frameworks_for(user), pk=pk)
        .select_related("framework__commissioner")
        .first()
    )
    if window is None:
        raise NotFound("No entry window here that you can see.")
    return window


def applications_for(user: Actor) -> QuerySet[Application]:
    """A provider sees only its own applications; council staff their frameworks'."""
    qs = Application.objects.select_related("provider", "lot__framework__commissioner", "window")
    if access.is_platform(user):
        return qs
    if access.is_council(user):
        return qs.filter(lot__framework__commissioner_id=access.commissioner_id_of(user))
    if access.is_provider(user):
        return qs.filter(provider_id=access.provider_id_of(user))
    return qs.none()


def application_for(user: Actor, pk: int) -> Application:
    application = (
        applications_for(user)
        .prefetch_related("prices__zone", "answers__question", "answers__scores", "zones")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise NotFound("No application here that you can see.")
    return application


def answer_for(user: Actor, pk: int) -> Answer:
    answer = Answer.objects.filter(application__in=applications_for(user), pk=pk).first()
    if answer is None:
        raise NotFound("No evidence here that you can see.")
    return answer


def scores_visible(user: Actor, answer: Answer) -> list[Score]:
    """Evaluators score independently: each sees only their own score until both have
    scored; a provider never sees evaluators' scores, only the moderated one and feedback."""
    if access.is_provider(user):
        return []
    scores = list(answer.scores.all())
    if len(scores) >= 2 or access.is_platform(user):
        return scores
    return [s for s in scores if s.evaluator_id == getattr(user, "pk", None)]


def my_appointment_on(user: Actor, framework: Framework) -> Appointment | None:
    if not access.is_provider(user):
        return None
    return (
        Appointment.objects.filter(
            lot__framework=framework, provider_id=access.provider_id_of(user)
        )
        .prefetch_related("zones")
        .first()
    )
