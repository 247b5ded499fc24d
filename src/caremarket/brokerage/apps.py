from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "caremarket.brokerage"
    verbose_name = "Brokerage: referrals, offers, bids, awards and agreements"

    def ready(self) -> None:
        """Deadline warnings are due work (``caremarket tick``); unread notifications are
        counted beside the navigation's "Notifications"."""
        from caremarket.brokerage import notices
        from caremarket.brokerage.services import inbox
        from caremarket.core import navigation, worker

        worker.register("brokerage.deadline_warnings", inbox.warn_deadlines)
        navigation.register_count("brokerage:notifications", notices.unread_count, "unread")
