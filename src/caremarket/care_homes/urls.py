"""The care_homes pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path

from caremarket.care_homes.views import market, provider, search

app_name = "care_homes"
urlpatterns = [
    path("care-homes/", market.market, name="market"),
    path("care-homes/beds/", search.bed_search, name="bed-search"),
    path("care-homes/returns/upload/", market.upload, name="upload"),
    path("care-homes/mine/", provider.my_homes, name="my-homes"),
    path("care-homes/mine/<int:pk>/", provider.my_home, name="my-home"),
    path("care-homes/mine/<int:pk>/return/", provider.return_form, name="return-form"),
]
