from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "caremarket.pricing"
    verbose_name = "Prices, fee reviews and entry-point applications"
