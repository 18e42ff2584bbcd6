"""Every bad checkout input of the storefront: a typed error code, and nothing written."""

from __future__ import annotations

import pytest

from checkout.models import Checkout, CheckoutLine
from core.models.outbox import OutboxEvent
from order.models import Order
from tests.checkout.conftest import LAGOS, NEW_YORK
from tests.order.storefront import (
    ADD_PROMO,
    CHECKOUT_QUERY,
    COMPLETE,
    CREATE,
    CUSTOMER_ATTACH,
    DELIVERY_METHOD,
    EMAIL_UPDATE,
    LINES_ADD,
    LINES_UPDATE,
    SHIPPING_ADDRESS,
    Storefront,
    address_input,
    client_for,
    codes,
    gid,
    make_customer,
    ok,
)
from warehouse.models import Stock

pytestmark = pytest.mark.django_db


def create_input(variant, quantity, channel="default-channel"):
    return {
        "input": {
            "channel": channel,
            "email": "buyer@example.com",
            "lines": [{"variantId": gid("ProductVariant", variant.pk), "quantity": quantity}],
        }
    }


def snapshot():
    """What a refused mutation must leave untouched."""
    return (
        list(Checkout.objects.values_list("token", "email", "shipping_method_id", "voucher_code")),
        list(CheckoutLine.objects.values_list("variant_id", "quantity").order_by("pk")),
        OutboxEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("sku", "quantity", "channel_slug", "code"),
    [
        ("RD-S", 0, "default-channel", "ZERO_QUANTITY"),
        ("RD-S", -2, "default-channel", "ZERO_QUANTITY"),
        ("RD-S", 51, "default-channel", "QUANTITY_GREATER_THAN_LIMIT"),
        ("RD-S", 6, "default-channel", "INSUFFICIENT_STOCK"),
        ("ST-M", 1, "channel-usd", "PRODUCT_NOT_PUBLISHED"),  # sold in NGN only
        ("SS-L", 1, "default-channel", "PRODUCT_NOT_PUBLISHED"),  # unpublished product
    ],
)
def test_checkout_create_refuses_bad_lines(shop, gql, sku, quantity, channel_slug, code):
    body = gql(CREATE, create_input(shop.catalog.variants[sku], quantity, channel_slug))
    assert codes(body, "checkoutCreate") == [code]
    assert body["data"]["checkoutCreate"]["checkout"] is None
    assert not Checkout.objects.exists()


def test_the_channel_limit_is_the_channels(shop, gql, channel):
    channel.max_line_quantity = 3
    channel.save()
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-M"], 3)])
    before = snapshot()
    body = gql(
        LINES_ADD,
        {
            "id": checkout["id"],
            "lines": [
                {
                    "variantId": gid("ProductVariant", shop.catalog.variants["RD-M"].pk),
                    "quantity": 1,
                }
            ],
        },
    )
    assert codes(body, "checkoutLinesAdd") == ["QUANTITY_GREATER_THAN_LIMIT"]
    assert snapshot() == before


@pytest.mark.parametrize(("quantity", "code"), [(0, "ZERO_QUANTITY"), (-1, "ZERO_QUANTITY")])
def test_lines_add_refuses_zero_and_negative(shop, gql, quantity, code):
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-S"], 1)])
    before = snapshot()
    body = gql(
        LINES_ADD,
        {
            "id": checkout["id"],
            "lines": [
                {
                    "variantId": gid("ProductVariant", shop.catalog.variants["RD-M"].pk),
                    "quantity": quantity,
                }
            ],
        },
    )
    assert codes(body, "checkoutLinesAdd") == [code]
    assert snapshot() == before


def test_lines_update_refuses_a_negative_quantity_and_a_foreign_line(shop, gql):
    store = Storefront(gql)
    mine = store.create([(shop.catalog.variants["RD-S"], 1)])
    other = store.create([(shop.catalog.variants["RD-M"], 1)])
    before = snapshot()
    body = gql(
        LINES_UPDATE,
        {"id": mine["id"], "lines": [{"lineId": mine["lines"][0]["id"], "quantity": -1}]},
    )
    assert codes(body, "checkoutLinesUpdate") == ["INVALID"]
    body = gql(
        LINES_UPDATE,
        {"id": mine["id"], "lines": [{"lineId": other["lines"][0]["id"], "quantity": 2}]},
    )
    assert codes(body, "checkoutLinesUpdate") == ["NOT_FOUND"]
    assert snapshot() == before


