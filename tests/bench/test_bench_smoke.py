"""The benchmarks run and produce numbers (their smoke modes), as subprocesses.

No timing is asserted here (DESIGN.md: timings belong in bench/). What is
asserted: the kernel benchmark measured every case, five active plugins add no
SQL query to a hook dispatch, and the HTTP harness served every scenario
without errors against the real production-mode stack, then left no process
behind. Both need PostgreSQL and Redis: they derive their own database names
and Redis DB numbers from DATABASE_URL / REDIS_URL (and TEST_DATABASE_NAME when
several people share the servers), so they never touch the test database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench_env() -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        pytest.skip("the benchmarks need PostgreSQL (DATABASE_URL)")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the benchmarks need Redis (REDIS_URL)")
    return dict(os.environ)


def database_name(default: str, suffix: str) -> str:
    base = os.environ.get("TEST_DATABASE_NAME")
    return f"{base}_{suffix}" if base else default


def redis_db(offset: int) -> str:
    own = int(urlsplit(os.environ["REDIS_URL"]).path.strip("/") or 0)
    return str((own + offset) % 16)


def run_bounded(args: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Run a benchmark; on timeout stop it with SIGTERM (it then stops its own children)."""
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        pytest.fail(f"{args[1]} did not finish within {timeout:.0f}s:\n{output[-4000:]}")
    return proc.returncode, output


def processes_with(marker: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if marker in text:
            found.append(f"{cmdline.parent.name}: {text}")
    return found


def test_kernel_benchmark_smoke_measures_and_dispatch_adds_no_queries(tmp_path: Path) -> None:
    env = bench_env()
    out = tmp_path / "kernel.json"
    args = [
        sys.executable,
        str(ROOT / "bench" / "kernel.py"),
        "--smoke",
        "--json",
        str(out),
        "--db-name",
        database_name("fashionistar_bench_smoke", "kernel"),
        "--redis-db",
        redis_db(8),
    ]
    code, output = run_bounded(args, env, timeout=240)
    assert code == 0, output[-4000:]
    data: dict[str, Any] = json.loads(out.read_text())

    dispatch = data["dispatch"]
    for kind in ("decision", "pipeline"):
        for case in ("no_impl", "5_active", "5_inactive"):
            entry = dispatch[f"{kind}_{case}"]
            assert entry["median_ns"] > 0 and entry["calls"] > 0
            assert entry["queries"] == 0, f"{kind} with {case} ran SQL"
        active = dispatch[f"{kind}_5_active"]
        assert active["queries_with_recheck_every_call"] == 0

    outbox = data["outbox"]
    for subscribers in (1, 3):
        runs = [v for k, v in outbox.items() if k.startswith(f"sub{subscribers}_")]
        assert runs
        for entry in runs:
            assert entry["events_written_per_s"] > 0
            assert entry["events_delivered_per_s"] > 0
            assert entry["deliveries_per_s"] > 0
    assert outbox["queries"]["per_event_delivery_sub3"] > outbox["queries"]["per_emit_sub3"] > 0
    assert "Hook dispatch" in output and "Outbox on PostgreSQL" in output


def test_http_harness_smoke_serves_every_scenario_and_stops_its_processes(
    tmp_path: Path,
) -> None:
    env = bench_env()
    out = tmp_path / "http.json"
    args = [
        str(ROOT / "bench" / "run"),
        "--smoke",
        "--json",
        str(out),
        "--db-name",
        database_name("fashionistar_bench_http_smoke", "http"),
        "--redis-db",
        redis_db(9),
        "--max-seconds",
        "240",
    ]
    env["BENCH_VENV_BIN"] = str(Path(sys.executable).parent)
    proc_code, output = run_bounded(args, env, timeout=300)
    assert proc_code == 0, output[-4000:]
    data: dict[str, Any] = json.loads(out.read_text())

    scenarios = data["scenarios"]
    assert {"ceiling", "health_live", "health_ready", "channel"} <= set(scenarios)
    for name, result in scenarios.items():
        assert result["requests"] > 0, name
        assert result["errors"] == 0, (name, result["error_kinds"])
        assert result["rps"] > 0, name
        assert result["p50_ms"] <= result["p90_ms"] <= result["p99_ms"], name
        assert result["server_cpu_seconds"] >= 0, name
        assert len(result["rss_mib_after"]) == data["config"]["workers"], name
        assert result["workers_survived"], name
    # The storefront listing is measured as soon as the schema has `products`; the only
    # accepted reason to skip it is that the field does not exist yet.
    if "products" not in scenarios:
        assert "no `products` query field" in data["notes"]["products"]["note"]
    assert "product" in scenarios or data["notes"]["product"]["note"]
    assert (out.with_suffix(".md")).read_text().startswith("## HTTP load harness")

    # Every process the harness started is gone (they carry its pid in their command line).
    assert not processes_with(f"fcbench-{data['harness_pid']}")
    assert not processes_with(f"bench{data['harness_pid']}@")
