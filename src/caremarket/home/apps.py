from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "caremarket.home"
    verbose_name = "Home pages"

    def ready(self) -> None:
        """The navigation's counts are the home page's to-do figures (``home.todo``)."""
        from caremarket.core import navigation
        from caremarket.home import todo

        for url_name, (count, what) in todo.NAV_COUNTS.items():
            navigation.register_count(url_name, count, what)
