"""``caremarket demo``: migrate, build the demo database, and print how to sign in."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from caremarket.demo import builder


class Command(BaseCommand):
    help = "Build the demo database with the seed councils (Devon, Isle of Wight, Staffordshire)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete everything and build again."
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="Lay dates out around this day (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if builder.is_built():
            if not options["reset"]:
                self.stdout.write("The demo database is already built (use --reset to rebuild).")
                self._print_accounts()
                return
            if connection.vendor != "sqlite" and not connection.settings_dict["NAME"].startswith(
                ("caremarket", "test")
            ):
                raise CommandError(
                    "Refusing to reset a database whose name does not look like a demo."
                )
            call_command("flush", interactive=False, verbosity=0)
        report = builder.build(as_of=options["as_of"], seed=options["seed"])
        counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Built the demo as of {report.as_of}: {counts}."))
        self._print_accounts()

    def _print_accounts(self) -> None:
        from caremarket.accounts.models import User

        self.stdout.write(
            "\nSign in at http://127.0.0.1:8000/sign-in/ with password "
            f"{builder.DEMO_PASSWORD!r} as any of:"
        )
        for user in User.objects.select_related("commissioner", "provider").order_by("pk"):
            self.stdout.write(
                f"  {user.username:<22} {user.get_role_display():<24} {user.organisation_name}"
            )
        self.stdout.write("The public directory needs no sign-in: http://127.0.0.1:8000/directory/")
