"""Payments over GraphQL with the dummy gateway: transactions, webhooks, staff actions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from core.permissions import Perm
from order.models import Order, OrderEvent
from payment.models import Transaction, TransactionEvent
from plugins.dummy_gateway.plugin import sign
from tests.checkout.conftest import LAGOS
from tests.order.storefront import (
    CHECKOUT_QUERY,
    DUMMY,
    ORDER,
    TRANSACTION,
    TRANSACTION_INITIALIZE,
    Storefront,
    client_for,
    codes,
    make_customer,
    ok,
)

pytestmark = pytest.mark.django_db

PROCESS = (
    TRANSACTION
    + """
mutation($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) {
    transaction { ...TransactionDetails } transactionEvent { type } errors { field code message }
  }
}
"""
)
REQUEST_ACTION = (
    TRANSACTION
    + """
mutation($id: ID!, $action: TransactionActionEnum!, $amount: PositiveDecimal) {
  transactionRequestAction(id: $id, actionType: $action, amount: $amount) {
    transaction { ...TransactionDetails } errors { field code message }
  }
}
"""
)
GATEWAY_INITIALIZE = """
mutation($id: ID!, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field code message } } errors { field code message }
  }
}
"""
STAFF_ORDER = (
    ORDER
    + """
query($id: ID!) { order(id: $id) { ...OrderDetails events { type amount } } }
"""
)


@pytest.fixture
def checkout(shop, gql):
    """RD-S x1 (25000) with standard shipping (2500): 27500 NGN due."""
    return Storefront(gql).ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)


def post_webhook(event: dict) -> int:
    body = json.dumps(event).encode()
    response = Client().post(
        f"/plugins/{DUMMY}/webhook/",
        body,
        content_type="application/json",
        HTTP_X_DUMMY_SIGNATURE=sign("dummy-webhook-secret", body),
    )
    return response.status_code


def test_a_declined_payment_is_a_failed_transaction_not_an_error(checkout, gql):
    payload = Storefront(gql).pay(checkout["id"], result="decline")
    transaction = payload["transaction"]
    assert transaction["chargedAmount"] == {"amount": 0.0, "currency": "NGN"}
    assert [e["type"] for e in transaction["events"]] == ["CHARGE_FAILURE"]
    assert transaction["events"][0]["message"] == "Card declined (dummy)."
    assert payload["transactionEvent"]["type"] == "CHARGE_FAILURE"
    again = gql(CHECKOUT_QUERY, {"id": checkout["id"]})["data"]["checkout"]
    assert again["chargeStatus"] == "NONE"


def test_a_pending_payment_settles_with_transaction_process(checkout, gql):
    payload = Storefront(gql).pay(checkout["id"], result="pending")
    transaction = payload["transaction"]
    assert transaction["chargePendingAmount"] == {"amount": 27500.0}
    assert transaction["chargedAmount"]["amount"] == 0.0
    assert payload["data"] == {"psp_reference": transaction["pspReference"]}

    body = gql(PROCESS, {"id": transaction["id"], "data": {"result": "success"}})
    processed = ok(body, "transactionProcess")
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["transaction"]["chargedAmount"]["amount"] == 27500.0
    assert processed["transaction"]["chargePendingAmount"]["amount"] == 0.0
    # Processing again settles nothing twice.
    again = ok(gql(PROCESS, {"id": transaction["token"]}), "transactionProcess")
    assert again["transaction"]["chargedAmount"]["amount"] == 27500.0


def test_authorize_then_staff_capture_and_cancel(checkout, gql, staff_user):
    body = gql(
        TRANSACTION_INITIALIZE,
        {"id": checkout["id"], "gateway": {"id": DUMMY}, "action": "AUTHORIZATION"},
    )
    transaction = ok(body, "transactionInitialize")["transaction"]
    assert transaction["authorizedAmount"]["amount"] == 27500.0
    assert transaction["actions"] == ["CHARGE", "CANCEL"]
    staff = client_for(staff_user, Perm.MANAGE_PAYMENTS)

    captured = ok(
        staff(REQUEST_ACTION, {"id": transaction["id"], "action": "CHARGE", "amount": 20000}),
        "transactionRequestAction",
    )["transaction"]
    assert captured["chargedAmount"]["amount"] == 20000.0
    assert captured["authorizedAmount"]["amount"] == 7500.0
    canceled = ok(
        staff(REQUEST_ACTION, {"id": transaction["id"], "action": "CANCEL"}),
        "transactionRequestAction",
    )["transaction"]
    assert canceled["authorizedAmount"]["amount"] == 0.0
    assert canceled["actions"] == ["REFUND"]


def test_transaction_actions_need_payment_or_order_staff(checkout, gql, staff_user):
    transaction = Storefront(gql).pay(checkout["id"])["transaction"]
    customer = make_customer("ada@example.com")
    variables = {"id": transaction["id"], "action": "REFUND", "amount": 1000}
    for client in (
        client_for(),
        client_for(customer),
        client_for(staff_user, Perm.MANAGE_PRODUCTS),
    ):
        assert codes(client(REQUEST_ACTION, variables), "transactionRequestAction") == [
            "PERMISSION_DENIED"
        ]
    assert not TransactionEvent.objects.filter(type__startswith="REFUND").exists()

    as_orders_staff = client_for(staff_user, Perm.MANAGE_ORDERS)
    refunded = ok(as_orders_staff(REQUEST_ACTION, variables), "transactionRequestAction")
    assert refunded["transaction"]["refundedAmount"]["amount"] == 1000.0
    assert refunded["transaction"]["chargedAmount"]["amount"] == 26500.0
    above = as_orders_staff(
        REQUEST_ACTION, {"id": transaction["id"], "action": "REFUND", "amount": 26500.01}
    )
    assert codes(above, "transactionRequestAction") == ["INVALID_AMOUNT"]
    assert TransactionEvent.objects.filter(type="REFUND_SUCCESS").count() == 1


def test_amounts_must_fit_the_currency(checkout, gql):
    body = gql(
        TRANSACTION_INITIALIZE,
        {"id": checkout["id"], "gateway": {"id": DUMMY}, "amount": "10.001"},
    )
    assert codes(body, "transactionInitialize") == ["INVALID_AMOUNT"]
    body = gql(TRANSACTION_INITIALIZE, {"id": checkout["id"], "gateway": {"id": "stripe"}})
    assert codes(body, "transactionInitialize") == ["NOT_SUPPORTED_GATEWAY"]
    assert not Transaction.objects.exists()


def test_payment_gateway_initialize(checkout, gql):
    body = gql(GATEWAY_INITIALIZE, {"id": checkout["id"]})
    assert ok(body, "paymentGatewayInitialize")["gatewayConfigs"] == [
        {"id": DUMMY, "data": None, "errors": []}
    ]
    body = gql(GATEWAY_INITIALIZE, {"id": checkout["id"], "gateways": [{"id": "nope"}]})
    [config] = ok(body, "paymentGatewayInitialize")["gatewayConfigs"]
    assert [e["code"] for e in config["errors"]] == ["NOT_SUPPORTED_GATEWAY"]


def test_nobody_pays_into_or_settles_another_customers_checkout(shop):
    alice, bob = make_customer("alice@example.com"), make_customer("bob@example.com")
    as_alice = client_for(alice)
    checkout = Storefront(as_alice).ready(
        [(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard
    )
    transaction = Storefront(as_alice).pay(checkout["id"], result="pending")["transaction"]
    for client in (client_for(bob), client_for()):
        body = client(TRANSACTION_INITIALIZE, {"id": checkout["id"], "gateway": {"id": DUMMY}})
        assert codes(body, "transactionInitialize") == ["NOT_FOUND"]
        assert codes(client(PROCESS, {"id": transaction["id"]}), "transactionProcess") == [
            "NOT_FOUND"
        ]
        assert codes(
            client(GATEWAY_INITIALIZE, {"id": checkout["id"]}), "paymentGatewayInitialize"
        ) == ["NOT_FOUND"]
    assert Transaction.objects.count() == 1
    assert Transaction.objects.get().charged_value == 0


def test_a_pending_payment_webhook_replayed_five_times_pays_the_order_once(
    shop, gql, checkout, channel, staff_user
):
    channel.allow_unpaid_orders = True
    channel.save()
    store = Storefront(gql)
    transaction = store.pay(checkout["id"], result="pending")["transaction"]
    order = store.complete(checkout["id"])
    assert (order["chargeStatus"], order["isPaid"]) == ("NONE", False)

    event = {
        "id": "evt_1",
        "psp_reference": transaction["pspReference"],
        "type": "CHARGE_SUCCESS",
        "amount": "27500.00",
    }
    assert [post_webhook(event) for _ in range(5)] == [200] * 5

    record = Transaction.objects.get()
    assert TransactionEvent.objects.filter(transaction=record, type="CHARGE_SUCCESS").count() == 1
    assert record.charged_value == 27500 and record.charge_pending_value == 0
    staff = client_for(staff_user, Perm.MANAGE_ORDERS)
    paid = staff(STAFF_ORDER, {"id": order["id"]})["data"]["order"]
    assert (paid["chargeStatus"], paid["isPaid"]) == ("FULL", True)
    assert paid["totalCharged"] == {"amount": 27500.0}
    assert [e["type"] for e in paid["events"]].count("ORDER_FULLY_PAID") == 1
    assert OrderEvent.objects.filter(type="PAYMENT_CAPTURED").count() == 1
    [tx] = paid["transactions"]
    assert [e["type"] for e in tx["events"]] == ["CHARGE_REQUEST", "CHARGE_SUCCESS"]


def test_a_webhook_before_completion_counts_once_at_completion(shop, gql, checkout):
    store = Storefront(gql)
    transaction = store.pay(checkout["id"], result="pending")["transaction"]
    body = gql(COMPLETE_ONLY, {"id": checkout["id"]})
    assert codes(body, "checkoutComplete") == ["CHECKOUT_NOT_FULLY_PAID"]
    event = {
        "id": "evt_2",
        "psp_reference": transaction["pspReference"],
        "type": "CHARGE_SUCCESS",
        "amount": "27500.00",
    }
    for _ in range(5):
        assert post_webhook(event) == 200
    order = store.complete(checkout["id"])
    assert (order["chargeStatus"], order["totalCharged"]) == ("FULL", {"amount": 27500.0})
    assert OrderEvent.objects.filter(type="ORDER_FULLY_PAID").count() == 1


COMPLETE_ONLY = """
mutation($id: ID) { checkoutComplete(id: $id) { order { id } errors { field code message } } }
"""


def test_an_unpaid_guest_order_is_paid_by_its_id(shop, gql, checkout, channel):
    channel.allow_unpaid_orders = True
    channel.save()
    store = Storefront(gql)
    order = store.complete(checkout["id"])
    payload = store.pay(order["id"])
    assert payload["transaction"]["chargedAmount"]["amount"] == 27500.0
    db_order = Order.objects.get()
    assert (db_order.charge_status, db_order.total_charged) == ("FULL", 27500)
    # Nothing is left to pay.
    body = gql(TRANSACTION_INITIALIZE, {"id": order["id"], "gateway": {"id": DUMMY}})
    assert codes(body, "transactionInitialize") == ["INVALID"]


def test_a_customers_unpaid_order_is_paid_by_them_only(shop, channel):
    channel.allow_unpaid_orders = True
    channel.save()
    alice, bob = make_customer("alice@example.com"), make_customer("bob@example.com")
    store = Storefront(client_for(alice))
    checkout = store.ready([(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard)
    order = store.complete(checkout["id"])
    body = client_for(bob)(TRANSACTION_INITIALIZE, {"id": order["id"], "gateway": {"id": DUMMY}})
    assert codes(body, "transactionInitialize") == ["NOT_FOUND"]
    assert not Transaction.objects.exists()
    assert store.pay(order["id"])["transaction"]["chargedAmount"]["amount"] == 27500.0


IDEMPOTENT_INITIALIZE = (
    TRANSACTION
    + """
