"""What each role sees first: counts drawn from the data, never from a template."""

from __future__ import annotations

from dataclasses import dataclass, field

from caremarket.core import clock
from caremarket.core import roles as access
from caremarket.core.glossary import TERMS
from caremarket.core.permissions import may
from caremarket.core.roles import Actor
from caremarket.frameworks.models import Appointment
from caremarket.frameworks.selectors import frameworks_for
from caremarket.market.models import CareGroup
from caremarket.market.selectors import commissioners_for


@dataclass
class HomeSummary:
    role: str
    commissioners: list[str] = field(default_factory=list)
    zones: int = 0
    frameworks: int = 0
    appointments: int = 0
    providers: int = 0
    open_windows: list[str] = field(default_factory=list)


def home_summary(user: Actor) -> HomeSummary:
    if not user.is_authenticated:
        return HomeSummary(role="public")
    frameworks = frameworks_for(user).prefetch_related("entry_windows")
    today = clock.today()
    summary = HomeSummary(role=user.role)
    summary.frameworks = frameworks.count()
    summary.open_windows = [
        f.name for f in frameworks if f.entry_summary(today).open_now is not None
    ]
    if may(user, "council_pages"):
        commissioners = commissioners_for(user)
        summary.commissioners = [c.name for c in commissioners]
        summary.zones = sum(c.zones.count() for c in commissioners)
        appointments = Appointment.objects.filter(lot__framework__in=frameworks)
    else:
        appointments = Appointment.objects.filter(provider_id=access.provider_id_of(user))
        summary.commissioners = sorted({f.commissioner.name for f in frameworks})
    summary.appointments = appointments.count()
    summary.providers = appointments.values("provider").distinct().count()
    return summary


def glossary() -> dict[str, object]:
    """The glossary's terms and the care-group codes as the market records them."""
    return {"terms": TERMS, "care_groups": list(CareGroup.objects.order_by("display_order"))}
