"""Which records' histories the audit trail reads, and how each is scoped to a council.

Every model that keeps a history (django-simple-history's ``HistoricalRecords``) in the
audited apps is read; none is listed by hand, so a model that gains a history appears in the
trail without a change here. A record belongs to a council through a chain of foreign keys
to ``Commissioner`` (a referral's ``commissioner``, an offer's ``referral__commissioner``,
a pay line's ``pay_run__commissioner``...), found once by walking the model's keys; the
historical copy keeps the same keys, so the trail filters it by the same chain. A model with
no such chain (providers, care groups: the platform's, not a council's) is not in a
council's trail; platform staff see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

AUDITED_APPS = (
    "market",
    "frameworks",
    "providers",
    "brokerage",
    "supported_living",
    "care_homes",
    "bookings",
    "delivery",
    "pricing",
    "insight",
)
AREAS = {
    "market": "Commissioning",
    "frameworks": "Commissioning",
    "providers": "Providers",
    "brokerage": "Brokerage",
    "supported_living": "Supported living",
    "care_homes": "Care homes",
    "bookings": "Bookings",
    "delivery": "Delivery and payment",
    "pricing": "Pricing",
    "insight": "Market sufficiency",
}
MAX_DEPTH = 4

# Every model in the audited apps keeps a history, except these, each for its reason
# (tests/audit/test_sources.py fails when a model has neither, so a new record type is
# either audited or given a reason here and in docs/security.md).
WITHOUT_HISTORY = {
    "market.town": "reference geography, loaded with the zones and not edited in the app",
    "frameworks.applicationprice": "written once with its application, which keeps a history",
    "frameworks.passfailanswer": "written once with its application, which keeps a history",
    "frameworks.pricerevision": "a provider's submitted revision, never edited; its prices "
    "keep a history",
    "brokerage.referralevent": "a log itself: who did what to a referral, when",
    "brokerage.award": "written once per referral, never edited; it records who decided, "
    "when and why",
    "brokerage.inboxitem": "a log itself: what each user was told",
    "brokerage.notification": "a log itself: the outbox of what was sent",
    "brokerage.personaldataaccess": "a log itself: the personal-data access log",
    "supported_living.supportgroup": "reference data: Staffordshire's groups",
    "supported_living.roomstatuschange": "a log itself: each room's status history",
    "delivery.plannedvisit": "derived from visit patterns, which keep a history",
    "delivery.plannedperiod": "bookkeeping of planning (a digest of its inputs), never edited",
    "delivery.visit": "evidence as received (tens of millions a month, partitioned): each "
    "file's import run records who sent it, and a correction arrives as a new import",
    "delivery.linemessage": "a log itself: the thread on a held line",
    "insight.figurechange": "derived running totals, rebuilt from records that keep a history",
}


@dataclass(frozen=True)
class Source:
    """One model's history: its key for filters, its label, and its path to the council."""

    key: str  # "brokerage.referral"
    label: str  # "Referral"
    area: str  # "Brokerage"
    model: type[models.Model]  # the historical model
    council_path: str | None  # "referral__commissioner_id"; None: not a council's record


def _commissioner_model() -> type[models.Model]:
    return apps.get_model("market", "Commissioner")


def council_path(model: type[models.Model]) -> str | None:
    """The shortest chain of foreign keys from ``model`` to a commissioner's id (breadth
    first, at most ``MAX_DEPTH`` keys, never through a user: the user who made or sent a
    record says who acted, not whose record it is), or None."""
    target = _commissioner_model()
    people = get_user_model()  # who did something is not whose record it is
    if model is target:
        return "id"
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(MAX_DEPTH):
        found: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                related = field.related_model
                if related is people:
                    continue
                path = f"{prefix}{field.name}"
                if related is target:
                    return f"{path}_id"
                if isinstance(related, type):
                    found.append((related, f"{path}__"))
        frontier = found
    return None


@cache
def sources() -> tuple[Source, ...]:
    out = []
    for label in AUDITED_APPS:
        for model in apps.get_app_config(label).get_models():
            history = getattr(model, "history", None)
            if history is None or model.__name__.startswith("Historical"):
                continue
            historical = history.model
            out.append(
                Source(
                    key=f"{label}.{model._meta.model_name}",
                    label=str(model._meta.verbose_name).capitalize(),
                    area=AREAS[label],
                    model=historical,
                    council_path=council_path(model),
                )
            )
    return tuple(sorted(out, key=lambda s: (s.area, s.label)))


def by_key() -> dict[str, Source]:
    return {s.key: s for s in sources()}
