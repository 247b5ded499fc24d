from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "caremarket.delivery"
    verbose_name = "Visits, verification and pay runs"

    def ready(self) -> None:
        from caremarket.core import imports
        from caremarket.delivery.services.ecm_import import ECM_VISITS

        imports.register(ECM_VISITS)
