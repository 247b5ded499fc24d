"""What the entry-point pages show, and how their posted actions call the services: the
tables' columns, the application's parts a viewer may see, and the evaluation actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.urls import reverse

from caremarket.core.errors import NotFound
from caremarket.core.tables import Column
from caremarket.frameworks import selectors as fs
from caremarket.frameworks.models import Application
from caremarket.frameworks.services import entry
from caremarket.frameworks.services.entry import ApplicationInput
from caremarket.pricing.services import entry as notices

WINDOW_COLUMNS = [
    Column("framework", "Framework", link=lambda r: reverse("pricing:window", args=[r["pk"]])),
    Column("commissioner", "Council"),
    Column("purpose", "For"),
    Column("opens", "Opens", format="date"),
    Column("closes", "Closes", format="date"),
    Column("commence", "Contracts and prices from", format="date"),
    Column("state", "Now"),
]
APPLICATION_COLUMNS = [
    Column(
        "provider",
        "Provider",
        get=lambda a: a.provider.display_name,
        link=lambda a: reverse("pricing:application", args=[a.pk]),
    ),
    Column("framework", "Framework", get=lambda a: a.lot.framework.name),
    Column("lot", "Lot", get=lambda a: f"Lot {a.lot.number}"),
    Column("submitted", "Submitted", get=lambda a: a.submitted_at.date(), format="date"),
    Column("status", "Status", get=lambda a: a.get_status_display()),
    Column("quality_score", "Quality score", numeric=True),
]


def window_rows(frameworks: Iterable[Any], today: date) -> list[dict[str, Any]]:
    rows = []
    for framework in frameworks:
        for w in framework.entry_windows.all():
            rows.append(
                {
                    "pk": w.pk,
                    "framework": framework.name,
                    "commissioner": framework.commissioner.name,
                    "purpose": w.get_purpose_display(),
                    "opens": w.opens,
                    "closes": w.closes,
                    "commence": w.contracts_commence,
                    "state": w.as_window().state(today).value.capitalize(),
                }
            )
    return rows


def application_input(form: Any) -> ApplicationInput:
    return ApplicationInput(
        zone_prices=form.by_prefix("price_"),
        answers=form.by_prefix("answer_"),
        evidence=form.by_prefix("evidence_"),
        pass_fail={k: v == "yes" for k, v in form.by_prefix("item_").items()},
    )


def application_context(user: Any, application: Application) -> dict[str, Any]:
    """A provider sees its own application, the moderated scores and feedback, never the
    evaluators' individual scores; an evaluator sees only their own score until both
    have scored (``frameworks.selectors.scores_visible``)."""
    answers = [
        {
            "answer": a,
            "scores": fs.scores_visible(user, a),
            "mine": any(s.evaluator_id == getattr(user, "pk", None) for s in a.scores.all()),
            "scored": a.scores.count(),
        }
        for a in application.answers.all()
    ]
    return {
        "application": application,
        "answers": answers,
        "prices": application.prices.all(),
        "pass_fail": application.pass_fail_answers.select_related("item"),
        "decided": application.decided_at is not None,
    }


def evaluation_act(
    user: Any, application: Application, action: str | None
) -> Callable[[dict[str, Any]], str]:
    def act(data: dict[str, Any]) -> str:
        answer = data.get("answer")
        if answer is not None and not application.answers.filter(pk=answer).exists():
            raise NotFound("No such answer on this application.")
        if action == "score":
            entry.score(answer, by=user, value=data["value"], note=data["note"])
            return "Your score is recorded."
        if action == "moderate":
            entry.moderate(answer, by=user, value=data["value"], feedback=data["feedback"])
            return "Moderated score recorded."
        done = notices.decide_outcome(application.pk, by=user, feedback=data["feedback"])
        return f"Outcome: {done.get_status_display().lower()}; the provider has been told."

    return act
