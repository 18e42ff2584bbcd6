"""Steps of a Paystack payment, as the storefront, the customer and Paystack take them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from tests.checkout.conftest import ready_checkout
from tests.plugins.paystack.conftest import PAYSTACK, SECRET
from tests.plugins.paystack.fake import sign

WEBHOOK = f"/plugins/{PAYSTACK}/webhook/default-channel/"


def total_of(checkout: Any) -> Decimal:
    from checkout.fetch import fetch_lines
    from checkout.pricing import calculate

    return calculate(checkout, fetch_lines(checkout)).total.gross.amount


def initialize(checkout: Any, amount: Decimal | None = None, action: str = "CHARGE"):
    """``transactionInitialize`` through the payment service."""
    from payment.gateway import TransactionAction
    from payment.services import start_transaction

    return start_transaction(
        channel=checkout.channel,
        currency=checkout.currency,
        gateway_id=PAYSTACK,
        amount=total_of(checkout) if amount is None else amount,
        action=TransactionAction(action),
        data={},
        checkout=checkout,
    )


def new_checkout(shop: Any, **kwargs: Any) -> Any:
    return ready_checkout(shop, **kwargs)


def post_webhook(body: bytes, *, secret: str = SECRET, signature: str | None = None, url=WEBHOOK):
    headers = {"HTTP_X_PAYSTACK_SIGNATURE": sign(secret, body) if signature is None else signature}
    return Client().post(url, body, content_type="application/json", **headers)
