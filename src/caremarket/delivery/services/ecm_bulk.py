"""The ECM file in bulk on PostgreSQL: parse once, match and price in SQL.

Why: a county's month is a million visits, and checking, writing and then verifying them row
by row in Python took 235x a bare COPY. Here the file is COPYed as text into a temporary
table once, checked by one query, and moved into ``delivery_visit`` by one
``INSERT ... SELECT`` that already carries each visit's verdict (so no visit row is written
twice), which also updates the planned visits it evidences.

It vouches only for what it is sure of, and hands the rest back:

- any fault, or anything the SQL checks cannot be sure the Python parser reads the same way
  (a time not in plain ISO 8601, a space or a quote in a cell, a malformed line): ``None``,
  and ``core.imports`` runs its two passes, with every fault by line and column, exactly as
  before (a time near a clock change is read by Python, that row alone);
- a clean file whose days already hold visits of its agreements, or that repeats a visit id:
  one ``INSERT ... SELECT`` (duplicates skipped), then ``verify_days`` over its span, in Python;
- a file with visits near its first or last midnight that may evidence a plan of the day
  beyond it (or the day beyond has visits that may evidence the file's plans): the bulk
  path, then that edge day verified again in Python with its neighbours (a week's file with
  night calls used to go the Python way whole);
- otherwise matching is set-based for the common case (a visit with exactly one planned visit
  in the window, which has no other candidate and needs one carer). The agreement-days with
  anything else (two candidates, a double-handed visit) go through
  ``engine.verification.match``, the rule the API path uses, and join the same INSERT.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, connection, transaction

from caremarket.core import clock, import_progress
from caremarket.delivery import rules
from caremarket.delivery.models.payments import PaymentRule, as_engine_rule
from caremarket.delivery.services import ecm_bulk_sql as sql
from caremarket.delivery.services import verification as ver
from caremarket.delivery.services.ecm_times import moment
from caremarket.delivery.services.recording import People
from caremarket.engine import verification as v

KNOWN = ("visit_id", "person_ref", "carer_ref", "planned_start", "planned_end")
KNOWN += ("check_in", "check_out", "method", "manual_reason")


class _Unsure(Exception):
    """The file is not one the bulk path can vouch for: the generic passes take it."""


def import_file(
    path: str,
    rows_total: int,
    people: People,
    *,
    import_run: int,
    progress: import_progress.Report = import_progress.IGNORE,
) -> Any:
    """(rows, written) for a file imported, matched and verified in bulk; None when the
    generic passes must read it (nothing is written then). ``progress`` hears each stage
    (rows read while the file is copied, then checking, matching, writing)."""
    if connection.vendor != "postgresql":
        return None
    header = _header(path)
    if header is None:
        return None
    import psycopg

    try:
        with transaction.atomic():  # a savepoint: a COPY or cast error undoes only this
            return _import(path, rows_total, header, people, import_run, progress)
    except (_Unsure, DataError, IntegrityError, psycopg.DataError):  # COPY's are psycopg's
        # (IntegrityError: another import wrote one of these visit ids meanwhile; the
        # generic passes skip what is already recorded.)
        progress(stage="", rows_checked=0)
        return None


def _header(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            first = f.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return None
    names = [n.strip() for n in first.split(",")]
    known = [n for n in names if n in KNOWN]
    if '"' in first or len(known) != len(set(known)) or not set(sql.REQUIRED) <= set(known):
        return None
    return names


def _import(
    path: str,
    rows_total: int,
    header: list[str],
    people: People,
    import_run: int,
    progress: import_progress.Report,
) -> tuple[int, int]:
    with connection.cursor() as cur:
        _memory(cur)
        cur.execute(sql.raw_table(len(header)))
        columns = ", ".join(f"c{i}" for i in range(len(header)))
        with (
            cur.cursor.copy(
                f"COPY ecm_raw ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            open(path, "rb") as f,
        ):
            size, step = max(os.fstat(f.fileno()).st_size, 1), max(rows_total // 20, 1)
            told = 0
            while chunk := f.read(1 << 20):
                copy.write(chunk)
                read = rows_total * f.tell() // size  # rows read, estimated by bytes
                if read - told >= step:
                    progress(stage="Reading the file", rows_checked=read)
                    told = read
        progress(stage="Checking every row", rows_checked=rows_total)
        cells = {n: f"c{header.index(n)}" if n in header else "NULL::text" for n in KNOWN}
        _load_people(cur, people)
        cur.execute(sql.typed(cells, settings.TIME_ZONE, rules.METHODS))
        cur.execute(sql.TYPED_FAULTS, {"most": rules.MAX_VISIT_MINUTES})
        count, lo, hi, bad = cur.fetchone()
        if count and not bad and _python_times_near_clock_change(cur, cells, lo, hi):
            cur.execute(sql.TYPED_FAULTS, {"most": rules.MAX_VISIT_MINUTES})  # again
            count, lo, hi, bad = cur.fetchone()
        if count == 0 or count != rows_total or bad:
            raise _Unsure
        cur.execute("ANALYZE ecm_v")
        cur.execute(sql.FILE_AGREEMENTS)
        progress(stage="Matching visits to their plans", status="writing")
        source = f"provider:{people.provider_id}"
        common = {"c": people.commissioner_id, "p": people.provider_id, "src": source}
        common |= {"run": import_run, "now": clock.now(), "lo": lo, "hi": hi}
        common |= {"zone": settings.TIME_ZONE, "win": _widest_window(people.commissioner_id)}
        cur.execute(sql.OVERLAP, common)
        if cur.fetchone()[0]:
            progress(stage="Writing the visits, then verifying their days", status="writing")
            cur.execute(sql.INSERT_UNVERIFIED, common)
            written = cur.rowcount
            cur.execute(f"DROP TABLE {sql.TEMP.split(', ecm_terms')[0]}")
            ver.verify_days(people.commissioner_id, lo, hi)
            return count, written
        try:
            context = ver.Context(people.commissioner_id)
            _load_terms(cur, context, lo, hi)
        except LookupError:
            raise _Unsure from None
        # Fresh plans may have no statistics yet; a nested loop over them is quadratic.
        cur.execute("SELECT current_setting('enable_nestloop')")
        nestloop = cur.fetchone()[0]
        cur.execute("SELECT set_config('enable_nestloop', 'off', true)")
        cur.execute(sql.CANDIDATES, common)
        for statement in sql.CARE_DAYS:
            cur.execute(statement)
        _verify_hard(cur, context)
        cur.execute(sql.EDGES, common)
        edges = [day for day, near in zip((lo, hi), cur.fetchone(), strict=True) if near]
        progress(stage="Writing the visits with their verdicts")
        # Statistics, so the small tables are hashed and the million-row one streams past
        # (without, the planner guessed 2,040 rows for each and hashed the file three times).
        cur.execute("ANALYZE ecm_moved; ANALYZE ecm_py; ANALYZE ecm_cand")
        cur.execute(sql.INSERT_VERIFIED, common | _holds())
        written = cur.fetchone()[0]
        cur.execute(sql.MISSED, common)
        cur.execute("SELECT set_config('enable_nestloop', %s, true)", [nestloop])
        cur.execute(f"DROP TABLE {sql.TEMP}")
        for day in edges:  # with the day beyond it (verify_days takes the days either side)
            ver.verify_days(people.commissioner_id, day, day)
        _fresh_statistics(cur, written, lo, hi)
    return count, int(written)


ANALYZE_AFTER = 10_000  # visits written by one file: below this, autovacuum's pace will do


def _fresh_statistics(cur: Any, written: int, lo: date, hi: date) -> None:
    """Statistics for the months a large file wrote into, and for the plans it updated, in
    the import's transaction (so they commit with the rows). Without them the next query
    (a pay run built straight after the import) plans for an empty month: at 1,000,000
    visits its GROUP BY sorted on disk (1.4 s) instead of hashing (0.65 s). About 0.7 s."""
    if written < ANALYZE_AFTER:
        return
    month, tables = date(lo.year, lo.month, 1), ["delivery_plannedvisit"]
    while month <= hi:
        tables.append(f"delivery_visit_{month.year}_{month.month:02d}")
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    cur.execute("SELECT to_regclass(t)::text FROM unnest(%s::text[]) t", [tables])
    for (table,) in cur.fetchall():
        if table:  # a month outside the partitions made goes to the default partition
            cur.execute(f"ANALYZE {table}")


def _memory(cur: Any) -> None:
    """Room for the file's sorts and temporary tables in memory (for this transaction; the
    temporary-table buffer only if this session has not used one yet, as PostgreSQL asks)."""
    cur.execute("SELECT set_config('work_mem', %s, true)", [settings.ECM_BULK_WORK_MEM])
    try:
        with transaction.atomic():
            cur.execute("SELECT set_config('temp_buffers', %s, true)", [settings.ECM_BULK_WORK_MEM])
    except DatabaseError:
        pass


def _widest_window(commissioner_id: int) -> int:
    """The widest matching window of the commissioner's rules (how near midnight a visit
    may evidence another day's plan); 0 with no rule (the import then hands the file back)."""
    windows = PaymentRule.objects.filter(commissioner_id=commissioner_id)
    return max(windows.values_list("window_minutes", flat=True), default=0)


