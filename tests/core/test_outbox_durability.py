"""Durability with real infrastructure: a dead broker, a killed worker (PostgreSQL + Redis)."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction
from django.utils import timezone

from core.celery import app as celery_app
from core.events.outbox import emit
from core.models import EventDelivery, OutboxEvent
from core.tasks import sweep_outbox_task
from tests.core.sample_plugins import Recorder
from tests.core.subprocess_env import database_url_of, run_django

pytestmark = pytest.mark.django_db(transaction=True)

ORDER = {"order": {"id": 7, "number": "1007"}}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_broker(settings) -> Iterator[str]:
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (the PostgreSQL + Redis run)")
    original = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    try:
        yield settings.REDIS_URL
    finally:
        celery_app.conf.task_always_eager = True
        use_broker(original)


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_an_event_placed_while_the_broker_is_down_is_delivered_once_it_is_back(
    plugin_kit, channel, real_broker, settings
):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 0
    recorder = plugin_kit.register(Recorder())
    use_broker(f"redis://127.0.0.1:{closed_port()}/0")

    with transaction.atomic():
        event_id = emit("order_created", ORDER, channel=channel)
    # the order committed although the broker refused the task
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert delivery.status == "pending" and delivery.attempts == 0
    assert recorder.received == []

    use_broker(real_broker)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert sweep_outbox_task() == 1  # what beat runs periodically
        assert wait_for(lambda: recorder.received)
        time.sleep(0.3)  # a second delivery would show up here
    assert [r[0] for r in recorder.received] == [event_id]
    assert EventDelivery.objects.get(event_id=event_id).status == "delivered"


def test_a_committed_event_is_delivered_by_a_real_worker(plugin_kit, channel, real_broker):
    recorder = plugin_kit.register(Recorder())
    use_broker(real_broker)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            event_id = emit("order_created", ORDER, channel=channel)
        assert wait_for(lambda: recorder.received)
    assert recorder.received[0][0] == event_id


def run_worker(action: str, env: dict[str, str]):
    code = (
        "from core.plugins.manager import get_manager\n"
        "from tests.core.sample_plugins import Killer\n"
        "get_manager().register(Killer())\n"
        "from core.tasks import deliver_event_task, sweep_outbox_task\n"
        f"{action}\n"
    )
    return run_django(code, env)


def test_a_worker_killed_mid_delivery_leaves_the_event_to_be_delivered_again(channel, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the crash test runs on PostgreSQL")
    event = OutboxEvent.objects.create(
        event_type="order_created", channel_slug="default-channel", payload=ORDER
    )
    EventDelivery.objects.create(event=event, plugin_id="test.killer")
    log = tmp_path / "killer.log"
    env = {
        "DATABASE_URL": database_url_of(connection),
        "KILLER_LOG": str(log),
        "OUTBOX_LEASE_SECONDS": "6",
        "OUTBOX_SWEEP_GRACE_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
    }

    killed = run_worker(f"deliver_event_task('{event.id}')", env)
    assert killed.returncode == -9, killed.stderr
    delivery = EventDelivery.objects.get(event=event)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.locked_until > timezone.now()

    # Right away (in this process, no start-up delay) the lease still holds: nothing is due.
    assert sweep_outbox_task() == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    time.sleep(max((delivery.locked_until - timezone.now()).total_seconds(), 0) + 0.2)
    recovered = run_worker("print(sweep_outbox_task())", env)
    assert recovered.returncode == 0, recovered.stderr
    assert recovered.stdout.strip() == "1"

    lines = log.read_text().split()
    assert lines == [str(event.id), "1", str(event.id), "2"]
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert uuid.UUID(lines[0]) == event.id
