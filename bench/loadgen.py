"""Load generators for the HTTP harness: ``wrk`` when installed, else a Python one.

Both answer with the same :class:`LoadResult`. A response counts as an error
when its status is not 200, or (``check_errors``) when its body holds a GraphQL
``"errors"`` member; connection failures and timeouts are errors too.
Loopback only: the URL is always ``http://127.0.0.1:<port>``.
"""

from __future__ import annotations

import http.client
import json
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    check_errors: bool = False

    def ok(self, status: int, body: bytes) -> bool:
        return status == 200 and not (self.check_errors and b'"errors"' in body)


@dataclass
class LoadResult:
    tool: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    loadgen_cpu_seconds: float
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rps": self.rps}


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if not path:
        return ""
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=5)
    return (done.stdout or done.stderr).splitlines()[0].strip() if done else ""


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# --------------------------------------------------------------------------------------------
# Python generator: threads, http.client, keep-alive when the server allows it
# --------------------------------------------------------------------------------------------


def run_python(
    port: int, request: Request, concurrency: int, seconds: float, max_requests: int
) -> LoadResult:
    lock = threading.Lock()
    issued = 0
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    kinds: dict[str, int] = {}
    deadline = time.monotonic() + seconds

    def count(kind: str) -> None:
        with lock:
            kinds[kind] = kinds.get(kind, 0) + 1

    def worker(slot: list[float]) -> None:
        nonlocal issued
        conn: http.client.HTTPConnection | None = None
        while time.monotonic() < deadline:
            with lock:
                if issued >= max_requests:
                    break
                issued += 1
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            start = time.perf_counter()
            try:
                conn.request(request.method, request.path, request.body, request.headers)
                response = conn.getresponse()
                body = response.read()
                if not request.ok(response.status, body):
                    count(f"status {response.status}" if response.status != 200 else "errors")
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                count(type(exc).__name__)
                conn.close()
                conn = None
            slot.append(time.perf_counter() - start)
        if conn is not None:
            conn.close()

    cpu_before = time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(slot,), daemon=True) for slot in latencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 15)
    elapsed = time.perf_counter() - started
    values = sorted(v * 1000 for slot in latencies for v in slot)
    return LoadResult(
        tool="python",
        requests=len(values),
        errors=sum(kinds.values()),
        seconds=elapsed,
        p50_ms=percentile(values, 0.50),
        p90_ms=percentile(values, 0.90),
        p99_ms=percentile(values, 0.99),
        max_ms=values[-1] if values else 0.0,
        loadgen_cpu_seconds=time.process_time() - cpu_before,
        error_kinds=kinds,
    )


# --------------------------------------------------------------------------------------------
# wrk: one thread (the server needs the cores), a Lua script reports JSON
# --------------------------------------------------------------------------------------------

WRK_SCRIPT = """
wrk.method = "{method}"
{body}
{headers}
local check_errors = {check}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or (check_errors and string.find(body, '"errors"', 1, true)) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + (thread:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"timeout":%d,"bad":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, total_bad,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _lua_long_string(text: str) -> str:
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def wrk_script(request: Request) -> str:
    body = f"wrk.body = {_lua_long_string(request.body.decode())}" if request.body else ""
    headers = "\n".join(
        f"wrk.headers[ {_lua_long_string(k)} ] = {_lua_long_string(v)}"
        for k, v in request.headers.items()
    )
    return WRK_SCRIPT.format(
        method=request.method,
        body=body,
        headers=headers,
        check="true" if request.check_errors else "false",
    )


def run_wrk(port: int, request: Request, concurrency: int, seconds: float) -> LoadResult:
    path = wrk_path()
    if path is None:
        raise RuntimeError("wrk is not installed")
    with tempfile.TemporaryDirectory(prefix="fc-bench-wrk-") as tmp:
        script = Path(tmp) / "scenario.lua"
        script.write_text(wrk_script(request))
        args = [
            path,
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{port}{request.path}",
        ]
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
        usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    kinds = {k: data[k] for k in ("connect", "read", "write", "timeout", "bad") if data[k]}
    cpu = (usage_after.ru_utime + usage_after.ru_stime) - (
        usage_before.ru_utime + usage_before.ru_stime
    )
    return LoadResult(
        tool="wrk",
        requests=data["requests"],
        errors=sum(kinds.values()),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50"] / 1000,
        p90_ms=data["p90"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        loadgen_cpu_seconds=cpu,
        error_kinds=kinds,
    )


def run(
    tool: str, port: int, request: Request, concurrency: int, seconds: float, max_requests: int
) -> LoadResult:
    if tool == "wrk":
        return run_wrk(port, request, concurrency, seconds)
    return run_python(port, request, concurrency, seconds, max_requests)


def probe(port: int, request: Request, timeout: float = 10) -> tuple[int, bytes]:
    """One request; returns (status, body). Raises OSError when the server is unreachable."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(request.method, request.path, request.body, request.headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
