from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "caremarket.demo"
    verbose_name = "Demo data"
