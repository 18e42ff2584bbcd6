"""A small shop to sell from: the catalog fixtures plus stock and shipping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.product.fixtures import *  # noqa: F403
from tests.product.fixtures import Catalog

LAGOS = {
    "first_name": "Ada",
    "last_name": "Obi",
    "street_address_1": "12 Admiralty Way",
    "city": "Lekki",
    "country": "NG",
    "country_area": "Lagos",
    "phone": "+2348012345678",
}
NEW_YORK = {
    "first_name": "Sam",
    "last_name": "Lee",
    "street_address_1": "350 Fifth Avenue",
    "city": "New York",
    "postal_code": "10118",
    "country": "US",
    "country_area": "NY",
}


@dataclass
class Shop:
    catalog: Catalog
    warehouses: dict[str, Any]
    standard: Any  # shipping method in Nigeria
    express: Any
    international: Any


@pytest.fixture
def shop(catalog, warehouses, channel, channel_usd) -> Shop:
    from warehouse import services
    from warehouse.services import ShippingPriceInput, StockInput

    lagos, london = warehouses["lagos"], warehouses["london"]
    services.set_stocks(
        actor=None,
        items=[
            StockInput(catalog.variants["RD-S"], lagos, 5),
            StockInput(catalog.variants["RD-M"], lagos, 10),
            StockInput(catalog.variants["ST-M"], lagos, 10),
            StockInput(catalog.variants["RD-S"], london, 10),
            StockInput(catalog.variants["RD-M"], london, 10),
        ],
    )
    standard = services.create_shipping_method(
        actor=None, zone=warehouses["nigeria"], data={"name": "Standard (Lagos)"}
    )
    services.update_shipping_method_channel_listings(
        actor=None, method=standard, update=[ShippingPriceInput(channel, "2500")]
    )
    express = services.create_shipping_method(
        actor=None, zone=warehouses["nigeria"], data={"name": "Express"}
    )
    services.update_shipping_method_channel_listings(
        actor=None,
        method=express,
        update=[ShippingPriceInput(channel, "5000", minimum_order_price="100000")],
    )
    international = services.create_shipping_method(
        actor=None, zone=warehouses["world"], data={"name": "DHL"}
    )
    services.update_shipping_method_channel_listings(
        actor=None, method=international, update=[ShippingPriceInput(channel_usd, "15.00")]
    )
    return Shop(catalog, warehouses, standard, express, international)


def ready_checkout(
    shop: Shop, *, sku: str = "RD-S", quantity: int = 1, channel: str = "default-channel"
):
    """A checkout that only lacks payment."""
    from checkout import services
    from checkout.services import LineInput

    variant = shop.catalog.variants[sku]
    address = LAGOS if channel == "default-channel" else NEW_YORK
    checkout = services.create_checkout(
        user=None,
        channel=channel,
        email="buyer@example.com",
        lines=[LineInput(variant.pk, quantity)],
        shipping_address=address,
        billing_address=address,
    )
    method = shop.standard if channel == "default-channel" else shop.international
    return services.update_delivery_method(checkout, method.pk)


def pay(checkout, amount=None, result: str = "success"):
    from checkout.fetch import fetch_lines
    from checkout.pricing import calculate
    from payment.gateway import TransactionAction
    from payment.services import start_transaction

    total = calculate(checkout, fetch_lines(checkout)).total.gross.amount
    return start_transaction(
        channel=checkout.channel,
        currency=checkout.currency,
        gateway_id="fashionistar.payments.dummy",
        amount=total if amount is None else amount,
        action=TransactionAction.CHARGE,
        data={"result": result},
        checkout=checkout,
    )
