"""Writing events: ``emit`` inside the service's transaction."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.hookspecs import HookKind
from core.plugins.manager import channel_slug, get_manager
from core.request_context import current_request_id

logger = logging.getLogger(__name__)


class UnknownEvent(ValueError):
    pass


def emit(event_type: str, payload: dict[str, Any], *, channel: Any = None) -> uuid.UUID | None:
    """Record an event for every plugin active in ``channel`` that implements it.

    Call it inside the transaction that makes the change: if that transaction
    rolls back, the event never existed. Delivery is queued after commit; when
    the broker is down the periodic sweep delivers it later. Returns the event
    id, or None when no plugin listens (nothing is written then).
    """
    from core.models import EventDelivery, OutboxEvent

    manager = get_manager()
    if manager.hook_kind(event_type) is not HookKind.EVENT:
        raise UnknownEvent(f"{event_type!r} is not an event hook in core/hookspecs.py")
    slug = channel_slug(channel)
    subscribers = manager.event_subscribers(event_type, slug)
    if not subscribers:
        return None
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        event = OutboxEvent.objects.create(
            event_type=event_type,
            channel_slug=slug,
            payload=payload,
            request_id=current_request_id() if current_request_id() != "-" else "",
            created_at=now,
        )
        EventDelivery.objects.bulk_create(
            EventDelivery(event=event, plugin_id=plugin_id, next_attempt_at=now)
            for plugin_id in subscribers
        )
    transaction.on_commit(lambda: enqueue_delivery(event.id))
    return event.id


def enqueue_delivery(event_id: uuid.UUID) -> bool:
    """Hand the event to a worker; if the broker is unreachable the sweep will do it."""
    from core.tasks import deliver_event_task

    try:
        deliver_event_task.apply_async(args=[str(event_id)], retry=False)
    except (BrokerError, ConnectionError, OSError) as exc:
        logger.warning("broker unavailable, event %s left to the outbox sweep: %s", event_id, exc)
        return False
    return True
