from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "caremarket.pricing"
    verbose_name = "Prices, fee reviews and entry-point applications"

    def ready(self) -> None:
        """Each worker pass reprices agreements that started since a review was decided
        (the decision itself reprices those live then, so nothing waits on the worker)."""
        from caremarket.core import worker
        from caremarket.pricing.services.repricing import reprice_due

        worker.register("fee-review-repricing", reprice_due)
