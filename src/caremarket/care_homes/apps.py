from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "caremarket.care_homes"
    verbose_name = "Care homes and vacancy returns"

    def ready(self) -> None:
        """Register the returns importer with the platform's one import mechanism."""
        from caremarket.care_homes import imports

        imports.register()
