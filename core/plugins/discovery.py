"""Find plugin packages before Django starts.

Runs from ``core.settings``: it must not import Django models. It only locates
the Django app of each plugin (so its models, migrations and admin pages load)
and records the plugins whose package cannot be imported, so that start-up can
report them instead of crashing.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "fashionistar.plugins"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginSource:
    """Where a plugin comes from: ``builtin`` (settings) or ``entry_point``."""

    reference: str
    app: str
    origin: str
    distribution: str | None = None
    version: str | None = None


def builtin_app(reference: str) -> str:
    """``plugins.dummy_gateway.plugin.DummyGatewayPlugin`` -> ``plugins.dummy_gateway``."""
    module_path = reference.rsplit(".", 1)[0]
    return module_path.rsplit(".", 1)[0]


def list_plugin_sources(builtin: list[str]) -> list[PluginSource]:
    sources = [PluginSource(ref, builtin_app(ref), "builtin") for ref in builtin]
    found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
    for ep in found:
        dist = ep.dist
        sources.append(
            PluginSource(
                reference=ep.value,
                app=ep.module.split(".")[0],
                origin="entry_point",
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
            )
        )
    return sources


def discover_plugin_apps(
    builtin: list[str], disabled: list[str]
) -> tuple[list[str], dict[str, str]]:
    """Return (Django apps to install, {reference: import error}) for all plugins."""
    apps: list[str] = []
    errors: dict[str, str] = {}
    for source in list_plugin_sources(builtin):
        if source.app in disabled or source.reference in disabled:
            continue
        try:
            importlib.import_module(source.app)
        except Exception as exc:  # noqa: BLE001 - reported by the plugin manager at start-up
            errors[source.reference] = f"{type(exc).__name__}: {exc}"
            continue
        if source.app not in apps:
            apps.append(source.app)
    return apps, errors
