"""Celery tasks of the core: event delivery and the outbox sweep."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.events.delivery import deliver_event, due_event_ids


@shared_task(name="core.deliver_event", ignore_result=True, acks_late=True)
def deliver_event_task(event_id: str) -> None:
    deliver_event(event_id)


@shared_task(name="core.sweep_outbox", ignore_result=True)
def sweep_outbox_task() -> int:
    """Re-deliver whatever is due: lost enqueues (broker down), retries, expired leases."""
    from core.events.outbox import enqueue_delivery

    event_ids = due_event_ids(settings.OUTBOX_SWEEP_BATCH)
    for event_id in event_ids:
        if not enqueue_delivery(event_id):
            deliver_event(event_id)
    return len(event_ids)
