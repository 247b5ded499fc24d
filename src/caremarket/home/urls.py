from django.urls import path

from caremarket.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/", views.home, name="dashboard"),
    path("glossary/", views.glossary, name="glossary"),
]
