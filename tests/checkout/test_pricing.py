"""Totals with taxes, shipping and a voucher are exact to the currency's minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checkout import services
from checkout.complete import complete_checkout
from checkout.fetch import fetch_lines
from checkout.pricing import calculate
from checkout.services import LineInput
from core.errors import DomainError
from tests.checkout.conftest import LAGOS, NEW_YORK, pay

pytestmark = pytest.mark.django_db


def voucher(channel, code="SAVE10", **fields):
    from plugins.vouchers.models import Voucher

    defaults = {"type": "PERCENTAGE", "value": Decimal("10")}
    defaults.update(fields)
    return Voucher.objects.create(code=code, channel=channel, **defaults)


def checkout_for(shop, sku, quantity, channel="default-channel", address=LAGOS, method=None):
    checkout = services.create_checkout(
        user=None,
        channel=channel,
        email="buyer@example.com",
        lines=[LineInput(shop.catalog.variants[sku].pk, quantity)],
        shipping_address=address,
    )
    return services.update_delivery_method(checkout, (method or shop.standard).pk)


def totals(checkout):
    prices = calculate(checkout, fetch_lines(checkout))
    return prices


def test_ngn_prices_with_tax_included_shipping_and_a_percentage_voucher(shop, plugin_kit, channel):
    plugin_kit.activate(
        "fashionistar.taxes.flat_rate",
        channel="default-channel",
        config={"prices_entered_with_tax": True, "rates": "NG=7.5"},
    )
    voucher(channel, "SAVE10")
    checkout = checkout_for(shop, "RD-M", 3)  # 3 x 27500.50 = 82501.50 gross
    services.add_promo_code(checkout, "save10")
    checkout.refresh_from_db()
    prices = totals(checkout)
    assert prices.undiscounted_subtotal.gross.amount == Decimal("82501.50")
    assert prices.undiscounted_subtotal.net.amount == Decimal("76745.58")  # 82501.50 / 1.075
    assert prices.subtotal.gross.amount == Decimal("74251.35")  # minus 8250.15
    assert prices.subtotal.net.amount == Decimal("69071.02")
    assert prices.shipping.gross.amount == Decimal("2500.00")
    assert prices.shipping.net.amount == Decimal("2325.58")
    assert prices.total.gross.amount == Decimal("76751.35")
    assert prices.total.net.amount == Decimal("71396.60")
    assert prices.lines[0].tax_rate == Decimal("0.075")
    for value in (prices.subtotal, prices.shipping, prices.total):
        assert value.gross.amount.as_tuple().exponent == -2


def test_usd_prices_without_tax_and_a_fixed_voucher(shop, plugin_kit, channel_usd):
    plugin_kit.activate(
        "fashionistar.taxes.flat_rate",
        channel="channel-usd",
        config={"prices_entered_with_tax": False, "rates": "US=8.875"},
    )
    voucher(channel_usd, "FIVEOFF", type="FIXED", value=Decimal("5.00"))
    checkout = checkout_for(
        shop, "RD-S", 2, channel="channel-usd", address=NEW_YORK, method=shop.international
    )
    services.add_promo_code(checkout, "FIVEOFF")
    checkout.refresh_from_db()
    prices = totals(checkout)
    assert prices.undiscounted_subtotal.net.amount == Decimal("60.00")
    assert prices.undiscounted_subtotal.gross.amount == Decimal(
        "65.33"
    )  # 60 x 1.08875 = 65.325 -> half up
    assert prices.subtotal.gross.amount == Decimal("60.33")
    assert prices.shipping.gross.amount == Decimal("16.33")  # 15 x 1.08875 = 16.33125
    assert prices.total.gross.amount == Decimal("76.66")


def test_zero_decimal_currency_rounds_to_whole_units(shop, plugin_kit):
    from core.models import Channel
    from product.models import ProductVariantChannelListing
    from warehouse.models import ShippingMethodChannelListing

    jpy = Channel.objects.create(
        name="Japan", slug="channel-jpy", currency_code="JPY", default_country="JP"
    )
    shop.warehouses["world"].channels.add(jpy)
    shop.warehouses["world"].countries = ["US", "GB", "JP"]
    shop.warehouses["world"].save()
    from django.utils import timezone

    from product.models import ProductChannelListing

    ProductChannelListing.objects.create(
        product=shop.catalog.red_dress,
        channel=jpy,
        currency="JPY",
        is_published=True,
        available_for_purchase_at=timezone.now(),
    )
    ProductVariantChannelListing.objects.create(
        variant=shop.catalog.variants["RD-S"],
        channel=jpy,
        currency="JPY",
        price_amount=Decimal("3333"),
    )
    ShippingMethodChannelListing.objects.create(
        shipping_method=shop.international,
        channel=jpy,
        currency="JPY",
        price_amount=Decimal("1500"),
    )
    plugin_kit.activate(
        "fashionistar.taxes.flat_rate",
        channel="channel-jpy",
        config={"prices_entered_with_tax": True, "rates": "JP=10"},
    )
    voucher(jpy, "JP15", value=Decimal("15"))
    tokyo = {
        "first_name": "Yui",
        "last_name": "Sato",
        "street_address_1": "1-1 Chiyoda",
        "city": "Chiyoda-ku",
        "postal_code": "100-0001",
        "country": "JP",
        "country_area": "Tokyo",
    }
    checkout = checkout_for(
        shop, "RD-S", 1, channel="channel-jpy", address=tokyo, method=shop.international
    )
    services.add_promo_code(checkout, "JP15")
    checkout.refresh_from_db()
    prices = totals(checkout)
    assert prices.undiscounted_subtotal.gross.amount == Decimal("3333")
    assert prices.undiscounted_subtotal.net.amount == Decimal("3030")  # 3333 / 1.1 = 3030.0
    assert prices.subtotal.gross.amount == Decimal("2833")  # 3333 - 500 (499.95 rounds half up)
    assert prices.total.gross.amount == Decimal("4333")
    for value in (prices.subtotal.gross, prices.subtotal.net, prices.total.gross, prices.total.net):
        assert value.amount == value.amount.to_integral_value()


def test_the_order_keeps_the_discounted_total_and_uses_the_voucher(shop, plugin_kit, channel):
    plugin_kit.activate(
        "fashionistar.taxes.flat_rate",
        channel="default-channel",
        config={"prices_entered_with_tax": True, "rates": "NG=7.5"},
    )
    code = voucher(channel, "ONCE", usage_limit=1)
    checkout = checkout_for(shop, "RD-M", 3)
    services.add_promo_code(checkout, "ONCE")
    checkout.refresh_from_db()
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.total_gross == Decimal("76751.35")
    assert order.discount_amount == Decimal("8250.15")
    assert order.voucher_code == "ONCE"
    code.refresh_from_db()
    assert code.used == 1
    second = checkout_for(shop, "RD-S", 1)
    with pytest.raises(DomainError) as excinfo:
        services.add_promo_code(second, "ONCE")
    assert excinfo.value.code == "VOUCHER_USED_UP"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"ends_at": "2020-01-01T00:00:00Z"}, "VOUCHER_EXPIRED"),
        ({"starts_at": "2099-01-01T00:00:00Z"}, "VOUCHER_NOT_STARTED"),
        ({"min_spend": Decimal("1000000")}, "VOUCHER_MIN_SPEND"),
        ({"usage_limit": 0}, "VOUCHER_USED_UP"),
    ],
)
def test_unusable_vouchers_are_typed_errors_and_nothing_changes(shop, channel, fields, code):
    voucher(channel, "BAD", **fields)
    checkout = checkout_for(shop, "RD-S", 1)
    with pytest.raises(DomainError) as excinfo:
        services.add_promo_code(checkout, "BAD")
    assert excinfo.value.code == code
    checkout.refresh_from_db()
    assert checkout.voucher_code == ""


def test_unknown_promo_code(shop):
    checkout = checkout_for(shop, "RD-S", 1)
    with pytest.raises(DomainError) as excinfo:
        services.add_promo_code(checkout, "NOPE")
    assert excinfo.value.code == "INVALID_PROMO_CODE"
