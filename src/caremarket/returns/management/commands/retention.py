"""``caremarket retention``: pseudonymise the personal details of people whose care ended
more than N years ago (``returns.services.retention``), with a report; ``--dry-run`` counts
and changes nothing.

    retention [--years 8] [--dry-run]
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caremarket.core.errors import CaremarketError
from caremarket.returns.services import retention


class Command(BaseCommand):
    help = "Pseudonymise the personal details of people whose care ended N years ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            type=int,
            default=settings.CAREMARKET_RETENTION_YEARS,
            help="care ended more than this many years ago (default: the setting "
            "CAREMARKET_RETENTION_YEARS, %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = retention.pseudonymise(options["years"], dry_run=options["dry_run"])
        except CaremarketError as exc:
            raise CommandError(exc.message) from exc
        would = "would be" if report.dry_run else "were"
        out = self.stdout.write
        out(f"Care ended before {report.cutoff} ({options['years']} years ago) for "
            f"{report.eligible} people; {report.already} already pseudonymised.")  # fmt: skip
        out(f"{report.pseudonymised} people {would} pseudonymised, with "
            f"{report.history_rows} history rows.")  # fmt: skip
        if report.dry_run:
            out("Dry run: nothing was changed.")
