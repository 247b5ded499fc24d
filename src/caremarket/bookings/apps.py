from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "caremarket.bookings"
    verbose_name = "Room bookings (supported living)"
