"""The storefront checkout over GraphQL, as a client sends it: cart to paid order."""

from __future__ import annotations

import pytest

from checkout.models import Checkout
from order.models import Order, OrderEvent
from tests.checkout.conftest import LAGOS
from tests.order.storefront import (
    BILLING_ADDRESS,
    CHECKOUT_QUERY,
    COMPLETE,
    DUMMY,
    LINES_ADD,
    LINES_DELETE,
    LINES_UPDATE,
    Storefront,
    address_input,
    client_for,
    codes,
    gid,
    ok,
)

pytestmark = pytest.mark.django_db

PAYMENT_CREATE = """
mutation Pay($id: ID, $input: PaymentInput!) {
  checkoutPaymentCreate(id: $id, input: $input) {
    payment { id gateway chargeStatus total { amount currency } capturedAmount { amount } }
    checkout { chargeStatus authorizeStatus totalPrice { gross { amount } } }
    errors { field code message }
  }
}
"""


def test_cart_to_paid_order_as_a_storefront_sends_it(shop, gql):
    variants = shop.catalog.variants
    store = Storefront(gql)

    checkout = store.create([(variants["RD-M"], 2)])
    assert checkout["channel"] == {"slug": "default-channel"}
    assert checkout["email"] == "buyer@example.com"
    assert checkout["id"] == gid("Checkout", checkout["token"])
    [line] = checkout["lines"]
    assert line["quantity"] == 2
    assert line["variant"]["sku"] == "RD-M"
    assert line["variant"]["product"] == {"name": "Red Ankara Dress"}
    assert line["unitPrice"]["gross"] == {"amount": 27500.5, "currency": "NGN"}
    assert line["totalPrice"]["gross"] == {"amount": 55001.0}
    assert checkout["subtotalPrice"]["gross"] == {"amount": 55001.0, "currency": "NGN"}
    assert checkout["shippingMethods"] == []  # no address yet
    assert {p["code"] for p in checkout["problems"]} == {
        "SHIPPING_ADDRESS_NOT_SET",
        "BILLING_ADDRESS_NOT_SET",
    }
    assert checkout["availablePaymentGateways"] == [
        {
            "id": DUMMY,
            "name": "Dummy",
            "currencies": [
                "NGN",
                "USD",
                "EUR",
                "GBP",
                "GHS",
                "KES",
                "ZAR",
                "JPY",
                "KWD",
            ],
            "config": [{"field": "outcomes", "value": "success,decline,pending"}],
        }
    ]

    checkout = store.ship_to(checkout["id"], LAGOS)
    assert checkout["shippingAddress"]["firstName"] == "Ada"
    assert checkout["shippingAddress"]["country"] == {"code": "NG", "country": "Nigeria"}
    # Express needs an order of 100,000 or more: only Standard applies.
    assert checkout["shippingMethods"] == [
        {
            "id": gid("ShippingMethod", shop.standard.pk),
            "name": "Standard (Lagos)",
            "price": {"amount": 2500.0, "currency": "NGN"},
            "minimumDeliveryDays": None,
            "maximumDeliveryDays": None,
        }
    ]
    assert [p["code"] for p in checkout["problems"]] == ["SHIPPING_METHOD_NOT_SET"]

    checkout = store.deliver_by(checkout["id"], shop.standard)
    assert checkout["deliveryMethod"] == {
        "__typename": "ShippingMethod",
        "id": gid("ShippingMethod", shop.standard.pk),
        "name": "Standard (Lagos)",
        "price": {"amount": 2500.0},
    }
    assert checkout["shippingPrice"]["gross"] == {"amount": 2500.0, "currency": "NGN"}
    assert checkout["totalPrice"]["gross"] == {"amount": 57501.0}
    assert checkout["problems"] == []
    assert (checkout["chargeStatus"], checkout["authorizeStatus"]) == ("NONE", "NONE")

    paid = store.pay(checkout["id"])
    assert paid["transaction"]["chargedAmount"] == {"amount": 57501.0, "currency": "NGN"}
    assert paid["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    again = gql(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"]
    assert (again["chargeStatus"], again["authorizeStatus"]) == ("FULL", "FULL")
    assert again["transactions"] == [
        {"id": paid["transaction"]["id"], "chargedAmount": {"amount": 57501.0}}
    ]

    order = store.complete(checkout["id"])
    assert order["status"] == "UNFULFILLED"
    assert order["total"]["gross"] == {"amount": 57501.0}
    assert order["total"]["currency"] == "NGN"
    assert (order["chargeStatus"], order["isPaid"]) == ("FULL", True)
    assert order["userEmail"] == "buyer@example.com"
    assert order["shippingMethodName"] == "Standard (Lagos)"
    assert order["shippingAddress"]["firstName"] == "Ada"
    assert [(li["productSku"], li["quantity"]) for li in order["lines"]] == [("RD-M", 2)]
    assert order["transactions"][0]["events"][0]["type"] == "CHARGE_SUCCESS"
    db_order = Order.objects.get()
    assert order["id"] == gid("Order", db_order.token) and order["number"] == str(db_order.number)

    # The cart is gone; a retry returns the same order, never a second one.
    assert gql(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"] is None
    retry = ok(gql(COMPLETE, {"id": checkout["token"]}), "checkoutComplete")["order"]
    assert retry["number"] == order["number"]
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(type="PLACED").count() == 1


def test_lines_are_added_updated_and_deleted(shop, gql):
    variants = shop.catalog.variants
    store = Storefront(gql)
    checkout = store.create([(variants["RD-S"], 1)])

    body = gql(
        LINES_ADD,
        {
            "id": checkout["id"],
            "lines": [
                {"variantId": gid("ProductVariant", variants["RD-S"].pk), "quantity": 1},
                {"variantId": gid("ProductVariant", variants["ST-M"].pk), "quantity": 3},
            ],
        },
    )
    lines = ok(body, "checkoutLinesAdd")["checkout"]["lines"]
    assert [(li["variant"]["sku"], li["quantity"]) for li in lines] == [("RD-S", 2), ("ST-M", 3)]

    body = gql(
        LINES_UPDATE,
        {"id": checkout["id"], "lines": [{"lineId": lines[1]["id"], "quantity": 1}]},
    )
    updated = ok(body, "checkoutLinesUpdate")["checkout"]
    assert [li["quantity"] for li in updated["lines"]] == [2, 1]
    assert updated["quantity"] == 3

    body = gql(
        LINES_UPDATE,
        {
            "id": checkout["id"],
            "lines": [{"variantId": gid("ProductVariant", variants["RD-S"].pk), "quantity": 0}],
        },
    )
    remaining = ok(body, "checkoutLinesUpdate")["checkout"]["lines"]
    assert [li["variant"]["sku"] for li in remaining] == ["ST-M"]

    body = gql(LINES_DELETE, {"id": checkout["id"], "linesIds": [remaining[0]["id"]]})
    emptied = ok(body, "checkoutLinesDelete")["checkout"]
    assert emptied["lines"] == [] and emptied["problems"][0]["code"] == "EMPTY_CHECKOUT"


def test_legacy_payment_then_complete(shop, gql):
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)

    partial = gql(
        PAYMENT_CREATE,
        {"id": checkout["id"], "input": {"gateway": DUMMY, "token": "tok", "amount": 100}},
    )
    assert codes(partial, "checkoutPaymentCreate") == ["PARTIAL_PAYMENT_NOT_ALLOWED"]
    declined = gql(
        PAYMENT_CREATE, {"id": checkout["id"], "input": {"gateway": DUMMY, "token": "declined"}}
    )
    assert codes(declined, "checkoutPaymentCreate") == ["PAYMENT_DECLINED"]
    unknown = gql(PAYMENT_CREATE, {"id": checkout["id"], "input": {"gateway": "nope"}})
    assert codes(unknown, "checkoutPaymentCreate") == ["NOT_SUPPORTED_GATEWAY"]

    body = gql(
        PAYMENT_CREATE,
        {"id": checkout["id"], "input": {"gateway": DUMMY, "token": "tok_visa", "amount": "27500"}},
    )
    payload = ok(body, "checkoutPaymentCreate")
    assert payload["payment"]["gateway"] == DUMMY
    assert payload["payment"]["chargeStatus"] == "FULLY_CHARGED"
    assert payload["payment"]["total"] == {"amount": 27500.0, "currency": "NGN"}
    assert payload["payment"]["capturedAmount"] == {"amount": 27500.0}
    assert payload["checkout"]["chargeStatus"] == "FULL"

    order = store.complete(checkout["id"])
    assert order["isPaid"] is True and order["totalCharged"] == {"amount": 27500.0}
    # The declined attempt is kept (a failure event) and moved no money; the refused
    # partial payment and the unknown gateway wrote nothing.
    events = [[e["type"] for e in t["events"]] for t in order["transactions"]]
    assert events == [["CHARGE_FAILURE"], ["CHARGE_SUCCESS"]]
    assert [t["chargedAmount"]["amount"] for t in order["transactions"]] == [0.0, 27500.0]
    assert not Checkout.objects.exists()


