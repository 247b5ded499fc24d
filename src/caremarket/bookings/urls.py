"""The bookings pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path

from caremarket.bookings.views import council, provider

app_name = "bookings"
urlpatterns = [
    path("bookings/", council.find, name="find"),
    path("bookings/referrals/<int:pk>/rooms/", council.search, name="search"),
    path(
        "bookings/referrals/<int:pk>/direct-payment/",
        council.direct_payment,
        name="direct-payment",
    ),
    path("bookings/<int:pk>/", council.booking_detail, name="booking"),
    path("bookings/holds/", provider.hold_list, name="holds"),
    path("bookings/holds/<int:pk>/", provider.hold_detail, name="hold"),
]
