from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caremarket.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from caremarket.core import imports, worker

        worker.register("imports", imports.process_queued)
