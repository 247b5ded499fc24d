from django.urls import path

from caremarket.returns import views

app_name = "returns"
urlpatterns = [
    path("returns/cld/", views.cld, name="cld"),
]
