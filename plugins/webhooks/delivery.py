"""Sending webhook deliveries: sign, POST, record the attempt, retry or give up.

Each delivery (one event for one webhook) is claimed with a lease, like the
kernel's outbox: concurrent workers never send the same delivery at once, and a
worker killed mid-request leaves the lease to expire for the sweep. 2xx is
success; 5xx, timeouts and connection errors are retried with exponential
backoff up to ``WEBHOOKS_MAX_ATTEMPTS``; any other status (4xx, redirects) fails
at once: the receiver said no and repeating will not change its mind.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.events.delivery import backoff_seconds
from core.plugins.crypto import decrypt
from plugins.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from plugins.webhooks.security import UnsafeTarget, check_target, pinned_session

logger = logging.getLogger(__name__)

RESPONSE_LIMIT = 2000
LEASE_SECONDS = 120
#: A webhook is disabled only after this many failed attempts in its failing stretch.
DISABLE_MIN_FAILURES = 5
RESERVED_HEADERS = frozenset({"host", "content-type", "content-length", "user-agent"})

_session = pinned_session()


def sign(secret: str, timestamp: str, body: str) -> str:
    """Hex HMAC-SHA256 of ``"{timestamp}.{body}"`` with the webhook's secret."""
    message = f"{timestamp}.{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(webhook: Webhook, delivery: WebhookDelivery, timestamp: str) -> dict[str, str]:
    headers = dict(webhook.custom_headers or {})
    headers.update(
        {
            "Content-Type": "application/json",
            "User-Agent": "Fashionistar-Webhooks/1",
            "X-Fashionistar-Event": delivery.event_type,
            "X-Fashionistar-Delivery": str(delivery.event_id),
            "X-Fashionistar-Timestamp": timestamp,
            "X-Fashionistar-Signature": sign(decrypt(webhook.secret), timestamp, delivery.body),
        }
    )
    return headers


def _due(now: Any) -> Any:
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))


def claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook", "webhook__app")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
            # Earlier attempts died before recording an outcome (lease expired): stop here.
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = delivery.last_error or "the sender failed on every attempt"
            delivery.locked_until = None
            delivery.save(update_fields=["status", "last_error", "locked_until", "updated_at"])
            return None
        delivery.attempts += 1
        delivery.locked_until = now + timedelta(seconds=LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "locked_until", "updated_at"])
    return delivery


def due_ids(limit: int = 500) -> list[int]:
    return list(
        _due(timezone.now()).order_by("next_attempt_at").values_list("id", flat=True)[:limit]
    )


def send(delivery_id: int) -> str | None:
    """Attempt one delivery now; returns its new status, or None when it was not due."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    webhook = delivery.webhook
    if not (webhook.is_active and webhook.app.is_active):
        return _finish(delivery, WebhookDelivery.Status.FAILED, "webhook or app is inactive")
    started = time.monotonic()
    status_code: int | None = None
    response_text = ""
    error = ""
    retriable = False
    try:
        check_target(webhook.target_url)
        timestamp = str(int(time.time()))
        response = _session.post(
            webhook.target_url,
            data=delivery.body.encode(),
            headers=headers_for(webhook, delivery, timestamp),
            timeout=settings.WEBHOOKS_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
        response_text = response.text[:RESPONSE_LIMIT]
        retriable = status_code >= 500
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except UnsafeTarget as exc:
        error = f"refused target: {exc.errors[0].message}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:RESPONSE_LIMIT]
        retriable = True
    duration_ms = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.tries.count() + 1,
        status_code=status_code,
        duration_ms=duration_ms,
        response_body=response_text,
        error=error,
    )
    if not error:
        Webhook.objects.filter(pk=webhook.pk, failing_since__isnull=False).update(
            failing_since=None
        )
        return _finish(delivery, WebhookDelivery.Status.SUCCESS, "")
    _note_failure(webhook)
    if retriable and delivery.attempts < settings.WEBHOOKS_MAX_ATTEMPTS:
        delay = backoff_seconds(delivery.attempts)
        _finish(
            delivery,
            WebhookDelivery.Status.PENDING,
            error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        _schedule_retry(delivery.pk, delay)
        return WebhookDelivery.Status.PENDING
    return _finish(delivery, WebhookDelivery.Status.FAILED, error)


def _finish(delivery: WebhookDelivery, status: str, error: str, **changes: Any) -> str:
    WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
        status=status, last_error=error, locked_until=None, updated_at=timezone.now(), **changes
    )
    return status


def _schedule_retry(delivery_id: int, delay: float) -> None:
    """A worker retries after ``delay``; in-process (eager) mode leaves it to the sweep."""
    from core.celery import app
    from plugins.webhooks.tasks import send_delivery_task

    if app.conf.task_always_eager:
        return
    try:
        send_delivery_task.apply_async(args=[delivery_id], countdown=delay, retry=False)
    except (BrokerError, ConnectionError, OSError):
        logger.warning("broker unavailable; webhook delivery %s left to the sweep", delivery_id)


def _note_failure(webhook: Webhook) -> None:
    """Start or extend the webhook's failing stretch; disable it when it lasted too long."""
    now = timezone.now()
    Webhook.objects.filter(pk=webhook.pk, failing_since__isnull=True).update(failing_since=now)
    with transaction.atomic():
        locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if not locked.is_active or locked.failing_since is None:
            return
        if now - locked.failing_since < timedelta(seconds=settings.WEBHOOKS_DISABLE_AFTER_SECONDS):
            return
        failures = (
            WebhookAttempt.objects.filter(
                delivery__webhook=locked, created_at__gte=locked.failing_since
            )
            .exclude(error="")
            .count()
        )
        if failures < DISABLE_MIN_FAILURES:
            return
        locked.is_active = False
        locked.disabled_reason = (
            f"Disabled automatically at {now:%Y-%m-%d %H:%M} UTC after {failures} failed "
            f"attempts since {locked.failing_since:%Y-%m-%d %H:%M} UTC."
        )
        locked.save(update_fields=["is_active", "disabled_reason", "updated_at"])
        notify_staff_disabled(locked)


def notify_staff_disabled(webhook: Webhook) -> int:
    """Tell every active staff member who manages apps, through ``notification_requested``."""
    from django.contrib.auth import get_user_model

    from core.events.outbox import emit

    User = get_user_model()  # noqa: N806
    manage = Q(
        user_permissions__codename="manage_apps",
        user_permissions__content_type__app_label="webhooks",
    )
    via_group = Q(
        groups__permissions__codename="manage_apps",
        groups__permissions__content_type__app_label="webhooks",
    )
    recipients = (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(manage | via_group | Q(is_superuser=True))
        .exclude(email__isnull=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    sent = 0
    for email in recipients:
        emit(
            "notification_requested",
            {
                "template": "webhook_disabled",
                "channel_type": "email",
                "recipient": email,
                "context": {
                    "app": webhook.app.name,
                    "webhook": webhook.name,
                    "target": webhook.target_url,
                    "reason": webhook.disabled_reason,
                },
            },
        )
        sent += 1
    return sent
