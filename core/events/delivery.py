"""Delivering events to plugins: claim, call, record. At least once, per plugin.

A delivery is *claimed* by bumping its attempt count and setting a lease
(``locked_until``) in a short transaction; the handler then runs in its own
transaction; the outcome is recorded with a compare-and-set on the attempt
number. A worker killed mid-delivery leaves the lease to expire and the sweep
delivers again, with the same event id.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.events.types import Event
from core.plugins.manager import get_manager
from core.telemetry import tracer

logger = logging.getLogger(__name__)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with +/-20 % jitter, capped."""
    base = settings.OUTBOX_BACKOFF_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return min(base, settings.OUTBOX_BACKOFF_MAX_SECONDS) * random.uniform(0.8, 1.2)


def _due(now):  # noqa: ANN001, ANN202
    from core.models import EventDelivery

    return EventDelivery.objects.filter(
        status=EventDelivery.Status.PENDING, next_attempt_at__lte=now
    ).filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))


def claim(delivery_id: int):  # noqa: ANN201 - EventDelivery | None
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.locked_until = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "locked_until", "updated_at"])
    return delivery


def _record(delivery, **changes) -> bool:  # noqa: ANN001
    from core.models import EventDelivery

    return bool(
        EventDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            locked_until=None, updated_at=timezone.now(), **changes
        )
    )


def deliver_one(delivery_id: int) -> str | None:
    """Try one delivery now. Returns the resulting status, or None if it was not due."""
    from core.models import EventDelivery

    delivery = claim(delivery_id)
    if delivery is None:
        return None
    status = EventDelivery.Status
    manager = get_manager()
    outbox_event = delivery.event
    lag = (timezone.now() - outbox_event.created_at).total_seconds()
    with tracer.start_as_current_span(
        f"outbox.deliver {outbox_event.event_type}",
        attributes={
            "plugin.id": delivery.plugin_id,
            "event.id": str(outbox_event.id),
            "event.type": outbox_event.event_type,
            "outbox.attempt": delivery.attempts,
            "outbox.lag_seconds": lag,
        },
    ) as span:
        if delivery.plugin_id not in manager.loaded:
            return _fail(delivery, "plugin is not installed in this process", span)
        config = manager.config(delivery.plugin_id, outbox_event.channel_slug)
        if not config.active:
            _record(delivery, status=status.SKIPPED, last_error="plugin inactive in channel")
            span.set_attribute("outbox.outcome", "skipped")
            return status.SKIPPED
        event = Event(
            id=outbox_event.id,
            type=outbox_event.event_type,
            channel=outbox_event.channel_slug,
            payload=outbox_event.payload,
            occurred_at=outbox_event.created_at,
            attempt=delivery.attempts,
        )
        try:
            with transaction.atomic():
                manager.call_plugin(
                    delivery.plugin_id,
                    outbox_event.event_type,
                    channel=outbox_event.channel_slug,
                    event=event,
                )
        except Exception as exc:  # noqa: BLE001 - recorded on the delivery, logged, retried
            logger.warning(
                "event %s (%s) to plugin %s failed on attempt %s",
                outbox_event.id,
                outbox_event.event_type,
                delivery.plugin_id,
                delivery.attempts,
                exc_info=True,
            )
            return _fail(delivery, f"{type(exc).__name__}: {exc}", span)
        _record(delivery, status=status.DELIVERED, delivered_at=timezone.now(), last_error="")
        span.set_attribute("outbox.outcome", "delivered")
        return status.DELIVERED


def _fail(delivery, error: str, span) -> str:  # noqa: ANN001
    from core.models import EventDelivery

    span.set_attribute("outbox.outcome", "failed")
    if delivery.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _record(delivery, status=EventDelivery.Status.DEAD, last_error=error[:4000])
        logger.error(
            "event %s to plugin %s dead-lettered after %s attempts: %s",
            delivery.event_id,
            delivery.plugin_id,
            delivery.attempts,
            error,
        )
        return EventDelivery.Status.DEAD
    retry_at = timezone.now() + timedelta(seconds=backoff_seconds(delivery.attempts))
    _record(delivery, next_attempt_at=retry_at, last_error=error[:4000])
    return EventDelivery.Status.PENDING


def deliver_event(event_id: uuid.UUID | str) -> dict[str, str | None]:
    """Deliver every due delivery of one event; each plugin independently."""
    from core.models import EventDelivery

    ids = list(
        EventDelivery.objects.filter(
            event_id=event_id, status=EventDelivery.Status.PENDING
        ).values_list("id", "plugin_id")
    )
    return {plugin_id: deliver_one(delivery_id) for delivery_id, plugin_id in ids}


def due_event_ids(limit: int) -> list[uuid.UUID]:
    """Events with a delivery that is due and not leased: the sweep's work list."""
    grace = timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
    now = timezone.now()
    rows = (
        _due(now)
        .filter(Q(attempts__gt=0) | Q(event__created_at__lte=now - grace))
        .order_by("next_attempt_at")
        .values_list("event_id", flat=True)[: limit * 4]
    )
    return list(dict.fromkeys(rows))[:limit]


def requeue(delivery_ids: list[int]) -> int:
    """Staff re-queue of dead (or pending) deliveries: fresh attempts, due now."""
    from core.models import EventDelivery

    return EventDelivery.objects.filter(
        pk__in=delivery_ids,
        status__in=[EventDelivery.Status.DEAD, EventDelivery.Status.PENDING],
    ).update(
        status=EventDelivery.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        locked_until=None,
        updated_at=timezone.now(),
    )
