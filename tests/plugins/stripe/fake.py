"""A fake Stripe API (v1) with Stripe's object shapes, and Stripe-signed webhook events.

Objects follow https://docs.stripe.com/api (PaymentIntent, Refund, Charge, list
objects, error objects); requests are form-encoded like Stripe's; idempotency keys are
honoured (a repeated key returns the first answer). Webhook signatures are computed
with Stripe's scheme, written out here: ``t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" keyed with the endpoint's signing secret>``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from tests.plugins.fakehttp import FakeProvider, Seen

_counter = itertools.count(1)


def _id(prefix: str) -> str:
    return f"{prefix}_{next(_counter):04d}{secrets.token_hex(8)}"


def form(body: bytes) -> dict[str, Any]:
    """Stripe's form encoding (``metadata[key]=value``) back to nested dicts."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def signature_header(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def error(status: int, kind: str, message: str, code: str = "") -> tuple[int, Any]:
    return status, {"error": {"type": kind, "message": message, "code": code or None}}


@dataclass
class FakeStripe(FakeProvider):
    secret_key: str = "sk_test_fake"
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, tuple[int, Any]] = field(default_factory=dict)
    refund_status: str = "succeeded"

    def __post_init__(self) -> None:
        self.route("POST", "/v1/payment_intents", self._create_intent)
        self.route("GET", "/v1/payment_intents/([^/]+)", self._get_intent)
        self.route("POST", "/v1/payment_intents/([^/]+)/capture", self._capture)
        self.route("POST", "/v1/payment_intents/([^/]+)/cancel", self._cancel)
        self.route("POST", "/v1/refunds", self._create_refund)
        self.route("GET", "/v1/refunds", self._list_refunds)

    def dispatch(self, seen: Seen) -> tuple[int, Any]:
        if self.down:
            return 500, {"error": {"type": "api_error", "message": "Stripe is down."}}
        if seen.headers.get("Authorization") != f"Bearer {self.secret_key}":
            return error(401, "invalid_request_error", "Invalid API Key provided: sk_test_****")
        key = seen.headers.get("Idempotency-Key")
        if seen.method == "POST" and key and key in self.idempotent:
            return self.idempotent[key]
        answer = super().dispatch(seen)
        if seen.method == "POST" and key:
            self.idempotent[key] = answer
        return answer

    # -- objects --------------------------------------------------------------------------

    def _create_intent(self, seen: Seen) -> tuple[int, Any]:
        params = form(seen.body)
        intent_id = _id("pi")
        self.intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_capturable": 0,
            "amount_received": 0,
            "automatic_payment_methods": {"enabled": True},
            "capture_method": params.get("capture_method", "automatic_async"),
            "cancellation_reason": None,
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
            "created": int(time.time()),
            "currency": params["currency"],
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": params.get("metadata", {}),
            "payment_method": None,
            "status": "requires_payment_method",
        }
        return 200, self.intents[intent_id]

    def _get_intent(self, seen: Seen, intent_id: str) -> tuple[int, Any]:
        if intent_id not in self.intents:
            return error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
        return 200, self.intents[intent_id]

    def _capture(self, seen: Seen, intent_id: str) -> tuple[int, Any]:
        intent = self.intents[intent_id]
        if intent["status"] != "requires_capture":
            return error(
                400,
                "invalid_request_error",
                f"This PaymentIntent could not be captured because it has a status of "
                f"{intent['status']}.",
                "payment_intent_unexpected_state",
            )
        params = form(seen.body)
        amount = int(params.get("amount_to_capture") or intent["amount_capturable"])
        intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
        return 200, intent

    def _cancel(self, seen: Seen, intent_id: str) -> tuple[int, Any]:
        intent = self.intents[intent_id]
        if intent["status"] in ("succeeded", "canceled"):
            return error(
                400, "invalid_request_error", "Cannot cancel.", "payment_intent_unexpected_state"
            )
        intent.update(status="canceled", cancellation_reason="requested_by_customer")
        intent["amount_capturable"] = 0
        return 200, intent

    def _create_refund(self, seen: Seen) -> tuple[int, Any]:
        params = form(seen.body)
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return error(400, "invalid_request_error", "This PaymentIntent has no charge.")
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        amount = int(params.get("amount") or intent["amount_received"] - refunded)
        if amount > intent["amount_received"] - refunded:
            return error(
                400,
                "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                "amount_too_large",
            )
        return 200, self.refund(intent["id"], amount, metadata=params.get("metadata", {}))

    def _list_refunds(self, seen: Seen) -> tuple[int, Any]:
        wanted = dict(parse_qsl(seen.query)).get("payment_intent")
        data = [r for r in self.refunds.values() if r["payment_intent"] == wanted]
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}

    # -- what happens on Stripe's side -----------------------------------------------------

    def confirm(self, intent_id: str, *, decline: bool = False, amount: int | None = None):
        """The customer confirms with Stripe.js (a card that works, or not)."""
        intent = self.intents[intent_id]
        if decline:
            intent.update(
                status="requires_payment_method",
                last_payment_error={
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                },
            )
            return intent
        intent["latest_charge"] = intent["latest_charge"] or _id("ch")
        intent["last_payment_error"] = None
        paid = intent["amount"] if amount is None else amount
        if intent["capture_method"] == "manual":
            intent.update(status="requires_capture", amount_capturable=paid)
        else:
            intent.update(status="succeeded", amount_received=paid)
        return intent

    def refund(self, intent_id: str, amount: int, metadata: dict | None = None) -> dict:
        """A refund (ours, or one staff made on Stripe's dashboard)."""
        intent = self.intents[intent_id]
        refund_id = _id("re")
        self.refunds[refund_id] = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "charge": intent["latest_charge"],
            "created": int(time.time()),
            "currency": intent["currency"],
            "metadata": metadata or {},
            "payment_intent": intent_id,
            "reason": None,
            "status": self.refund_status,
        }
        return self.refunds[refund_id]

    def charge(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents[intent_id]
        refunded = sum(
            r["amount"]
            for r in self.refunds.values()
            if r["payment_intent"] == intent_id and r["status"] == "succeeded"
        )
        return {
            "id": intent["latest_charge"],
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount_received"],
            "amount_refunded": refunded,
            "captured": True,
            "currency": intent["currency"],
            "payment_intent": intent_id,
            "refunded": refunded == intent["amount_received"],
            "status": "succeeded",
        }

    def event(self, kind: str, obj: dict[str, Any], *, event_id: str | None = None) -> bytes:
        return json.dumps(
            {
                "id": event_id or _id("evt"),
                "object": "event",
                "api_version": "2024-06-20",
                "created": int(time.time()),
                "data": {"object": json.loads(json.dumps(obj))},
                "livemode": False,
                "pending_webhooks": 1,
                "request": {"id": None, "idempotency_key": None},
                "type": kind,
            }
        ).encode()

    def intent_event(self, kind: str, intent_id: str, **kwargs: Any) -> bytes:
        return self.event(kind, self.intents[intent_id], **kwargs)