mutation($id: ID!, $gateway: PaymentGatewayToInitialize!, $amount: PositiveDecimal,
         $key: String) {
  transactionInitialize(id: $id, paymentGateway: $gateway, amount: $amount,
                        idempotencyKey: $key) {
    transaction { ...TransactionDetails } transactionEvent { type } data
    errors { field code message }
  }
}
"""
)


def test_a_double_clicked_pay_button_with_one_idempotency_key_charges_once(checkout, gql):
    variables = {
        "id": checkout["id"],
        "gateway": {"id": DUMMY, "data": {"result": "pending"}},
        "key": "pay-button-7f3a",
    }
    first = ok(gql(IDEMPOTENT_INITIALIZE, variables), "transactionInitialize")
    second = ok(gql(IDEMPOTENT_INITIALIZE, variables), "transactionInitialize")
    assert second["transaction"]["id"] == first["transaction"]["id"]
    assert (
        second["data"] == first["data"] == {"psp_reference": first["transaction"]["pspReference"]}
    )
    assert second["transactionEvent"]["type"] == "CHARGE_REQUEST"
    assert Transaction.objects.count() == 1
    assert TransactionEvent.objects.count() == 1

    other_amount = gql(IDEMPOTENT_INITIALIZE, {**variables, "amount": 1000})
    assert codes(other_amount, "transactionInitialize") == ["UNIQUE"]
    fresh_key = ok(
        gql(IDEMPOTENT_INITIALIZE, {**variables, "key": "retry-2", "amount": 500}),
        "transactionInitialize",
    )
    assert fresh_key["transaction"]["id"] != first["transaction"]["id"]
    assert Transaction.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_create_one_transaction(shop):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent inserts")
    checkout = Storefront(client_for()).ready(
        [(shop.catalog.variants["RD-S"], 1)], LAGOS, shop.standard
    )
    variables = {
        "id": checkout["id"],
        "gateway": {"id": DUMMY, "data": {"result": "success"}},
        "key": "same-key",
    }

    def pay(_: int) -> dict:
        try:
            return client_for()(IDEMPOTENT_INITIALIZE, variables)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        bodies = list(pool.map(pay, range(4)))
    ids = {ok(body, "transactionInitialize")["transaction"]["id"] for body in bodies}
    assert len(ids) == 1
    record = Transaction.objects.get()
    assert record.charged_value == 27500
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1
