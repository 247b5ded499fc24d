"""The SQL of ``ecm_bulk`` (PostgreSQL only), kept apart so the steps read as Python there.

Every identifier here is the module's own; values always travel as parameters. The rules
are ``engine.verification``'s, restated for the common case: a change there needs the same
change here, and ``tests/delivery/test_ecm_bulk.py`` compares the two on the same visits.
"""

# ruff: noqa: S608 - SQL built from this module's own names only; values are parameters.
from __future__ import annotations

from collections.abc import Iterable

WIDTH = {"visit_id": 60, "person_ref": 20, "carer_ref": 40, "manual_reason": 240}
REQUIRED = ("visit_id", "person_ref", "carer_ref", "check_in", "check_out", "method")
TIMES = ("planned_start", "planned_end", "check_in", "check_out")
TEMP = "ecm_raw, ecm_person, ecm_agreement, ecm_v, ecm_file, "
TEMP += "ecm_terms, ecm_cand, ecm_moved, ecm_hard, ecm_py"  # the overlap path drops the first line


def raw_table(width: int) -> str:
    cells = ", ".join(f"c{i} text" for i in range(width))
    return (
        f"DROP TABLE IF EXISTS {TEMP}; "
        f"CREATE TEMP TABLE ecm_raw (rid bigserial, {cells}) ON COMMIT DROP"
    )


PEOPLE_TABLES = (
    "CREATE TEMP TABLE ecm_person (ref text PRIMARY KEY, person_id bigint) ON COMMIT DROP; "
    "CREATE TEMP TABLE ecm_agreement (ref text, agreement_id bigint, "
    "start_date date, end_date date) ON COMMIT DROP"
)  # each ref's agreements as disjoint day ranges (``People.segments``): one row per visit


def _text_doubts(cells: dict[str, str], methods: Iterable[str]) -> str:
    """A fault in a text cell, or an edge Python's ``str.strip`` would remove (cheap tests
    only: this runs on every row)."""
    checks = [f"coalesce({cells[n]}, '') = ''" for n in REQUIRED]
    checks += [f"coalesce(length({cells[n]}) > {w}, false)" for n, w in WIDTH.items()]
    for name in WIDTH:
        cell = cells[name]
        if cell != "NULL::text":
            checks.append(
                f"coalesce({cell} <> '' AND (ascii({cell}) NOT BETWEEN 33 AND 126 "
                f"OR ascii(right({cell}, 1)) NOT BETWEEN 33 AND 126 "
                f"OR strpos({cell}, '\"') > 0), false)"
            )
    allowed = ", ".join(f"'{m}'" for m in methods)
    checks.append(f"coalesce(lower({cells['method']}) NOT IN ({allowed}), false)")
    return "(" + " OR ".join(checks) + ")"


def _time_doubt(name: str) -> str:
    """The cell is not exactly what PostgreSQL read, written back as YYYY-MM-DD[T ]HH:MM[:SS]
    (so no offset, fraction, hour 24, second 60 or other form), or its year is outside
    2000-2100: a time Python might read otherwise, or refuse."""
    t, local = f"t_{name}", f"l_{name}"
    return (
        f"coalesce({t} <> '' AND (translate({t}, 'T', ' ') <> CASE WHEN length({t}) = 16 "
        f"THEN left({local}::text, 16) ELSE {local}::text END "
        f"OR {local} NOT BETWEEN '2000-01-01' AND '2100-12-31 23:59:59'), false)"
    )


