from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "caremarket.bookings"
    verbose_name = "Room bookings (supported living)"

    def ready(self) -> None:
        from caremarket.bookings.services.releases import expire_lapsed
        from caremarket.core import worker

        worker.register("bookings.expire_lapsed_holds", expire_lapsed)
