"""Which records the audit trail reads: every model in the audited apps keeps a history, or
is named in ``sources.WITHOUT_HISTORY`` with its reason (and in docs/security.md), so no new
kind of record escapes the trail unnoticed. No database: the app registry only."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

from caremarket.audit.sources import AUDITED_APPS, WITHOUT_HISTORY, by_key

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def _models() -> dict[str, type]:
    return {
        f"{label}.{m._meta.model_name}": m
        for label in AUDITED_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    }


def test_every_model_keeps_a_history_or_says_why_not() -> None:
    unexplained = {key for key, model in _models().items() if not hasattr(model, "history")} - set(
        WITHOUT_HISTORY
    )
    assert not unexplained, f"add HistoricalRecords, or a reason in WITHOUT_HISTORY: {unexplained}"


def test_no_reason_is_left_for_a_model_that_now_keeps_a_history_or_is_gone() -> None:
    models = _models()
    stale = {key for key in WITHOUT_HISTORY if key not in models or hasattr(models[key], "history")}
    assert not stale, f"remove from WITHOUT_HISTORY: {stale}"
    assert all(reason.strip() for reason in WITHOUT_HISTORY.values())


def test_every_model_with_a_history_is_in_the_trail_and_security_md_names_the_rest() -> None:
    with_history = {key for key, model in _models().items() if hasattr(model, "history")}
    assert with_history == set(by_key())
    text = SECURITY.read_text()
    for key in WITHOUT_HISTORY:
        name = _models()[key].__name__
        assert f"`{name}`" in text, f"docs/security.md does not name {name}"