def test_a_second_legacy_payment_for_a_paid_checkout_is_refused(shop, gql):
    store = Storefront(gql)
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    store.pay(checkout["id"])
    body = gql(PAYMENT_CREATE, {"id": checkout["id"], "input": {"gateway": DUMMY}})
    assert codes(body, "checkoutPaymentCreate") == ["CHECKOUT_FULLY_PAID"]


def test_checkout_create_with_addresses_and_language(shop, gql):
    body = gql(
        """
        mutation($input: CheckoutCreateInput!) {
          checkoutCreate(input: $input) {
            checkout { languageCode shippingAddress { city } billingAddress { firstName }
                       shippingMethods { name } }
            errors { field code message }
          }
        }
        """,
        {
            "input": {
                "channel": "default-channel",
                "lines": [
                    {
                        "variantId": gid("ProductVariant", shop.catalog.variants["RD-S"].pk),
                        "quantity": 1,
                    }
                ],
                "shippingAddress": address_input(LAGOS),
                "billingAddress": address_input(LAGOS),
                "languageCode": "EN_US",
            }
        },
    )
    checkout = ok(body, "checkoutCreate")["checkout"]
    assert checkout["languageCode"] == "en-us"
    assert checkout["billingAddress"] == {"firstName": "Ada"}
    assert [m["name"] for m in checkout["shippingMethods"]] == ["Standard (Lagos)"]


