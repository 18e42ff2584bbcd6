from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import PluginConfiguration
from core.plugins.crypto import rotate
from core.plugins.manager import get_manager


class Command(BaseCommand):
    help = "Re-encrypt every stored plugin secret with the first key of PLUGIN_SECRET_KEYS."

    def handle(self, *args, **options) -> None:
        count = 0
        with transaction.atomic():
            for row in PluginConfiguration.objects.select_for_update():
                if not row.secrets:
                    continue
                row.secrets = {name: rotate(token) for name, token in row.secrets.items()}
                row.save(update_fields=["secrets", "updated_at"])
                count += len(row.secrets)
            transaction.on_commit(get_manager().configs.invalidate)
        self.stdout.write(self.style.SUCCESS(f"{count} secrets re-encrypted"))
