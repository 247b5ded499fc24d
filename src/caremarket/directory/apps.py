from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "caremarket.directory"
    verbose_name = "Public provider directory"
