"""The plugin test kit: pytest fixtures for plugin authors.

Installed with the project as a pytest plugin (entry point ``pytest11``), so a
plugin's own test suite gets the ``plugin_kit`` fixture with nothing to import::

    @pytest.mark.django_db
    def test_points_awarded(plugin_kit, channel):
        plugin_kit.register(LoyaltyPlugin())          # unless installed by entry point
        plugin_kit.activate("acme.loyalty", channel="default-channel", config={"rate": "2"})
        plugin_kit.emit("order_paid", {"order": {...}}, channel="default-channel")
        plugin_kit.deliver()                          # runs the outbox now, in this process
        assert plugin_kit.called("order_paid", plugin_id="acme.loyalty")

Nothing here is mocked: events go through the real outbox tables and the real
delivery code; configuration through the real service (validation, encryption).
This module must import without Django configured (pytest loads it early).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class HookCall:
    plugin_id: str
    hook: str
    kwargs: dict[str, Any]


class PluginKit:
    def __init__(self) -> None:
        from core.plugins.manager import get_manager

        self.manager = get_manager()
        self.calls: list[HookCall] = []
        self._registered: list[str] = []
        self.manager.observers.append(self._observe)

    def _observe(self, plugin_id: str, hook: str, kwargs: dict[str, Any]) -> None:
        self.calls.append(HookCall(plugin_id, hook, dict(kwargs)))

    # -- set-up -----------------------------------------------------------------------------

    def register(self, plugin: Any) -> Any:
        """Register a plugin instance for this test only (it runs before installed plugins)."""
        self.manager.register(plugin)
        self._registered.append(plugin.id)
        return plugin

    def activate(
        self,
        plugin_id: str,
        channel: str | None = None,
        config: dict[str, Any] | None = None,
        *,
        active: bool = True,
    ) -> Any:
        """Save configuration through the real service (validated, secrets encrypted)."""
        from core.plugins.services import update_plugin_configuration

        row = update_plugin_configuration(plugin_id, channel, active=active, values=config or {})
        self.manager.configs.reset()
        return row

    def deactivate(self, plugin_id: str, channel: str | None = None) -> None:
        self.activate(plugin_id, channel, active=False)

    def config(self, plugin_id: str, channel: str | None = None) -> Any:
        return self.manager.config(plugin_id, channel)

    # -- events -------------------------------------------------------------------------------

    def emit(self, event_type: str, payload: dict[str, Any], channel: str | None = None) -> Any:
        from core.events.outbox import emit

        return emit(event_type, payload, channel=channel)

    def deliver(self, *, ignore_backoff: bool = True, rounds: int = 1) -> dict[str, str | None]:
        """Deliver pending events now, synchronously. Returns ``{"<event>:<plugin>": status}``.

        With ``ignore_backoff`` retries are due at once; ``rounds`` > 1 repeats
        delivery to walk a failing plugin through its retries to dead-letter.
        """
        from django.utils import timezone

        from core.events.delivery import deliver_one
        from core.models import EventDelivery

        outcome: dict[str, str | None] = {}
        for _ in range(rounds):
            pending = EventDelivery.objects.filter(status=EventDelivery.Status.PENDING)
            if ignore_backoff:
                pending.update(next_attempt_at=timezone.now(), locked_until=None)
            for delivery_id, event_id, plugin_id in pending.values_list(
                "id", "event_id", "plugin_id"
            ):
                outcome[f"{event_id}:{plugin_id}"] = deliver_one(delivery_id)
        return outcome

    def redeliver(self, event_id: Any, plugin_id: str) -> str | None:
        """Deliver an event again to one plugin, as a retry after a lost acknowledgement would."""
        from core.events.delivery import deliver_one, requeue
        from core.models import EventDelivery

        delivery = EventDelivery.objects.get(event_id=event_id, plugin_id=plugin_id)
        EventDelivery.objects.filter(pk=delivery.pk).update(status=EventDelivery.Status.PENDING)
        requeue([delivery.pk])
        return deliver_one(delivery.pk)

    def pipeline(self, hook: str, value: Any, channel: str | None = None, **kwargs: Any) -> Any:
        """Run a pipeline hook through the active plugins, as the core does."""
        return self.manager.pipeline(hook, value, channel=channel, **kwargs)

    def decision(self, hook: str, channel: str | None = None, **kwargs: Any) -> Any:
        """Ask a decision hook, as the core does; a veto raises DomainError."""
        return self.manager.decision(hook, channel=channel, **kwargs)

    def deliveries(self, **filters: Any) -> list[Any]:
        from core.models import EventDelivery

        return list(EventDelivery.objects.filter(**filters).select_related("event"))

    # -- assertions -------------------------------------------------------------------------

    def calls_to(self, hook: str | None = None, plugin_id: str | None = None) -> list[HookCall]:
        return [
            call
            for call in self.calls
            if (hook is None or call.hook == hook)
            and (plugin_id is None or call.plugin_id == plugin_id)
        ]

    def called(self, hook: str, plugin_id: str | None = None) -> bool:
        return bool(self.calls_to(hook, plugin_id))

    def close(self) -> None:
        if self._observe in self.manager.observers:
            self.manager.observers.remove(self._observe)
        for plugin_id in self._registered:
            self.manager.unregister(plugin_id)
        self._registered.clear()
        self.manager.configs.reset()


@pytest.fixture
def plugin_kit(db: Any) -> Iterator[PluginKit]:
    """A :class:`PluginKit` bound to the running plugin manager; undone after the test."""
    kit = PluginKit()
    try:
        yield kit
    finally:
        kit.close()
