"""What a plugin author imports: ``from core.plugins import BasePlugin, hookimpl, ...``."""

from core.errors import DomainError, PluginVeto
from core.hookspecs import hookimpl
from core.plugins.base import BasePlugin, ConfigField, FieldType, PluginConfig

__all__ = [
    "BasePlugin",
    "ConfigField",
    "DomainError",
    "FieldType",
    "PluginConfig",
    "PluginVeto",
    "hookimpl",
]
