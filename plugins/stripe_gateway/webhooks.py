"""Stripe's webhook: ``POST /plugins/fashionistar.payments.stripe/webhook/<channel>/``.

1. The ``Stripe-Signature`` header (``t=<timestamp>,v1=<HMAC-SHA256 of "t.body">``) is
   verified with the channel's signing secret by the ``stripe`` library before the body
   is parsed; a signature older than ``STRIPE_WEBHOOK_TOLERANCE_SECONDS`` (default 300)
   is refused too, so a captured request cannot be replayed later. Refused: 400.
2. Each event is stored once under Stripe's event id; a replay answers 200 and does
   nothing.
3. ``payment_intent.*`` events settle the transaction from the intent they carry;
   an event showing less progress than what is recorded (delivered out of order) is
   kept as STALE and changes nothing. ``charge.refunded`` records the charge's refunds
   (listed from Stripe when the event does not carry them, before the database
   transaction opens). Unknown PaymentIntents are kept and answered 200.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

import stripe
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.errors import PluginVeto
from core.plugins.base import PluginConfig
from core.plugins.manager import get_manager
from payment.models import Transaction
from payment.services import record_event, record_result
from plugins.stripe_gateway import outcomes
from plugins.stripe_gateway.client import (
    StripeRefused,
    StripeUnavailable,
    as_dict,
    call,
    make_client,
    setting,
)
from plugins.stripe_gateway.models import StripeWebhookEvent

logger = logging.getLogger(__name__)

Outcome = StripeWebhookEvent.Outcome
GATEWAY_ID = "fashionistar.payments.stripe"
SIGNATURE_HEADER = "Stripe-Signature"


def tolerance() -> int:
    return int(setting("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300))


def handle(request: HttpRequest, channel: str | None, config: PluginConfig) -> HttpResponse:
    secret = config.get("webhook_secret") or ""
    if not secret or not config.get("secret_key"):
        raise PluginVeto("Stripe is not configured here.", code="NOT_CONFIGURED")
    try:
        stripe.WebhookSignature.verify_header(
            request.body, request.headers.get(SIGNATURE_HEADER), secret, tolerance()
        )
    except stripe.SignatureVerificationError as exc:
        raise PluginVeto("Invalid signature.", code="INVALID_SIGNATURE") from exc
    except UnicodeDecodeError as exc:
        raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD") from exc
    try:
        event = json.loads(request.body)
        event_id = str(event["id"])
        kind = str(event["type"])
        obj = event["data"]["object"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD") from exc
    if not isinstance(obj, dict):
        raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD")
    if StripeWebhookEvent.objects.filter(event_id=event_id).exists():
        return JsonResponse({"status": "duplicate"})
    reference = str(obj.get("payment_intent") or obj.get("id") or "")
    record = find_transaction(reference, config)
    # Network calls happen here, before the database transaction opens.
    prepared = _prepare(kind, obj, record, config)
    with transaction.atomic():
        row, created = StripeWebhookEvent.objects.get_or_create(
            event_id=event_id[:255],
            defaults={
                "type": kind[:128],
                "reference": reference[:255],
                "channel_slug": channel or "",
                "outcome": Outcome.IGNORED,
                "payload": outcomes.sanitize(event),
            },
        )
        if not created:
            return JsonResponse({"status": "duplicate"})
        handler = HANDLERS.get(kind)
        if handler is not None:
            if record is None:
                row.outcome = Outcome.UNKNOWN_REFERENCE
            else:
                row.outcome = handler(record, obj, prepared)
                row.transaction = record
            row.save(update_fields=["outcome", "transaction"])
    if row.outcome == Outcome.UNKNOWN_REFERENCE:
        logger.warning(
            "stripe %s for unknown reference %r kept for support (event %s)",
            kind,
            reference,
            event_id,
        )
    return JsonResponse({"status": row.outcome.lower()})


def find_transaction(reference: str, config: PluginConfig) -> Transaction | None:
    """Our transaction for this PaymentIntent, if it belongs to the Stripe account whose
    webhook this is (channels may use different Stripe accounts)."""
    if not reference.startswith("pi_"):
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


def _prepare(kind: str, obj: dict, record: Transaction | None, config: PluginConfig) -> Any:
    """Refunds of a charge: from the event when it carries them, else listed from Stripe."""
    if kind != "charge.refunded" or record is None:
        return None
    embedded = obj.get("refunds")
    if isinstance(embedded, dict) and not embedded.get("has_more"):
        return list(embedded.get("data") or [])
    client = make_client(config["secret_key"])
    try:
        listing = call(
            client.v1.refunds.list, {"payment_intent": record.psp_reference, "limit": 100}
        )
    except (StripeUnavailable, StripeRefused) as exc:
        # Answer non-2xx: Stripe delivers the event again later.
        raise PluginVeto(
            "Stripe's refunds cannot be read right now.", code="PAYMENT_PROVIDER_UNAVAILABLE"
        ) from exc
    return list(as_dict(listing).get("data") or [])


def _settle(record: Transaction, result: Any) -> str:
    if outcomes.is_review(result):
        outcomes.flag_order(record, result)
        record_result(record, result)
        return Outcome.FLAGGED
    if outcomes.stale(record, result):
        return Outcome.STALE
    record_result(record, result)
    return Outcome.PROCESSED


def intent_event(record: Transaction, intent: dict, prepared: Any) -> str:
    outcome = _settle(record, outcomes.from_intent(record, intent))
    if outcome == Outcome.PROCESSED and intent.get("status") == "succeeded":
        release_rest(record, str(intent.get("id")))
    return outcome


def intent_failed(record: Transaction, intent: dict, prepared: Any) -> str:
    return _settle(record, outcomes.failure(record, intent))


def release_rest(record: Transaction, intent_id: str) -> None:
    """After a (partial) capture Stripe releases what is left of the authorization."""
    record.refresh_from_db()
    if record.authorized_value > 0:
        record_event(
            record,
            outcomes.T.CANCEL_SUCCESS,
            record.authorized_value,
            f"{intent_id}:released",
            message="Stripe released the part of the authorization that was not captured.",
        )


def charge_refunded(record: Transaction, charge: dict, refunds: Any) -> str:
    for refund in refunds or []:
        result = outcomes.from_refund(record, as_dict(refund))
        if result is not None:
            record_result(record, result)
    return Outcome.PROCESSED


HANDLERS: dict[str, Callable[[Transaction, dict, Any], str]] = {
    "payment_intent.succeeded": intent_event,
    "payment_intent.amount_capturable_updated": intent_event,
    "payment_intent.canceled": intent_event,
    "payment_intent.processing": intent_event,
    "payment_intent.payment_failed": intent_failed,
    "charge.refunded": charge_refunded,
}
