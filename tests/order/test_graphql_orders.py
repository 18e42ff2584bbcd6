"""Orders over GraphQL: customers see their own, staff see and work on all of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.permissions import Perm
from order.models import Order, OrderEvent
from tests.checkout.conftest import LAGOS
from tests.order.storefront import (
    ORDER,
    Storefront,
    client_for,
    codes,
    gid,
    make_customer,
    ok,
)
from warehouse.models import Stock

pytestmark = pytest.mark.django_db

MY_ORDERS = (
    ORDER
    + """
query { me { email orders(first: 10) { totalCount edges { node { ...OrderDetails } } } } }
"""
)
ORDER_QUERY = (
    ORDER
    + """
query Order($id: ID!) {
  order(id: $id) {
    ...OrderDetails
    events { type user { email } message amount }
  }
}
"""
)
ORDERS = """
query Orders($first: Int, $after: String, $filter: OrderFilterInput, $sortBy: OrderSortingInput,
             $channel: String) {
  orders(first: $first, after: $after, filter: $filter, sortBy: $sortBy, channel: $channel) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { number userEmail status chargeStatus
                   lines { productSku quantity variant { sku product { name } } } } }
  }
}
"""
FULFILL = """
mutation Fulfill($order: ID!, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) {
    fulfillments { fulfillmentOrder status trackingNumber lines { quantity orderLine { id } } }
    order { status lines { quantityFulfilled } }
    errors { field code message }
  }
}
"""
CONFIRM = """
mutation($id: ID!) { orderConfirm(id: $id) { order { status } errors { field code message } } }
"""
CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { order { status } errors { field code message } } }
"""
NOTE = """
mutation($order: ID!, $message: String!) {
  orderNoteAdd(order: $order, input: {message: $message}) {
    event { type message user { email } } order { number } errors { field code message }
  }
}
"""
REFUND = """
mutation($id: ID!, $amount: PositiveDecimal!) {
  orderRefund(id: $id, amount: $amount) {
    order { totalCharged { amount } totalRefunded { amount } chargeStatus
            transactions { refundedAmount { amount } events { type amount { amount } } } }
    errors { field code message }
  }
}
"""
GRANT_REFUND = """
mutation($id: ID!, $amount: PositiveDecimal!, $reason: String) {
  orderGrantRefundCreate(id: $id, input: {amount: $amount, reason: $reason}) {
    order { totalRefunded { amount } } errors { field code message }
  }
}
"""
RETURN = """
mutation($order: ID!, $input: OrderReturnProductsInput!) {
  fulfillmentReturnProducts(order: $order, input: $input) {
    returnFulfillment { status lines { quantity } }
    order { status totalRefunded { amount } }
    errors { field code message }
  }
}
"""
INVOICE = """
mutation($orderId: ID!) {
  invoiceRequest(orderId: $orderId) {
    invoice { id number url status } order { number } errors { field code message }
  }
}
"""


@pytest.fixture
def alice(db):
    return make_customer("alice@example.com")


@pytest.fixture
def bob(db):
    return make_customer("bob@example.com")


@pytest.fixture
def alices_order(shop, alice):
    """Alice buys 3 x RD-M (27500.50) with standard shipping (2500): 85001.50, paid."""
    store = Storefront(client_for(alice))
    return store.buy([(shop.catalog.variants["RD-M"], 3)], LAGOS, shop.standard, email=None)


@pytest.fixture
def staff(staff_user):
    return client_for(staff_user, Perm.MANAGE_ORDERS)


def stock(shop, sku="RD-M"):
    return Stock.objects.get(
        product_variant=shop.catalog.variants[sku], warehouse=shop.warehouses["lagos"]
    )


def fulfil_input(order, quantity, warehouse, tracking="TRK-1"):
    return {
        "order": order["id"],
        "input": {
            "lines": [
                {
                    "orderLineId": order["lines"][0]["id"],
                    "stocks": [{"quantity": quantity, "warehouse": gid("Warehouse", warehouse.pk)}],
                }
            ],
            "trackingNumber": tracking,
        },
    }


