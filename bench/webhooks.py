#!/usr/bin/env python
"""Outgoing webhooks (issue 10): request-side cost, fan-out cost and delivery throughput.

    .venv/bin/python bench/webhooks.py            # full run, updates bench/RESULTS.md
    .venv/bin/python bench/webhooks.py --smoke    # seconds; writes bench/out/webhooks-smoke.json

Runs Django in embedded settings (DEBUG off) against a dedicated PostgreSQL
database (``fashionistar_bench_webhooks``, recreated and migrated here, dropped
contents at the end) and Redis DB 11 (broker; nobody consumes the tasks, the
benchmark drives the worker code itself, and the DB is flushed at the end). A
loopback receiver (``http.server`` in threads, 127.0.0.1) answers 200 after
checking each signature. Bounded: a fixed number of events and deliveries.

Measured:

* ``emit`` in a transaction (what a mutation pays) with 0, 1 and 10 webhooks;
* ``fan_out`` (the worker's handler: one delivery row per webhook) per event;
* sending: deliveries per second through ``delivery.send`` (claim, sign, POST,
  record the attempt, mark success) with 1 and 4 worker threads.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

DB_NAME = "fashionistar_bench_webhooks"
REDIS_DB = 11
SECRET = "bench-webhook-secret-0123456789abcdef"  # noqa: S105 - a benchmark fixture
PAYLOAD = {
    "order": {
        "id": "0b6c9a52-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
        "number": "1042",
        "currency": "NGN",
        "total_gross_amount": "52500.00",
        "user_email": "ada@example.com",
        "lines": [
            {"sku": f"AWD-{i}", "quantity": 1 + i, "unit_price_gross_amount": "25000.00"}
            for i in range(3)
        ],
    }
}


class Receiver:
    def __init__(self) -> None:
        self.count = 0
        self.bad = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stamp = self.headers.get("X-Fashionistar-Timestamp", "")
                expected = hmac.new(
                    SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256
                ).hexdigest()
                ok = hmac.compare_digest(expected, self.headers.get("X-Fashionistar-Signature", ""))
                with receiver.lock:
                    receiver.count += 1
                    receiver.bad += not ok
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def configure_django() -> dict[str, str]:
    pg = common.database_url(DB_NAME)
    redis = common.redis_url(common.pick_redis_db(REDIS_DB))
    common.ensure_database(pg, recreate=True)
    for name in ("APP_ENV", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="core.settings",
        DATABASE_URL=pg,
        REDIS_URL=redis,
        DEBUG="false",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
        CACHE_KEY_PREFIX="fc-bench-webhooks",
        WEBHOOKS_ALLOW_PRIVATE_TARGETS="true",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return {"database_url": pg, "redis_url": redis}


def set_webhooks(count: int, url: str) -> None:
    """Exactly ``count`` active webhooks on order_created (through the services)."""
    from plugins.webhooks import services
    from plugins.webhooks.models import App, Webhook

    for webhook in Webhook.objects.all():
        services.delete_webhook(webhook)
    app = App.objects.first()
    if app is None:
        app, _ = services.create_app(None, "bench", [])
    for n in range(count):
        services.create_webhook(
            app,
            services.WebhookInput(
                name=f"bench {n}", target_url=url, secret=SECRET, events=["order_created"]
            ),
        )


def time_emits(channel: Any, count: int) -> dict[str, float]:
    """Wall time of one committed transaction holding one ``emit`` (the request's share)."""
    from django.db import transaction

    from core.events.outbox import emit

    samples, cpu = [], time.process_time()
    for _ in range(count):
        start = time.perf_counter_ns()
        with transaction.atomic():
            emit("order_created", PAYLOAD, channel=channel)
        samples.append(time.perf_counter_ns() - start)
    cpu_us = (time.process_time() - cpu) * 1e6 / count
    return {"median_us": statistics.median(samples) / 1000, "cpu_us": cpu_us, "n": count}


def time_fan_out(channel: Any, count: int) -> dict[str, float]:
    from django.db import transaction
    from django.utils import timezone

    from core.events.types import Event
    from plugins.webhooks.services import fan_out

    samples, cpu = [], time.process_time()
    for _ in range(count):
        event = Event(uuid.uuid4(), "order_created", channel.slug, PAYLOAD, timezone.now())
        start = time.perf_counter_ns()
        with transaction.atomic():
            fan_out(event)
        samples.append(time.perf_counter_ns() - start)
    cpu_ms = (time.process_time() - cpu) * 1000 / count
    return {"median_ms": statistics.median(samples) / 1e6, "cpu_ms": cpu_ms, "n": count}


def time_sends(threads: int) -> dict[str, float]:
    from django.db import connection

    from plugins.webhooks.delivery import due_ids, send

    ids = due_ids(limit=100_000)

    def work(chunk: list[int]) -> int:
        try:
            return sum(send(delivery_id) == "success" for delivery_id in chunk)
        finally:
            connection.close()

    chunks = [ids[i::threads] for i in range(threads)]
    start, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(threads) as pool:
        ok = sum(pool.map(work, chunks))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "deliveries": len(ids),
        "success": ok,
        "seconds": elapsed,
        "per_second": ok / elapsed,
        "cpu_ms_per_delivery": cpu * 1000 / max(len(ids), 1),
    }