def typed(cells: dict[str, str], zone: str, methods: Iterable[str]) -> str:
    """The rows as typed values, each flagged ``bad`` when it has a fault or the SQL cannot
    vouch for it (a cast that fails outright is an error: the caller hands the file back).
    ``OFFSET 0`` keeps each level's expressions from being computed again above it."""
    if not zone.replace("/", "").replace("_", "").replace("-", "").replace("+", "").isalnum():
        raise ValueError("an odd time zone name")
    raw_times = ", ".join(
        f"{cells[n]} AS t_{n}, CASE WHEN coalesce({cells[n]}, '') = '' THEN NULL "
        f"ELSE {cells[n]}::timestamp END AS l_{n}"
        for n in TIMES
    )
    level1 = (
        f"SELECT rid, {cells['visit_id']} AS visit_id, {cells['person_ref']} AS person_ref, "
        f"coalesce({cells['carer_ref']}, '') AS carer_ref, lower({cells['method']}) AS method, "
        f"coalesce({cells['manual_reason']}, '') AS manual_reason, "
        f"{_text_doubts(cells, methods)} AS doubt, {raw_times} FROM ecm_raw OFFSET 0"
    )
    level2 = (
        "SELECT y.rid, y.visit_id, y.person_ref, y.carer_ref, y.method, y.manual_reason, "
        "p.person_id, y.l_check_in::date AS day, "
        "(y.doubt OR p.person_id IS NULL OR "
        + " OR ".join(_time_doubt(n) for n in TIMES)
        + ") AS bad, "
        + ", ".join(f"y.l_{n} AT TIME ZONE '{zone}' AS {n}" for n in TIMES)
        + f" FROM ({level1}) y LEFT JOIN ecm_person p ON p.ref = y.person_ref OFFSET 0"
    )
    return (
        "CREATE TEMP TABLE ecm_v ON COMMIT DROP AS "
        "SELECT x.*, floor(extract(epoch FROM x.check_out - x.check_in) / 60)::int AS minutes, "
        f"a.agreement_id FROM ({level2}) x LEFT JOIN ecm_agreement a ON a.ref = x.person_ref "
        "AND x.day BETWEEN a.start_date AND coalesce(a.end_date, 'infinity')"
    )


# The file's agreements, once (each statement that asked for them scanned the file: 0.5 s).
FILE_AGREEMENTS = (
    "CREATE TEMP TABLE ecm_file ON COMMIT DROP AS SELECT DISTINCT agreement_id FROM ecm_v "
    "WHERE agreement_id IS NOT NULL; ANALYZE ecm_file"
)

TYPED_FAULTS = (
    "SELECT count(*), min(day), max(day), count(*) FILTER (WHERE bad OR check_out < check_in "
    "OR extract(epoch FROM check_out - check_in) / 60 > %(most)s "
    "OR coalesce(planned_end < planned_start, false)) FROM ecm_v"
)


def near_rows(cells: dict[str, str]) -> str:
    """The rows with a time between the instants %(start)s and %(end)s, with their time
    cells as written, for Python to read (plain comparisons: converting four times of every
    row to local time to test them took 2.6 s at a million rows)."""
    return (
        "SELECT v.rid, "
        + ", ".join(cells[n] for n in TIMES)
        + " FROM ecm_v v JOIN ecm_raw r USING (rid) WHERE "
        + " OR ".join(f"coalesce(v.{n} BETWEEN %(start)s AND %(end)s, false)" for n in TIMES)
    )


TIMES_TABLE = (
    "CREATE TEMP TABLE ecm_times (rid bigint, planned_start timestamptz, "
    "planned_end timestamptz, check_in timestamptz, check_out timestamptz) ON COMMIT DROP"
)
PYTHON_TIMES = (
    "UPDATE ecm_v v SET planned_start = t.planned_start, planned_end = t.planned_end, "
    "check_in = t.check_in, check_out = t.check_out, "
    "minutes = floor(extract(epoch FROM t.check_out - t.check_in) / 60)::int "
    "FROM ecm_times t WHERE v.rid = t.rid"
)

OVERLAP = (
    "SELECT EXISTS (SELECT 1 FROM delivery_visit v WHERE v.commissioner_id = %(c)s "
    "AND v.day BETWEEN %(lo)s AND %(hi)s "
    "AND v.agreement_id IN (SELECT agreement_id FROM ecm_file)) "
    "OR EXISTS (SELECT 1 FROM ecm_v s JOIN delivery_visit v ON v.source = %(src)s "
    "AND v.external_id = s.visit_id AND v.day = s.day WHERE v.day BETWEEN %(lo)s AND %(hi)s) "
    "OR (SELECT count(*) FROM ecm_v) <> "
    "(SELECT count(*) FROM (SELECT DISTINCT visit_id, day FROM ecm_v) d)"
)


