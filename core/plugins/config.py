"""Effective plugin configuration, cached in-process.

The whole ``PluginConfiguration`` table (a few rows per plugin) is loaded once
per process into an immutable snapshot. A save bumps a version number in the
shared cache after commit; every process compares its snapshot's version with
the shared one at most every ``PLUGIN_CONFIG_RECHECK_SECONDS`` and reloads when
it moved. The process that saved reloads at once. So a hook call never queries
the database for configuration, and other processes see a change within the
recheck interval.

Effective values in a channel: the plugin's declared defaults, overlaid with the
global row, overlaid with the channel's row. Active: the channel row's flag if
there is one, else the global row's, else the plugin's ``default_active``.
Plugins with ``per_channel = False`` only have a global row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

from core.plugins.base import BasePlugin, PluginConfig
from core.plugins.crypto import decrypt

if TYPE_CHECKING:
    from core.models import PluginConfiguration

VERSION_KEY = "plugins:config-version"


class ConfigStore:
    def __init__(self, plugins: Mapping[str, BasePlugin]) -> None:
        self._plugins = plugins
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, str | None], PluginConfiguration] | None = None
        self._effective: dict[tuple[str, str | None], PluginConfig] = {}
        self._version: Any = None
        self._checked_at = 0.0

    def get(self, plugin_id: str, channel: str | None) -> PluginConfig:
        """Effective configuration of ``plugin_id`` in ``channel`` (slug, or None for global)."""
        self._ensure_fresh()
        plugin = self._plugins[plugin_id]
        if not plugin.per_channel:
            channel = None
        key = (plugin_id, channel)
        config = self._effective.get(key)
        if config is None:
            config = self._compute(plugin, channel)
            self._effective[key] = config
        return config

    def is_active(self, plugin_id: str, channel: str | None) -> bool:
        return self.get(plugin_id, channel).active

    def stored_row(self, plugin_id: str, channel: str | None) -> PluginConfiguration | None:
        self._ensure_fresh()
        return (self._rows or {}).get((plugin_id, channel))

    def invalidate(self) -> None:
        """Forget the snapshot here and tell every other process (call after commit)."""
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._rows = None
            self._effective = {}
            self._version = None
            self._checked_at = 0.0

    def _ensure_fresh(self) -> None:
        now = time.monotonic()
        if (
            self._rows is not None
            and now - self._checked_at < settings.PLUGIN_CONFIG_RECHECK_SECONDS
        ):
            return
        version = cache.get(VERSION_KEY, 0)
        if self._rows is not None and version == self._version:
            self._checked_at = now
            return
        from core.models import PluginConfiguration

        rows = {
            (row.plugin_id, row.channel.slug if row.channel_id else None): row
            for row in PluginConfiguration.objects.select_related("channel")
        }
        with self._lock:
            self._rows = rows
            self._effective = {}
            self._version = version
            self._checked_at = now

    def _compute(self, plugin: BasePlugin, channel: str | None) -> PluginConfig:
        rows = self._rows or {}
        values: dict[str, Any] = {f.name: f.default for f in plugin.config_fields}
        active = plugin.default_active
        global_row = rows.get((plugin.id, None))
        channel_row = rows.get((plugin.id, channel)) if channel is not None else None
        for row in (global_row, channel_row):
            if row is None:
                continue
            values.update(row.values)
            values.update({name: decrypt(token) for name, token in row.secrets.items()})
            active = row.active
        return PluginConfig(plugin_id=plugin.id, channel=channel, active=active, values=values)
