from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "caremarket.brokerage"
    verbose_name = "Brokerage: referrals, offers, bids, awards and agreements"