def _edge(day: str, other: str) -> str:
    """A visit of the file on ``day`` near midnight that may evidence a plan of ``other``
    (a day outside the file), or one already recorded on ``other`` that may evidence the
    file's plans of ``day``: the SQL matches within the file's days only, so those two
    days are verified again, in Python, with the file's visits in (``care_days``)."""
    return (
        "(EXISTS (SELECT 1 FROM ecm_v s JOIN delivery_plannedvisit p "
        "ON p.agreement_id = s.agreement_id AND p.commissioner_id = %(c)s "
        f"AND s.day = {day} AND p.day = {other} "
        "WHERE abs(extract(epoch FROM s.check_in - p.start)) <= %(win)s * 60) "
        "OR EXISTS (SELECT 1 FROM delivery_visit v JOIN delivery_plannedvisit p "
        "ON p.agreement_id = v.agreement_id AND p.commissioner_id = %(c)s "
        f"AND v.day = {other} AND p.day = {day} "
        f"WHERE v.commissioner_id = %(c)s AND v.day = {other} "
        "AND v.agreement_id IN (SELECT agreement_id FROM ecm_file) "
        "AND abs(extract(epoch FROM v.check_in - p.start)) <= %(win)s * 60))"
    )


# Whether the file's first day, and its last, must be verified again with the day beyond.
EDGES = f"SELECT {_edge('%(lo)s', '%(lo)s - 1')}, {_edge('%(hi)s', '%(hi)s + 1')}"

_INTO = (
    "INSERT INTO delivery_visit (commissioner_id, provider_id, person_id, agreement_id, "
    "source, external_id, carer_ref, day, check_in, check_out, planned_start, planned_end, "
    "method, manual_reason, minutes, import_run, created_at, "
    "verified, planned_id, exceptions, paid_minutes, rate, held, hold_reason) "
    "SELECT %(c)s, %(p)s, person_id, agreement_id, %(src)s, visit_id, carer_ref, day, "
    "check_in, check_out, planned_start, planned_end, method, manual_reason, minutes, "
    "%(run)s, %(now)s, "
)
_SKIP = " ON CONFLICT (source, external_id, day) DO NOTHING"

INSERT_UNVERIFIED = _INTO + "false, NULL, '', 0, NULL, false, '' FROM ecm_v ORDER BY rid" + _SKIP

TERMS_TABLE = (
    "CREATE TEMP TABLE ecm_terms (agreement_id bigint, day_from date, day_to date, "
    "pay text, tol int, late int, unit int, minimum int, win int, needs_reason bool, "
    "rate numeric(9, 2), rule_id bigint) ON COMMIT DROP"
)


# Plans of the visit's own day, and of the day before or after for a visit within the window
# of midnight (``engine.verification.care_day``): three equi-joins, so each is a hash join.
def _candidates(shift: int, near: str) -> str:
    return (
        "SELECT s.rid, s.day, p.day AS plan_day, p.id AS plan_id, p.carers, "
        "p.start AS plan_start, p.minutes AS plan_minutes, "
        "abs(extract(epoch FROM s.check_in - p.start)) AS gap "
        "FROM ecm_v s JOIN ecm_terms t ON t.agreement_id = s.agreement_id "
        "AND s.day BETWEEN t.day_from AND t.day_to "
        "JOIN delivery_plannedvisit p ON p.agreement_id = s.agreement_id "
        f"AND p.day = s.day + {shift} "
        "AND p.commissioner_id = %(c)s AND p.day BETWEEN %(lo)s AND %(hi)s "
        f"WHERE abs(extract(epoch FROM s.check_in - p.start)) <= t.win * 60{near}"
    )


