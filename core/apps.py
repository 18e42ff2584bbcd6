import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def register_beat_schedules(manager) -> None:  # noqa: ANN001 - PluginManager
    """Merge plugins' Celery beat entries into the app's schedule, prefixed by plugin id."""
    from core.celery import app

    schedule = dict(app.conf.beat_schedule or {})
    for plugin_id, entries in manager.startup("celery_beat_schedule"):
        for name, entry in entries.items():
            schedule[f"{plugin_id}:{name}"] = entry
    app.conf.beat_schedule = schedule


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.plugins.manager import load_plugins
        from core.telemetry import configure_tracing

        configure_tracing()
        manager = load_plugins()
        register_beat_schedules(manager)