def _holds() -> dict[str, str]:
    return {
        "unmatched": ver.HOLD_UNMATCHED,
        "unplanned": ver.HOLD_UNPLANNED,
        "no_reason": ver.HOLD_NO_REASON,
    }


def _load_people(cur: Any, people: People) -> None:
    cur.execute(sql.PEOPLE_TABLES)
    with cur.cursor.copy("COPY ecm_person (ref, person_id) FROM STDIN") as copy:
        for ref, (person_id, _) in people.by_reference.items():
            copy.write_row((ref, person_id))
    with cur.cursor.copy("COPY ecm_agreement FROM STDIN") as copy:
        for ref in people.by_reference:
            for pk, start, end in people.segments(ref):
                copy.write_row((ref, pk, start, end))
    cur.execute("ANALYZE ecm_person; ANALYZE ecm_agreement")


def _python_times_near_clock_change(cur: Any, cells: dict[str, str], lo: date, hi: date) -> bool:
    """Rows with a time within two hours of a clock change get the moments Python gives
    their cells (``ecm_times.moment``: the first of a repeated hour, the offset before a
    missing one), as the row-by-row path would store them; PostgreSQL may resolve the
    missing or repeated hour otherwise. True when any row was read again. (Before, such a
    file went the Python way whole: a week's file with one night call that night.)"""
    zone = ZoneInfo(settings.TIME_ZONE)
    windows = []
    day = lo - timedelta(days=1)
    while day <= hi + timedelta(days=1):
        hours = [datetime(day.year, day.month, day.day, h, tzinfo=zone) for h in range(24)]
        for a, b in pairwise(hours):
            if a.utcoffset() != b.utcoffset():
                # The instants whose local time is within two hours of the change, and a
                # few more: the window's ends taken at either offset (more is harmless).
                naive = a.replace(tzinfo=None)
                offsets = sorted(x for x in (a.utcoffset(), b.utcoffset()) if x is not None)
                start = naive - timedelta(hours=2) - offsets[1]
                end = naive + timedelta(hours=3) - offsets[0]
                windows.append((start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)))
        day += timedelta(days=1)
    read: dict[int, tuple[Any, ...]] = {}
    for start, end in windows:
        cur.execute(sql.near_rows(cells), {"start": start, "end": end})
        for rid, *texts in cur.fetchall():
            try:
                read[rid] = (rid, *(moment(t) if t else None for t in texts))
            except ValueError:
                raise _Unsure from None  # the row-by-row path says what is wrong
    if not read:
        return False
    cur.execute(sql.TIMES_TABLE)
    with cur.cursor.copy("COPY ecm_times FROM STDIN") as copy:
        for row in read.values():
            copy.write_row(row)
    cur.execute(sql.PYTHON_TIMES)
    cur.execute("DROP TABLE ecm_times")
    return True


