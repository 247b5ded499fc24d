from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "caremarket.brokerage"
    verbose_name = "Brokerage: referrals, offers, bids, awards and agreements"

    def ready(self) -> None:
        """Deadline warnings are due work (``caremarket tick``); unread notifications are
        counted beside the navigation's "Notifications", spot purchases waiting for this
        user's approval beside "Spot approvals"."""
        from caremarket.brokerage import notices, spot_approvals
        from caremarket.brokerage.services import inbox
        from caremarket.core import navigation, worker

        worker.register("brokerage.deadline_warnings", inbox.warn_deadlines)
        navigation.register_count("brokerage:notifications", notices.unread_count, "unread")
        navigation.register_count(
            "brokerage:spot-approvals", spot_approvals.waiting_count, "waiting for your approval"
        )
