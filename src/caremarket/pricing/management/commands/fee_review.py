"""``caremarket fee_review``: the fee review from the command line, reaching the numbers the
pages show (the same selectors and services).

    fee_review list
    fee_review show REVIEW_ID               rates, cost lines and budget impact
    fee_review propose --framework ID --by USERNAME --effective YYYY-MM-DD
        [--current-rate 19.28] --staff-share 70 --nlw-from 12.21 --nlw-to 12.71 --cpi 3.8
    fee_review apply                        reprice agreements of decided reviews
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caremarket.accounts.models import User
from caremarket.core.errors import CaremarketError
from caremarket.frameworks.models import Framework
from caremarket.pricing import selectors
from caremarket.pricing.models import FeeReview
from caremarket.pricing.services import repricing, reviews


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"Not a number: {text}") from exc


class Command(BaseCommand):
    help = "List, show, propose and apply annual fee reviews."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        show = sub.add_parser("show")
        show.add_argument("review", type=int)
        sub.add_parser("apply")
        propose = sub.add_parser("propose")
        propose.add_argument("--framework", type=int, required=True)
        propose.add_argument("--by", required=True, help="username of the commissioner")
        propose.add_argument("--effective", type=date.fromisoformat, required=True)
        propose.add_argument("--title", default="Annual fee review")
        propose.add_argument("--current-rate", type=_decimal)
        propose.add_argument("--staff-share", type=_decimal, required=True)
        propose.add_argument("--nlw-from", type=_decimal, required=True)
        propose.add_argument("--nlw-to", type=_decimal, required=True)
        propose.add_argument("--cpi", type=_decimal, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for r in FeeReview.objects.select_related("framework"):
                self.stdout.write(
                    f"{r.pk}\t{r.framework}\t{r.effective_from}\t{r.get_status_display()}\t"
                    f"{r.proposed_rate or '-'}"
                )
        elif action == "show":
            review = FeeReview.objects.filter(pk=options["review"]).first()
            if review is None:
                raise CommandError("No such fee review.")
            self._show(review)
        elif action == "apply":
            self.stdout.write(f"Repriced {repricing.reprice_due()} agreements.")
        else:
            self._propose(options)

    def _show(self, review: FeeReview) -> None:
        out = self.stdout.write
        out(f"{review.title} ({review.get_status_display()}), from {review.effective_from}")
        for line in review.lines.all():
            out(f"  {line.name}: {line.weight}% moved by {line.change}%")
        out(f"Uplift {review.uplift}%")
        if review.current_rate:
            out(f"Rate £{review.current_rate} -> £{review.proposed_rate}")
        groups, total = selectors.budget_impact(review)
        for g in groups:
            out(f"  {g.framework} / {g.zone}: {g.agreements} agreements, £{g.annual_change}")
        out(f"Budget impact £{total}")

    def _propose(self, options: dict[str, Any]) -> None:
        framework = Framework.objects.filter(pk=options["framework"]).first()
        user = User.objects.filter(username=options["by"]).first()
        if framework is None or user is None:
            raise CommandError("No such framework or user.")
        proposal = reviews.Proposal(
            title=options["title"],
            effective_from=options["effective"],
            method=FeeReview.Method.NLW_CPI,
            current_rate=options["current_rate"],
            staff_share=options["staff_share"],
            nlw_from=options["nlw_from"],
            nlw_to=options["nlw_to"],
            cpi=options["cpi"],
        )
        try:
            review = reviews.propose(user, framework, proposal)
        except CaremarketError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Proposed review {review.pk}.")
        self._show(review)
