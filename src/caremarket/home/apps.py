from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "caremarket.home"
    verbose_name = "Home pages"
