from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "caremarket.delivery"
    verbose_name = "Visits, verification and pay runs"
