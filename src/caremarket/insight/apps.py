"""Market sufficiency."""

from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "caremarket.insight"
    verbose_name = "Market sufficiency"

    def ready(self) -> None:
        from caremarket.insight.services import importers, summary

        importers.register_all()
        summary.connect()
