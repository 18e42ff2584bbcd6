"""Outbox health figures for staff and the dashboard: backlog, dead letters, lag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, F, Min, Q
from django.utils import timezone


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    dead: int
    delivered_last_hour: int
    failed_attempts_pending: int
    oldest_pending_seconds: float | None
    average_lag_seconds_last_hour: float | None


def outbox_stats() -> OutboxStats:
    from core.models import EventDelivery

    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    status = EventDelivery.Status
    counts = EventDelivery.objects.aggregate(
        pending=Count("id", filter=Q(status=status.PENDING)),
        dead=Count("id", filter=Q(status=status.DEAD)),
        delivered=Count("id", filter=Q(status=status.DELIVERED, delivered_at__gte=hour_ago)),
        failing=Count("id", filter=Q(status=status.PENDING, attempts__gt=0)),
        oldest=Min("event__created_at", filter=Q(status=status.PENDING)),
        lag=Avg(
            F("delivered_at") - F("event__created_at"),
            filter=Q(status=status.DELIVERED, delivered_at__gte=hour_ago),
        ),
    )
    oldest = counts["oldest"]
    lag = counts["lag"]
    return OutboxStats(
        pending=counts["pending"],
        dead=counts["dead"],
        delivered_last_hour=counts["delivered"],
        failed_attempts_pending=counts["failing"],
        oldest_pending_seconds=(now - oldest).total_seconds() if oldest else None,
        average_lag_seconds_last_hour=lag.total_seconds() if lag is not None else None,
    )
