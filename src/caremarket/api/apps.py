from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "caremarket.api"
    verbose_name = "REST API"
