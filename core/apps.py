from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.plugins.manager import load_plugins
        from core.telemetry import configure_tracing

        configure_tracing()
        load_plugins()
