#!/usr/bin/env python
"""Plugin-kernel micro-benchmarks (issue 3): hook dispatch and outbox throughput.

    .venv/bin/python bench/kernel.py            # full run, updates bench/RESULTS.md
    .venv/bin/python bench/kernel.py --smoke    # seconds; writes bench/out/kernel-smoke.json

Runs Django in embedded settings (APP_ENV unset, DEBUG off) against a dedicated
PostgreSQL database (``fashionistar_bench`` on the server of ``DATABASE_URL``,
created and migrated here, its tables emptied before and after) and Redis DB 5
of the server of ``REDIS_URL`` (cache and Celery broker).

The hooks measured are benchmark-only hooks declared by a benchmark plugin
(``bench_validate`` decision, ``bench_total`` pipeline, ``bench_event`` event)
so that plugins other engineers add to real hooks cannot change the numbers.
They go through exactly the same dispatch code as the hooks of core/hookspecs.py.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from argparse import SUPPRESS
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

DB_NAME = "fashionistar_bench"
REDIS_DB = 5
CHANNEL_ALL = "bench-5"  # the five dispatch plugins are active here
CHANNEL_OFF = "bench-off"  # registered everywhere, active nowhere
CHANNEL_ONE = "bench-sub-1"  # one event subscriber
CHANNEL_THREE = "bench-sub-3"  # three event subscribers
N_PLUGINS = 5

EVENT_PAYLOAD: dict[str, Any] = {
    "order": {
        "id": "T3JkZXI6MTIzNA==",
        "number": "1234",
        "status": "unfulfilled",
        "currency": "NGN",
        "total": {"gross": "45500.00", "net": "42325.58", "tax": "3174.42"},
        "customer": {"email": "ada@example.com", "id": "VXNlcjo0Mg=="},
        "lines": [
            {"sku": f"ANKARA-DRESS-{i}", "quantity": 1 + i, "unit_price": "15166.67"}
            for i in range(3)
        ],
    }
}


def configure_django(db_name: str, redis_db: int, *, keep_db: bool = False) -> dict[str, str]:
    """(Re)create and migrate the benchmark database, point Django at it and set it up.

    Recreated by default: a database migrated by another tree (a snapshot, a
    colleague's branch) may not match the code being measured.
    """
    pg = common.database_url(db_name)
    redis = common.redis_url(common.pick_redis_db(redis_db))
    common.ensure_database(pg, recreate=not keep_db)
    os.environ.pop("APP_ENV", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="core.settings",
        DATABASE_URL=pg,
        REDIS_URL=redis,
        DEBUG="false",  # embedded mode defaults to DEBUG on, which records every query
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        CACHE_KEY_PREFIX="fc-bench",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return {"database_url": pg, "redis_url": redis}


# ---------------------------------------------------------------------------------------------
# Benchmark plugins
# ---------------------------------------------------------------------------------------------


def build_plugins() -> tuple[Any, list[Any], dict[str, int]]:
    """The spec-carrying plugin and N small plugins implementing the three benchmark hooks."""
    from core import hookspecs as hs
    from core.plugins import BasePlugin, hookimpl

    class BenchSpecs:
        @hs.decision
        def bench_validate(self, checkout: Any, channel: Any, config: Any) -> None:
            """Benchmark decision hook: may veto; returns nothing."""

        @hs.pipeline
        def bench_total(self, checkout: Any, channel: Any, previous_value: Any, config: Any) -> Any:
            """Benchmark pipeline hook: returns the next value."""

        @hs.event
        def bench_event(self, event: Any, config: Any) -> None:
            """Benchmark event hook."""

    class SpecPlugin(BasePlugin):
        id = "bench.specs"
        name = "Benchmark hook specs"
        hookspecs = BenchSpecs

    handled: dict[str, int] = {}

    def make(index: int) -> Any:
        plugin_id = f"bench.plugin{index}"
        handled[plugin_id] = 0

        class Plugin(BasePlugin):
            id = plugin_id
            name = f"Benchmark plugin {index}"
            per_channel = True
            default_active = False

            @hookimpl
            def bench_validate(self, checkout: Any, channel: Any, config: Any) -> None:
                if checkout is None:
                    raise ValueError("no checkout")

            @hookimpl
            def bench_total(self, previous_value: int, config: Any) -> int:
                return previous_value + 1

            @hookimpl
            def bench_event(self, event: Any, config: Any) -> None:
                handled[plugin_id] += 1

        Plugin.__name__ = f"BenchPlugin{index}"
        return Plugin()

    return SpecPlugin(), [make(i) for i in range(1, N_PLUGINS + 1)], handled


# ---------------------------------------------------------------------------------------------
# Database state
# ---------------------------------------------------------------------------------------------


def clean_tables() -> None:
    from django.db import connection

    from core.models import Channel, EventDelivery, OutboxEvent, PluginConfiguration

    tables = [m._meta.db_table for m in (EventDelivery, OutboxEvent, PluginConfiguration, Channel)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")  # noqa: S608


def purge_broker() -> int:
    from core.celery import app

    return app.control.purge() or 0


def create_channels() -> None:
    from core.models import Channel

    for slug in (CHANNEL_ALL, CHANNEL_OFF, CHANNEL_ONE, CHANNEL_THREE):
        Channel.objects.create(
            slug=slug, name=slug, currency_code="NGN", default_country="NG", is_active=True
        )


def activate(plugins: list[Any]) -> None:
    from core.plugins.manager import get_manager
    from core.plugins.services import update_plugin_configuration

    for plugin in plugins:
        update_plugin_configuration(plugin.id, CHANNEL_ALL, active=True)
    update_plugin_configuration(plugins[0].id, CHANNEL_ONE, active=True)
    for plugin in plugins[:3]:
        update_plugin_configuration(plugin.id, CHANNEL_THREE, active=True)
    get_manager().configs.reset()


# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """How long each timed loop runs, and how many loops."""

    seconds: float
    repeat: int


def per_call_ns(fn: Callable[[], Any], timing: Timing) -> dict[str, float]:
    """Thread CPU time and wall time per call: median and best of ``timing.repeat`` loops.

    The loop length is calibrated to last about ``timing.seconds``. CPU time is
    the primary figure: on a shared machine it does not count time spent
    descheduled, as wall time does.
    """
    start = time.perf_counter()
    probe = 0
    while probe < 10 or time.perf_counter() - start < 0.01:
        fn()
        probe += 1
    each = (time.perf_counter() - start) / probe
    calls = max(100, min(2_000_000, int(timing.seconds / each)))
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(timing.repeat):
        gc.collect()
        cpu_start, wall_start = time.thread_time_ns(), time.perf_counter_ns()
        for _ in range(calls):
            fn()
        wall.append((time.perf_counter_ns() - wall_start) / calls)
        cpu.append((time.thread_time_ns() - cpu_start) / calls)
    return {
        "median_ns": statistics.median(cpu),
        "min_ns": min(cpu),
        "wall_median_ns": statistics.median(wall),
        "calls": calls,
        "repeat": timing.repeat,
    }


def count_queries(fn: Callable[[], Any], calls: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for _ in range(calls):
            fn()
    return len(captured.captured_queries)


def bench_dispatch(plugins: list[Any], timing: Timing) -> dict[str, Any]:
    from django.test.utils import override_settings

    from core.plugins.manager import get_manager

    manager = get_manager()
    checkout = object()
    results: dict[str, Any] = {}

    def decision(channel: str) -> Callable[[], Any]:
        return lambda: manager.decision("bench_validate", channel=channel, checkout=checkout)

    def pipeline(channel: str) -> Callable[[], Any]:
        return lambda: manager.pipeline("bench_total", 0, channel=channel, checkout=checkout)

    results["loop_overhead"] = per_call_ns(lambda: None, timing)
    assert not manager.impls("bench_validate") and not manager.impls("bench_total")
    empty = {"decision": decision(CHANNEL_ALL), "pipeline": pipeline(CHANNEL_ALL)}
    for kind, fn in empty.items():
        fn()
        results[f"{kind}_no_impl"] = per_call_ns(fn, timing)
        results[f"{kind}_no_impl"]["queries"] = count_queries(fn, 100)

    # Register the five plugins (they run before installed ones) and activate them.
    for plugin in reversed(plugins):
        manager.register(plugin)
    activate(plugins)
    assert len(manager.impls("bench_validate")) == N_PLUGINS
    assert pipeline(CHANNEL_ALL)() == N_PLUGINS, "all five plugins must be active"
    assert pipeline(CHANNEL_OFF)() == 0

    for label, channel in (("5_active", CHANNEL_ALL), ("5_inactive", CHANNEL_OFF)):
        for kind, fn in (("decision", decision(channel)), ("pipeline", pipeline(channel))):
            for _ in range(200):  # warm-up: configuration snapshot loaded, effective configs built
                fn()
            entry = per_call_ns(fn, timing)
            entry["queries"] = count_queries(fn, 1000)
            # Also across configuration re-checks (recheck interval 0: a cache read per call).
            with override_settings(PLUGIN_CONFIG_RECHECK_SECONDS=0):
                entry["queries_with_recheck_every_call"] = count_queries(fn, 100)
            results[f"{kind}_{label}"] = entry

    # Reference points: the same five implementations called by pluggy, and directly.
    hook = manager.pm.hook.bench_total
    results["pluggy_hook_call_5"] = per_call_ns(
        lambda: hook(checkout=checkout, channel=CHANNEL_ALL, previous_value=0, config=None), timing
    )
    functions = [p.bench_total for p in plugins]

    def direct() -> int:
        value = 0
        for function in functions:
            value = function(previous_value=value, config=None)
        return value

    results["direct_calls_5"] = per_call_ns(direct, timing)

    from core.telemetry import tracer

    def span() -> None:
        with tracer.start_as_current_span("plugin bench.plugin1.bench_total"):
            pass

    results["otel_span"] = per_call_ns(span, timing)
    return results


def bench_outbox(events: int, batches: tuple[int, ...], handled: dict[str, int]) -> dict[str, Any]:
    from django.db import transaction

    from core.events.delivery import deliver_event
    from core.events.outbox import emit
    from core.models import EventDelivery

    results: dict[str, Any] = {}
    # Warm-up: broker connection, prepared ORM paths, configuration snapshot.
    with transaction.atomic():
        warm = [emit("bench_event", EVENT_PAYLOAD, channel=CHANNEL_THREE) for _ in range(20)]
    for event_id in warm:
        deliver_event(event_id)
    purge_broker()
    for subscribers, channel in ((1, CHANNEL_ONE), (3, CHANNEL_THREE)):
        for batch in batches:
            ids: list[Any] = []
            cpu_start, start = time.process_time(), time.perf_counter()
            for offset in range(0, events, batch):
                with transaction.atomic():
                    for _ in range(min(batch, events - offset)):
                        ids.append(emit("bench_event", EVENT_PAYLOAD, channel=channel))
            write_seconds = time.perf_counter() - start
            write_cpu = time.process_time() - cpu_start
            assert all(ids) and len(ids) == events
            pending = EventDelivery.objects.filter(event_id__in=ids, status="pending").count()
            assert pending == events * subscribers, (pending, events, subscribers)

            before = sum(handled.values())
            cpu_start, start = time.process_time(), time.perf_counter()
            outcomes = [deliver_event(event_id) for event_id in ids]
            deliver_seconds = time.perf_counter() - start
            deliver_cpu = time.process_time() - cpu_start
            delivered = sum(
                1 for outcome in outcomes for status in outcome.values() if status == "delivered"
            )
            assert delivered == events * subscribers, (delivered, events * subscribers)
            assert sum(handled.values()) - before == delivered
            results[f"sub{subscribers}_batch{batch}"] = {
                "subscribers": subscribers,
                "batch": batch,
                "events": events,
                "write_seconds": write_seconds,
                "events_written_per_s": events / write_seconds,
                "write_cpu_ms_per_event": write_cpu * 1000 / events,
                "deliver_seconds": deliver_seconds,
                "events_delivered_per_s": events / deliver_seconds,
                "deliveries_per_s": delivered / deliver_seconds,
                "deliver_cpu_ms_per_event": deliver_cpu * 1000 / events,
            }
            purge_broker()
    results["queries"] = outbox_query_counts()
    return results


def outbox_query_counts() -> dict[str, float]:
    """SQL statements per emit (batch of 10 in one transaction) and per event delivery."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from core.events.delivery import deliver_event
    from core.events.outbox import emit

    counts: dict[str, float] = {}
    for subscribers, channel in ((1, CHANNEL_ONE), (3, CHANNEL_THREE)):
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            ids = [emit("bench_event", EVENT_PAYLOAD, channel=channel) for _ in range(10)]
        counts[f"per_emit_sub{subscribers}"] = len(captured.captured_queries) / 10
        with CaptureQueriesContext(connection) as captured:
            for event_id in ids:
                deliver_event(event_id)
        counts[f"per_event_delivery_sub{subscribers}"] = len(captured.captured_queries) / 10
    purge_broker()
    return counts


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def fmt_ns(ns: float) -> str:
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def report(data: dict[str, Any]) -> str:
    d = data["dispatch"]
    rows = []
    labels = [
        ("decision_no_impl", "decision, hook with no implementation"),
        ("pipeline_no_impl", "pipeline, hook with no implementation"),
        ("decision_5_active", "decision, 5 plugins active in the channel"),
        ("pipeline_5_active", "pipeline, 5 plugins active in the channel"),
        ("decision_5_inactive", "decision, 5 plugins registered, none active in the channel"),
        ("pipeline_5_inactive", "pipeline, 5 plugins registered, none active in the channel"),
        ("pluggy_hook_call_5", "reference: pluggy `pm.hook.bench_total(...)`, 5 impls"),
        ("direct_calls_5", "reference: the 5 functions called directly"),
        ("otel_span", "reference: one span of `core.telemetry.tracer` (no-op tracer)"),
        ("loop_overhead", "reference: timing-loop overhead (empty lambda)"),
    ]
    for key, label in labels:
        entry = d[key]
        queries = entry.get("queries", "")
        if "queries_with_recheck_every_call" in entry:
            queries = f"{queries} ({entry['queries_with_recheck_every_call']} with recheck)"
        rows.append(
            [
                label,
                fmt_ns(entry["median_ns"]),
                fmt_ns(entry["min_ns"]),
                fmt_ns(entry["wall_median_ns"]),
                queries,
            ]
        )
    dispatch_table = common.markdown_table(
        [
            "dispatch",
            "CPU per call (median)",
            "best",
            "wall per call (median)",
            "SQL queries after warm-up",
        ],
        rows,
    )
    o = data["outbox"]
    orows = []
    for key, entry in o.items():
        if key == "queries":
            continue
        orows.append(
            [
                entry["subscribers"],
                entry["batch"],
                entry["events"],
                f"{entry['events_written_per_s']:,.0f}",
                f"{entry['write_cpu_ms_per_event']:.2f}",
                f"{entry['events_delivered_per_s']:,.0f}",
                f"{entry['deliveries_per_s']:,.0f}",
                f"{entry['deliver_cpu_ms_per_event']:.2f}",
            ]
        )
    outbox_table = common.markdown_table(
        [
            "subscribers",
            "emits per transaction",
            "events",
            "events written/s",
            "Python CPU ms/event written",
            "events delivered/s",
            "deliveries/s",
            "Python CPU ms/event delivered",
        ],
        orows,
    )
    q = o["queries"]
    return "\n".join(
        [
            "## Plugin kernel micro-benchmarks (`bench/kernel.py`)",
            "",
            *common.machine_lines(data["machine"]),
            f"- mode: {'smoke' if data['smoke'] else 'full'}; tracing "
            f"{'ON' if data['tracing'] else 'off (no OTEL exporter: no-op tracer)'}; "
            "single process, one thread",
            "",
            "### Hook dispatch (`get_manager().decision/pipeline`)",
            "",
            dispatch_table,
            "",
            "### Outbox on PostgreSQL (`emit` in transactions, then `deliver_event` per event)",
            "",
            outbox_table,
            "",
            f"SQL statements: per emit {q['per_emit_sub1']:.1f} (1 subscriber) / "
            f"{q['per_emit_sub3']:.1f} (3 subscribers), batch of 10 in one transaction; "
            f"per event delivered {q['per_event_delivery_sub1']:.1f} (1 subscriber) / "
            f"{q['per_event_delivery_sub3']:.1f} (3 subscribers).",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run (a few seconds)")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--db-name", default=DB_NAME, help="database (default %(default)s)")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="Redis DB number")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is")
    parser.add_argument(
        "--no-results", action="store_true", help="do not update bench/RESULTS.md (full runs)"
    )
    parser.add_argument("--results-file", type=Path, default=common.RESULTS_MD, help=SUPPRESS)
    parser.add_argument(
        "--commit",
        help="measure a `git archive` snapshot of this commit (e.g. HEAD) instead of the "
        "working tree, which others may be editing",
    )
    args = parser.parse_args(argv)
    if args.commit:
        return run_snapshot(args, sys.argv[1:] if argv is None else argv)
    with common.exclusive_database(args.db_name):
        return run(args)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    urls = configure_django(args.db_name, args.redis_db, keep_db=args.keep_db)
    from core import telemetry
    from core.plugins.manager import get_manager

    timing = Timing(0.05, 3) if args.smoke else Timing(0.5, 7)
    events = 50 if args.smoke else 500
    batches = (1, 25) if args.smoke else (1, 50)

    clean_tables()
    purge_broker()
    spec_plugin, plugins, handled = build_plugins()
    manager = get_manager()
    try:
        create_channels()
        manager.register(spec_plugin)
        dispatch = bench_dispatch(plugins, timing)
        outbox = bench_outbox(events, batches, handled)
    finally:
        for plugin in [*plugins, spec_plugin]:
            if plugin.id in manager.loaded:
                manager.unregister(plugin.id)
        clean_tables()
        purge_broker()

    machine = common.machine_info(urls["database_url"], urls["redis_url"])
    machine["git"] = common.git_info()
    data = {
        "smoke": args.smoke,
        "tracing": telemetry._configured,
        "machine": machine,
        "dispatch": dispatch,
        "outbox": outbox,
        "seconds": time.perf_counter() - started,
    }
    text = report(data)
    print(text)
    out = args.json or common.OUT_DIR / ("kernel-smoke.json" if args.smoke else "kernel.json")
    common.write_json(out, data)
    if not args.smoke and not args.no_results:
        common.write_section("kernel", text, args.results_file)
        print(f"\nupdated {args.results_file}")
    return 0


def run_snapshot(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the snapshot's own copy of this script, importing only the snapshot's code."""
    commit = common.snapshot(args.commit)
    script = common.OUT_DIR / f"src-{commit[:12]}" / "bench" / "kernel.py"
    rest = [a for i, a in enumerate(argv) if a != "--commit" and argv[i - 1 : i] != ["--commit"]]
    rest = [a for a in rest if not a.startswith("--commit=")]
    out = args.json or common.OUT_DIR / ("kernel-smoke.json" if args.smoke else "kernel.json")
    rest += ["--json", str(out.resolve()), "--results-file", str(args.results_file.resolve())]
    env = {**os.environ, **common.snapshot_env(commit)}
    return subprocess.run([sys.executable, str(script), *rest], env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
