"""Paystack, Fashionistar's primary gateway (NGN, GHS, ZAR, KES, USD). Hooks only.

Flow: ``transactionInitialize`` asks Paystack to initialize a transaction with a
reference we generate and returns ``authorization_url``, ``access_code`` and
``reference`` to the client (the transaction is "charge pending"); the customer pays on
Paystack; the payment is settled by whichever comes first of the signed
``charge.success`` webhook, ``transactionProcess`` (after the redirect back) or the
periodic reconciliation, all through "verify transaction" data and recorded once.

With automatic capture off (or an AUTHORIZATION action) the amount is held with
Paystack's card preauthorization (ZAR, South African businesses) and staff capture or
release it with ``transactionRequestAction``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse

from core.errors import ErrorDetail
from core.hookspecs import hookimpl
from core.money import money, to_minor_units
from core.plugins import BasePlugin, ConfigField, DomainError, FieldType, PluginVeto
from payment.gateway import (
    PaymentGateway,
    TransactionAction,
    TransactionEventType,
    TransactionResult,
)
from payment.services import record_event
from plugins.paystack import outcomes, webhooks
from plugins.paystack.client import PaystackClient, PaystackError, PaystackUnavailable
from plugins.paystack.conf import seconds
from plugins.paystack.tasks import TASK_NAME

GATEWAY_ID = "fashionistar.payments.paystack"
T = TransactionEventType
CURRENCIES = ("NGN", "GHS", "ZAR", "KES", "USD")
HOLD_CURRENCIES = ("ZAR",)
_KEY = re.compile(r"^(sk|pk)_(test|live)_[A-Za-z0-9]+$")


def new_reference(transaction: Any) -> str:
    """Unique per transaction; Paystack allows only letters, digits, '-', '.' and '='."""
    return f"fsn-{transaction.token.hex}"


def _minor(amount: Decimal, currency: str) -> int:
    return to_minor_units(money(amount, currency))


def _slug(channel: Any) -> str | None:
    return channel if channel is None or isinstance(channel, str) else channel.slug


def _client(config: Mapping[str, Any]) -> PaystackClient:
    secret = config.get("secret_key")
    if not secret:
        raise PluginVeto(
            "Paystack is not configured in this channel.", code="NOT_CONFIGURED", field="gateway"
        )
    return PaystackClient(secret)


def _veto(error: PaystackError, doing: str) -> PluginVeto:
    """A typed error for the client; the payment can be tried again later."""
    if isinstance(error, PaystackUnavailable):
        return PluginVeto(
            f"Paystack is not reachable right now ({doing}); please try again shortly.",
            code="PAYMENT_PROVIDER_UNAVAILABLE",
            field="gateway",
        )
    return PluginVeto(
        f"Paystack refused {doing}: {error.message}", code="PAYMENT_PROVIDER_ERROR", field="gateway"
    )


def _email(transaction: Any, data: Mapping[str, Any]) -> str:
    source = transaction.checkout or transaction.order
    email = getattr(source, "email", "") or getattr(source, "user_email", "") or ""
    email = email or str(data.get("email") or "")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise PluginVeto(
            "Paystack needs the customer's email address.", code="REQUIRED", field="email"
        ) from exc
    return email


def _held(transaction: Any) -> bool:
    asked = outcomes.requested(transaction, transaction.psp_reference)
    return asked is not None and asked.kind is T.AUTHORIZATION_REQUEST


class PaystackPlugin(BasePlugin):
    id = GATEWAY_ID
    name = "Paystack"
    description = "Card, bank, USSD and mobile-money payments through Paystack."
    version = "1.0.0"
    default_active = False
    config_fields = (
        ConfigField(
            "secret_key",
            FieldType.SECRET,
            label="Secret key",
            help_text="sk_test_… or sk_live_… from Paystack's dashboard (Settings → API "
            "Keys & Webhooks). Also verifies the webhooks Paystack sends.",
        ),
        ConfigField(
            "public_key",
            FieldType.STRING,
            default="",
            label="Public key",
            help_text="pk_test_… or pk_live_…, given to storefronts for Paystack's popup.",
            public=True,
        ),
        ConfigField(
            "callback_url",
            FieldType.URL,
            label="Callback URL",
            help_text="Where Paystack sends the customer after paying (your storefront's "
            "return page). Empty: the callback URL set on Paystack's dashboard.",
        ),
        ConfigField(
            "currencies",
            FieldType.STRING_LIST,
            default=list(CURRENCIES),
            label="Supported currencies",
            choices=CURRENCIES,
            public=True,
        ),
        ConfigField(
            "automatic_capture",
            FieldType.BOOLEAN,
            default=True,
            label="Capture automatically",
            help_text="Off: hold the amount on the card (Paystack card preauthorization, "
            "ZAR only) and capture or release it later.",
        ),
    )

    def validate_configuration(self, values: Mapping[str, Any], channel: str | None) -> None:
        errors = []
        modes = {}
        for name, prefix in (("secret_key", "sk"), ("public_key", "pk")):
            value = values.get(name) or ""
            if not value:
                continue
            match = _KEY.match(value)
            if match is None or match.group(1) != prefix:
                errors.append(
                    ErrorDetail(
                        "INVALID",
                        f"{name} must look like {prefix}_test_… or {prefix}_live_….",
                        name,
                    )
                )
            else:
                modes[name] = match.group(2)
        if len(set(modes.values())) > 1:
            errors.append(
                ErrorDetail(
                    "INVALID",
                    "The secret and public keys must both be test or both live keys.",
                    "public_key",
                )
            )
        if errors:
            raise DomainError(errors=errors)

    # -- what a storefront sees -----------------------------------------------------------

    @hookimpl
    def payment_gateways(self, currency, config) -> list:
        if not config.get("secret_key"):
            return []
        return [
            PaymentGateway(
                id=GATEWAY_ID,
                name="Paystack",
                currencies=tuple(config["currencies"]),
                config=(("public_key", config.get("public_key") or ""),),
            )
        ]

    @hookimpl
    def payment_gateway_initialize(self, gateway_id, config) -> dict | None:
        if gateway_id != GATEWAY_ID:
            return None
        return {
            "public_key": config.get("public_key") or "",
            "currencies": list(config["currencies"]),
        }

    # -- payments ------------------------------------------------------------------------

    @hookimpl
    def transaction_initialize(
        self, gateway_id, transaction, amount, action, data, channel, config
    ) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        client = _client(config)
        currency = transaction.currency
        if currency not in config["currencies"]:
            raise PluginVeto(
                f"Paystack is not set up for {currency} in this channel.",
                code="NOT_SUPPORTED_CURRENCY",
                field="gateway",
            )
        hold = action == TransactionAction.AUTHORIZATION or not config["automatic_capture"]
        if hold and currency not in HOLD_CURRENCIES:
            raise PluginVeto(
                "Paystack can hold an amount for later capture only in ZAR.",
                code="NOT_SUPPORTED",
                field="action",
            )
        reference = new_reference(transaction)
        metadata = {
            "transaction_id": str(transaction.token),
            "checkout_id": str(transaction.checkout.token) if transaction.checkout_id else None,
            "order_id": str(transaction.order.token) if transaction.order_id else None,
            "channel": _slug(channel),
        }
        start = client.preauthorize if hold else client.initialize
        try:
            answer = start(
                email=_email(transaction, data or {}),
                amount=_minor(amount, currency),
                currency=currency,
                reference=reference,
                callback_url=config.get("callback_url") or None,
                metadata=metadata,
            )
        except PaystackError as error:
            raise _veto(error, "to start the payment") from error
        url = str(answer.get("authorization_url") or "")
        return TransactionResult(
            T.AUTHORIZATION_REQUEST if hold else T.CHARGE_REQUEST,
            amount,
            reference,
            message="Waiting for the customer to pay on Paystack.",
            data={
                "authorization_url": url,
                "access_code": answer.get("access_code"),
                "reference": answer.get("reference") or reference,
            },
            raw_response=outcomes.sanitize(answer),
            external_url=url,
        )

    @hookimpl
    def transaction_process(self, gateway_id, transaction, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        reference = transaction.psp_reference
        settled = transaction.charged_value > 0 or transaction.authorized_value > 0
        if not reference or settled:
            return outcomes.waiting("settled" if settled else "not started")
        client = _client(config)
        try:
            if _held(transaction):
                answer = client.verify_preauthorization(reference)
            else:
                answer = client.verify(reference)
        except PaystackError as error:
            raise _veto(error, "to confirm the payment") from error
        result = outcomes.outcome(transaction, answer)
        if outcomes.is_review(result):
            outcomes.flag_order(transaction, result)
        return result

    @hookimpl
    def capture_payment(self, gateway_id, transaction, amount, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID or not _held(transaction):
            return None
        reference = transaction.psp_reference
        try:
            answer = _client(config).capture_preauthorization(
                reference=reference,
                currency=transaction.currency,
                amount=_minor(amount, transaction.currency),
            )
        except PaystackError as error:
            raise _veto(error, "to capture the payment") from error
        if str(answer.get("status") or "").lower() != "success":
            return TransactionResult(
                T.CHARGE_FAILURE,
                amount,
                reference,
                message=str(answer.get("gateway_response") or "Capture failed."),
                raw_response=outcomes.sanitize(answer),
            )
        rest = transaction.authorized_value - amount
        if rest > 0:  # Paystack releases what a smaller capture leaves on the card
            record_event(
                transaction,
                T.CANCEL_SUCCESS,
                rest,
                f"{reference}:released",
                message="Paystack released the part of the hold that was not captured.",
            )
        return TransactionResult(
            T.CHARGE_SUCCESS,
            amount,
            reference,
            message=str(answer.get("gateway_response") or ""),
            raw_response=outcomes.sanitize(answer),
        )

    @hookimpl
    def cancel_payment(self, gateway_id, transaction, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID or not _held(transaction):
            return None
        reference = transaction.psp_reference
        try:
            answer = _client(config).release_preauthorization(reference)
        except PaystackError as error:
            raise _veto(error, "to release the hold") from error
        return TransactionResult(
            T.CANCEL_SUCCESS,
            transaction.authorized_value,
            f"{reference}:release",
            message="Paystack released the hold.",
            raw_response=outcomes.sanitize(answer),
        )

    @hookimpl
    def refund_payment(self, gateway_id, transaction, amount, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        try:
            answer = _client(config).refund(
                reference=transaction.psp_reference,
                amount=_minor(amount, transaction.currency),
                currency=transaction.currency,
                merchant_note=f"Refund of transaction {transaction.token}",
            )
        except PaystackUnavailable as error:
            # The refund may exist on Paystack even though we got no answer: never retry
            # blindly (Paystack has no idempotency keys), let staff check first.
            raise PluginVeto(
                "Paystack did not confirm the refund. Check Paystack's dashboard before "
                "trying again: the refund may have been created.",
                code="PAYMENT_PROVIDER_UNAVAILABLE",
                field="amount",
            ) from error
        except PaystackError as error:
            raise _veto(error, "the refund") from error
        refund_id = str(answer.get("id") or "")
        status = str(answer.get("status") or "").lower()
        kind = {"processed": T.REFUND_SUCCESS, "failed": T.REFUND_FAILURE}.get(
            status, T.REFUND_REQUEST
        )
        return TransactionResult(
            kind,
            amount,
            refund_id,
            message=f"Paystack refund {refund_id}: {status or 'pending'}.",
            raw_response=outcomes.sanitize(answer),
        )

    # -- webhook and schedule --------------------------------------------------------------

    @hookimpl
    def handle_webhook(self, request: HttpRequest, channel, config) -> HttpResponse:
        return webhooks.handle(request, channel, config)

    @hookimpl
    def celery_beat_schedule(self) -> dict:
        interval = seconds("PAYSTACK_RECONCILE_INTERVAL_SECONDS", 600)
        return {"reconcile-pending": {"task": TASK_NAME, "schedule": interval}}
