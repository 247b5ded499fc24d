"""``caremarket statement --commissioner SLUG --as-of DATE --format html|pdf|json``: the
Market Sufficiency Statement from the command line, from the same figures as the page (the
saved statement for that date with its narrative and action plan, or the figures alone)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.test import RequestFactory

from caremarket.core.errors import Invalid
from caremarket.core.pdf import pdf_bytes
from caremarket.insight.models import Sector, Statement
from caremarket.insight.selectors import statement_page
from caremarket.insight.views import tables
from caremarket.market.models import Commissioner


class Command(BaseCommand):
    help = "Write a commissioner's Market Sufficiency Statement as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commissioner", required=True, help="The commissioner's slug.")
        parser.add_argument("--as-of", required=True, help="The date, e.g. 2019-08-21.")
        parser.add_argument("--compare-with", help="An earlier date to show the change from.")
        parser.add_argument("--format", choices=["html", "pdf", "json"], default="json")
        parser.add_argument("--output", help="A file to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        commissioner = Commissioner.objects.filter(slug=options["commissioner"]).first()
        if commissioner is None:
            raise CommandError(f"There is no commissioner {options['commissioner']!r}.")
        as_of = _date(options["as_of"], "--as-of")
        compare = (
            _date(options["compare_with"], "--compare-with") if options["compare_with"] else None
        )
        statement = Statement.objects.filter(commissioner=commissioner, as_of=as_of).first()
        if statement is None:
            statement = Statement(
                commissioner=commissioner,
                as_of=as_of,
                compare_with=compare,
                title=f"{commissioner.name}: market sufficiency, {as_of:%-d %B %Y}",
            )
        try:
            page = statement_page.build(statement)
        except Invalid as exc:
            raise CommandError(exc.message) from exc
        if options["format"] == "json":
            output: bytes = json.dumps(page.as_json(), indent=2).encode()
        else:
            request = RequestFactory().get("/")
            request.user = AnonymousUser()
            context = {
                "statement": statement,
                "page": page,
                "d": page.d,
                "tables": tables.tables(page.d),
                "charts": tables.chart_set(page.d),
                "csv": tables.csv_links(page.d),
                "sectors": Sector.choices,
                "may_edit": False,
                "request": request,
                "projection": {
                    y: (tables.projection_chart(page.p, y), tables.projection_table(page.p, y))
                    for y in (5, 10)
                },
            }
            if options["format"] == "pdf":
                output = pdf_bytes("insight/statement.html", context, request)
            else:
                output = render_to_string(
                    "insight/statement.html", {**context, "pdf": False}, request=request
                ).encode()
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(output)
            self.stdout.write(f"Wrote {options['output']}.")
        else:
            sys.stdout.buffer.write(output)


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2019-08-21.") from None