def run(smoke: bool) -> dict[str, Any]:
    urls = configure_django()
    from core.models import Channel, OutboxEvent
    from plugins.webhooks.models import WebhookDelivery

    receiver = Receiver()
    channel = Channel.objects.create(
        name="Bench", slug="bench", currency_code="NGN", default_country="NG"
    )
    emits = 30 if smoke else 300
    results: dict[str, Any] = {"emit": {}, "fan_out": {}, "send": {}}
    for count in (0, 1, 10):
        set_webhooks(count, receiver.url)
        time_emits(channel, 10)  # warm-up
        results["emit"][count] = time_emits(channel, emits)
    OutboxEvent.objects.all().delete()
    for count in (1, 10):
        set_webhooks(count, receiver.url)
        results["fan_out"][count] = time_fan_out(channel, 10 if smoke else 100)
    set_webhooks(10, receiver.url)
    events = 5 if smoke else 60  # x 10 webhooks = deliveries per thread setting
    for threads in (1, 4):
        WebhookDelivery.objects.all().delete()
        time_fan_out(channel, events)
        results["send"][threads] = time_sends(threads)
    results["receiver"] = {"requests": receiver.count, "bad_signatures": receiver.bad}
    receiver.close()
    machine = common.machine_info(urls["database_url"], urls["redis_url"])
    machine["git"] = common.git_info()
    results["machine"] = machine
    cleanup(urls)
    return results


def cleanup(urls: dict[str, str]) -> None:
    import redis as redis_lib
    from django.db import connection

    from core.models import EventDelivery, OutboxEvent
    from plugins.webhooks.models import App

    App.objects.all().delete()
    EventDelivery.objects.all().delete()
    OutboxEvent.objects.all().delete()
    connection.close()
    client = redis_lib.Redis.from_url(urls["redis_url"], socket_connect_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


def report(data: dict[str, Any]) -> str:
    emit_rows = [
        [f"{n} webhook(s)", f"{row['median_us']:.0f}", f"{row['cpu_us']:.0f}", row["n"]]
        for n, row in data["emit"].items()
    ]
    fan_rows = [
        [f"{n} webhook(s)", f"{row['median_ms']:.2f}", f"{row['cpu_ms']:.2f}", row["n"]]
        for n, row in data["fan_out"].items()
    ]
    send_rows = [
        [
            f"{n} thread(s)",
            row["deliveries"],
            row["success"],
            f"{row['seconds']:.2f}",
            f"{row['per_second']:.0f}",
            f"{row['cpu_ms_per_delivery']:.1f}",
        ]
        for n, row in data["send"].items()
    ]
    return "\n".join(
        [
            "## Outgoing webhooks (`bench/webhooks.py`)",
            "",
            *common.machine_lines(data["machine"]),
            "",
            'Request side: one committed transaction holding one `emit("order_created")`,'
            " median wall time. With 0 webhooks the plugin is inactive and nothing is written;"
            " with 1 or 10 the request writes the same single outbox event and delivery row.",
            "",
            common.markdown_table(
                ["webhooks", "µs per emit + commit (wall, median)", "CPU µs", "n"], emit_rows
            ),
            "",
            "Worker side, fan-out: the plugin's event handler (one delivery row per webhook,"
            " body built and rendered, tasks queued after commit), per event.",
            "",
            common.markdown_table(
                ["webhooks", "ms per event (wall, median)", "CPU ms", "n"], fan_rows
            ),
            "",
            "Worker side, sending: `delivery.send` per delivery (claim with lease, sign, POST to"
            " the loopback receiver, record the attempt, mark success), in threads of one"
            f" process. Receiver: {data['receiver']['requests']} requests,"
            f" {data['receiver']['bad_signatures']} bad signatures.",
            "",
            common.markdown_table(
                ["workers", "deliveries", "succeeded", "seconds", "deliveries/s", "CPU ms each"],
                send_rows,
            ),
            "",
            "Reading these numbers: the request pays the same for 1 and 10 webhooks (one"
            " outbox event and one kernel delivery row, plus the Celery publish after commit);"
            " with no webhook the plugin is switched off and an event costs nothing. Fan-out is"
            " a constant number of statements per event (lock, check, one UPDATE, one bulk"
            " INSERT); what grows with the webhooks is rendering each body and publishing one"
            " Celery task per delivery (about 1 ms of CPU each, the same publish the outbox"
            " does). Sending is bound by CPU in Python: the CPU column counts the whole"
            " process, including the loopback receiver's threads parsing and verifying each"
            " request, so the sender alone costs less. Threads overlap the database and network"
            " waits (which dominate wall time on this loaded machine) but share the GIL; in"
            " production throughput scales with Celery worker processes (`webhooks.send` is one"
            " task per delivery) until PostgreSQL or the receivers saturate.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds; no RESULTS.md")
    args = parser.parse_args()
    with common.exclusive_database(DB_NAME):
        data = run(args.smoke)
    text = report(data)
    print(text)
    if args.smoke:
        common.write_json(Path(__file__).parent / "out" / "webhooks-smoke.json", data)
    else:
        common.write_json(Path(__file__).parent / "out" / "webhooks.json", data)
        common.write_section("webhooks", text)


if __name__ == "__main__":
    main()
