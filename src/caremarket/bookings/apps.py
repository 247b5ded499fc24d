from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "caremarket.bookings"
    verbose_name = "Room bookings (supported living)"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from caremarket.bookings.services.releases import expire_lapsed, on_award_saved
        from caremarket.brokerage.models import Award
        from caremarket.core import worker

        worker.register("bookings.expire_lapsed_holds", expire_lapsed)
        # Any award that places a referral some other way releases its room hold.
        post_save.connect(on_award_saved, sender=Award, dispatch_uid="bookings-release-hold")