def test_an_address_outside_the_shipping_zones_offers_no_method(shop, gql):
    store = Storefront(gql)
    checkout = store.create([(shop.catalog.variants["RD-S"], 1)])
    shipped = store.ship_to(checkout["id"], NEW_YORK)  # the NGN channel ships to Nigeria only
    assert shipped["shippingMethods"] == []
    before = snapshot()
    body = gql(
        DELIVERY_METHOD, {"id": checkout["id"], "method": gid("ShippingMethod", shop.standard.pk)}
    )
    assert codes(body, "checkoutDeliveryMethodUpdate") == ["SHIPPING_METHOD_NOT_APPLICABLE"]
    assert snapshot() == before


def test_a_shipping_method_of_another_channel_is_refused(shop, gql):
    store = Storefront(gql)
    checkout = store.create([(shop.catalog.variants["RD-S"], 1)])
    store.ship_to(checkout["id"], LAGOS)
    before = snapshot()
    body = gql(
        DELIVERY_METHOD,
        {"id": checkout["id"], "method": gid("ShippingMethod", shop.international.pk)},
    )
    assert codes(body, "checkoutDeliveryMethodUpdate") == ["SHIPPING_METHOD_NOT_APPLICABLE"]
    no_pickup = gid("Warehouse", shop.warehouses["lagos"].pk)  # click and collect is off
    body = gql(DELIVERY_METHOD, {"id": checkout["id"], "method": no_pickup})
    assert codes(body, "checkoutDeliveryMethodUpdate") == ["DELIVERY_METHOD_NOT_APPLICABLE"]
    body = gql(DELIVERY_METHOD, {"id": checkout["id"], "method": gid("ShippingMethod", 999999)})
    assert codes(body, "checkoutDeliveryMethodUpdate") == ["NOT_FOUND"]
    assert snapshot() == before


def test_changing_the_address_drops_a_method_that_no_longer_applies(shop, gql):
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    moved = store.ship_to(checkout["id"], NEW_YORK)
    assert moved["deliveryMethod"] is None
    # Nothing of this channel's stock ships to the US either.
    assert [p["code"] for p in moved["problems"]] == [
        "SHIPPING_METHOD_NOT_SET",
        "INSUFFICIENT_STOCK",
    ]


def test_a_bad_address_names_each_field(shop, gql):
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-S"], 1)])
    before = snapshot()
    body = gql(
        SHIPPING_ADDRESS,
        {
            "id": checkout["id"],
            "address": {"country": "NG", "city": "Lekki", "countryArea": "Lagos"},
        },
    )
    errors = body["data"]["checkoutShippingAddressUpdate"]["errors"]
    assert {(e["field"], e["code"]) for e in errors} >= {
        ("shipping_address.first_name", "REQUIRED"),
        ("shipping_address.street_address_1", "REQUIRED"),
    }
    body = gql(
        SHIPPING_ADDRESS,
        {"id": checkout["id"], "address": address_input(LAGOS) | {"country": "XX"}},
    )
    assert codes(body, "checkoutShippingAddressUpdate") == ["INVALID"]
    assert snapshot() == before


def test_a_bad_email_is_refused(shop, gql):
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-S"], 1)])
    before = snapshot()
    body = gql(EMAIL_UPDATE, {"id": checkout["id"], "email": "not-an-email"})
    assert codes(body, "checkoutEmailUpdate") == ["INVALID"]
    assert snapshot() == before


def voucher(channel, code, **fields):
    from decimal import Decimal

    from plugins.vouchers.models import Voucher

    return Voucher.objects.create(
        code=code, channel=channel, type="PERCENTAGE", value=Decimal("10"), **fields
    )


def test_promo_codes_invalid_expired_then_applied_and_removed(shop, gql, channel):
    voucher(channel, "OLD", ends_at="2020-01-01T00:00:00Z")
    voucher(channel, "SAVE10")
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    before = snapshot()
    for code, expected in (
        ("NOPE", "INVALID_PROMO_CODE"),
        ("OLD", "VOUCHER_EXPIRED"),
        ("  ", "REQUIRED"),
    ):
        body = gql(ADD_PROMO, {"id": checkout["id"], "code": code})
        assert codes(body, "checkoutAddPromoCode") == [expected]
    assert snapshot() == before

    applied = ok(gql(ADD_PROMO, {"id": checkout["id"], "code": "save10"}), "checkoutAddPromoCode")
    assert applied["checkout"]["voucherCode"] == "SAVE10"
    assert applied["checkout"]["discount"] == {"amount": 2500.0}
    assert applied["checkout"]["totalPrice"]["gross"] == {"amount": 25000.0}  # 22500 + 2500


def test_completing_without_payment_is_refused_and_writes_nothing(shop, gql):
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    body = gql(COMPLETE, {"id": checkout["id"]})
    assert codes(body, "checkoutComplete") == ["CHECKOUT_NOT_FULLY_PAID"]
    assert body["data"]["checkoutComplete"]["order"] is None
    assert not Order.objects.exists()
    assert Checkout.objects.filter(token=checkout["token"]).exists()
    assert not Stock.objects.filter(quantity_allocated__gt=0).exists()


