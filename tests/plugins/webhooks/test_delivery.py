"""Webhook delivery end to end: kernel event -> fan-out -> signed POST to a local receiver."""

from __future__ import annotations

import hashlib
import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.events.outbox import emit
from core.models import OutboxEvent
from plugins.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from tests.plugins.webhooks.conftest import send_due

pytestmark = pytest.mark.django_db

ORDER = {
    "order": {
        "id": "3f0c1e4e-0000-4000-8000-000000000001",
        "number": "1001",
        "total_gross_amount": "25000.00",
        "currency": "NGN",
    }
}


def test_a_committed_event_reaches_the_receiver_signed(plugin_kit, make_webhook, receiver, channel):
    make_webhook(["order_created"])
    event_id = emit("order_created", ORDER, channel=channel)

    plugin_kit.deliver()  # the kernel hands the event to the plugin (worker)
    assert receiver.requests == []  # fan-out only records deliveries; sending is separate
    send_due()

    [request] = receiver.requests
    assert request.signature_ok
    assert request.headers["X-Fashionistar-Event"] == "order_created"
    assert request.headers["X-Fashionistar-Delivery"] == str(event_id)
    assert request.headers["Content-Type"] == "application/json"
    body = request.json
    assert body["version"] == 1
    assert body["id"] == str(event_id)
    assert body["type"] == "order_created"
    assert body["channel"] == "default-channel"
    assert body["sequence"] == 1
    assert body["data"] == ORDER
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "success"
    [attempt] = delivery.tries.all()
    assert attempt.status_code == 200 and attempt.response_body == "answer 200"
    assert attempt.duration_ms >= 0 and attempt.error == ""


def test_server_errors_are_retried_with_backoff_until_success(
    plugin_kit, make_webhook, receiver, channel, settings
):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    make_webhook(["order_created"])
    receiver.respond_with(500, 503)
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    before = timezone.now()
    send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.next_attempt_at >= before + timedelta(seconds=7)
    assert send_due(ignore_backoff=False) == {}  # not due yet: nothing is sent early

    send_due()
    send_due()

    delivery.refresh_from_db()
    assert delivery.status == "success"
    assert [a.status_code for a in delivery.tries.all()] == [500, 503, 200]
    assert len({r.headers["X-Fashionistar-Delivery"] for r in receiver.requests}) == 1
    assert all(r.signature_ok for r in receiver.requests)


def test_a_client_error_is_not_retried(plugin_kit, make_webhook, receiver, channel):
    make_webhook(["order_created"])
    receiver.respond_with(422)
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    send_due()
    send_due()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_error == "HTTP 422"
    assert len(receiver.requests) == 1


def test_network_errors_are_retried_and_give_up_after_the_limit(
    plugin_kit, make_webhook, channel, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    make_webhook(["order_created"], target_url=f"http://127.0.0.1:{port}/")
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    assert list(send_due().values()) == ["pending"]
    assert list(send_due().values()) == ["pending"]
    assert list(send_due().values()) == ["failed"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 3
    assert all("ConnectionError" in a.error for a in delivery.tries.all())


def test_each_webhook_is_retried_on_its_own(plugin_kit, make_webhook, receiver, channel):
    make_webhook(["order_created"], name="first")
    make_webhook(["order_created"], name="second")
    receiver.respond_with(500)  # only the first request fails
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    send_due()

    statuses = sorted(WebhookDelivery.objects.values_list("status", flat=True))
    assert statuses == ["pending", "success"]
    send_due()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"success"}
    assert len(receiver.requests) == 3


def test_ordering_metadata(plugin_kit, make_webhook, receiver, channel):
    make_webhook(["order_created", "order_paid", "order_fulfilled"])
    for event in ("order_created", "order_paid", "order_fulfilled"):
        emit(event, ORDER, channel=channel)
    plugin_kit.deliver()
    send_due()

    bodies = [r.json for r in receiver.requests]
    # sequence: gap-free per webhook, in the order deliveries were created
    assert sorted(b["sequence"] for b in bodies) == [1, 2, 3]
    # occurred_at: when the change happened, the order a receiver applies changes in
    by_time = sorted(bodies, key=lambda b: b["occurred_at"])
    assert [b["type"] for b in by_time] == ["order_created", "order_paid", "order_fulfilled"]
    assert len({b["id"] for b in bodies}) == 3


def test_event_and_channel_filters(plugin_kit, make_webhook, receiver, channel, channel_usd):
    make_webhook(["order_paid"], channels=["channel-usd"])
    emit("order_created", ORDER, channel=channel_usd)  # not subscribed
    emit("order_paid", ORDER, channel=channel)  # other channel
    paid_usd = emit("order_paid", ORDER, channel=channel_usd)
    plugin_kit.deliver()
    send_due()

    assert [r.headers["X-Fashionistar-Delivery"] for r in receiver.requests] == [str(paid_usd)]


def test_a_redelivered_kernel_event_is_sent_once(plugin_kit, make_webhook, receiver, channel):
    make_webhook(["order_created"])
    event_id = emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()
    plugin_kit.redeliver(event_id, "fashionistar.webhooks")  # lost acknowledgement
    send_due()

    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_payloads_carry_no_secrets(plugin_kit, make_webhook, receiver):
    make_webhook(["payment_transfer_updated", "notification_requested"])
    emit(
        "payment_transfer_updated",
        {"transfer": {"status": "success", "reference": "p-1", "raw": {"account": "0123"}}},
    )
    emit(
        "notification_requested",
        {
            "template": "password_reset",
            "channel_type": "email",
            "recipient": "ada@example.com",
            "context": {"first_name": "Ada", "reset_url": "https://x/?token=abc", "code": "9"},
        },
    )
    plugin_kit.deliver()
    send_due()

    bodies = {r.json["type"]: r.json["data"] for r in receiver.requests}
    assert bodies["payment_transfer_updated"] == {
        "transfer": {"status": "success", "reference": "p-1"}
    }
    assert bodies["notification_requested"]["context"] == {"first_name": "Ada"}


def test_a_webhook_failing_for_a_long_stretch_is_disabled_and_staff_told(
    plugin_kit, make_webhook, receiver, channel, manager_user, settings
):
    settings.WEBHOOKS_DISABLE_AFTER_SECONDS = 3600
    webhook = make_webhook(["order_created"])
    receiver.respond_with(*[500] * 10)
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()
    for _ in range(4):
        send_due()
    webhook.refresh_from_db()
    assert webhook.is_active  # failing, but not for long yet
    Webhook.objects.filter(pk=webhook.pk).update(failing_since=timezone.now() - timedelta(hours=2))
    WebhookAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=30))

    send_due()

    webhook.refresh_from_db()
    assert not webhook.is_active
    assert "failed attempts" in webhook.disabled_reason
    notice = OutboxEvent.objects.get(event_type="notification_requested")
    assert notice.payload["template"] == "webhook_disabled"
    assert notice.payload["recipient"] == manager_user.email
    assert notice.payload["context"]["webhook"] == webhook.name
    assert list(send_due().values()) == ["failed"]  # inactive: nothing more is sent
    assert len(receiver.requests) == 5


