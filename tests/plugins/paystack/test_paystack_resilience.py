"""Lost webhooks, slow or broken Paystack, and keys kept out of sight."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from checkout.complete import complete_checkout
from core.errors import DomainError
from payment.models import Transaction
from payment.services import process_transaction
from plugins.paystack.tasks import TASK_NAME, reconcile_pending
from tests.conftest import grant
from tests.plugins.paystack.conftest import PAYSTACK, SECRET
from tests.plugins.paystack.flow import initialize, new_checkout, post_webhook, total_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reconcile_now(settings):
    settings.PAYSTACK_RECONCILE_MIN_AGE_SECONDS = 0


def age(record, **delta) -> None:
    Transaction.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(**delta))


def test_reconciliation_settles_a_payment_whose_webhook_was_lost(paystack, shop, reconcile_now):
    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    other, _ = initialize(new_checkout(shop, sku="ST-M"))  # still unpaid
    paystack.pay(result.data["reference"])  # the customer closed the tab; no webhook

    summary = reconcile_pending.delay().get()
    assert summary == {"checked": 2, "settled": 1, "flagged": 0, "errors": 0}
    record.refresh_from_db()
    other.refresh_from_db()
    assert record.charged_value == total_of(checkout) and record.charge_pending_value == 0
    assert other.charge_pending_value > 0 and not other.events.filter(type="INFO").exists()
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "FULL"

    assert reconcile_pending()["checked"] == 1  # the settled one is not asked about again


def test_reconciliation_gives_up_on_abandoned_payments_after_a_day(paystack, shop, reconcile_now):
    record, _ = initialize(new_checkout(shop))
    reconcile_pending()
    record.refresh_from_db()
    assert record.charge_pending_value > 0  # abandoned, but the customer may still pay

    age(record, hours=25)
    reconcile_pending()
    record.refresh_from_db()
    assert record.charge_pending_value == 0 and record.charged_value == 0
    assert "did not complete" in record.events.get(type="CHARGE_FAILURE").message


def test_reconciliation_leaves_young_and_old_payments_alone(paystack, shop, settings):
    record, _ = initialize(new_checkout(shop))
    assert reconcile_pending()["checked"] == 0  # the webhook usually comes within minutes
    age(record, days=8)
    assert reconcile_pending()["checked"] == 0


def test_reconciliation_settles_refunds_and_flags_mismatches(paystack, shop, reconcile_now):
    from order import services as orders

    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    orders.refund(order, 1000)
    (refund_id,) = paystack.refunds
    paystack.settle_refund(refund_id)  # refund.processed never arrives

    short, short_result = initialize(new_checkout(shop, sku="ST-M"))
    paystack.pay(short_result.data["reference"], amount=100)

    summary = reconcile_pending()
    assert summary["settled"] == 1 and summary["flagged"] == 1
    record.refresh_from_db()
    short.refresh_from_db()
    assert record.refunded_value == 1000
    assert short.charged_value == 0 and short.events.filter(type="INFO").count() == 1
    assert reconcile_pending()["checked"] == 0  # flagged: left to staff


def test_reconciliation_survives_paystack_being_down(paystack, shop, reconcile_now):
    record, result = initialize(new_checkout(shop))
    paystack.pay(result.data["reference"])
    paystack.down = True
    assert reconcile_pending() == {"checked": 1, "settled": 0, "flagged": 0, "errors": 1}
    record.refresh_from_db()
    assert record.charged_value == 0
    gets = paystack.requests_to("GET", "/transaction/verify/")
    assert len(gets) == 3  # a read is retried (twice), safely
    paystack.down = False
    assert reconcile_pending()["settled"] == 1


def test_the_reconciliation_is_on_celery_beat():
    from core.celery import app

    entry = app.conf.beat_schedule[f"{PAYSTACK}:reconcile-pending"]
    assert entry["task"] == TASK_NAME and entry["schedule"] > 0


def test_a_paystack_timeout_is_a_typed_error_and_the_checkout_can_be_paid_later(
    paystack, shop, settings
):
    settings.PAYSTACK_TIMEOUT = (1.0, 0.3)
    checkout = new_checkout(shop)
    paystack.delay = 0.6
    with pytest.raises(DomainError) as refused:
        initialize(checkout)
    assert refused.value.code == "PAYMENT_PROVIDER_UNAVAILABLE"
    assert "try again" in refused.value.errors[0].message
    # A POST that reached Paystack is never repeated (no idempotency keys there).
    assert len(paystack.requests_to("POST", "/transaction/initialize")) == 1

    paystack.delay = 0
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    assert post_webhook(paystack.charge_success(result.data["reference"])).status_code == 200
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "FULL"


def test_an_unreachable_paystack_is_a_typed_error(paystack, shop, settings):
    settings.PAYSTACK_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(DomainError) as refused:
        initialize(new_checkout(shop))
    assert refused.value.code == "PAYMENT_PROVIDER_UNAVAILABLE"


def test_a_refund_without_an_answer_is_not_retried_blindly(paystack, shop, settings):
    from order import services as orders

    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    process_transaction(record, {})
    order, _ = complete_checkout(checkout.token)
    settings.PAYSTACK_TIMEOUT = (1.0, 0.3)
    paystack.delay = 0.6
    with pytest.raises(DomainError) as refused:
        orders.refund(order, 1000)
    assert refused.value.code == "PAYMENT_PROVIDER_UNAVAILABLE"
    assert "Check Paystack's dashboard" in refused.value.errors[0].message
    assert len(paystack.requests_to("POST", "/refund")) == 1


def test_a_wrong_key_is_reported_without_echoing_it(paystack, shop, plugin_kit):
    plugin_kit.activate(PAYSTACK, "default-channel", {"secret_key": "sk_test_wrongkey123"})
    with pytest.raises(DomainError) as refused:
        initialize(new_checkout(shop))
    assert refused.value.code == "PAYMENT_PROVIDER_ERROR"
    assert "Invalid key" in refused.value.errors[0].message
    assert "sk_test_wrongkey123" not in str(refused.value)


PLUGIN_QUERY = """
query($id: ID!) {
  plugin(id: $id) { channelConfigurations { channel configuration { name value } } }
}
"""


def test_keys_never_appear_in_logs_spans_events_graphql_or_the_dashboard(
    paystack, shop, caplog, span_exporter, staff_user, staff_gql
):
    caplog.set_level(logging.DEBUG)
    checkout = new_checkout(shop)
    record, result = initialize(checkout)
    paystack.pay(result.data["reference"])
    post_webhook(b"{}", signature="forged")
    post_webhook(paystack.charge_success(result.data["reference"]))
    process_transaction(record, {})

    assert SECRET not in caplog.text
    spans = span_exporter.get_finished_spans()
    assert any(span.name == f"plugin {PAYSTACK}.transaction_initialize" for span in spans)
    for span in spans:
        assert SECRET not in json.dumps(dict(span.attributes or {}), default=str)
    for event in record.events.all():
        assert SECRET not in json.dumps(event.raw_response) + event.message

    client = Client()
    client.force_login(grant(staff_user, "core.manage_plugins"))
    page = client.get(
        f"/dashboard/core/pluginconfiguration/configure/{PAYSTACK}/default-channel/"
    ).content.decode()
    assert SECRET not in page and "****" + SECRET[-4:] in page

    answer = json.dumps(staff_gql("core.manage_plugins")(PLUGIN_QUERY, {"id": PAYSTACK}))
    assert SECRET not in answer and SECRET[-4:] in answer


def test_configuration_refuses_keys_of_the_wrong_kind(plugin_kit, channel):
    with pytest.raises(DomainError) as refused:
        plugin_kit.activate(PAYSTACK, "default-channel", {"secret_key": "pk_test_abc"})
    assert refused.value.errors[0].field == "secret_key"
    assert "pk_test_abc" not in str(refused.value)
    with pytest.raises(DomainError) as mixed:
        plugin_kit.activate(
            PAYSTACK,
            "default-channel",
            {"secret_key": "sk_live_abc", "public_key": "pk_test_abc"},
        )
    assert mixed.value.errors[0].field == "public_key"
