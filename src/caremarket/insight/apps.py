from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "caremarket.insight"
    verbose_name = "Market sufficiency"
