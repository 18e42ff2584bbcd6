"""Stripe (cards and Stripe's payment methods) through PaymentIntents. Hooks only.

Flow: ``transactionInitialize`` creates a PaymentIntent (amount in the currency's
smallest unit, our transaction's metadata, an idempotency key derived from the
transaction) and returns its ``client_secret`` for Stripe.js to confirm on the client;
``transactionProcess`` retrieves the intent and records its status; the signed webhook
reports the same outcomes (recorded once). With manual capture (channel setting, or an
AUTHORIZATION action) staff capture or cancel with ``transactionRequestAction``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

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
from plugins.stripe_gateway import outcomes, webhooks
from plugins.stripe_gateway.client import (
    StripeRefused,
    StripeUnavailable,
    as_dict,
    call,
    make_client,
)

GATEWAY_ID = "fashionistar.payments.stripe"
T = TransactionEventType
DEFAULT_CURRENCIES = ["USD", "EUR", "GBP"]
_KEYS = {
    "secret_key": re.compile(r"^(sk|rk)_(test|live)_[A-Za-z0-9]+$"),
    "publishable_key": re.compile(r"^(pk)_(test|live)_[A-Za-z0-9]+$"),
    "webhook_secret": re.compile(r"^(whsec)_[A-Za-z0-9]+$"),
}


def _minor(amount: Decimal, currency: str) -> int:
    return to_minor_units(money(amount, currency))


def _slug(channel: Any) -> str | None:
    return channel if channel is None or isinstance(channel, str) else channel.slug


def _client(config: Mapping[str, Any]) -> Any:
    secret = config.get("secret_key")
    if not secret:
        raise PluginVeto(
            "Stripe is not configured in this channel.", code="NOT_CONFIGURED", field="gateway"
        )
    return make_client(secret)


def _stripe(doing: str, function: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Call Stripe; a failure becomes a typed error (the payment can be retried later)."""
    try:
        return as_dict(call(function, *args, **kwargs))
    except StripeUnavailable as error:
        raise PluginVeto(
            f"Stripe is not reachable right now ({doing}); please try again shortly.",
            code="PAYMENT_PROVIDER_UNAVAILABLE",
            field="gateway",
        ) from error
    except StripeRefused as error:
        code = "PAYMENT_DECLINED" if error.code == "DECLINED" else "PAYMENT_PROVIDER_ERROR"
        raise PluginVeto(
            f"Stripe refused {doing}: {error.message}", code=code, field="gateway"
        ) from error


def _metadata(transaction: Any, channel: Any) -> dict[str, str]:
    values = {
        "transaction_id": str(transaction.token),
        "checkout_id": str(transaction.checkout.token) if transaction.checkout_id else "",
        "order_id": str(transaction.order.token) if transaction.order_id else "",
        "channel": _slug(channel) or "",
    }
    return {k: v for k, v in values.items() if v}


