from django.urls import path

from caremarket.directory import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.search, name="search"),
    path("directory/open-data/", views.open_data, name="open-data"),
    path("directory/<slug:slug>/", views.provider, name="provider"),
]
