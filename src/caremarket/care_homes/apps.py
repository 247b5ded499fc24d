from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "caremarket.care_homes"
    verbose_name = "Care homes and vacancy returns"
