from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "caremarket.returns"
    label = "returns"
    verbose_name = "Statutory returns"