def test_customers_see_their_own_orders_only(shop, alice, bob, alices_order, staff):
    mine = client_for(alice)(MY_ORDERS)["data"]["me"]
    assert mine["orders"]["totalCount"] == 1
    [node] = [e["node"] for e in mine["orders"]["edges"]]
    assert node["number"] == alices_order["number"]
    assert node["user"] == {"email": "alice@example.com"}
    assert node["total"]["gross"] == {"amount": 85001.5}

    as_bob = client_for(bob)
    assert as_bob(MY_ORDERS)["data"]["me"]["orders"]["totalCount"] == 0
    assert as_bob(ORDER_QUERY, {"id": alices_order["id"]})["data"]["order"] is None
    assert client_for()(ORDER_QUERY, {"id": alices_order["id"]})["data"]["order"] is None

    # Alice reads her order, but the staff timeline is not hers to see.
    body = client_for(alice)(ORDER_QUERY, {"id": alices_order["id"]})
    assert body["data"]["order"]["number"] == alices_order["number"]
    assert body["data"]["order"]["events"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    as_staff = staff(ORDER_QUERY, {"id": alices_order["id"]})["data"]["order"]
    assert [e["type"] for e in as_staff["events"]] == [
        "PLACED",
        "PAYMENT_CAPTURED",
        "ORDER_FULLY_PAID",
    ]


def test_staff_list_filter_search_sort_and_page_orders(shop, alice, alices_order, staff, gql):
    variants = shop.catalog.variants
    guest = Storefront(gql)
    second = guest.buy([(variants["ST-M"], 1)], LAGOS, shop.standard)
    third = guest.buy([(variants["RD-S"], 2)], LAGOS, shop.standard)
    numbers = [alices_order["number"], second["number"], third["number"]]

    def numbers_of(variables):
        body = staff(ORDERS, variables)
        assert "errors" not in body, body
        return [e["node"]["number"] for e in body["data"]["orders"]["edges"]]

    assert numbers_of({}) == numbers[::-1]  # newest first
    assert numbers_of({"sortBy": {"field": "NUMBER", "direction": "ASC"}}) == numbers
    assert numbers_of({"filter": {"search": "ST-M"}}) == [second["number"]]
    assert numbers_of({"filter": {"search": alices_order["number"]}}) == [alices_order["number"]]
    assert numbers_of({"filter": {"search": "alice@"}}) == [alices_order["number"]]
    assert numbers_of({"filter": {"customer": "buyer"}}) == [third["number"], second["number"]]
    assert (
        numbers_of({"filter": {"status": ["UNFULFILLED"], "chargeStatus": ["FULL"]}})
        == (numbers[::-1])
    )
    assert numbers_of({"filter": {"status": ["CANCELED"]}}) == []
    assert numbers_of({"channel": "channel-usd"}) == []
    assert numbers_of({"filter": {"channel": "default-channel"}}) == numbers[::-1]
    ngn = gid("Channel", Order.objects.first().channel_id)
    assert numbers_of({"filter": {"channels": [ngn]}}) == numbers[::-1]
    assert numbers_of({"filter": {"channels": ["channel-usd"]}}) == []
    assert (
        numbers_of({"filter": {"created": {"gte": "2000-01-01", "lte": "2999-01-01"}}})
        == (numbers[::-1])
    )
    assert numbers_of({"filter": {"created": {"lte": "2000-01-01"}}}) == []

    page = staff(ORDERS, {"first": 2})["data"]["orders"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    rest = staff(ORDERS, {"first": 2, "after": page["pageInfo"]["endCursor"]})["data"]["orders"]
    assert [e["node"]["number"] for e in rest["edges"]] == [alices_order["number"]]
    assert rest["pageInfo"]["hasNextPage"] is False
    line = rest["edges"][0]["node"]["lines"][0]
    assert line == {
        "productSku": "RD-M",
        "quantity": 3,
        "variant": {"sku": "RD-M", "product": {"name": "Red Ankara Dress"}},
    }


def test_orders_and_other_peoples_timelines_need_manage_orders(shop, alice, alices_order):
    for client in (client_for(), client_for(alice)):
        body = client(ORDERS, {})
        assert body["data"]["orders"] is None
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


def test_fulfil_partly_then_fully_decreases_stock(shop, alices_order, staff):
    lagos = shop.warehouses["lagos"]
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (10, 3)

    body = staff(FULFILL, fulfil_input(alices_order, 2, lagos))
    payload = ok(body, "orderFulfill")
    assert payload["order"] == {
        "status": "PARTIALLY_FULFILLED",
        "lines": [{"quantityFulfilled": 2}],
    }
    assert payload["fulfillments"] == [
        {
            "fulfillmentOrder": 1,
            "status": "FULFILLED",
            "trackingNumber": "TRK-1",
            "lines": [{"quantity": 2, "orderLine": {"id": alices_order["lines"][0]["id"]}}],
        }
    ]
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (8, 1)

    too_many = staff(FULFILL, fulfil_input(alices_order, 2, lagos))
    assert codes(too_many, "orderFulfill") == ["FULFILL_ORDER_LINE"]
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (8, 1)
    wrong_place = staff(FULFILL, fulfil_input(alices_order, 1, shop.warehouses["london"]))
    assert codes(wrong_place, "orderFulfill") == ["INSUFFICIENT_STOCK"]
    assert Order.objects.get().fulfillments.count() == 1

    done = ok(staff(FULFILL, fulfil_input(alices_order, 1, lagos, "")), "orderFulfill")
    assert done["order"]["status"] == "FULFILLED"
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (7, 0)
    events = staff(ORDER_QUERY, {"id": alices_order["id"]})["data"]["order"]["events"]
    assert [e["type"] for e in events][-3:] == [
        "FULFILLMENT_CREATED",
        "FULFILLMENT_CREATED",
        "FULFILLED",
    ]
    assert {e["user"]["email"] for e in events if e["type"] == "FULFILLED"} == {"staff@example.com"}


def test_cancel_releases_allocations(shop, alices_order, staff):
    assert stock(shop).quantity_allocated == 3
    assert ok(staff(CANCEL, {"id": alices_order["id"]}), "orderCancel")["order"] == {
        "status": "CANCELED"
    }
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (10, 0)


def test_a_fulfilled_order_cannot_be_cancelled(shop, alices_order, staff):
    ok(staff(FULFILL, fulfil_input(alices_order, 1, shop.warehouses["lagos"])), "orderFulfill")
    body = staff(CANCEL, {"id": alices_order["id"]})
    assert codes(body, "orderCancel") == ["CANNOT_CANCEL_FULFILLED_ORDER"]
    assert Order.objects.get().status == "PARTIALLY_FULFILLED"


def test_refunds_partial_and_above_captured(shop, alices_order, staff):
    before = OrderEvent.objects.count()
    above = staff(REFUND, {"id": alices_order["id"], "amount": "85001.51"})
    assert codes(above, "orderRefund") == ["REFUND_ABOVE_CAPTURED"]
    assert OrderEvent.objects.count() == before
    assert Order.objects.get().total_refunded == 0

    payload = ok(staff(REFUND, {"id": alices_order["id"], "amount": 10000}), "orderRefund")
    assert payload["order"]["totalRefunded"] == {"amount": 10000.0}
    assert payload["order"]["totalCharged"] == {"amount": 75001.5}
    assert payload["order"]["chargeStatus"] == "PARTIAL"
    [transaction] = payload["order"]["transactions"]
    assert transaction["refundedAmount"] == {"amount": 10000.0}
    assert [e["type"] for e in transaction["events"]] == [
        "CHARGE_SUCCESS",
        "REFUND_REQUEST",
        "REFUND_SUCCESS",
    ]
    granted = ok(
        staff(GRANT_REFUND, {"id": alices_order["id"], "amount": "1.50", "reason": "late"}),
        "orderGrantRefundCreate",
    )
    assert granted["order"]["totalRefunded"] == {"amount": 10001.5}
    grant = OrderEvent.objects.filter(type="REFUND_GRANTED").order_by("pk").last()
    assert grant.parameters == {"amount": "1.50", "reason": "late"}


def test_return_with_restock_puts_stock_back_and_refunds(shop, alices_order, staff):
    ok(staff(FULFILL, fulfil_input(alices_order, 3, shop.warehouses["lagos"])), "orderFulfill")
    assert stock(shop).quantity == 7
    line = alices_order["lines"][0]["id"]

    too_much = staff(
        RETURN,
        {
            "order": alices_order["id"],
            "input": {
                "orderLines": [{"orderLineId": line, "quantity": 1}],
                "refund": True,
                "amountToRefund": "90000",
            },
        },
    )
    assert codes(too_much, "fulfillmentReturnProducts") == ["REFUND_ABOVE_CAPTURED"]
    assert Order.objects.get().status == "FULFILLED" and stock(shop).quantity == 7

    body = staff(
        RETURN,
        {
            "order": alices_order["id"],
            "input": {
                "orderLines": [{"orderLineId": line, "quantity": 1}],
                "restock": True,
                "refund": True,
            },
        },
    )
    payload = ok(body, "fulfillmentReturnProducts")
    assert payload["returnFulfillment"] == {"status": "RETURNED", "lines": [{"quantity": 1}]}
    assert payload["order"]["status"] == "PARTIALLY_RETURNED"
    assert payload["order"]["totalRefunded"] == {"amount": 27500.5}
    assert stock(shop).quantity == 8

    kept = staff(
        RETURN,
        {
            "order": alices_order["id"],
            "input": {"orderLines": [{"orderLineId": line, "quantity": 1}]},
        },
    )
    assert ok(kept, "fulfillmentReturnProducts")["order"]["totalRefunded"] == {"amount": 27500.5}
    assert stock(shop).quantity == 8  # not restocked


def test_note_and_invoice(shop, alices_order, staff, plugin_kit):
    payload = ok(staff(NOTE, {"order": alices_order["id"], "message": "Gift wrap"}), "orderNoteAdd")
    assert payload["event"] == {
        "type": "NOTE_ADDED",
        "message": "Gift wrap",
        "user": {"email": "staff@example.com"},
    }
    assert codes(staff(NOTE, {"order": alices_order["id"], "message": " "}), "orderNoteAdd") == [
        "REQUIRED"
    ]

    invoice = ok(staff(INVOICE, {"orderId": alices_order["id"]}), "invoiceRequest")["invoice"]
    assert (invoice["status"], invoice["number"], invoice["url"]) == ("PENDING", None, None)
    plugin_kit.deliver()
    order = staff(ORDER_QUERY, {"id": alices_order["id"]})["data"]["order"]
    [ready] = order["invoices"]
    assert ready["status"] == "SUCCESS" and ready["number"].startswith("INV-")
    assert ready["url"].startswith("http://testserver/")


STAFF_MUTATIONS = [
    ("orderFulfill", FULFILL, lambda o, s: fulfil_input(o, 1, s.warehouses["lagos"])),
    ("orderConfirm", CONFIRM, lambda o, s: {"id": o["id"]}),
    ("orderCancel", CANCEL, lambda o, s: {"id": o["id"]}),
    ("orderNoteAdd", NOTE, lambda o, s: {"order": o["id"], "message": "hi"}),
    ("orderRefund", REFUND, lambda o, s: {"id": o["id"], "amount": 1}),
    ("orderGrantRefundCreate", GRANT_REFUND, lambda o, s: {"id": o["id"], "amount": 1}),
    (
        "fulfillmentReturnProducts",
        RETURN,
        lambda o, s: {
            "order": o["id"],
            "input": {"orderLines": [{"orderLineId": o["lines"][0]["id"], "quantity": 1}]},
        },
    ),
    ("invoiceRequest", INVOICE, lambda o, s: {"orderId": o["id"]}),
]


@pytest.mark.parametrize(("name", "document", "variables"), STAFF_MUTATIONS)
def test_staff_mutations_need_manage_orders(
    shop, alice, staff_user, alices_order, name, document, variables
):
    before = (
        OrderEvent.objects.count(),
        list(Order.objects.values_list("status", "total_refunded")),
        list(Stock.objects.values_list("quantity", "quantity_allocated").order_by("pk")),
    )
    for client in (
        client_for(),
        client_for(alice),
        client_for(staff_user, Perm.MANAGE_PRODUCTS),
    ):
        body = client(document, variables(alices_order, shop))
        assert codes(body, name) == ["PERMISSION_DENIED"]
    assert before == (
        OrderEvent.objects.count(),
        list(Order.objects.values_list("status", "total_refunded")),
        list(Stock.objects.values_list("quantity", "quantity_allocated").order_by("pk")),
    )


def test_me_orders_is_added_again_after_a_schema_rebuild(alice):
    from core.graphql.schema import get_schema, reset_schema

    reset_schema()
    try:
        fields = get_schema().graphql_schema.type_map["User"].fields
        assert "orders" in fields
        assert "price" in get_schema().graphql_schema.type_map["ShippingMethod"].fields
    finally:
        reset_schema()


@pytest.fixture
def many_orders(shop, gql):
    """Ten paid orders of two lines each (stock allows ten of each variant)."""
    store = Storefront(gql)
    variants = shop.catalog.variants
    for _ in range(10):
        store.buy([(variants["RD-M"], 1), (variants["ST-M"], 1)], LAGOS, shop.standard)


def test_orders_page_queries_do_not_grow_with_orders(shop, many_orders, staff):
    query = (
        ORDER
        + """
query($first: Int) {
  orders(first: $first) {
    totalCount
    edges { node { ...OrderDetails events { type user { email } }
                   lines { variant { pricing { price { gross { amount } } }
                                     product { thumbnail { url } } } } } }
  }
}
"""
    )

    def run(first):
        with CaptureQueriesContext(connection) as queries:
            body = staff(query, {"first": first})
        assert "errors" not in body, body
        assert len(body["data"]["orders"]["edges"]) == first
        return len(queries)

    two, ten = run(2), run(10)
    assert ten == two, (two, ten)
    assert Decimal(Order.objects.first().total_gross) == Decimal("45000.50")


def test_me_orders_with_a_bearer_token(shop, gql):
    """What a storefront does: sign in for a JWT, buy, then list its orders."""
    from tests.account.conftest import Person, make_user

    customer = Person(gql, make_user("ngozi@example.com"))
    Storefront(customer).buy([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard, None)
    mine = customer(MY_ORDERS)["data"]["me"]
    assert mine["email"] == "ngozi@example.com"
    [edge] = mine["orders"]["edges"]
    assert edge["node"]["userEmail"] == "ngozi@example.com"
    assert edge["node"]["user"] == {"email": "ngozi@example.com"}


def test_an_unconfirmed_order_is_confirmed_before_it_ships(shop, channel, gql, staff):
    channel.automatically_confirm_orders = False
    channel.save()
    order = Storefront(gql).buy([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    assert order["status"] == "UNCONFIRMED"
    body = staff(FULFILL, fulfil_input(order, 1, shop.warehouses["lagos"]))
    assert codes(body, "orderFulfill") == ["ORDER_NOT_CONFIRMED"]
    assert ok(staff(CONFIRM, {"id": order["id"]}), "orderConfirm")["order"] == {
        "status": "UNFULFILLED"
    }
    assert codes(staff(CONFIRM, {"id": order["id"]}), "orderConfirm") == ["INVALID"]
    fulfilled = ok(staff(FULFILL, fulfil_input(order, 1, shop.warehouses["lagos"])), "orderFulfill")
    assert fulfilled["order"]["status"] == "FULFILLED"


def test_staff_order_mutations_are_in_the_audit_log(shop, alices_order, staff, staff_user):
    from account.models import AuditEvent

    before = AuditEvent.objects.count()
    ok(staff(CANCEL, {"id": alices_order["id"]}, HTTP_X_REQUEST_ID="req-cancel-1"), "orderCancel")
    order = Order.objects.get()
    [event] = AuditEvent.objects.filter(
        content_type__app_label="order", content_type__model="order", object_pk=str(order.pk)
    )
    assert event.actor == staff_user
    assert event.changes["status"] == ["UNFULFILLED", "CANCELED"]
    assert event.cid == "req-cancel-1"
    assert AuditEvent.objects.count() > before
