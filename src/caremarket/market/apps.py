from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MarketConfig(AppConfig):
    name = "caremarket.market"
    verbose_name = "Market: commissioners, zones, care groups, service types"

    def ready(self) -> None:
        from caremarket.market.reference import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self)
