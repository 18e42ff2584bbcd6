"""An NGN checkout paid with Paystack: initialize, pay, webhook or verify, order charged."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from checkout.complete import complete_checkout
from core.errors import DomainError
from order.models import OrderEvent
from payment.models import TransactionEvent
from payment.services import process_transaction
from tests.plugins.paystack.conftest import PAYSTACK, PUBLIC
from tests.plugins.paystack.flow import initialize, new_checkout, post_webhook, total_of

pytestmark = pytest.mark.django_db


def test_paystack_is_offered_in_the_channel_where_it_is_configured(paystack, shop):
    from payment.services import gateways

    checkout = new_checkout(shop)
    offered = {g.id: g for g in gateways(checkout.channel, "NGN")}
    assert PAYSTACK in offered
    assert dict(offered[PAYSTACK].config) == {"public_key": PUBLIC}
    usd = new_checkout(shop, channel="channel-usd")
    assert PAYSTACK not in {g.id for g in gateways(usd.channel, "USD")}


def test_a_full_ngn_checkout_from_initialize_to_webhook_to_order_charged(paystack, shop):
    checkout = new_checkout(shop, sku="RD-M", quantity=2)
    total = total_of(checkout)
    record, result = initialize(checkout)

    reference = result.data["reference"]
    assert result.data["authorization_url"].startswith("https://checkout.paystack.com/")
    assert result.data["access_code"]
    assert reference == record.psp_reference and reference.startswith("fsn-")
    assert record.charge_pending_value == total and record.charged_value == 0
    sent = paystack.requests_to("POST", "/transaction/initialize")[0].json()
    assert sent["amount"] == int(total * 100)  # kobo
    assert (sent["currency"], sent["email"], sent["reference"]) == (
        "NGN",
        "buyer@example.com",
        reference,
    )
    assert sent["callback_url"] == "https://shop.example.com/paystack/return"
    metadata = json.loads(sent["metadata"])
    assert metadata["checkout_id"] == str(checkout.token)
    assert metadata["channel"] == "default-channel"

    with pytest.raises(DomainError) as refused:
        complete_checkout(checkout.token)
    assert refused.value.code == "CHECKOUT_NOT_FULLY_PAID"

    paystack.pay(reference)
    response = post_webhook(paystack.charge_success(reference))
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "processed"}
    record.refresh_from_db()
    assert record.charged_value == total and record.charge_pending_value == 0

    order, created = complete_checkout(checkout.token)
    assert created
    assert order.charge_status == "FULL" and order.total_charged == total
    assert OrderEvent.objects.filter(order=order, type="ORDER_FULLY_PAID").count() == 1
    stored = TransactionEvent.objects.get(transaction=record, type="CHARGE_SUCCESS")
    assert stored.psp_reference == reference
    assert "AUTH_fake0secret" not in json.dumps(stored.raw_response)  # no reusable card token


def test_transaction_process_verifies_and_a_later_webhook_changes_nothing(paystack, shop):
    checkout = new_checkout(shop)
    total = total_of(checkout)
    record, result = initialize(checkout)
    reference = result.data["reference"]

    waiting = process_transaction(record, {})
    assert waiting.result == "INFO"
    record.refresh_from_db()
    assert record.charged_value == 0 and record.charge_pending_value == total

    paystack.pay(reference)
    settled = process_transaction(record, {})  # the customer is back from Paystack's page
    assert settled.result == "CHARGE_SUCCESS"
    assert paystack.requests_to("GET", f"/transaction/verify/{reference}")

    # The webhook arrives after the verification: recorded once, still 200.
    assert post_webhook(paystack.charge_success(reference)).status_code == 200
    record.refresh_from_db()
    assert record.charged_value == total
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "FULL"


def test_an_order_placed_before_payment_is_charged_when_the_webhook_comes(paystack, shop):
    checkout = new_checkout(shop)
    checkout.channel.allow_unpaid_orders = True
    checkout.channel.save()
    record, result = initialize(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "NONE"

    paystack.pay(result.data["reference"])
    assert post_webhook(paystack.charge_success(result.data["reference"])).status_code == 200
    order.refresh_from_db()
    assert order.charge_status == "FULL"
    assert OrderEvent.objects.filter(order=order, type="PAYMENT_CAPTURED").count() == 1


def test_a_declined_payment_releases_the_pending_amount(paystack, shop):
    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.transactions[result.data["reference"]]["status"] = "failed"
    failed = process_transaction(record, {})
    assert failed.result == "CHARGE_FAILURE"
    record.refresh_from_db()
    assert record.charge_pending_value == 0 and record.charged_value == 0


def test_the_customer_email_is_required(paystack, shop):
    from checkout.models import Checkout

    checkout = new_checkout(shop)
    Checkout.objects.filter(pk=checkout.pk).update(email="")
    checkout.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        initialize(checkout)
    assert (refused.value.code, refused.value.errors[0].field) == ("REQUIRED", "email")
    assert not paystack.seen


def test_partial_then_full_refund_through_paystack(paystack, shop):
    from order import services as orders

    checkout = new_checkout(shop, sku="RD-M", quantity=2)
    record, result = initialize(checkout)
    reference = result.data["reference"]
    paystack.pay(reference)
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    total = order.total_gross

    orders.refund(order, Decimal("5000"), reason="One dress returned")
    record.refresh_from_db()
    assert record.refund_pending_value == Decimal("5000")
    assert record.refunded_value == 0  # Paystack queues refunds
    sent = paystack.requests_to("POST", "/refund")[0].json()
    assert sent == {
        "transaction": reference,
        "amount": 500000,
        "currency": "NGN",
        "merchant_note": f"Refund of transaction {record.token}",
    }
    (refund_id,) = paystack.refunds
    paystack.settle_refund(refund_id)
    body = paystack.refund_event(refund_id, "processed")
    for _ in range(3):
        assert post_webhook(body).status_code == 200
    record.refresh_from_db()
    order.refresh_from_db()
    assert record.refunded_value == Decimal("5000") and record.refund_pending_value == 0
    assert record.charged_value == total - Decimal("5000")
    assert order.total_refunded == Decimal("5000")
    assert OrderEvent.objects.filter(order=order, type="PAYMENT_REFUNDED").count() == 1

    orders.refund(order, total - Decimal("5000"))
    second = next(r for r in paystack.refunds if r != refund_id)
    assert post_webhook(paystack.refund_event(second, "processed")).status_code == 200
    record.refresh_from_db()
    assert record.refunded_value == total and record.charged_value == 0


def test_a_failed_refund_leaves_the_payment_charged(paystack, shop):
    from order import services as orders

    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    orders.refund(order, Decimal("1000"))
    (refund_id,) = paystack.refunds
    assert post_webhook(paystack.refund_event(refund_id, "failed")).status_code == 200
    record.refresh_from_db()
    assert record.refund_pending_value == 0 and record.refunded_value == 0
    assert record.charged_value == order.total_gross
    assert record.events.filter(type="REFUND_FAILURE").count() == 1


def test_a_hold_in_zar_is_captured_in_part_and_the_rest_released(plugin_kit, fake_paystack):
    """Automatic capture off: Paystack card preauthorization, then staff capture."""
    from core.models import Channel
    from payment.gateway import TransactionAction
    from payment.services import request_action, start_transaction
    from tests.plugins.paystack.conftest import SECRET

    Channel.objects.create(
        name="South Africa", slug="channel-zar", currency_code="ZAR", default_country="ZA"
    )
    plugin_kit.activate(PAYSTACK, "channel-zar", {"secret_key": SECRET, "automatic_capture": False})
    channel = Channel.objects.get(slug="channel-zar")
    record, result = start_transaction(
        channel=channel,
        currency="ZAR",
        gateway_id=PAYSTACK,
        amount=Decimal("500.00"),
        action=TransactionAction.CHARGE,
        data={"email": "buyer@example.com"},
        checkout=None,
        order=None,
    )
    assert result.result == "AUTHORIZATION_REQUEST"
    assert "/preauthorization/" in result.data["authorization_url"]
    assert fake_paystack.requests_to("POST", "/preauthorization/initialize")
    fake_paystack.pay(result.data["reference"])
    assert process_transaction(record, {}).result == "AUTHORIZATION_SUCCESS"
    record.refresh_from_db()
    assert record.authorized_value == Decimal("500.00")

    request_action(record, "CHARGE", Decimal("300.00"))
    record.refresh_from_db()
    assert record.charged_value == Decimal("300.00")
    assert record.authorized_value == 0 and record.canceled_value == Decimal("200.00")
    capture = fake_paystack.requests_to("POST", "/preauthorization/capture")[0].json()
    assert capture == {"reference": result.data["reference"], "currency": "ZAR", "amount": 30000}


def test_holds_are_refused_outside_zar(paystack, shop):
    checkout = new_checkout(shop)
    with pytest.raises(DomainError) as refused:
        initialize(checkout, action="AUTHORIZATION")
    assert refused.value.code == "NOT_SUPPORTED"
