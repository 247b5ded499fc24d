from django.urls import path

from caremarket.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.trail, name="trail"),
    path("audit/personal-data/", views.access_log, name="access-log"),
]
