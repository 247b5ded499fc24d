from django.apps import AppConfig


class SupportedLivingConfig(AppConfig):
    name = "caremarket.supported_living"
    verbose_name = "Supported living schemes"

    def ready(self) -> None:
        from caremarket.core import imports
        from caremarket.supported_living.services import RESIDENTS

        imports.register(RESIDENTS)