PICKUP = """
mutation($id: ID, $method: ID) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout {
      deliveryMethod { __typename ... on Warehouse { id name } }
      availableCollectionPoints { name }
      shippingPrice { gross { amount } }
      problems { code }
    }
    errors { field code message }
  }
}
"""


def test_click_and_collect(shop, gql):
    lagos = shop.warehouses["lagos"]
    lagos.click_and_collect = "LOCAL"
    lagos.save()
    store = Storefront(gql)
    checkout = store.create([(shop.catalog.variants["ST-M"], 2)])
    gql(BILLING_ADDRESS, {"id": checkout["id"], "address": address_input(LAGOS)})

    body = gql(PICKUP, {"id": checkout["id"], "method": gid("Warehouse", lagos.pk)})
    chosen = ok(body, "checkoutDeliveryMethodUpdate")["checkout"]
    assert chosen == {
        "deliveryMethod": {
            "__typename": "Warehouse",
            "id": gid("Warehouse", lagos.pk),
            "name": "Lagos Hub",
        },
        "availableCollectionPoints": [{"name": "Lagos Hub"}],
        "shippingPrice": {"gross": {"amount": 0.0}},
        "problems": [],
    }
    store.pay(checkout["id"])
    order = store.complete(checkout["id"])
    assert order["shippingAddress"] is None and order["shippingMethodName"] is None
    assert Order.objects.get().collection_point_name == "Lagos Hub"


@pytest.mark.django_db(transaction=True)
def test_two_clients_completing_at_once_get_the_same_order(shop):
    """A storefront retrying on a timeout while the first call is still running."""
    import threading

    from django.db import close_old_connections

    store = Storefront(client_for())
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    store.pay(checkout["id"])
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def complete(index: int) -> None:
        try:
            client = client_for()
            barrier.wait()
            results[index] = client(COMPLETE, {"id": checkout["id"]})
        finally:
            close_old_connections()

    threads = [threading.Thread(target=complete, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    orders = [ok(body, "checkoutComplete")["order"]["number"] for body in results]
    assert orders[0] == orders[1]
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(type="PLACED").count() == 1
