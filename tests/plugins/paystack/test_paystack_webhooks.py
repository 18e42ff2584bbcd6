"""Paystack's webhook: signatures, replays, order, unknown references, mismatches, transfers."""

from __future__ import annotations

import json

import pytest

from checkout.complete import complete_checkout
from core.hookspecs import hookimpl
from core.plugins import BasePlugin
from order.models import OrderEvent
from payment.models import Transaction, TransactionEvent
from payment.services import process_transaction
from plugins.paystack.models import PaystackWebhookEvent
from tests.plugins.paystack.conftest import PAYSTACK
from tests.plugins.paystack.fake import sign
from tests.plugins.paystack.flow import initialize, new_checkout, post_webhook, total_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(paystack, shop):
    """A checkout whose Paystack payment was started and then paid on Paystack."""
    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    return checkout, record, result.data["reference"]


def test_a_webhook_replayed_five_times_charges_once(paystack, pending):
    checkout, record, reference = pending
    body = paystack.charge_success(reference)
    answers = [post_webhook(body) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert [a.json()["status"] for a in answers] == ["processed"] + ["duplicate"] * 4
    record.refresh_from_db()
    assert record.charged_value == total_of(checkout)
    assert TransactionEvent.objects.filter(transaction=record, type="CHARGE_SUCCESS").count() == 1
    assert PaystackWebhookEvent.objects.count() == 1


@pytest.mark.parametrize(
    "signature",
    [
        "0" * 128,  # forged
        "",  # missing
        "ü" * 10,  # garbage, not even ASCII
    ],
)
def test_a_bad_signature_answers_400_and_changes_nothing(paystack, pending, signature):
    _, record, reference = pending
    response = post_webhook(paystack.charge_success(reference), signature=signature)
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_SIGNATURE"
    record.refresh_from_db()
    assert record.charged_value == 0
    assert not PaystackWebhookEvent.objects.exists()


def test_a_body_signed_with_another_key_or_altered_after_signing_is_refused(paystack, pending):
    _, record, reference = pending
    body = paystack.charge_success(reference)
    assert post_webhook(body, secret="sk_test_someone_else").status_code == 400
    tampered = body.replace(b'"amount": ', b'"amount": 1')
    assert post_webhook(tampered, signature=sign(paystack.secret_key, body)).status_code == 400
    record.refresh_from_db()
    assert record.charged_value == 0


def test_a_signed_but_malformed_body_is_refused(paystack):
    response = post_webhook(b"not json")
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_PAYLOAD"


def test_an_unknown_reference_is_kept_for_support_and_answered_200(paystack, caplog):
    body = paystack.event(
        "charge.success",
        {
            "id": 1,
            "status": "success",
            "reference": "somebody-elses-ref",
            "amount": 100,
            "currency": "NGN",
        },
    )
    with caplog.at_level("WARNING", logger="plugins.paystack.webhooks"):
        response = post_webhook(body)
        assert post_webhook(body).json()["status"] == "duplicate"
    assert response.status_code == 200
    assert response.json()["status"] == "unknown_reference"
    kept = PaystackWebhookEvent.objects.get()
    assert (kept.reference, kept.outcome) == ("somebody-elses-ref", "UNKNOWN_REFERENCE")
    assert kept.payload["data"]["reference"] == "somebody-elses-ref"
    assert "somebody-elses-ref" in caplog.text
    assert not TransactionEvent.objects.filter(type="CHARGE_SUCCESS").exists()


def test_events_out_of_order_change_state_once(paystack, pending):
    """The refund's webhook arrives, then Paystack retries an old charge.success."""
    from order import services as orders

    checkout, record, reference = pending
    process_transaction(record, {})  # settled by verification, the webhook was late
    order, _ = complete_checkout(checkout.token)
    orders.refund(order, order.total_gross)
    (refund_id,) = paystack.refunds
    assert post_webhook(paystack.refund_event(refund_id)).status_code == 200
    assert post_webhook(paystack.charge_success(reference)).status_code == 200  # late
    record.refresh_from_db()
    assert record.refunded_value == order.total_gross and record.charged_value == 0
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1


def test_an_amount_mismatch_is_flagged_for_review_not_paid(paystack, shop):
    checkout = new_checkout(shop)
    checkout.channel.allow_unpaid_orders = True
    checkout.channel.save()
    total = total_of(checkout)
    record, result = initialize(checkout)
    order, _ = complete_checkout(checkout.token)
    reference = result.data["reference"]
    paystack.pay(reference, amount=int(total * 100) - 100_00)  # 100 naira short

    body = paystack.charge_success(reference)
    for _ in range(2):
        response = post_webhook(body)
        assert response.status_code == 200
    record.refresh_from_db()
    order.refresh_from_db()
    assert record.charged_value == 0
    assert order.charge_status == "NONE"
    flag = record.events.get(type="INFO")
    assert "Flagged for review" in flag.message and reference in flag.message
    assert f"{total - 100} NGN" in flag.message
    note = OrderEvent.objects.get(order=order, type="NOTE_ADDED")
    assert note.parameters["message"] == flag.message
    assert PaystackWebhookEvent.objects.get().outcome == "FLAGGED"

    # transactionProcess sees the same amount: still flagged once, never paid.
    process_transaction(Transaction.objects.get(pk=record.pk), {})
    assert record.events.filter(type="INFO", psp_reference__endswith=":review").count() == 1
    assert OrderEvent.objects.filter(order=order, type="NOTE_ADDED").count() == 1
    record.refresh_from_db()
    assert record.charged_value == 0


def test_a_currency_mismatch_is_flagged_too(paystack, pending):
    _, record, reference = pending
    paystack.pay(reference, currency="USD")
    assert post_webhook(paystack.charge_success(reference)).json()["status"] == "flagged"
    record.refresh_from_db()
    assert record.charged_value == 0


def test_the_global_url_accepts_only_transactions_of_the_same_paystack_account(
    plugin_kit, paystack, pending
):
    _, record, reference = pending
    plugin_kit.activate(PAYSTACK, None, {"secret_key": "sk_test_anotheraccount1"})
    body = paystack.charge_success(reference)
    global_url = f"/plugins/{PAYSTACK}/webhook/"
    response = post_webhook(body, secret="sk_test_anotheraccount1", url=global_url)
    assert response.json()["status"] == "unknown_reference"
    record.refresh_from_db()
    assert record.charged_value == 0


class PayoutsListener(BasePlugin):
    id = "test.payouts"
    name = "Payouts listener"
    default_active = True
    received: list = []

    @hookimpl
    def payment_transfer_updated(self, event, config) -> None:
        self.received.append(event.payload)


def test_transfer_events_reach_interested_plugins_once(plugin_kit, paystack):
    listener = plugin_kit.register(PayoutsListener())
    listener.received.clear()
    success = paystack.transfer_event("success")
    for _ in range(3):
        assert post_webhook(success).status_code == 200
    assert post_webhook(paystack.transfer_event("reversed")).json()["status"] == "emitted"
    plugin_kit.deliver()

    # Delivery order is not guaranteed (hence occurred_at); each status arrives once.
    by_status = {p["transfer"]["status"]: p["transfer"] for p in listener.received}
    assert len(listener.received) == 2 and set(by_status) == {"success", "reversed"}
    transfer = by_status["success"]
    assert transfer == {
        "gateway": PAYSTACK,
        "status": "success",
        "reference": "payout-12-vendor-7",
        "psp_reference": "TRF_wpl1dem4967avzm",
        "amount": "30000.00",
        "currency": "NGN",
        "reason": "Vendor payout #12",
        "recipient": "RCP_a8wkxiychzdzfgs",
        "provider_event": "transfer.success",
        "occurred_at": "2024-05-02T12:30:57.000Z",
        "raw": json.loads(success)["data"],
    }
    assert plugin_kit.deliveries(plugin_id="test.payouts")[0].event.channel_slug == (
        "default-channel"
    )


def test_unhandled_events_are_acknowledged(paystack):
    body = paystack.event("subscription.create", {"subscription_code": "SUB_1"})
    response = post_webhook(body)
    assert response.status_code == 200 and response.json()["status"] == "ignored"


def test_the_webhook_is_closed_where_paystack_is_not_active(fake_paystack, shop):
    body = fake_paystack.event("charge.success", {"reference": "x"})
    assert post_webhook(body).status_code == 404
