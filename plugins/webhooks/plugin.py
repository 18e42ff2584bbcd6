"""Outgoing webhooks: every kernel event, fanned out over HTTP to the apps that want it.

An in-tree plugin built only on the public kernel: it implements every event
hook of core/hookspecs.py (generated below from the hook list, so a new event is
covered without code), adds GraphQL fields through the start-up hooks and a
sweep through ``celery_beat_schedule``. The kernel delivers each event to this
plugin once (at least once, after commit, in a worker); the handler records one
delivery per matching webhook in this plugin's own table and queues one task per
delivery, so each receiver is retried on its own.

The plugin is active while at least one active webhook exists (services keep
that in sync), so a shop without webhooks pays nothing per event.
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import HookKind, hookimpl
from core.plugins import BasePlugin

SWEEP_INTERVAL_SECONDS = 15.0


class WebhooksPlugin(BasePlugin):
    id = "fashionistar.webhooks"
    name = "Webhooks and apps"
    description = "API apps with scoped tokens; signed outgoing webhooks for every event."
    version = "1.0.0"
    per_channel = False
    default_active = False

    @hookimpl
    def graphql_query_fields(self) -> dict:
        from plugins.webhooks.schema import query_fields

        return query_fields()

    @hookimpl
    def graphql_mutation_fields(self) -> dict:
        from plugins.webhooks.schema import mutation_fields

        return mutation_fields()

    @hookimpl
    def celery_beat_schedule(self) -> dict:
        return {"webhooks-sweep": {"task": "webhooks.sweep", "schedule": SWEEP_INTERVAL_SECONDS}}


def _handler(hook_name: str) -> Any:
    def handle(self: WebhooksPlugin, event: Any, config: Any) -> None:
        from plugins.webhooks.services import fan_out

        fan_out(event)

    handle.__name__ = hook_name
    handle.__qualname__ = f"WebhooksPlugin.{hook_name}"
    return hookimpl(handle)


def _event_hooks() -> list[str]:
    from core import hookspecs

    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if callable(value) and getattr(value, "hook_kind", None) is HookKind.EVENT
    )


EVENT_HOOKS = _event_hooks()
for _name in EVENT_HOOKS:
    setattr(WebhooksPlugin, _name, _handler(_name))
