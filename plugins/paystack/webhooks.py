"""Paystack's webhook: ``POST /plugins/fashionistar.payments.paystack/webhook/<channel>/``.

1. The ``x-paystack-signature`` header must be the hex HMAC-SHA512 of the raw body
   keyed with the channel's secret key; it is checked before the body is parsed. A bad
   or missing signature answers 400 and changes nothing.
2. Each accepted event is stored once (:class:`PaystackWebhookEvent`, unique ``key``);
   a replay finds its row and answers 200 without doing anything again.
3. In the same database transaction: ``charge.success`` settles the payment (or flags
   it for review when the amount or currency differs from our record);
   ``refund.processed``/``refund.failed`` answer the pending refund request of the same
   amount; ``transfer.*`` are passed on to plugins as ``payment_transfer_updated``.
   References we do not know are kept (outcome UNKNOWN_REFERENCE) and answered 200, so
   Paystack stops retrying and support can look at them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.errors import PluginVeto
from core.events.outbox import emit
from core.money import from_minor_units
from core.plugins.base import PluginConfig
from core.plugins.manager import get_manager
from payment.gateway import TransactionEventType
from payment.models import Transaction
from payment.services import record_event, record_result
from plugins.paystack import outcomes
from plugins.paystack.models import PaystackWebhookEvent

logger = logging.getLogger(__name__)

T = TransactionEventType
Outcome = PaystackWebhookEvent.Outcome
SIGNATURE_HEADER = "x-paystack-signature"
GATEWAY_ID = "fashionistar.payments.paystack"


def sign(secret: str, body: bytes) -> str:
    """Paystack's signature of ``body``: hex HMAC-SHA512 keyed with the secret key."""
    return hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()


def signature_valid(secret: str, body: bytes, given: str) -> bool:
    # Compare bytes: the header is attacker-controlled and may hold non-ASCII text.
    return hmac.compare_digest(sign(secret, body).encode(), given.strip().lower().encode())


