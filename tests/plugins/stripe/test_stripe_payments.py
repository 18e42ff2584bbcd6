"""A USD checkout paid with Stripe: automatic and manual capture, cancel, refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checkout.complete import complete_checkout
from core.errors import DomainError
from order.models import OrderEvent
from payment.services import process_transaction, request_action
from plugins.stripe_gateway.models import StripeWebhookEvent
from tests.plugins.stripe.conftest import PUBLISHABLE, STRIPE
from tests.plugins.stripe.fake import form
from tests.plugins.stripe.flow import initialize, post_webhook, total_of, usd_checkout

pytestmark = pytest.mark.django_db


def test_stripe_is_offered_with_its_publishable_key(stripe_auto, shop):
    from payment.services import gateways, initialize_gateway

    checkout = usd_checkout(shop)
    offered = {g.id: g for g in gateways(checkout.channel, "USD")}
    assert dict(offered[STRIPE].config) == {"publishable_key": PUBLISHABLE}
    answer = initialize_gateway(
        channel=checkout.channel, currency="USD", gateway_id=STRIPE, amount=None, data={}
    )
    assert answer == {"publishable_key": PUBLISHABLE}


def test_initialize_creates_a_payment_intent_and_returns_its_client_secret(stripe_auto, shop):
    checkout = usd_checkout(shop)
    total = total_of(checkout)
    record, result = initialize(checkout)

    (intent,) = stripe_auto.intents.values()
    assert result.result == "CHARGE_ACTION_REQUIRED"
    assert result.data == {
        "client_secret": intent["client_secret"],
        "payment_intent_id": intent["id"],
        "publishable_key": PUBLISHABLE,
    }
    assert record.psp_reference == intent["id"]
    sent = stripe_auto.requests_to("POST", "/v1/payment_intents")[0]
    params = form(sent.body)
    assert params["amount"] == str(int(total * 100))  # cents
    assert (params["currency"], params["capture_method"]) == ("usd", "automatic")
    assert params["metadata"] == {
        "transaction_id": str(record.token),
        "checkout_id": str(checkout.token),
        "channel": "channel-usd",
    }
    assert sent.headers["Idempotency-Key"] == f"fsn-pi-{record.token}"
    stored = record.events.get(type="CHARGE_ACTION_REQUIRED")
    assert "client_secret" not in stored.raw_response


def test_automatic_capture_settled_by_transaction_process_then_webhook(stripe_auto, shop):
    checkout = usd_checkout(shop)
    total = total_of(checkout)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id)

    assert process_transaction(record, {}).result == "CHARGE_SUCCESS"
    body = stripe_auto.intent_event("payment_intent.succeeded", intent_id)
    assert post_webhook(body).json() == {"status": "processed"}  # recorded once: no change
    record.refresh_from_db()
    assert record.charged_value == total
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "FULL"


def test_a_usd_checkout_with_manual_capture(stripe_manual, shop):
    """Authorize at checkout, place the order, staff capture later; webhooks agree."""
    checkout = usd_checkout(shop)
    total = total_of(checkout)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    assert result.result == "AUTHORIZATION_ACTION_REQUIRED"
    assert form(stripe_manual.seen[0].body)["capture_method"] == "manual"

    stripe_manual.confirm(intent_id)
    authorized = stripe_manual.intent_event("payment_intent.amount_capturable_updated", intent_id)
    assert post_webhook(authorized).json() == {"status": "processed"}
    record.refresh_from_db()
    assert record.authorized_value == total and record.charged_value == 0

    order, _ = complete_checkout(checkout.token)
    assert (order.authorize_status, order.charge_status) == ("FULL", "NONE")
    assert OrderEvent.objects.filter(order=order, type="PAYMENT_AUTHORIZED").count() == 1

    request_action(record, "CHARGE")  # staff capture everything
    capture = stripe_manual.requests_to("POST", f"/v1/payment_intents/{intent_id}/capture")[0]
    assert form(capture.body) == {"amount_to_capture": str(int(total * 100))}
    order.refresh_from_db()
    record.refresh_from_db()
    assert order.charge_status == "FULL" and record.authorized_value == 0

    # Stripe's payment_intent.succeeded follows the capture: nothing changes.
    succeeded = stripe_manual.intent_event("payment_intent.succeeded", intent_id)
    assert post_webhook(succeeded).status_code == 200
    # ... and a late copy of the authorization event changes nothing either.
    authorized_again = stripe_manual.event(
        "payment_intent.amount_capturable_updated",
        {
            **stripe_manual.intents[intent_id],
            "status": "requires_capture",
            "amount_capturable": int(total * 100),
            "amount_received": 0,
        },
    )
    assert post_webhook(authorized_again).json() == {"status": "stale"}
    record.refresh_from_db()
    assert (record.charged_value, record.authorized_value) == (total, 0)
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1
    assert OrderEvent.objects.filter(order=order, type="ORDER_FULLY_PAID").count() == 1


def test_a_partial_capture_releases_the_rest(stripe_manual, shop):
    checkout = usd_checkout(shop)
    total = total_of(checkout)
    record, result = initialize(checkout)
    stripe_manual.confirm(result.data["payment_intent_id"])
    process_transaction(record, {})
    request_action(record, "CHARGE", Decimal("10.00"))
    record.refresh_from_db()
    assert record.charged_value == Decimal("10.00")
    assert record.authorized_value == 0 and record.canceled_value == total - Decimal("10.00")
    body = stripe_manual.intent_event("payment_intent.succeeded", result.data["payment_intent_id"])
    post_webhook(body)
    record.refresh_from_db()
    assert record.canceled_value == total - Decimal("10.00")


def test_cancel_an_authorization(stripe_manual, shop):
    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_manual.confirm(intent_id)
    process_transaction(record, {})
    request_action(record, "CANCEL")
    record.refresh_from_db()
    assert record.authorized_value == 0 and record.canceled_value == total_of(checkout)
    assert stripe_manual.requests_to("POST", f"/v1/payment_intents/{intent_id}/cancel")
    post_webhook(stripe_manual.intent_event("payment_intent.canceled", intent_id))
    record.refresh_from_db()
    assert record.canceled_value == total_of(checkout)
    assert record.events.filter(type="CANCEL_SUCCESS").count() == 1


def test_a_failed_attempt_then_a_successful_one(stripe_auto, shop):
    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id, decline=True)
    failed = stripe_auto.intent_event("payment_intent.payment_failed", intent_id)
    assert post_webhook(failed).json() == {"status": "processed"}
    assert "declined" in record.events.get(type="CHARGE_FAILURE").message
    stripe_auto.confirm(intent_id)  # the customer tries another card
    post_webhook(stripe_auto.intent_event("payment_intent.succeeded", intent_id))
    record.refresh_from_db()
    assert record.charged_value == total_of(checkout)


def test_partial_refunds_recorded_once_and_dashboard_refunds_too(stripe_auto, shop):
    from order import services as orders

    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id)
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    total = order.total_gross

    orders.refund(order, Decimal("5.00"))
    record.refresh_from_db()
    assert record.refunded_value == Decimal("5.00") and record.refund_pending_value == 0
    sent = stripe_auto.requests_to("POST", "/v1/refunds")[0]
    assert form(sent.body)["amount"] == "500"
    assert sent.headers["Idempotency-Key"] == f"fsn-refund-{record.token}-0-500"

    # Stripe's charge.refunded (without the refunds list, as recent API versions send it):
    # the plugin lists the refunds, finds the one recorded, changes nothing.
    assert post_webhook(stripe_auto.event("charge.refunded", stripe_auto.charge(intent_id)))
    assert stripe_auto.requests_to("GET", "/v1/refunds")
    record.refresh_from_db()
    assert record.refunded_value == Decimal("5.00")

    stripe_auto.refund(intent_id, 300)  # staff refunded $3 on Stripe's dashboard
    body = stripe_auto.event("charge.refunded", stripe_auto.charge(intent_id))
    for _ in range(2):
        assert post_webhook(body).status_code == 200
    record.refresh_from_db()
    order.refresh_from_db()
    assert record.refunded_value == Decimal("8.00")
    assert record.charged_value == total - Decimal("8.00")
    assert order.total_refunded == Decimal("8.00")


def test_a_pending_refund_is_settled_by_the_webhook(stripe_auto, shop):
    from order import services as orders

    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id)
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    stripe_auto.refund_status = "pending"
    orders.refund(order, Decimal("2.50"))
    record.refresh_from_db()
    assert record.refund_pending_value == Decimal("2.50")
    for refund in stripe_auto.refunds.values():
        refund["status"] = "succeeded"
    post_webhook(stripe_auto.event("charge.refunded", stripe_auto.charge(intent_id)))
    record.refresh_from_db()
    assert record.refunded_value == Decimal("2.50") and record.refund_pending_value == 0


def test_refusals_from_stripe_are_typed_errors(stripe_manual, shop):
    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    stripe_manual.confirm(result.data["payment_intent_id"])
    process_transaction(record, {})
    stripe_manual.intents[result.data["payment_intent_id"]]["status"] = "canceled"  # expired
    with pytest.raises(DomainError) as refused:
        request_action(record, "CHARGE")
    assert refused.value.code == "PAYMENT_PROVIDER_ERROR"
    assert "could not be captured" in refused.value.errors[0].message
    assert StripeWebhookEvent.objects.count() == 0
