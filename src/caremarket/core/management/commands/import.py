"""``caremarket import KIND FILE --commissioner SLUG`` (or ``--provider SLUG``): the same
import as the upload pages, from the command line, with the same checks and report."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caremarket.core import imports
from caremarket.core.errors import Invalid


class Command(BaseCommand):
    help = "Import a CSV file (all rows or none). KIND is one of the registered imports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="What the file holds (run with --list to see them).")
        parser.add_argument("file", nargs="?", help="The CSV file.")
        owner = parser.add_mutually_exclusive_group()
        owner.add_argument("--commissioner", help="The commissioner's slug, e.g. devon.")
        owner.add_argument("--provider", help="The provider's slug.")
        parser.add_argument("--list", action="store_true", help="List the kinds of import.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or options["kind"] == "list":
            for importer in imports.kinds():
                self.stdout.write(f"{importer.kind:<28} {importer.title}")
            return
        if not options["file"]:
            raise CommandError("Name the file to import.")
        owner, scope = self._owner(options)
        try:
            run = imports.start(
                options["kind"], options["file"], owner=owner, options=scope, inline=True
            )
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"There is no file {options['file']!r}.") from exc
        if getattr(run, "repeat", False):
            self.stdout.write(
                f"This file was imported already ({run.created_at:%d %b %Y %H:%M}):"
                " nothing changed."
            )
            return
        if run.status != imports.ImportRun.Status.SUCCEEDED:
            for error in run.errors:
                self.stderr.write(
                    f"line {error['line']}, {error['column'] or 'file'}: {error['message']}"
                )
            raise CommandError(f"Not imported: {run.error_count} problem(s); nothing was changed.")
        self.stdout.write(
            self.style.SUCCESS(f"Imported {run.rows_written} rows from {run.filename}.")
        )

    def _owner(self, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Core sits below the apps that define commissioners and providers: look them up by
        the app registry rather than import them."""
        for option, model in (
            ("commissioner", "market.Commissioner"),
            ("provider", "providers.Provider"),
        ):
            slug = options[option]
            if slug:
                record = apps.get_model(model).objects.filter(slug=slug).first()
                if record is None:
                    raise CommandError(f"There is no {option} {slug!r}.")
                return f"{option}:{record.pk}", {f"{option}_id": record.pk}
        raise CommandError("Say whose data this is: --commissioner SLUG or --provider SLUG.")
