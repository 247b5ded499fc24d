"""The audit trail and the personal-data access log, read for the acting user.

- ``trail``: every write (who, when, what changed) on the records of the acting user's
  council, newest first, across every audited history (``sources``). Platform staff see
  every council's, and the platform's own records.
- ``accesses``: each look a provider's user took at a person's details, for the people of
  the acting user's council.

Both are bounded (``MAX_ROWS``): the page says when a filter is needed to see older rows.
What changed is worked out only for the rows on show (``describe``), in one query per kind
of record, so a page costs the same however long the history is.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from caremarket.audit.sources import Source, sources
from caremarket.core import roles
from caremarket.core.roles import Actor

MAX_ROWS = 5000
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}
HISTORY_FIELDS |= {"history_user", "history_user_id", "history_relation"}


@dataclass(frozen=True)
class TrailCriteria:
    since: date | None = None
    until: date | None = None
    record: str = ""  # a Source.key
    who: str = ""  # part of a username
    action: str = ""  # "+", "~" or "-"
    record_id: int | None = None


@dataclass
class Entry:
    """One write: ``changes`` is filled in by ``describe`` for the rows on show."""

    source: Source
    history_id: int
    record_id: int
    when: datetime
    action: str
    who: str
    reason: str
    changes: str = ""
    record: str = ""

    @property
    def area(self) -> str:
        return self.source.area

    @property
    def kind(self) -> str:
        return self.source.label

    @property
    def action_label(self) -> str:
        return ACTIONS.get(self.action, self.action)


def _window(qs: QuerySet[Any], name: str, since: date | None, until: date | None) -> QuerySet[Any]:
    if since:
        qs = qs.filter(**{f"{name}__gte": timezone.make_aware(datetime.combine(since, time.min))})
    if until:
        qs = qs.filter(**{f"{name}__lte": timezone.make_aware(datetime.combine(until, time.max))})
    return qs


def _scoped_sources(user: Actor) -> tuple[list[Source], int | None]:
    """The histories the user may read, and the council they are narrowed to (None: all,
    for platform staff). Whether the user may see the trail at all is the view's check."""
    if roles.is_platform(user):
        return list(sources()), None
    return [s for s in sources() if s.council_path], roles.commissioner_id_of(user)


def record_kinds(user: Actor) -> list[Source]:
    return _scoped_sources(user)[0]


def trail(user: Actor, criteria: TrailCriteria) -> tuple[list[Entry], bool]:
    """The writes the user may see, newest first: (entries, whether ``MAX_ROWS`` cut it)."""
    chosen, council = _scoped_sources(user)
    if criteria.record:
        chosen = [s for s in chosen if s.key == criteria.record]
    users = get_user_model().objects
    user_ids = None
    if criteria.who:
        user_ids = list(
            users.filter(username__icontains=criteria.who).values_list("pk", flat=True)[:500]
        )
    streams = []
    for source in chosen:
        qs = _window(source.model.objects.all(), "history_date", criteria.since, criteria.until)
        if council is not None:
            qs = qs.filter(**{source.council_path: council})  # type: ignore[dict-item]
        if criteria.action:
            qs = qs.filter(history_type=criteria.action)
        if user_ids is not None:
            qs = qs.filter(history_user_id__in=user_ids)
        if criteria.record_id is not None:
            qs = qs.filter(id=criteria.record_id)
        rows = qs.order_by("-history_date", "-history_id").values_list(
            "history_id",
            "id",
            "history_date",
            "history_type",
            "history_user_id",
            "history_change_reason",
        )[: MAX_ROWS + 1]
        streams.append([(source, *r) for r in rows])
    merged = heapq.merge(*streams, key=lambda r: (r[3], r[1]), reverse=True)
    picked = [r for _, r in zip(range(MAX_ROWS + 1), merged, strict=False)]
    names = dict(users.filter(pk__in={r[5] for r in picked if r[5]}).values_list("pk", "username"))
    entries = [
        Entry(
            source=s,
            history_id=hid,
            record_id=rid,
            when=when,
            action=kind,
            who=names.get(uid, "") if uid else "the system",
            reason=reason or "",
        )
        for s, hid, rid, when, kind, uid, reason in picked[:MAX_ROWS]
    ]
    return entries, len(picked) > MAX_ROWS


def describe(entries: list[Entry]) -> None:
    """Fill in each entry's record name and what changed (field: before → after), against
    the same record's previous history row: one query per kind of record on show."""
    by_source: dict[Source, list[Entry]] = {}
    for e in entries:
        by_source.setdefault(e.source, []).append(e)
    for source, group in by_source.items():
        ids = {e.record_id for e in group}
        latest = max(e.when for e in group)
        rows = list(
            source.model.objects.filter(id__in=ids, history_date__lte=latest).order_by(
                "id", "history_date", "history_id"
            )
        )
        names = [f.attname for f in source.model._meta.concrete_fields]
        names = [n for n in names if n not in HISTORY_FIELDS]
        previous: dict[int, Any] = {}
        before: dict[int, Any] = {}
        for row in rows:
            before[row.history_id] = previous.get(row.id)
            previous[row.id] = row
        by_hid = {r.history_id: r for r in rows}
        for e in group:
            row = by_hid.get(e.history_id)
            if row is None:
                continue
            e.record = _name(row, source)
            e.changes = _changes(row, before.get(e.history_id), names, e.action)


def _name(row: Any, source: Source) -> str:
    for attr in ("reference", "name", "title", "code"):
        value = getattr(row, attr, "")
        if value:
            return f"{source.label} {value}"
    return f"{source.label} {row.id}"


def _changes(row: Any, prior: Any, names: list[str], action: str) -> str:
    if action == "-":
        return "Deleted"
    if prior is None:
        return "Created" if action == "+" else "Changed (no earlier history kept)"
    parts = []
    for name in names:
        old, new = getattr(prior, name), getattr(row, name)
        if old != new:
            parts.append(f"{name.removesuffix('_id')}: {_show(old)} → {_show(new)}")
    return "; ".join(parts) or "Saved with no change"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- the personal-data access log (data protection officer) ---------------------------------


@dataclass(frozen=True)
class AccessCriteria:
    since: date | None = None
    until: date | None = None
    who: str = ""  # part of a username
    person: str = ""  # a person's reference
    provider: str = ""  # part of a provider's name


def accesses(user: Actor, criteria: AccessCriteria) -> tuple[list[Any], bool]:
    """Each look at a person's details by a provider's user, newest first, for the people of
    the user's council (every council's for platform staff)."""
    model = apps.get_model("brokerage", "PersonalDataAccess")
    qs = model.objects.select_related("user", "user__provider", "person")
    if not roles.is_platform(user):
        qs = qs.filter(person__commissioner_id=roles.commissioner_id_of(user))
    qs = _window(qs, "at", criteria.since, criteria.until)
    if criteria.who:
        qs = qs.filter(user__username__icontains=criteria.who)
    if criteria.person:
        qs = qs.filter(person__reference__iexact=criteria.person.strip())
    if criteria.provider:
        qs = qs.filter(user__provider__name__icontains=criteria.provider)
    rows = list(qs.order_by("-at", "-pk")[: MAX_ROWS + 1])
    return rows[:MAX_ROWS], len(rows) > MAX_ROWS