def test_completing_an_unfinished_checkout_lists_its_problems(shop, gql):
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-S"], 1)], email=None)
    body = gql(COMPLETE, {"id": checkout["id"]})
    assert set(codes(body, "checkoutComplete")) == {
        "EMAIL_NOT_SET",
        "SHIPPING_ADDRESS_NOT_SET",
        "BILLING_ADDRESS_NOT_SET",
    }
    assert not Order.objects.exists()


def test_malformed_and_unknown_ids(shop, gql):
    body = gql(EMAIL_UPDATE, {"id": "garbage", "email": "a@example.com"})
    assert codes(body, "checkoutEmailUpdate") == ["GRAPHQL_ERROR"]
    body = gql(EMAIL_UPDATE, {"id": gid("Checkout", "not-a-uuid"), "email": "a@example.com"})
    assert codes(body, "checkoutEmailUpdate") == ["GRAPHQL_ERROR"]
    unknown = "5f2b8e1c-0000-4000-8000-000000000000"
    body = gql(EMAIL_UPDATE, {"id": unknown, "email": "a@example.com"})
    assert codes(body, "checkoutEmailUpdate") == ["NOT_FOUND"]
    assert gql(CHECKOUT_QUERY, {"id": unknown})["data"]["checkout"] is None


def test_an_anonymous_checkout_is_reached_by_its_token_until_a_customer_takes_it(shop, gql):
    alice, bob = make_customer("alice@example.com"), make_customer("bob@example.com")
    checkout = Storefront(gql).create([(shop.catalog.variants["RD-S"], 1)])
    stranger = client_for()
    assert (
        stranger(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"]["token"]
        == (checkout["token"])
    )

    as_alice = client_for(alice)
    attached = ok(as_alice(CUSTOMER_ATTACH, {"id": checkout["id"]}), "checkoutCustomerAttach")
    assert attached["checkout"]["email"] == "alice@example.com"
    before = snapshot()

    # From now on it is Alice's alone: the others are told it does not exist.
    as_bob = client_for(bob)
    for client in (stranger, as_bob):
        assert client(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"] is None
        body = client(EMAIL_UPDATE, {"id": checkout["id"], "email": "thief@example.com"})
        assert codes(body, "checkoutEmailUpdate") == ["NOT_FOUND"]
        body = client(CUSTOMER_ATTACH, {"id": checkout["id"]})
        assert codes(body, "checkoutCustomerAttach") == (
            ["NOT_FOUND"] if client is as_bob else ["PERMISSION_DENIED"]
        )
        body = client(COMPLETE, {"id": checkout["id"]})
        assert codes(body, "checkoutComplete") == ["NOT_FOUND"]
    assert snapshot() == before
    assert as_alice(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"]["email"] == (
        "alice@example.com"
    )


def test_a_completed_checkout_of_a_customer_is_not_replayed_for_others(shop):
    alice, bob = make_customer("alice@example.com"), make_customer("bob@example.com")
    as_alice = client_for(alice)
    store = Storefront(as_alice)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    store.pay(checkout["id"])
    order = store.complete(checkout["id"])
    assert order["user"] == {"email": "alice@example.com"}
    body = client_for(bob)(COMPLETE, {"id": checkout["id"]})
    assert codes(body, "checkoutComplete") == ["NOT_FOUND"]
    assert body["data"]["checkoutComplete"]["order"] is None
    again = ok(as_alice(COMPLETE, {"id": checkout["id"]}), "checkoutComplete")["order"]
    assert again["number"] == order["number"]


def test_a_method_outgrown_by_weight_is_a_problem_and_completion_is_refused(shop, gql):
    """Adding units after choosing a method can exceed its weight limit: the checkout says
    so and cannot complete with it (service fix: problems() ignored weight limits)."""
    from product.models import ProductVariant
    from warehouse import services as warehouse_services

    warehouse_services.update_shipping_method(
        actor=None, method=shop.standard, data={"max_weight": "2"}
    )
    ProductVariant.objects.filter(pk=shop.catalog.variants["RD-S"].pk).update(weight=1)
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    assert checkout["problems"] == []

    body = gql(
        LINES_UPDATE,
        {"id": checkout["id"], "lines": [{"lineId": checkout["lines"][0]["id"], "quantity": 3}]},
    )
    heavier = ok(body, "checkoutLinesUpdate")["checkout"]
    assert heavier["shippingMethods"] == []
    assert [p["code"] for p in heavier["problems"]] == ["SHIPPING_METHOD_NOT_APPLICABLE"]
    store.pay(checkout["id"])
    assert codes(gql(COMPLETE, {"id": checkout["id"]}), "checkoutComplete") == [
        "SHIPPING_METHOD_NOT_APPLICABLE"
    ]
    assert not Order.objects.exists()