def test_a_success_ends_the_failing_stretch(plugin_kit, make_webhook, receiver, channel):
    webhook = make_webhook(["order_created"])
    receiver.respond_with(500)
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()
    send_due()
    webhook.refresh_from_db()
    assert webhook.failing_since is not None
    send_due()
    webhook.refresh_from_db()
    assert webhook.failing_since is None


def test_a_target_re_pointed_at_a_private_address_is_refused_at_send_time(
    plugin_kit, make_webhook, receiver, channel, settings
):
    make_webhook(["order_created"])
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    assert list(send_due().values()) == ["failed"]
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().last_error.startswith("refused target")


def test_no_webhooks_means_the_plugin_does_not_listen(channel):
    assert emit("order_created", ORDER, channel=channel) is None


def test_the_request_only_records_the_event_whatever_the_number_of_webhooks(make_webhook, channel):
    for n in range(10):
        make_webhook(["order_created"], name=f"hook {n}")
    emit("order_created", ORDER, channel=channel)

    assert OutboxEvent.objects.count() == 1
    assert not WebhookDelivery.objects.exists()  # payloads are built later, in the worker


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing_and_a_committed_one_is_sent(
    make_webhook, receiver, channel
):
    make_webhook(["order_created"])

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        emit("order_created", ORDER, channel=channel)
        raise Boom
    assert not OutboxEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []

    with transaction.atomic():  # committed: tasks run in-process after commit
        event_id = emit("order_created", ORDER, channel=channel)
    [request] = receiver.requests
    assert request.headers["X-Fashionistar-Delivery"] == str(event_id)
    assert WebhookDelivery.objects.get().status == "success"


def test_secrets_are_stored_encrypted(make_webhook):
    from tests.plugins.webhooks.conftest import SECRET

    webhook = make_webhook(["order_created"])
    assert SECRET not in webhook.secret
    assert hashlib.sha256(SECRET.encode()).hexdigest() not in webhook.secret


def test_the_sweep_sends_deliveries_whose_queueing_was_lost(
    plugin_kit, make_webhook, receiver, channel
):
    from plugins.webhooks.tasks import sweep_task

    make_webhook(["order_created"])
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()  # inside the test transaction the after-commit queueing never runs
    assert receiver.requests == []

    assert sweep_task() == 1  # tasks run in-process in tests

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "success"


def test_the_sweep_is_scheduled():
    from core.celery import app

    entries = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert "webhooks.sweep" in entries


def test_a_delivery_whose_sender_keeps_dying_is_given_up(
    plugin_kit, make_webhook, receiver, channel, settings
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    make_webhook(["order_created"])
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()
    WebhookDelivery.objects.update(attempts=2)  # two claims whose workers died mid-request

    assert send_due() == {WebhookDelivery.objects.get().pk: None}
    assert WebhookDelivery.objects.get().status == "failed"
    assert receiver.requests == []


def test_a_name_rebound_to_loopback_after_the_check_is_refused_when_connecting(
    plugin_kit, make_webhook, receiver, channel, settings, monkeypatch
):
    """DNS rebinding: the name is public when checked and loopback when the socket opens."""
    import socket

    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    make_webhook(["order_created"], target_url=f"http://hooks.example.com:{port}/hooks")
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    answers = iter(["93.184.216.34", "127.0.0.1", "127.0.0.1"])

    def rebinding_dns(host, *args, **kwargs):
        if host != "hooks.example.com":
            raise socket.gaierror(socket.EAI_NONAME, "unknown host")
        address = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()

    assert list(send_due().values()) == ["failed"]
    assert receiver.requests == []
    assert "resolves to a private" in WebhookDelivery.objects.get().last_error
