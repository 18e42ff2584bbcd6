"""Writing plugin configuration: validate, encrypt secrets, save, invalidate caches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from core.errors import DomainError, NotFound
from core.plugins.base import clean_values
from core.plugins.crypto import decrypt, encrypt
from core.plugins.manager import get_manager


def update_plugin_configuration(
    plugin_id: str,
    channel_slug: str | None,
    *,
    active: bool | None = None,
    values: Mapping[str, Any] | None = None,
):  # noqa: ANN201 - PluginConfiguration
    """Create or update the stored configuration of a plugin in a channel (or globally).

    A blank secret keeps the stored value. Nothing is written when validation fails.
    """
    from core.models import Channel, PluginConfiguration

    manager = get_manager()
    loaded = manager.loaded.get(plugin_id)
    if loaded is None:
        raise NotFound(f"No plugin with id '{plugin_id}'.", field="id")
    plugin = loaded.plugin
    channel = None
    if channel_slug is not None:
        if not plugin.per_channel:
            raise DomainError(
                f"Plugin '{plugin_id}' is configured globally, not per channel.",
                code="INVALID",
                field="channel",
            )
        channel = Channel.objects.filter(slug=channel_slug).first()
        if channel is None:
            raise NotFound(f"No channel with slug '{channel_slug}'.", field="channel")

    with transaction.atomic():
        row, _ = PluginConfiguration.objects.select_for_update().get_or_create(
            plugin_id=plugin_id,
            channel=channel,
            defaults={"active": plugin.default_active},
        )
        secret_names = {f.name for f in plugin.config_fields if f.secret}
        stored_secrets = {name: decrypt(token) for name, token in row.secrets.items()}
        cleaned = clean_values(plugin, values or {}, {**row.values, **stored_secrets})
        plugin.validate_configuration(
            {**_inherited_values(plugin, plugin_id, channel), **cleaned}, channel_slug
        )
        for name, value in cleaned.items():
            if name in secret_names:
                if value == stored_secrets.get(name):
                    continue
                if value in (None, ""):
                    row.secrets.pop(name, None)
                else:
                    row.secrets[name] = encrypt(str(value))
            else:
                row.values[name] = value
        if active is not None:
            row.active = active
        row.save()
        transaction.on_commit(manager.configs.invalidate)
    return row


def _inherited_values(plugin, plugin_id: str, channel) -> dict[str, Any]:  # noqa: ANN001
    """Defaults, overlaid with the global row when editing a channel's row."""
    from core.models import PluginConfiguration

    values: dict[str, Any] = {f.name: f.default for f in plugin.config_fields}
    if channel is not None:
        global_row = PluginConfiguration.objects.filter(plugin_id=plugin_id, channel=None).first()
        if global_row is not None:
            values.update(global_row.values)
            values.update({n: decrypt(t) for n, t in global_row.secrets.items()})
    return values
