"""Re-encrypt webhook secrets with the newest PLUGIN_SECRET_KEYS key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from core.plugins.crypto import rotate
from plugins.webhooks.models import Webhook


class Command(BaseCommand):
    help = "Re-encrypt every webhook secret with the first key of PLUGIN_SECRET_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for webhook in Webhook.objects.select_for_update().only("pk", "secret"):
                Webhook.objects.filter(pk=webhook.pk).update(secret=rotate(webhook.secret))
                count += 1
        self.stdout.write(f"{count} webhook secret(s) re-encrypted.")
