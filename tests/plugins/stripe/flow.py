"""Steps of a Stripe payment, as the storefront, the customer and Stripe take them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from tests.checkout.conftest import ready_checkout
from tests.plugins.stripe.conftest import STRIPE, WEBHOOK_SECRET
from tests.plugins.stripe.fake import signature_header

WEBHOOK = f"/plugins/{STRIPE}/webhook/channel-usd/"


def usd_checkout(shop: Any, **kwargs: Any) -> Any:
    return ready_checkout(shop, channel="channel-usd", **kwargs)


def total_of(checkout: Any) -> Decimal:
    from checkout.fetch import fetch_lines
    from checkout.pricing import calculate

    return calculate(checkout, fetch_lines(checkout)).total.gross.amount


def initialize(checkout: Any, amount: Decimal | None = None, action: str = "CHARGE"):
    from payment.gateway import TransactionAction
    from payment.services import start_transaction

    return start_transaction(
        channel=checkout.channel,
        currency=checkout.currency,
        gateway_id=STRIPE,
        amount=total_of(checkout) if amount is None else amount,
        action=TransactionAction(action),
        data={},
        checkout=checkout,
    )


def post_webhook(
    body: bytes,
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    header: str | None = None,
):
    signature = signature_header(body, secret, timestamp) if header is None else header
    return Client().post(
        WEBHOOK, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
