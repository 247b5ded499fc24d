from django.urls import path

from caremarket.market import views

app_name = "market"
urlpatterns = [path("zones/", views.zones, name="zones")]
