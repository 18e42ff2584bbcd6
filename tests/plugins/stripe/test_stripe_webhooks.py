"""Stripe's webhook and Stripe being slow: signatures, replays, mismatches, timeouts, keys."""

from __future__ import annotations

import json
import logging
import time

import pytest
from django.test import Client

from checkout.complete import complete_checkout
from core.errors import DomainError
from order.models import OrderEvent
from payment.services import process_transaction
from plugins.stripe_gateway.models import StripeWebhookEvent
from tests.conftest import grant
from tests.plugins.stripe.conftest import SECRET, STRIPE, WEBHOOK_SECRET, configure
from tests.plugins.stripe.fake import signature_header
from tests.plugins.stripe.flow import initialize, post_webhook, total_of, usd_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(stripe_auto, shop):
    """A checkout whose PaymentIntent the customer confirmed; the webhook is on its way."""
    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id)
    return checkout, record, intent_id


def test_a_replayed_event_changes_state_once(stripe_auto, paid):
    checkout, record, intent_id = paid
    body = stripe_auto.intent_event("payment_intent.succeeded", intent_id)
    statuses = [post_webhook(body).json()["status"] for _ in range(4)]
    assert statuses == ["processed", "duplicate", "duplicate", "duplicate"]
    record.refresh_from_db()
    assert record.charged_value == total_of(checkout)
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1
    assert StripeWebhookEvent.objects.count() == 1


def test_the_same_outcome_in_two_events_is_recorded_once(stripe_auto, paid):
    _, record, intent_id = paid
    for _ in range(2):  # Stripe may send distinct events for one change
        post_webhook(stripe_auto.intent_event("payment_intent.succeeded", intent_id))
    record.refresh_from_db()
    assert record.events.filter(type="CHARGE_SUCCESS").count() == 1


@pytest.mark.parametrize(
    "header",
    [
        lambda body: signature_header(body, "whsec_someoneElse"),  # forged
        lambda body: signature_header(body, WEBHOOK_SECRET, int(time.time()) - 600),  # stale
        lambda body: "",  # missing
        lambda body: "t=abc,v1=def",  # garbage
        lambda body: signature_header(body + b" ", WEBHOOK_SECRET),  # body altered
    ],
    ids=["forged", "stale", "missing", "garbage", "altered"],
)
def test_bad_signatures_answer_400_and_change_nothing(stripe_auto, paid, header):
    _, record, intent_id = paid
    body = stripe_auto.intent_event("payment_intent.succeeded", intent_id)
    response = post_webhook(body, header=header(body))
    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_SIGNATURE"
    record.refresh_from_db()
    assert record.charged_value == 0
    assert not StripeWebhookEvent.objects.exists()


def test_an_unknown_payment_intent_is_kept_and_answered_200(stripe_auto, caplog):
    intent = {
        "id": "pi_notours",
        "object": "payment_intent",
        "status": "succeeded",
        "amount_received": 100,
        "currency": "usd",
    }
    body = stripe_auto.event("payment_intent.succeeded", intent, event_id="evt_unknown_1")
    with caplog.at_level("WARNING", logger="plugins.stripe_gateway.webhooks"):
        response = post_webhook(body)
    assert response.status_code == 200 and response.json()["status"] == "unknown_reference"
    kept = StripeWebhookEvent.objects.get(event_id="evt_unknown_1")
    assert kept.reference == "pi_notours" and kept.payload["data"]["object"]["id"] == "pi_notours"
    assert "pi_notours" in caplog.text


def test_an_amount_mismatch_is_flagged_for_review(stripe_auto, shop):
    checkout = usd_checkout(shop)
    checkout.channel.allow_unpaid_orders = True
    checkout.channel.save()
    record, result = initialize(checkout)
    order, _ = complete_checkout(checkout.token)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id, amount=100)  # $1 received, not the total

    response = post_webhook(stripe_auto.intent_event("payment_intent.succeeded", intent_id))
    assert response.json() == {"status": "flagged"}
    record.refresh_from_db()
    order.refresh_from_db()
    assert record.charged_value == 0 and order.charge_status == "NONE"
    flag = record.events.get(type="INFO")
    assert "Flagged for review" in flag.message and "1.00 USD" in flag.message
    assert OrderEvent.objects.get(order=order, type="NOTE_ADDED").parameters["message"] == (
        flag.message
    )


