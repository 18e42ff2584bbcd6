import json

from django.core.management.base import BaseCommand

from core.models import Channel
from core.plugins.manager import get_manager


class Command(BaseCommand):
    help = "List installed plugins: version, source, hooks implemented, where active."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        manager = get_manager()
        channels = list(Channel.objects.order_by("slug").values_list("slug", flat=True))
        rows = []
        for plugin_id, loaded in sorted(manager.loaded.items()):
            plugin = loaded.plugin
            if plugin.per_channel:
                active = [slug for slug in channels if manager.config(plugin_id, slug).active]
            else:
                active = ["global"] if manager.config(plugin_id, None).active else []
            rows.append(
                {
                    "id": plugin_id,
                    "name": plugin.name,
                    "version": loaded.source.version or plugin.version,
                    "source": loaded.source.origin,
                    "reference": loaded.source.reference,
                    "hooks": manager.implemented_hooks(plugin_id),
                    "active_in": active,
                }
            )
        failures = [{"reference": ref, "error": err} for ref, err in manager.failures.items()]
        if options["json"]:
            self.stdout.write(json.dumps({"plugins": rows, "failed": failures}, indent=2))
            return
        for row in rows:
            self.stdout.write(
                self.style.SUCCESS(f"{row['id']}  {row['version']}  ({row['source']})")
            )
            self.stdout.write(f"    {row['name']} — {row['reference']}")
            self.stdout.write(f"    hooks:  {', '.join(row['hooks']) or '-'}")
            self.stdout.write(f"    active: {', '.join(row['active_in']) or 'nowhere'}")
        for failure in failures:
            self.stdout.write(
                self.style.ERROR(f"FAILED {failure['reference']}: {failure['error']}")
            )
