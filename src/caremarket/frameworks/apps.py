from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "caremarket.frameworks"
    verbose_name = "Frameworks, lots, appointments and prices"