def handle(request: HttpRequest, channel: str | None, config: PluginConfig) -> HttpResponse:
    secret = config.get("secret_key") or ""
    if not secret:
        raise PluginVeto("Paystack is not configured here.", code="NOT_CONFIGURED")
    if not signature_valid(secret, request.body, request.headers.get(SIGNATURE_HEADER, "")):
        raise PluginVeto("Invalid signature.", code="INVALID_SIGNATURE")
    try:
        payload = json.loads(request.body)
        event = str(payload["event"])
        data = payload["data"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD") from exc
    if not isinstance(data, dict):
        raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD")
    reference, identity = _identity(event, data)
    key = hashlib.sha256(f"{event}\x1f{identity}".encode()).hexdigest()
    with transaction.atomic():
        row, created = PaystackWebhookEvent.objects.get_or_create(
            key=key,
            defaults={
                "event": event[:64],
                "reference": reference[:255],
                "channel_slug": channel or "",
                "outcome": Outcome.IGNORED,
                "payload": outcomes.sanitize(payload),
            },
        )
        if not created:
            return JsonResponse({"status": "duplicate"})
        handler = HANDLERS.get(event)
        if handler is not None:
            row.outcome, row.transaction = handler(event, data, channel, config)
            row.save(update_fields=["outcome", "transaction"])
    if row.outcome == Outcome.UNKNOWN_REFERENCE:
        logger.warning(
            "paystack %s for unknown reference %r kept for support (webhook event %s)",
            event,
            reference,
            row.pk,
        )
    return JsonResponse({"status": row.outcome.lower()})


def _identity(event: str, data: dict[str, Any]) -> tuple[str, str]:
    """(reference to show, what makes this provider event unique)."""
    if event.startswith("transfer."):
        code = str(data.get("transfer_code") or data.get("id") or "")
        return str(data.get("reference") or code), code or _digest(data)
    if event.startswith("refund."):
        reference = str(data.get("transaction_reference") or "")
        refund = str(data.get("refund_reference") or data.get("id") or _digest(data))
        return reference, f"{reference}\x1f{refund}\x1f{data.get('amount')}"
    reference = str(data.get("reference") or "")
    return reference, reference or _digest(data)


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def find_transaction(reference: str, config: PluginConfig) -> Transaction | None:
    """Our transaction with this reference, if it belongs to the Paystack account that
    signed the webhook (channels may use different Paystack accounts)."""
    if not reference:
        return None
    record = (
        Transaction.objects.select_related("channel")
        .filter(gateway_id=GATEWAY_ID, psp_reference=reference)
        .first()
    )
    if record is None:
        return None
    own = get_manager().config(GATEWAY_ID, record.channel.slug).get("secret_key") or ""
    if not hmac.compare_digest(own.encode(), (config.get("secret_key") or "").encode()):
        return None
    return record


Handled = tuple[str, Transaction | None]


def charge_success(
    event: str, data: dict[str, Any], channel: str | None, config: PluginConfig
) -> Handled:
    record = find_transaction(str(data.get("reference") or ""), config)
    if record is None:
        return Outcome.UNKNOWN_REFERENCE, None
    result = outcomes.outcome(record, data)
    if outcomes.is_review(result):
        outcomes.flag_order(record, result)
        record_result(record, result)
        return Outcome.FLAGGED, record
    record_result(record, result)
    return Outcome.PROCESSED, record


def refund_event(
    event: str, data: dict[str, Any], channel: str | None, config: PluginConfig
) -> Handled:
    """A refund reached its final state. Paystack does not send the refund's id, so the
    pending refund request of the same amount (oldest first) is the one answered."""
    record = find_transaction(str(data.get("transaction_reference") or ""), config)
    if record is None:
        return Outcome.UNKNOWN_REFERENCE, None
    units, currency = outcomes.reported(data, record.currency)
    processed = str(data.get("status") or "").lower() == "processed"
    kind = T.REFUND_SUCCESS if processed else T.REFUND_FAILURE
    pending = []
    if units is not None and currency == record.currency:
        amount = from_minor_units(units, currency).amount
        pending = [e for e in outcomes.unanswered(record, T.REFUND_REQUEST) if e.amount == amount]
    if pending:
        record_event(
            record,
            kind,
            pending[0].amount,
            pending[0].psp_reference,
            message=f"Paystack: refund {data.get('status')} "
            f"(refund reference {data.get('refund_reference') or '-'}).",
            raw_response=outcomes.sanitize(data),
        )
        return Outcome.PROCESSED, record
    # Not requested here (made on Paystack's dashboard) or its request is still being
    # recorded: say so on the transaction and leave the amounts to staff and the
    # reconciliation, never count a refund twice.
    refund_reference = str(data.get("refund_reference") or _digest(data))
    record_event(
        record,
        T.INFO,
        0,
        f"paystack-{data.get('status')}-refund:{refund_reference}"[:512],
        message=f"Paystack reports a refund of {outcomes.describe(units, currency)} "
        f"({data.get('status')}) that matches no pending refund here; check the Paystack "
        "dashboard.",
        raw_response=outcomes.sanitize(data),
    )
    return Outcome.UNMATCHED, record


def transfer_event(
    event: str, data: dict[str, Any], channel: str | None, config: PluginConfig
) -> Handled:
    currency = str(data.get("currency") or "").upper()
    units = outcomes.minor_units(data.get("amount"))
    try:
        amount = str(from_minor_units(units, currency).amount) if units is not None else None
    except (TypeError, ValueError):
        amount = None
    recipient = data.get("recipient") if isinstance(data.get("recipient"), dict) else {}
    status = str(data.get("status") or "").lower()
    emit(
        "payment_transfer_updated",
        {
            "transfer": {
                "gateway": GATEWAY_ID,
                "status": status,
                "reference": str(data.get("reference") or ""),
                "psp_reference": str(data.get("transfer_code") or ""),
                "amount": amount,
                "currency": currency,
                "reason": str(data.get("reason") or ""),
                "recipient": str(recipient.get("recipient_code") or ""),
                "provider_event": event,
                "occurred_at": data.get("updated_at") or data.get("transferred_at"),
                "raw": outcomes.sanitize(data),
            }
        },
        channel=channel,
    )
    return Outcome.EMITTED, None


Handler = Callable[[str, dict[str, Any], str | None, PluginConfig], Handled]
HANDLERS: dict[str, Handler] = {
    "charge.success": charge_success,
    "refund.processed": refund_event,
    "refund.failed": refund_event,
    "transfer.success": transfer_event,
    "transfer.failed": transfer_event,
    "transfer.reversed": transfer_event,
}