class StripePlugin(BasePlugin):
    id = GATEWAY_ID
    name = "Stripe"
    description = "Cards and Stripe's payment methods through PaymentIntents."
    version = "1.0.0"
    default_active = False
    config_fields = (
        ConfigField(
            "secret_key",
            FieldType.SECRET,
            label="Secret key",
            help_text="sk_test_…/sk_live_… (or a restricted rk_… key) from Stripe's "
            "dashboard, Developers → API keys.",
        ),
        ConfigField(
            "publishable_key",
            FieldType.STRING,
            default="",
            label="Publishable key",
            help_text="pk_test_…/pk_live_…, given to storefronts for Stripe.js.",
            public=True,
        ),
        ConfigField(
            "webhook_secret",
            FieldType.SECRET,
            label="Webhook signing secret",
            help_text="whsec_… of the webhook endpoint you created for this channel.",
        ),
        ConfigField(
            "automatic_capture",
            FieldType.BOOLEAN,
            default=True,
            label="Capture automatically",
            help_text="Off: payments are only authorized; staff capture (fully or "
            "partly) or cancel them.",
        ),
        ConfigField(
            "currencies",
            FieldType.STRING_LIST,
            default=DEFAULT_CURRENCIES,
            label="Supported currencies",
            help_text="ISO codes this channel may charge through Stripe.",
            public=True,
        ),
    )

    def validate_configuration(self, values: Mapping[str, Any], channel: str | None) -> None:
        errors = []
        modes = set()
        for name, pattern in _KEYS.items():
            value = values.get(name) or ""
            if not value:
                continue
            match = pattern.match(value)
            if match is None:
                errors.append(
                    ErrorDetail("INVALID", f"{name} does not look like a Stripe key.", name)
                )
            elif name != "webhook_secret":
                modes.add(match.group(2))
        if len(modes) > 1:
            errors.append(
                ErrorDetail(
                    "INVALID",
                    "The secret and publishable keys must both be test or both live keys.",
                    "publishable_key",
                )
            )
        errors.extend(
            ErrorDetail("INVALID", f"'{code}' is not a currency code.", "currencies")
            for code in values.get("currencies") or []
            if not re.fullmatch(r"[A-Z]{3}", code)
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
                name="Stripe",
                currencies=tuple(config["currencies"]),
                config=(("publishable_key", config.get("publishable_key") or ""),),
            )
        ]

    @hookimpl
    def payment_gateway_initialize(self, gateway_id, config) -> dict | None:
        if gateway_id != GATEWAY_ID:
            return None
        return {"publishable_key": config.get("publishable_key") or ""}

    # -- payments ------------------------------------------------------------------------

    @hookimpl
    def transaction_initialize(
        self, gateway_id, transaction, amount, action, channel, config
    ) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        client = _client(config)
        manual = action == TransactionAction.AUTHORIZATION or not config["automatic_capture"]
        intent = _stripe(
            "to start the payment",
            client.v1.payment_intents.create,
            {
                "amount": _minor(amount, transaction.currency),
                "currency": transaction.currency.lower(),
                "capture_method": "manual" if manual else "automatic",
                "automatic_payment_methods": {"enabled": True},
                "metadata": _metadata(transaction, channel),
            },
            # One transaction, one PaymentIntent: a retry after a lost answer gets the
            # same intent back instead of a second one.
            {"idempotency_key": f"fsn-pi-{transaction.token}"},
        )
        # The customer confirms on the client with the client secret; the outcome comes
        # from transactionProcess or the webhook. This event records what we asked for.
        return TransactionResult(
            T.AUTHORIZATION_ACTION_REQUIRED if manual else T.CHARGE_ACTION_REQUIRED,
            amount,
            str(intent.get("id") or ""),
            "Waiting for the customer to confirm the payment with Stripe.",
            data={
                "client_secret": intent.get("client_secret"),
                "payment_intent_id": intent.get("id"),
                "publishable_key": config.get("publishable_key") or "",
            },
            raw_response=outcomes.sanitize(intent),
        )

    @hookimpl
    def transaction_process(self, gateway_id, transaction, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        if not transaction.psp_reference.startswith("pi_"):
            return TransactionResult(T.INFO, Decimal(0), message="Nothing to settle.")
        intent = _stripe(
            "to confirm the payment",
            _client(config).v1.payment_intents.retrieve,
            transaction.psp_reference,
        )
        result = outcomes.from_intent(transaction, intent)
        if outcomes.is_review(result):
            outcomes.flag_order(transaction, result)
        elif outcomes.stale(transaction, result):
            return TransactionResult(T.INFO, Decimal(0), message="Already settled.")
        return result

    @hookimpl
    def capture_payment(self, gateway_id, transaction, amount, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        units = _minor(amount, transaction.currency)
        intent = _stripe(
            "to capture the payment",
            _client(config).v1.payment_intents.capture,
            transaction.psp_reference,
            {"amount_to_capture": units},
            {"idempotency_key": f"fsn-capture-{transaction.token}-{units}"},
        )
        status = intent.get("status")
        if status == "succeeded":
            captured = outcomes.amount(intent.get("amount_received"), transaction.currency)
            rest = transaction.authorized_value - captured
            if rest > 0:
                record_event(
                    transaction,
                    T.CANCEL_SUCCESS,
                    rest,
                    f"{transaction.psp_reference}:released",
                    message="Stripe released the part of the authorization that was not captured.",
                )
            return TransactionResult(
                T.CHARGE_SUCCESS,
                captured,
                transaction.psp_reference,
                "Captured.",
                raw_response=outcomes.sanitize(intent),
            )
        kind = T.CHARGE_REQUEST if status == "processing" else T.CHARGE_FAILURE
        return TransactionResult(
            kind,
            amount,
            transaction.psp_reference,
            f"Stripe capture: {status}.",
            raw_response=outcomes.sanitize(intent),
        )

    @hookimpl
    def cancel_payment(self, gateway_id, transaction, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        intent = _stripe(
            "to cancel the payment",
            _client(config).v1.payment_intents.cancel,
            transaction.psp_reference,
            None,
            {"idempotency_key": f"fsn-cancel-{transaction.token}"},
        )
        if intent.get("status") != "canceled":
            return TransactionResult(
                T.CANCEL_FAILURE,
                transaction.authorized_value,
                transaction.psp_reference,
                f"Stripe: the payment is {intent.get('status')}.",
                raw_response=outcomes.sanitize(intent),
            )
        return TransactionResult(
            T.CANCEL_SUCCESS,
            transaction.authorized_value,
            transaction.psp_reference,
            "The authorization was cancelled.",
            raw_response=outcomes.sanitize(intent),
        )

    @hookimpl
    def refund_payment(self, gateway_id, transaction, amount, config) -> TransactionResult | None:
        if gateway_id != GATEWAY_ID:
            return None
        units = _minor(amount, transaction.currency)
        # Same key for a retry of the same refund (its request is recorded only after
        # Stripe answers), a new key for the next refund.
        attempt = transaction.events.filter(type=T.REFUND_REQUEST).count()
        refund = _stripe(
            "the refund",
            _client(config).v1.refunds.create,
            {
                "payment_intent": transaction.psp_reference,
                "amount": units,
                "metadata": {"transaction_id": str(transaction.token)},
            },
            {"idempotency_key": f"fsn-refund-{transaction.token}-{attempt}-{units}"},
        )
        result = outcomes.from_refund(transaction, refund)
        if result is None:
            return TransactionResult(
                T.REFUND_REQUEST,
                amount,
                str(refund.get("id") or ""),
                f"Stripe refund: {refund.get('status')}.",
                raw_response=outcomes.sanitize(refund),
            )
        return result

    # -- webhook ----------------------------------------------------------------------------

    @hookimpl
    def handle_webhook(self, request: HttpRequest, channel, config) -> HttpResponse:
        return webhooks.handle(request, channel, config)
