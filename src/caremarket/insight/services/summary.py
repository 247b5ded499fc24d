"""Keeping ``FigureChange`` current: rebuilt for a commissioner inside every transaction that
writes its packages in place or awaiting-care records.

How people are counted without counting each day: a person's packages in one care group and
setting are merged into spells of continuous support (overlapping packages make one spell),
so on any day each person supported is in exactly one spell. A spell adds 1 on its first day
and takes 1 away on the day after its last; the people supported on a day are the sum of
those changes up to it. Hours need no merging: a package adds its hours when it starts and
takes them away the day after it ends. The awaiting-care list is the same, a person waiting
from ``awaiting_since`` until the day before ``resolved_on``.

Writers: the importers call ``refresh`` after their bulk writes (bulk writes send no
signals); any other save or delete of a record refreshes through the signals below, unless
the writer has said it will refresh once at the end (``deferred``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

OPEN = "9999-12-31"
_state = threading.local()

# One row per (measure, item, setting, person) interval: start inclusive, stop exclusive.
_PERSON_INTERVALS = """
    SELECT 'people_group' AS measure, care_group_id AS item, setting, {person} AS person,
           start_date AS start, {stop} AS stop
      FROM insight_packageinplace WHERE commissioner_id = %(c)s
    UNION ALL
    SELECT 'people_setting', 0, setting, {person}, start_date, {stop}
      FROM insight_packageinplace WHERE commissioner_id = %(c)s
    UNION ALL
    SELECT 'people_service', service_type_id, '', {person}, start_date, {stop}
      FROM insight_packageinplace WHERE commissioner_id = %(c)s
    UNION ALL
    SELECT 'awaiting_people', zone_id, '', {person}, awaiting_since,
           COALESCE(resolved_on, '{open}')
      FROM insight_awaitingcarerecord WHERE commissioner_id = %(c)s
"""

_REBUILD = """
INSERT INTO insight_figurechange (commissioner_id, measure, item, setting, day, delta)
WITH intervals AS ({intervals}),
reached AS (
    SELECT measure, item, setting, person, start, stop,
           MAX(stop) OVER (PARTITION BY measure, item, setting, person ORDER BY start, stop
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
      FROM intervals),
numbered AS (
    SELECT measure, item, setting, person, start, stop,
           SUM(CASE WHEN reach IS NULL OR start >= reach THEN 1 ELSE 0 END)
               OVER (PARTITION BY measure, item, setting, person ORDER BY start, stop
                     ROWS UNBOUNDED PRECEDING) AS spell
      FROM reached),
spells AS (
    SELECT measure, item, setting, MIN(start) AS start, MAX(stop) AS stop
      FROM numbered GROUP BY measure, item, setting, person, spell),
changes AS (
    SELECT measure, item, setting, start AS day, 1 AS delta FROM spells
    UNION ALL
    SELECT measure, item, setting, stop, -1 FROM spells WHERE stop < '{open}'
    UNION ALL
    SELECT 'hours_zone', zone_id, '', start_date, hours_per_week
      FROM insight_packageinplace
     WHERE commissioner_id = %(c)s AND hours_per_week IS NOT NULL
    UNION ALL
    SELECT 'hours_zone', zone_id, '', {stop}, -hours_per_week
      FROM insight_packageinplace
     WHERE commissioner_id = %(c)s AND hours_per_week IS NOT NULL AND end_date IS NOT NULL
    UNION ALL
    SELECT 'awaiting_hours', zone_id, '', awaiting_since, hours_per_week
      FROM insight_awaitingcarerecord WHERE commissioner_id = %(c)s
    UNION ALL
    SELECT 'awaiting_hours', zone_id, '', resolved_on, -hours_per_week
      FROM insight_awaitingcarerecord
     WHERE commissioner_id = %(c)s AND resolved_on IS NOT NULL)
SELECT %(c)s, measure, item, setting, day, SUM(delta)
  FROM changes
 GROUP BY measure, item, setting, day
HAVING SUM(delta) <> 0
"""


def _sql(vendor: str) -> str:
    """The rebuild for the database in use: only the day after an end date (and, on
    PostgreSQL, byte-order comparison of person references: they are identifiers, and
    sorting them by locale is most of the rebuild's time) differ."""
    if vendor == "postgresql":
        person = 'person_reference COLLATE "C"'
        stop = f"COALESCE(end_date + 1, DATE '{OPEN}')"
    else:
        person = "person_reference"
        stop = f"COALESCE(date(end_date, '+1 day'), '{OPEN}')"
    intervals = _PERSON_INTERVALS.format(person=person, stop=stop, open=OPEN)
    return _REBUILD.format(intervals=intervals, stop=stop, open=OPEN)


def refresh(commissioner_id: int, using: Any = None) -> None:
    """Rebuild the commissioner's running totals from its records, in the caller's
    transaction (or one of its own)."""
    conn = using or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            # Two writers for one commissioner take turns: the second rebuilds after the
            # first has committed, so it sees the first's records as well as its own.
            cur.execute(
                "SELECT id FROM market_commissioner WHERE id = %(c)s FOR UPDATE",
                {"c": commissioner_id},
            )
        cur.execute(
            "DELETE FROM insight_figurechange WHERE commissioner_id = %(c)s",
            {"c": commissioner_id},
        )
        cur.execute(_sql(conn.vendor), {"c": commissioner_id})


@contextmanager
def deferred() -> Iterator[set[int]]:
    """Writes inside do not refresh one by one; the commissioners written are refreshed
    once, at the end, still inside the caller's transaction."""
    outer = getattr(_state, "pending", None)
    pending: set[int] = set() if outer is None else outer
    _state.pending = pending
    try:
        yield pending
    except BaseException:
        if outer is None:
            _state.pending = None
        raise
    if outer is None:
        _state.pending = None
        for commissioner_id in sorted(pending):
            refresh(commissioner_id)


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(instance.commissioner_id)
    else:
        refresh(instance.commissioner_id)


def connect() -> None:
    from caremarket.insight.models import AwaitingCareRecord, PackageInPlace

    for model in (PackageInPlace, AwaitingCareRecord):
        post_save.connect(_changed, sender=model, dispatch_uid=f"insight-summary-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"insight-summary-delete-{model}")
