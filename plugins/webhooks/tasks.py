"""Celery tasks: send one webhook delivery; sweep what is due (retries, lost enqueues)."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from plugins.webhooks import delivery

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.send", ignore_result=True, acks_late=True)
def send_delivery_task(delivery_id: int) -> None:
    delivery.send(delivery_id)


@shared_task(name="webhooks.sweep", ignore_result=True)
def sweep_task() -> int:
    """Send every due delivery: retries whose backoff elapsed and enqueues the broker lost."""
    ids = delivery.due_ids()
    enqueue_sends(ids)
    return len(ids)


def enqueue_sends(delivery_ids: list[int]) -> None:
    """One task per delivery, so each webhook is sent and retried on its own."""
    for delivery_id in delivery_ids:
        try:
            send_delivery_task.apply_async(args=[delivery_id], retry=False)
        except (BrokerError, ConnectionError, OSError) as exc:
            logger.warning(
                "broker unavailable, webhook delivery %s left to the sweep: %s", delivery_id, exc
            )
