"""Events: written with the transaction, delivered per plugin, retried, dead-lettered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.events.delivery import deliver_event
from core.events.outbox import UnknownEvent, emit
from core.models import EventDelivery, OutboxEvent
from tests.core.sample_plugins import AlwaysFails, Recorder

pytestmark = pytest.mark.django_db

ORDER = {"order": {"id": 1, "number": "1001", "total": "25000.00", "currency": "NGN"}}

DELIVERIES = """
query($status: EventDeliveryStatusEnum) {
  eventDeliveries(first: 10, filter: {status: $status}) {
    totalCount
    edges { node { id pluginId status attempts lastError event { id type channel payload } } }
  }
}
"""


@pytest.fixture
def recorder(plugin_kit):
    return plugin_kit.register(Recorder())


@pytest.fixture
def failing(plugin_kit):
    return plugin_kit.register(AlwaysFails())


@pytest.mark.django_db(transaction=True)
def test_an_event_emitted_in_a_rolled_back_transaction_is_never_delivered(
    plugin_kit, recorder, channel
):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        emit("order_created", ORDER, channel=channel)
        raise Boom
    assert not OutboxEvent.objects.exists()
    plugin_kit.deliver()
    assert recorder.received == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.embedded
def test_committed_event_is_delivered_after_commit_with_its_id(plugin_kit, recorder, channel):
    with transaction.atomic():
        event_id = emit("order_created", ORDER, channel=channel)
        assert recorder.received == []  # nothing runs before commit
    # in-process (eager) execution delivered it right after commit
    assert recorder.received == [(event_id, 1, ORDER, "default-channel")]
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.delivered_at


@pytest.mark.embedded
def test_unknown_event_names_are_refused(recorder):
    with pytest.raises(UnknownEvent):
        emit("order_teleported", ORDER)
    with pytest.raises(UnknownEvent):
        emit("calculate_checkout_total", ORDER)


@pytest.mark.embedded
def test_no_listener_means_nothing_written(plugin_kit, channel):
    from core.plugins.manager import get_manager

    manager = get_manager()
    for impl in manager.impls("order_returned"):
        per_channel = manager.loaded[impl.plugin_id].plugin.per_channel
        plugin_kit.deactivate(impl.plugin_id, channel="default-channel" if per_channel else None)
    assert emit("order_returned", ORDER, channel=channel) is None
    assert not OutboxEvent.objects.exists()


@pytest.mark.embedded
def test_a_failing_plugin_does_not_stop_another_and_ends_dead_lettered(
    plugin_kit, recorder, failing, channel, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    event_id = emit("order_created", ORDER, channel=channel)

    outcome = plugin_kit.deliver(rounds=6)

    assert recorder.received == [(event_id, 1, ORDER, "default-channel")]
    assert failing.attempts == 4
    dead = EventDelivery.objects.get(event_id=event_id, plugin_id="test.always_fails")
    assert dead.status == "dead"
    assert dead.attempts == 4
    assert dead.last_error == "ConnectionError: upstream CRM is down"
    assert outcome[f"{event_id}:test.always_fails"] == "dead"
    assert (
        EventDelivery.objects.get(event_id=event_id, plugin_id="test.recorder").status
        == "delivered"
    )


@pytest.mark.embedded
def test_retries_back_off_exponentially(plugin_kit, failing, channel, settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    emit("order_created", ORDER, channel=channel)
    delays = []
    for _ in range(3):
        delivery = EventDelivery.objects.get(plugin_id="test.always_fails")
        EventDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        before = timezone.now()
        plugin_kit.deliver(ignore_backoff=False)
        delivery.refresh_from_db()
        delays.append((delivery.next_attempt_at - before).total_seconds())
    assert 8 <= delays[0] <= 12.5
    assert delays[0] < delays[1] < delays[2]
    assert 32 <= delays[2] <= 48.5


@pytest.mark.embedded
def test_a_retry_is_not_attempted_before_it_is_due(plugin_kit, failing, channel):
    emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver()
    assert failing.attempts == 1
    plugin_kit.deliver(ignore_backoff=False)
    assert failing.attempts == 1


@pytest.mark.embedded
def test_disabled_or_inactive_plugins_receive_nothing(plugin_kit, recorder, channel, channel_usd):
    plugin_kit.deactivate("test.recorder", channel="channel-usd")
    assert emit("order_created", ORDER, channel=channel_usd) is None
    plugin_kit.deliver()
    assert recorder.received == []

    event_id = emit("order_created", ORDER, channel=channel)
    plugin_kit.deactivate(
        "test.recorder", channel="default-channel"
    )  # switched off before delivery
    plugin_kit.deliver()
    assert recorder.received == []
    assert EventDelivery.objects.get(event_id=event_id).status == "skipped"


@pytest.mark.embedded
def test_the_same_event_id_on_every_attempt(plugin_kit, failing, channel):
    event_id = emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver(rounds=2)
    failing.fixed = True
    plugin_kit.deliver()
    assert failing.received == [event_id]
    assert EventDelivery.objects.get(event_id=event_id).attempts == 3


def test_staff_see_dead_letters_and_requeue_them(plugin_kit, failing, staff_gql, channel, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    event_id = emit("order_created", ORDER, channel=channel)
    plugin_kit.deliver(rounds=3)
    gql = staff_gql("core.manage_plugins")

    listed = gql(DELIVERIES, {"status": "DEAD"})["data"]["eventDeliveries"]
    assert listed["totalCount"] == 1
    node = listed["edges"][0]["node"]
    assert node["pluginId"] == "test.always_fails"
    assert node["status"] == "DEAD"
    assert node["attempts"] == 2
    assert node["event"] == {
        "id": str(event_id),
        "type": "order_created",
        "channel": "default-channel",
        "payload": ORDER,
    }

    stats = gql("{ outboxStats { pending dead } }")["data"]["outboxStats"]
    assert stats == {"pending": 0, "dead": 1}

    failing.fixed = True
    requeued = gql(
        "mutation($ids: [ID!]!) { eventDeliveryRequeue(ids: $ids) { requeued errors { code } } }",
        {"ids": [node["id"]]},
    )["data"]["eventDeliveryRequeue"]
    assert requeued == {"requeued": 1, "errors": []}
    # eager mode delivered it on re-queue
    assert failing.received == [event_id]
    assert gql(DELIVERIES, {"status": "DEAD"})["data"]["eventDeliveries"]["totalCount"] == 0


def test_outbox_needs_the_permission(staff_gql, gql):
    for client in (gql, staff_gql()):
        body = client(DELIVERIES, {})
        assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        body = client('mutation { eventDeliveryRequeue(ids: ["1"]) { requeued errors { code } } }')
        assert body["data"]["eventDeliveryRequeue"]["errors"][0]["code"] == "PERMISSION_DENIED"


def test_outbox_stats_report_lag_and_backlog(plugin_kit, recorder, failing, staff_gql, channel):
    emit("order_created", ORDER, channel=channel)
    OutboxEvent.objects.update(created_at=timezone.now() - timedelta(seconds=30))
    plugin_kit.deliver()
    stats = staff_gql("core.manage_plugins")(
        "{ outboxStats { pending dead deliveredLastHour failedAttemptsPending oldestPendingSeconds averageLagSecondsLastHour } }"
    )["data"]["outboxStats"]
    assert stats["pending"] == 1 and stats["failedAttemptsPending"] == 1
    assert stats["deliveredLastHour"] == 1
    assert stats["oldestPendingSeconds"] >= 30
    assert stats["averageLagSecondsLastHour"] >= 30


def test_deliver_event_handles_each_plugin_once(plugin_kit, recorder, channel):
    event_id = emit("order_created", ORDER, channel=channel)
    assert deliver_event(event_id) == {"test.recorder": "delivered"}
    assert deliver_event(event_id) == {}
    assert len(recorder.received) == 1
