from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "caremarket.bookings"
    verbose_name = "Room bookings (supported living)"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from caremarket.bookings.services.releases import expire_lapsed, on_award_saved
        from caremarket.bookings.services.tenancies import lives_here
        from caremarket.brokerage.models import Award
        from caremarket.core import worker
        from caremarket.supported_living.services import register_tenancy_check

        worker.register("bookings.expire_lapsed_holds", expire_lapsed)
        # A room someone lives in is freed by ending the tenancy, never by hand.
        register_tenancy_check(lives_here)
        # Any award that places a referral some other way releases its room hold.
        post_save.connect(on_award_saved, sender=Award, dispatch_uid="bookings-release-hold")
