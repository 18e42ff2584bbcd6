from __future__ import annotations

from django.db import models
from django.db.models import Q


class PluginConfiguration(models.Model):
    """Stored configuration of a plugin, per channel or global (``channel`` null).

    ``values`` holds non-secret fields; ``secrets`` holds Fernet tokens of the
    secret ones (core.plugins.crypto). Neither is read on a hook call: the
    plugin manager caches effective configurations in-process.
    """

    plugin_id = models.CharField(max_length=128, db_index=True)
    channel = models.ForeignKey(
        "core.Channel", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    active = models.BooleanField(default=False)
    values = models.JSONField(default=dict, blank=True)
    secrets = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("plugin_id", "channel_id")
        permissions = (("manage_plugins", "Manage plugins and the event outbox."),)
        constraints = [
            models.UniqueConstraint(
                fields=["plugin_id", "channel"],
                condition=Q(channel__isnull=False),
                name="plugin_config_unique_per_channel",
            ),
            models.UniqueConstraint(
                fields=["plugin_id"],
                condition=Q(channel__isnull=True),
                name="plugin_config_unique_global",
            ),
        ]

    def __str__(self) -> str:
        scope = self.channel.slug if self.channel_id else "global"
        return f"{self.plugin_id} @ {scope}"
