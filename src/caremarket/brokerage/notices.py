"""Reading a person's notifications: only their own, and for a provider user only those of
the provider they now work for (a user moved to another provider stops seeing the old one's).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from caremarket.brokerage.models import InboxItem
from caremarket.core import roles as access
from caremarket.core.roles import Actor


def inbox_for(user: Actor) -> QuerySet[InboxItem]:
    if not user.is_authenticated:
        return InboxItem.objects.none()
    mine = InboxItem.objects.filter(user_id=getattr(user, "pk", None))
    if access.role_of(user) == access.Role.PROVIDER:
        mine = mine.filter(Q(provider__isnull=True) | Q(provider_id=access.provider_id_of(user)))
    return mine


def unread_count(user: Actor) -> int:
    """The navigation's count beside "Notifications"."""
    return inbox_for(user).filter(read_at__isnull=True).count()
