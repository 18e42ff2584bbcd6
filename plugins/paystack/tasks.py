"""Reconciliation: settle Paystack payments and refunds still pending.

A customer may close the tab after paying and Paystack's webhook may be lost; the
payment then stays "charge pending" here although Paystack has the money. Every
``PAYSTACK_RECONCILE_INTERVAL_SECONDS`` (default 10 minutes) Celery beat runs
:func:`reconcile_pending`, which asks Paystack ("verify transaction", "fetch refund")
about pending transactions older than ``PAYSTACK_RECONCILE_MIN_AGE_SECONDS`` (the
webhook usually wins) and younger than ``PAYSTACK_RECONCILE_MAX_AGE_SECONDS``, and
records the outcome exactly as the webhook would. A payment Paystack still calls
``abandoned`` after ``PAYSTACK_ABANDON_AFTER_SECONDS`` is recorded as failed, which
releases the pending amount (a late payment is still recorded if its webhook comes).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from core.plugins.manager import get_manager
from payment.gateway import TransactionEventType
from payment.models import Transaction
from payment.services import record_event, record_result
from plugins.paystack import outcomes
from plugins.paystack.client import PaystackClient, PaystackError
from plugins.paystack.conf import seconds

logger = logging.getLogger(__name__)

T = TransactionEventType
GATEWAY_ID = "fashionistar.payments.paystack"
TASK_NAME = "paystack.reconcile_pending"


def _seconds(name: str, default: float) -> timedelta:
    return timedelta(seconds=seconds(name, default))


def pending_transactions(limit: int) -> list[Transaction]:
    now = timezone.now()
    pending = (
        Q(charge_pending_value__gt=0)
        | Q(authorize_pending_value__gt=0)
        | Q(refund_pending_value__gt=0)
    )
    flagged = Transaction.objects.filter(
        events__type=T.INFO, events__psp_reference__endswith=outcomes.REVIEW_SUFFIX
    ).values("pk")
    return list(
        Transaction.objects.select_related("channel")
        .filter(
            pending,
            gateway_id=GATEWAY_ID,
            created_at__lte=now - _seconds("PAYSTACK_RECONCILE_MIN_AGE_SECONDS", 300),
            created_at__gte=now - _seconds("PAYSTACK_RECONCILE_MAX_AGE_SECONDS", 7 * 86400),
        )
        .exclude(pk__in=flagged)
        .order_by("updated_at", "pk")[:limit]
    )


def reconcile_transaction(record: Transaction, client: PaystackClient) -> str:
    """Ask Paystack about one transaction; return what happened (for the task's summary)."""
    outcome = "waiting"
    if record.charge_pending_value > 0 or record.authorize_pending_value > 0:
        asked = outcomes.requested(record, record.psp_reference)
        if asked is not None and asked.kind is T.AUTHORIZATION_REQUEST:
            answer = client.verify_preauthorization(record.psp_reference)
        else:
            answer = client.verify(record.psp_reference)
        age = timezone.now() - record.created_at
        give_up = age >= _seconds("PAYSTACK_ABANDON_AFTER_SECONDS", 86400)
        result = outcomes.outcome(record, answer, give_up=give_up)
        if outcomes.is_review(result):
            outcomes.flag_order(record, result)
            outcome = "flagged"
        elif result.result is not T.INFO:
            outcome = "settled"
        if result.result is not T.INFO or outcomes.is_review(result):
            record_result(record, result)
    for request in outcomes.unanswered(record, T.REFUND_REQUEST):
        refund = client.fetch_refund(request.psp_reference)
        status = str(refund.get("status") or "").lower()
        if status not in {"processed", "failed"}:
            continue
        record_event(
            record,
            T.REFUND_SUCCESS if status == "processed" else T.REFUND_FAILURE,
            request.amount,
            request.psp_reference,
            message=f"Paystack: refund {status} (reconciliation).",
            raw_response=outcomes.sanitize(refund),
        )
        outcome = "settled"
    return outcome


@shared_task(name=TASK_NAME)
def reconcile_pending(limit: int = 200) -> dict[str, Any]:
    """Settle up to ``limit`` pending Paystack transactions; a failure skips to the next."""
    manager = get_manager()
    summary: dict[str, Any] = {"checked": 0, "settled": 0, "flagged": 0, "errors": 0}
    for record in pending_transactions(limit):
        secret = manager.config(GATEWAY_ID, record.channel.slug).get("secret_key")
        if not secret:
            continue
        summary["checked"] += 1
        try:
            outcome = reconcile_transaction(record, PaystackClient(secret))
        except PaystackError as error:
            summary["errors"] += 1
            logger.warning(
                "paystack reconciliation of transaction %s failed: %s", record.token, error
            )
            continue
        if outcome in ("settled", "flagged"):
            summary[outcome] += 1
    if summary["checked"]:
        logger.info("paystack reconciliation: %s", summary)
    return summary
