"""A payment gateway for development and tests: no network, deterministic outcomes.

Clients choose the outcome with ``data: {"result": "success" | "decline" | "pending"}``
(default success). A pending payment settles when the "provider" posts a signed
webhook to ``/plugins/fashionistar.payments.dummy/webhook/``::

    {"id": "evt_1", "psp_reference": "...", "type": "CHARGE_SUCCESS", "amount": "100.00"}

signed with ``X-Dummy-Signature: hex(HMAC-SHA256(webhook_secret, body))``. Replays of
the same event id change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, JsonResponse

from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType, PluginVeto
from payment.gateway import (
    PaymentGateway,
    TransactionAction,
    TransactionEventType,
    TransactionResult,
)

GATEWAY_ID = "fashionistar.payments.dummy"
T = TransactionEventType
DEFAULT_CURRENCIES = ["NGN", "USD", "EUR", "GBP", "GHS", "KES", "ZAR", "JPY", "KWD"]


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _reference() -> str:
    return f"dummy_{uuid.uuid4().hex[:20]}"


class DummyGatewayPlugin(BasePlugin):
    id = GATEWAY_ID
    name = "Dummy payments"
    description = "Pretend payments for development and tests: success, decline, pending."
    version = "1.0.0"
    default_active = True
    config_fields = (
        ConfigField(
            "currencies",
            FieldType.STRING_LIST,
            default=DEFAULT_CURRENCIES,
            label="Currencies",
            public=True,
        ),
        ConfigField(
            "webhook_secret",
            FieldType.SECRET,
            default="dummy-webhook-secret",
            help_text="Signs the pretend provider's webhooks (HMAC-SHA256).",
        ),
    )

    @hookimpl
    def payment_gateways(self, currency, config) -> list:
        return [
            PaymentGateway(
                id=GATEWAY_ID,
                name="Dummy",
                currencies=tuple(config["currencies"]),
                config=(("outcomes", "success,decline,pending"),),
            )
        ]

    @hookimpl
    def transaction_initialize(
        self, gateway_id, transaction, amount, action, data
    ) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        outcome = (data or {}).get("result", "success")
        charge = action == TransactionAction.CHARGE
        reference = _reference()
        if outcome == "decline":
            return TransactionResult(
                T.CHARGE_FAILURE if charge else T.AUTHORIZATION_FAILURE,
                amount,
                reference,
                message="Card declined (dummy).",
                raw_response={"status": "declined"},
            )
        if outcome == "pending":
            return TransactionResult(
                T.CHARGE_REQUEST if charge else T.AUTHORIZATION_REQUEST,
                amount,
                reference,
                message="Waiting for the provider (dummy).",
                data={"psp_reference": reference},
                raw_response={"status": "pending"},
            )
        return TransactionResult(
            T.CHARGE_SUCCESS if charge else T.AUTHORIZATION_SUCCESS,
            amount,
            reference,
            raw_response={"status": "success"},
        )

    @hookimpl
    def transaction_process(self, gateway_id, transaction, data) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        pending = transaction.charge_pending_value or transaction.authorize_pending_value
        if (data or {}).get("result", "success") != "success" or not pending:
            return TransactionResult(T.INFO, Decimal(0), message="Nothing to settle.")
        kind = T.CHARGE_SUCCESS if transaction.charge_pending_value else T.AUTHORIZATION_SUCCESS
        return TransactionResult(kind, pending, transaction.psp_reference)

    @hookimpl
    def authorize_payment(self, gateway_id, payment, amount, data) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        if (data or {}).get("token") == "declined":
            raise PluginVeto("The card was declined.", code="PAYMENT_DECLINED", field="token")
        return TransactionResult(T.CHARGE_SUCCESS, amount, _reference())

    @hookimpl
    def capture_payment(self, gateway_id, transaction, amount) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        return TransactionResult(T.CHARGE_SUCCESS, amount, _reference())

    @hookimpl
    def refund_payment(self, gateway_id, transaction, amount) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        return TransactionResult(T.REFUND_SUCCESS, amount, _reference())

    @hookimpl
    def cancel_payment(self, gateway_id, transaction) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        return TransactionResult(T.CANCEL_SUCCESS, transaction.authorized_value, _reference())

    @hookimpl
    def handle_webhook(self, request: HttpRequest, config) -> HttpResponse:
        from payment.models import Transaction
        from payment.services import record_event

        expected = sign(config["webhook_secret"] or "", request.body)
        given = request.headers.get("X-Dummy-Signature", "")
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise PluginVeto("Invalid signature.", code="INVALID_SIGNATURE")
        try:
            event = json.loads(request.body)
            kind = T(event["type"])
            amount = Decimal(str(event["amount"]))
            event_id = str(event["id"])
            reference = str(event["psp_reference"])
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise PluginVeto("Malformed event.", code="INVALID_PAYLOAD") from exc
        record = Transaction.objects.filter(gateway_id=GATEWAY_ID, psp_reference=reference).first()
        if record is None:
            return JsonResponse({"status": "unknown transaction"}, status=404)
        # The payment's reference, not the event id, identifies the outcome: a replay of
        # (type, reference) is recorded once and answers the pending request.
        record_event(record, kind, amount, reference, raw_response=event, message=event_id)
        return JsonResponse({"status": "ok"})
