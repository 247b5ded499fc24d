"""``caremarket cld``: a council's DHSC Client Level Data file for a quarter, and our
pre-submission check of it (the same builder and check as the commissioner's page).

    cld --commissioner devon --quarter 2026Q3 [--output devon-2026Q3.csv] [--check-only]

Without ``--output`` the CSV goes to standard output and the report to standard error, so the
file can be piped. The exit status is 1 when the check finds anything, so a script (or CI)
cannot upload a file that would be refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caremarket.core.errors import CaremarketError
from caremarket.market.models import Commissioner
from caremarket.returns import builder, selectors


def _problems(count: int) -> str:
    return "no problems" if count == 0 else "1 problem" if count == 1 else f"{count} problems"


class Command(BaseCommand):
    help = "Build a council's Client Level Data return for a quarter and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commissioner", required=True, help="the council's slug: devon")
        parser.add_argument("--quarter", required=True, help="like 2026Q3")
        parser.add_argument("--output", type=Path, help="write the CSV here (default: stdout)")
        parser.add_argument(
            "--check-only", action="store_true", help="report the findings, write no file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        commissioner = Commissioner.objects.filter(slug=options["commissioner"]).first()
        if commissioner is None:
            slugs = ", ".join(Commissioner.objects.values_list("slug", flat=True))
            raise CommandError(f"No commissioner {options['commissioner']!r}. Known: {slugs}.")
        if not commissioner.ons_code:
            raise CommandError(f"{commissioner} has no ONS code (LA_Code): add it first.")
        try:
            cld = builder.build(commissioner, selectors.period(options["quarter"]))
        except CaremarketError as exc:
            raise CommandError(exc.message) from exc
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        report = self.stderr if options["output"] is None else self.stdout
        if not options["check_only"]:
            if options["output"] is None:
                self.stdout.write(cld.csv_text(), ending="")
            else:
                options["output"].write_text(cld.csv_text(), encoding="utf-8", newline="")
                report.write(f"Wrote {options['output']}.")
        self._report(cld, report)
        if cld.findings:
            raise CommandError(f"The check found {_problems(len(cld.findings))}.", returncode=1)

    def _report(self, cld: builder.CldFile, out: Any) -> None:
        period = cld.period
        counts = ", ".join(f"{event} {n}" for event, n in cld.counts.items())
        out.write(
            f"{cld.commissioner} ({cld.commissioner.ons_code}), {period.label}: "
            f"{period.start} to {period.end}."
        )
        if cld.is_draft:
            out.write(f"The quarter is not over: a draft, with events to {cld.as_at}.")
        out.write(f"{len(cld.lines)} rows for {cld.people} people ({counts}).")
        out.write(f"The pre-submission check found {_problems(len(cld.findings))}.")
        for f in cld.findings:
            out.write(f"  row {f.row} ({f.reference}): {f.field} [{f.rule}] {f.message}")
