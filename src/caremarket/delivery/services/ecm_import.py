"""The ECM visits file (docs/imports/ecm-visits.md), read by ``caremarket.core.imports``.

Every row is checked first (times, method, and that the person has an agreement with the
sending provider); any fault and nothing is written. Then the rows stream through
``recording.write_visits`` (COPY on PostgreSQL) and the days they cover are verified, in the
same transaction: the file is imported, matched and verified, or none of it is.

On PostgreSQL a clean file skips both passes: ``whole_file`` hands it to ``ecm_bulk``
(parsed once by COPY, checked, matched, priced and written in SQL), which gives it back
whenever it cannot vouch for every row, so faults are always reported the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from caremarket.core import import_progress, imports
from caremarket.delivery import rules
from caremarket.delivery.services.ecm_times import moment
from caremarket.delivery.services.recording import People, row_faults, to_values, write_visits
from caremarket.delivery.services.verification import verify_days


class EcmVisits(imports.Importer):
    kind = "ecm-visits"
    title = "Visits from electronic call monitoring"
    columns = (
        imports.Column("visit_id", imports.text(60), help="The ECM system's own visit id."),
        imports.Column("person_ref", imports.text(20), help="The council's person reference."),
        imports.Column("carer_ref", imports.text(40), help="The care worker's id."),
        imports.Column("planned_start", moment, required=False),
        imports.Column("planned_end", moment, required=False),
        imports.Column("check_in", moment),
        imports.Column("check_out", moment),
        imports.Column("method", imports.choice(rules.METHODS)),
        imports.Column("manual_reason", imports.text(240), required=False),
    )

    def _people(self, context: dict[str, Any]) -> People:
        if "people" not in context:
            o = context["options"]
            context["people"] = People.load(int(o["commissioner_id"]), int(o["provider_id"]))
        people: People = context["people"]
        return people

    def check_row(self, row: dict[str, Any], line: int, context: dict[str, Any]) -> dict[str, str]:
        return row_faults(row, self._people(context))

    def whole_file(self, run: Any, context: dict[str, Any]) -> tuple[int, int] | None:
        """On PostgreSQL, the whole file in bulk when it is clean (``ecm_bulk``)."""
        from caremarket.delivery.services import ecm_bulk

        people = self._people(context)
        return ecm_bulk.import_file(  # type: ignore[no-any-return]
            run.stored_as,
            run.rows_total,
            people,
            import_run=run.pk,
            progress=context.get("progress", import_progress.IGNORE),
        )

    def write(self, rows: Iterator[tuple[int, dict[str, Any]]], context: dict[str, Any]) -> int:
        people = self._people(context)
        run = context.get("run")
        source = f"provider:{people.provider_id}"
        span: list[date] = []

        def values() -> Iterator[tuple[Any, ...]]:
            for _line, row in rows:
                value = to_values(row, people, source=source, import_run=getattr(run, "pk", None))
                day = value[7]
                if not span:
                    span.extend([day, day])
                span[0], span[1] = min(span[0], day), max(span[1], day)
                yield value

        written = write_visits(values())
        if span:
            verify_days(people.commissioner_id, span[0], span[1])
        return written


ECM_VISITS = EcmVisits()
