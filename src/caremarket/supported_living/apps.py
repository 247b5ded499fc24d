from django.apps import AppConfig


class SupportedLivingConfig(AppConfig):
    name = "caremarket.supported_living"
    verbose_name = "Supported living schemes"