_MINUTES = "%(win)s * interval '1 minute'"
CANDIDATES = (
    "CREATE TEMP TABLE ecm_cand ON COMMIT DROP AS "
    + _candidates(0, "")
    + " UNION ALL "
    + _candidates(-1, f" AND s.check_in < (s.day::timestamp AT TIME ZONE %(zone)s) + {_MINUTES}")
    + " UNION ALL "
    + _candidates(
        1, f" AND s.check_in >= ((s.day + 1)::timestamp AT TIME ZONE %(zone)s) - {_MINUTES}"
    )
)

# A visit whose nearest plan (ties: the earlier) is another day's is matched among that
# day's plans only; ``care`` is its care day wherever a day is grouped on.
CARE_DAYS = (
    "CREATE TEMP TABLE ecm_moved ON COMMIT DROP AS SELECT rid, plan_day AS care_day "
    "FROM (SELECT DISTINCT ON (rid) rid, day, plan_day FROM ecm_cand "
    "WHERE rid IN (SELECT rid FROM ecm_cand WHERE plan_day <> day) "
    "ORDER BY rid, gap, plan_start) b WHERE plan_day <> day",
    "DELETE FROM ecm_cand c WHERE c.plan_day <> c.day AND NOT EXISTS "
    "(SELECT 1 FROM ecm_moved m WHERE m.rid = c.rid AND m.care_day = c.plan_day)",
    "DELETE FROM ecm_cand c USING ecm_moved m WHERE m.rid = c.rid AND c.plan_day <> m.care_day",
)
_CARE = "coalesce(m.care_day, s.day)"

# The agreement-days of every visit with two candidate plans, or a candidate plan with two
# candidate visits, or a double-handed one: hashed counts (two window functions over the
# candidates sorted a million rows twice, 3.2 s).
HARD = (
    f"CREATE TEMP TABLE ecm_hard ON COMMIT DROP AS SELECT DISTINCT s.agreement_id, {_CARE} "
    "AS day FROM (SELECT rid FROM ecm_cand WHERE carers > 1 "
    "UNION SELECT rid FROM ecm_cand GROUP BY rid HAVING count(*) > 1 "
    "UNION SELECT rid FROM ecm_cand WHERE plan_id IN "
    "(SELECT plan_id FROM ecm_cand GROUP BY plan_id HAVING count(*) > 1)) k "
    "JOIN ecm_v s USING (rid) LEFT JOIN ecm_moved m USING (rid)",
    "CREATE TEMP TABLE ecm_py (rid bigint, planned_id bigint, exceptions text, "
    "paid_minutes int, hold_reason text) ON COMMIT DROP",
)
HARD_VISITS = (
    f"SELECT s.rid, s.agreement_id, {_CARE}, s.check_in, s.check_out, s.method, s.carer_ref, "
    "s.manual_reason FROM ecm_v s LEFT JOIN ecm_moved m USING (rid) JOIN ecm_hard h "
    f"ON h.agreement_id = s.agreement_id AND h.day = {_CARE} ORDER BY s.rid"
)
HARD_PLANS = (
    "SELECT p.id, p.agreement_id, p.day, p.start, p.minutes, p.carers "
    "FROM delivery_plannedvisit p JOIN ecm_hard h ON h.agreement_id = p.agreement_id "
    "AND h.day = p.day ORDER BY p.start, p.id"
)


def _rounded(m: str) -> str:
    return f"(CASE WHEN unit <= 1 THEN {m} ELSE (({m}) * 2 + unit) / (2 * unit) * unit END)"