def _load_terms(cur: Any, context: ver.Context, lo: date, hi: date) -> None:
    """The rule and rate of every agreement in the file, as day ranges: they change only on
    a rule's or a price's effective date, so there are few ranges, not one per day."""
    cur.execute("SELECT agreement_id FROM ecm_file")
    agreements: list[int | None] = [a for (a,) in cur.fetchall()]
    cuts = {r.effective_from for r in context.rules if lo < r.effective_from <= hi}
    cur.execute(sql.TERMS_TABLE)
    with cur.cursor.copy("COPY ecm_terms FROM STDIN") as copy:
        for agreement in [*agreements, None]:
            prices = context.prices.get(agreement, []) if agreement else []
            points = cuts | {p.effective_from for p in prices if lo < p.effective_from <= hi}
            starts = [lo, *sorted(points)]
            for i, start in enumerate(starts):
                end = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else hi
                rule = context.rule(agreement, start)
                copy.write_row(
                    (
                        agreement or -1,
                        start,
                        end,
                        rule.pay,
                        rule.tolerance_minutes,
                        rule.late_after_minutes,
                        rule.rounding_minutes,
                        rule.minimum_minutes,
                        rule.window_minutes,
                        rule.manual_needs_reason,
                        context.rate(rule, agreement, start),
                        rule.pk,
                    )
                )
    cur.execute("ANALYZE ecm_terms")


def _verify_hard(cur: Any, context: ver.Context) -> None:
    """The agreement-days matching cannot settle in one join, through the engine."""
    for statement in sql.HARD:
        cur.execute(statement)
    actual: dict[tuple[int, date], list[tuple[Any, ...]]] = {}
    cur.execute(sql.HARD_VISITS)
    for row in cur.fetchall():
        actual.setdefault((row[1], row[2]), []).append(row)
    planned: dict[tuple[int, date], list[v.Planned]] = {}
    cur.execute(sql.HARD_PLANS)
    for pk, agreement, day, start, minutes, carers in cur.fetchall():
        planned.setdefault((agreement, day), []).append(
            v.Planned(pk, agreement, start, minutes, carers)
        )
    rules_by_pk = {r.pk: r for r in context.rules}
    with cur.cursor.copy("COPY ecm_py FROM STDIN") as copy:
        for (agreement, day), visits in actual.items():
            rule = context.rule(agreement, day)
            reasons = {row[0]: row[7] for row in visits}
            result = v.match(
                as_engine_rule(rules_by_pk[rule.pk]),
                planned.get((agreement, day), []),
                [v.Actual(r[0], agreement, r[3], r[4], r[5], r[6]) for r in visits],
            )
            for o in result.outcomes:
                hold = ver.hold_for(o, rule, reasons[o.actual], False)
                copy.write_row((o.actual, o.planned, ",".join(o.exceptions), o.paid_minutes, hold))