def test_a_stripe_timeout_is_a_typed_error_retried_safely_and_payable_later(
    stripe_auto, shop, settings
):
    settings.STRIPE_TIMEOUT = 0.3
    checkout = usd_checkout(shop)
    stripe_auto.delay = 0.6
    with pytest.raises(DomainError) as refused:
        initialize(checkout)
    assert refused.value.code == "PAYMENT_PROVIDER_UNAVAILABLE"
    attempts = stripe_auto.requests_to("POST", "/v1/payment_intents")
    # The library retried, always with the same idempotency key: at most one intent.
    assert len(attempts) == 3
    assert len({a.headers["Idempotency-Key"] for a in attempts}) == 1

    stripe_auto.delay = 0
    record, result = initialize(checkout)
    stripe_auto.confirm(result.data["payment_intent_id"])
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "FULL"


def test_stripe_down_is_a_typed_error(stripe_auto, shop, settings):
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    stripe_auto.down = True
    with pytest.raises(DomainError) as refused:
        initialize(usd_checkout(shop))
    assert refused.value.code == "PAYMENT_PROVIDER_UNAVAILABLE"


def test_a_wrong_key_is_reported_without_echoing_it(plugin_kit, stripe_auto, shop):
    configure(plugin_kit, secret_key="sk_test_wrongkey123")
    with pytest.raises(DomainError) as refused:
        initialize(usd_checkout(shop))
    assert refused.value.code == "PAYMENT_PROVIDER_ERROR"
    assert "sk_test_wrongkey123" not in str(refused.value)


def test_keys_never_appear_in_logs_spans_events_graphql_or_the_dashboard(
    stripe_auto, shop, caplog, span_exporter, staff_user, staff_gql
):
    caplog.set_level(logging.DEBUG)
    checkout = usd_checkout(shop)
    record, result = initialize(checkout)
    intent_id = result.data["payment_intent_id"]
    stripe_auto.confirm(intent_id)
    body = stripe_auto.intent_event("payment_intent.succeeded", intent_id)
    post_webhook(body, header="t=1,v1=forged")
    post_webhook(body)
    process_transaction(record, {})

    secrets = (SECRET, WEBHOOK_SECRET, stripe_auto.intents[intent_id]["client_secret"])
    spans = span_exporter.get_finished_spans()
    assert any(span.name == f"plugin {STRIPE}.transaction_initialize" for span in spans)
    stored = [json.dumps(e.raw_response) + e.message for e in record.events.all()]
    stored += [json.dumps(w.payload) for w in StripeWebhookEvent.objects.all()]
    for secret in secrets:
        assert secret not in caplog.text
        for span in spans:
            assert secret not in json.dumps(dict(span.attributes or {}), default=str)
        assert not any(secret in text for text in stored)

    client = Client()
    client.force_login(grant(staff_user, "core.manage_plugins"))
    page = client.get(
        f"/dashboard/core/pluginconfiguration/configure/{STRIPE}/channel-usd/"
    ).content.decode()
    assert SECRET not in page and WEBHOOK_SECRET not in page
    assert "****" + WEBHOOK_SECRET[-4:] in page

    query = (
        "query($id: ID!) { plugin(id: $id) { channelConfigurations { configuration { value } } } }"
    )
    answer = json.dumps(staff_gql("core.manage_plugins")(query, {"id": STRIPE}))
    assert SECRET not in answer and WEBHOOK_SECRET not in answer
    assert WEBHOOK_SECRET[-4:] in answer


def test_configuration_refuses_keys_of_the_wrong_kind(plugin_kit, channel_usd):
    with pytest.raises(DomainError) as refused:
        configure(plugin_kit, webhook_secret="sk_test_notasigningsecret")
    assert refused.value.errors[0].field == "webhook_secret"
    assert "notasigningsecret" not in str(refused.value)