_PAID = (
    f"CASE WHEN plan_id IS NULL THEN greatest({_rounded('minutes')}, minimum) "
    "WHEN pay = 'planned' OR abs(minutes - plan_minutes) <= tol "
    "THEN greatest(plan_minutes, minimum) "
    f"ELSE greatest(least({_rounded('least(minutes, plan_minutes)')}, plan_minutes), minimum) END"
)
_EXCEPTIONS = (
    "concat_ws(',', CASE WHEN method = 'manual' THEN 'manual' END, "
    "CASE WHEN plan_id IS NULL THEN "
    "CASE WHEN agreement_id IS NULL THEN 'unmatched' ELSE 'unplanned' END END, "
    "CASE WHEN extract(epoch FROM check_in - plan_start) / 60 > late THEN 'late' END, "
    "CASE WHEN minutes < plan_minutes - tol THEN 'short' "
    "WHEN minutes > plan_minutes + tol THEN 'long' END)"
)
_HOLD = (
    "CASE WHEN plan_id IS NULL AND agreement_id IS NULL THEN %(unmatched)s "
    "WHEN plan_id IS NULL THEN %(unplanned)s "
    "WHEN method = 'manual' AND needs_reason AND manual_reason = '' THEN %(no_reason)s "
    "ELSE '' END"
)

INSERT_VERIFIED = (
    # The visits with their plan first, then their terms: joined the other way round, the
    # planner guessed a ninth of the rows past the terms' date range and hashed the wide
    # side (167 MB at a million visits) rather than the narrow candidates (69 MB).
    "WITH x AS (SELECT sk.*, t.pay, t.tol, t.late, t.unit, t.minimum, t.needs_reason, t.rate "
    f"FROM (SELECT s.*, {_CARE} AS care, "
    "py.rid AS py_rid, py.planned_id AS py_planned, py.exceptions AS py_exceptions, "
    "py.paid_minutes AS py_paid, py.hold_reason AS py_hold, "
    "k.plan_id, k.plan_start, k.plan_minutes "
    "FROM ecm_v s LEFT JOIN ecm_moved m USING (rid) "
    "LEFT JOIN ecm_py py ON py.rid = s.rid "
    "LEFT JOIN ecm_cand k ON k.rid = s.rid AND py.rid IS NULL OFFSET 0) sk "
    "JOIN ecm_terms t ON t.agreement_id = coalesce(sk.agreement_id, -1) "
    "AND sk.care BETWEEN t.day_from AND t.day_to), "
    "y AS (SELECT x.*, "
    "CASE WHEN py_rid IS NULL THEN plan_id ELSE py_planned END AS v_planned, "
    f"CASE WHEN py_rid IS NULL THEN {_EXCEPTIONS} ELSE py_exceptions END AS v_exceptions, "
    f"CASE WHEN py_rid IS NULL THEN {_PAID} ELSE py_paid END AS v_paid, "
    f"CASE WHEN py_rid IS NULL THEN {_HOLD} ELSE py_hold END AS v_hold FROM x), "
    "ins AS ("
    + _INTO
    + "true, v_planned, v_exceptions, v_paid, rate, v_hold <> '', v_hold FROM y ORDER BY rid"
    + " RETURNING planned_id), "  # no ON CONFLICT: OVERLAP found no visit id already here
    "n AS (SELECT planned_id, count(*) AS n FROM ins WHERE planned_id IS NOT NULL "
    "GROUP BY planned_id), "
    "upd AS (UPDATE delivery_plannedvisit p SET carers_arrived = n.n, missed = false "
    "FROM n WHERE p.id = n.planned_id AND p.commissioner_id = %(c)s "
    "AND p.day BETWEEN %(lo)s AND %(hi)s RETURNING 1) "  # the candidates' range: no wider
    "SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd)"
)
# Then the file's plans no visit evidenced, never checked before, are missed. (OVERLAP found
# no visit of these agreements on these days, so no other plan of theirs has arrivals, but
# for one of the day before evidenced by a night call: that edge day is verified again.) Two
# statements, not a join of every plan with itself and with its arrivals.
MISSED = (
    "UPDATE delivery_plannedvisit p SET missed = true WHERE p.commissioner_id = %(c)s "
    "AND p.day BETWEEN %(lo)s AND %(hi)s AND p.carers_arrived = 0 AND NOT p.missed "
    "AND p.agreement_id IN (SELECT agreement_id FROM ecm_file)"
)
