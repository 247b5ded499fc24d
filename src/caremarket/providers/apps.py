from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "caremarket.providers"
    verbose_name = "Providers"
