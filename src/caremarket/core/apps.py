from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caremarket.core"
    verbose_name = "Core"
