"""The HTTP load harness (issue 15). Entry point: ``bench/run [--smoke]`` (see bench/README.md).

Starts a production-mode stack on loopback (gunicorn + a Celery worker against a
dedicated PostgreSQL database and Redis DB of the local servers), runs each
scenario for a bounded time, and writes req/s, latency percentiles, errors,
server CPU per request and worker memory to bench/RESULTS.md (smoke runs: to
bench/out/). Every process it starts runs in its own session and is stopped on
exit, on a signal, or when ``--max-seconds`` is exceeded; nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import checkout_flow, common, loadgen  # noqa: E402

DB_NAME = "fashionistar_bench_http"
REDIS_DB = 6
CHANNEL = "default-channel"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

CHANNEL_QUERY = (
    "query Channel($slug: String!) { channel(slug: $slug) "
    "{ id slug name currencyCode defaultCountry { code country } isActive } }"
)
PRODUCTS_QUERY = (
    "query($channel:String){ products(first:20, channel:$channel){ edges { node "
    "{ id name slug pricing { priceRange { start { gross { amount currency } } } } "
    "thumbnail { url } } } } }"
)
PRODUCT_QUERY = (
    "query($slug:String!, $channel:String){ product(slug:$slug, channel:$channel){ "
    "id name slug description pricing { priceRange { start { gross { amount currency } } } } "
    "thumbnail { url } variants { id name sku } } }"
)
INTROSPECTION_QUERY = "{ __schema { queryType { fields { name } } } }"


class HarnessTimeout(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Processes we start, and only those
# ---------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the harness dies (Linux prctl PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def _session_members(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
            continue
        # Field 6 of /proc/<pid>/stat is the session id; the leader's pid may be reused.
        if int(fields[3]) == sid and int(entry.name) != sid:
            members.append(int(entry.name))
    return members


@dataclass
class Managed:
    name: str
    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    log_path: Path


class Processes:
    """Children started in their own session (session id = child pid), stopped as a group."""

    def __init__(self, log_dir: Path, cwd: Path) -> None:
        self.log_dir = log_dir
        self.cwd = cwd
        self.items: list[Managed] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Managed:
        log_path = self.log_dir / f"{name}.log"
        log = log_path.open("wb")
        # preexec_fn only sets the parent-death signal (async-signal-safe prctl).
        proc = subprocess.Popen(
            args,
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        item = Managed(name, proc, log, log_path)
        self.items.append(item)
        return item

    def stop(self, item: Managed, timeout: float = 15) -> None:
        sid = item.proc.pid
        if item.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(sid, signal.SIGTERM)
            try:
                item.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(sid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    item.proc.wait(5)
        # Leftovers of that session (e.g. workers of a master that died). Members of the
        # session other than its (reaped) leader can only be descendants of what we started.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            members = _session_members(sid)
            for pid in members:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 3
            while members and time.monotonic() < deadline:
                time.sleep(0.1)
                members = _session_members(sid)
            if not members:
                break
        item.log.close()
        if item in self.items:
            self.items.remove(item)

    def stop_all(self) -> None:
        for item in reversed(list(self.items)):
            self.stop(item)


# ---------------------------------------------------------------------------------------------
# /proc readings
# ---------------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(FileNotFoundError):
            kids += [int(x) for x in task.read_text().split()]
    return sorted(kids)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, in seconds (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mib(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_KIB / 1024


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((loadgen.HOST, 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------------------------


@dataclass
class Config:
    smoke: bool
    seconds: float
    warmup: float
    concurrency: int
    max_requests: int
    workers: int
    worker_class: str
    tool: str
    db_name: str
    redis_db: int
    keep_db: bool
    src: Path
    commit: str | None
    max_seconds: float
    results: Path | None
    json_path: Path


def server_env(cfg: Config, pg_url: str, redis: str, var_dir: Path) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OTEL_", "CELERY_", "DJANGO_", "DATABASE_", "PLUGIN"))
        and k not in {"APP_ENV", "DEBUG", "SECRET_KEY", "REDIS_URL", "TEST_DATABASE_NAME"}
    }
    env.update(
        APP_ENV="production",
        DJANGO_SETTINGS_MODULE="core.settings",
        DATABASE_URL=pg_url,
        REDIS_URL=redis,
        SECRET_KEY=secrets.token_urlsafe(48),
        PLUGIN_SECRET_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CACHE_KEY_PREFIX=f"fcbench{os.getpid()}",
        VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        MEDIA_ROOT=str(var_dir / "media"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # Keep each worker's PostgreSQL connection (and backend process) for the whole run,
        # so that the backends' CPU can be read; production's 60 s only adds a reconnect a
        # minute per worker.
        DATABASE_CONN_MAX_AGE="3600",
    )
    if cfg.commit:
        env.update(common.snapshot_env(cfg.commit))
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    (var_dir / "media").mkdir(parents=True, exist_ok=True)
    return env


def manage(src: Path, env: dict[str, str], *args: str, timeout: float = 300) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [common.python_executable(), "manage.py", *args],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


def gunicorn_args(cfg: Config, app: str, port: int) -> list[str]:
    return [
        str(common.VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"{loadgen.HOST}:{port}",
        "--workers",
        str(cfg.workers),
        "--worker-class",
        cfg.worker_class,
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--chdir",
        str(cfg.src),
        "--name",
        f"fcbench-{os.getpid()}",  # marks our processes (tests check none is left behind)
    ]


def wait_http(port: int, path: str, item: Managed, timeout: float = 60) -> None:
    request = loadgen.Request("GET", path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if item.proc.poll() is not None:
            raise RuntimeError(f"{item.name} exited: see {item.log_path}")
        with contextlib.suppress(OSError):
            status, _ = loadgen.probe(port, request, timeout=2)
            if status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{item.name} did not answer {path} within {timeout}s: {item.log_path}")


def wait_workers(master: int, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = children(master)
        if len(kids) == count:
            return kids
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn has {len(children(master))} workers, expected {count}")


def wait_log(item: Managed, needle: bytes, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if item.proc.poll() is not None:
            raise RuntimeError(f"{item.name} exited: see {item.log_path}")
        if needle in item.log_path.read_bytes():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{item.name} not ready within {timeout}s: see {item.log_path}")


def backend_cpu(pg_url: str) -> dict[int, float]:
    cpu = {}
    for pid in pg_backend_pids(pg_url):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            cpu[pid] = cpu_seconds(pid)
    return cpu


def pg_backend_pids(pg_url: str) -> list[int]:
    """Server processes of the client connections to the benchmark database (not this one)."""
    import psycopg

    with psycopg.connect(pg_url.replace("postgres://", "postgresql://", 1)) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


def gql(query: str, variables: dict[str, Any]) -> loadgen.Request:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return loadgen.Request(
        "POST",
        "/graphql/",
        body,
        {"Content-Type": "application/json", "Accept": "application/json"},
        check_errors=True,
    )


def probe_json(port: int, request: loadgen.Request) -> tuple[int, Any]:
    status, body = loadgen.probe(port, request)
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"raw": body[:300].decode(errors="replace")}


def graphql_failure(status: int, data: Any) -> str | None:
    if status == 200 and isinstance(data, dict) and not data.get("errors"):
        return None
    errors = data.get("errors") if isinstance(data, dict) else None
    message = errors[0].get("message") if errors else str(data)[:300]
    return f"HTTP {status}: {message}"


@dataclass
class Scenario:
    name: str
    description: str
    request: loadgen.Request | None = None
    note: str = ""


def checked(scenario: Scenario, port: int, request: loadgen.Request) -> Any:
    """Send ``request`` once; keep it for the scenario when it succeeds, else note why not."""
    status, data = probe_json(port, request)
    failure = graphql_failure(status, data)
    if failure:
        scenario.note = f"failed before the run, not measured: {failure}"
        return None
    scenario.request = request
    return data


def app_scenarios(port: int) -> list[Scenario]:
    """The scenarios against the project; catalog ones skipped (with a note) when not ready."""
    live = Scenario("health_live", "GET /health/live (middleware only, no I/O)")
    live.request = loadgen.Request("GET", "/health/live")
    ready = Scenario("health_ready", "GET /health/ready (DB `SELECT 1` + Redis PING)")
    ready.request = loadgen.Request("GET", "/health/ready")
    channel = Scenario("channel", "GraphQL `channel(slug)`")
    checked(channel, port, gql(CHANNEL_QUERY, {"slug": CHANNEL}))
    listing = Scenario("products", "GraphQL `products(first: 20, channel)` listing")
    detail = Scenario("product", "GraphQL `product(slug, channel)` detail")
    scenarios = [live, ready, channel, listing, detail]

    status, schema = probe_json(port, gql(INTROSPECTION_QUERY, {}))
    failure = graphql_failure(status, schema)
    if failure:
        listing.note = detail.note = f"skipped: introspection failed ({failure})"
        return scenarios
    fields = {f["name"] for f in schema["data"]["__schema"]["queryType"]["fields"]}
    if "products" not in fields:
        listing.note = detail.note = (
            "skipped: the schema has no `products` query field yet (catalog not built)"
        )
        return scenarios
    data = checked(listing, port, gql(PRODUCTS_QUERY, {"channel": CHANNEL}))
    edges = ((data or {}).get("data", {}).get("products") or {}).get("edges") or []
    if data is not None:
        listing.note = f"{len(edges)} products on the page"
    if "product" not in fields:
        detail.note = "skipped: the schema has no `product` query field yet"
    elif not edges:
        detail.note = f"skipped: no product listed in `{CHANNEL}` to ask for"
    else:
        slug = edges[0]["node"]["slug"]
        if checked(detail, port, gql(PRODUCT_QUERY, {"slug": slug, "channel": CHANNEL})):
            detail.note = f"slug `{slug}`"
    return scenarios


def measure(
    cfg: Config,
    port: int,
    request: loadgen.Request,
    workers: list[int],
    pg_url: str | None,
) -> dict[str, Any]:
    loadgen.run(cfg.tool, port, request, cfg.concurrency, cfg.warmup, cfg.max_requests)
    pg_before = backend_cpu(pg_url) if pg_url else {}
    rss_before = {pid: rss_mib(pid) for pid in workers}
    cpu_before = {pid: cpu_seconds(pid) for pid in workers}
    result = loadgen.run(cfg.tool, port, request, cfg.concurrency, cfg.seconds, cfg.max_requests)
    cpu_after = {pid: cpu_seconds(pid) for pid in workers}
    rss_after = {pid: rss_mib(pid) for pid in workers}
    pg_after = backend_cpu(pg_url) if pg_url else {}
    requests = max(result.requests, 1)
    server_cpu = sum(cpu_after[pid] - cpu_before[pid] for pid in workers)
    # Backends that appeared during the run count whole; one that ended took its CPU with it.
    pg_cpu = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    return {
        "pg_backends_complete": set(pg_before) <= set(pg_after),
        **result.as_dict(),
        "server_cpu_seconds": server_cpu,
        "server_cpu_ms_per_request": server_cpu * 1000 / requests,
        "pg_cpu_ms_per_request": pg_cpu * 1000 / requests if pg_url else None,
        "loadgen_cpu_ms_per_request": result.loadgen_cpu_seconds * 1000 / requests,
        "rss_mib_before": [round(rss_before[pid], 1) for pid in workers],
        "rss_mib_after": [round(rss_after[pid], 1) for pid in workers],
        "workers_survived": all(Path(f"/proc/{pid}").exists() for pid in workers),
    }


# ---------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Let clean-up finish: SIGINT/SIGTERM/SIGHUP are ignored meanwhile (we are exiting)."""
    previous = {
        sig: signal.signal(sig, signal.SIG_IGN)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def signals_raise(max_seconds: float) -> Iterator[None]:
    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise HarnessTimeout(f"the harness exceeded --max-seconds={max_seconds:.0f}")

    previous = {
        sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    }
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(max(1, int(max_seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(cfg: Config) -> dict[str, Any]:
    started = time.perf_counter()
    run_dir = cfg.json_path.with_name(cfg.json_path.stem + "-logs")  # server logs, var dir
    run_dir.mkdir(parents=True, exist_ok=True)
    pg_url = common.database_url(cfg.db_name)
    redis = common.redis_url(cfg.redis_db)
    procs = Processes(run_dir, cfg.src)
    data: dict[str, Any] = {
        "smoke": cfg.smoke,
        "harness_pid": os.getpid(),
        "scenarios": {},
        "notes": {},
    }
    timings: dict[str, float] = {}
    try:
        with signals_raise(cfg.max_seconds):
            common.ensure_database(pg_url, recreate=not cfg.keep_db)
            env = server_env(cfg, pg_url, redis, run_dir / "var")
            timings["migrate_s"] = manage(cfg.src, env, "migrate", "--noinput", "-v0")
            timings["populatedb_s"] = manage(cfg.src, env, "populatedb", "--allow-production")

            # 1. The bare-Django ceiling; measured before and after the project's scenarios
            #    (an idle sync worker costs nothing), so the drift of the machine shows.
            ceiling_port = free_port()
            ceiling_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.ceiling.settings"}
            ceiling = procs.start(
                "gunicorn-ceiling",
                gunicorn_args(cfg, "bench.ceiling.wsgi:application", ceiling_port),
                ceiling_env,
            )
            wait_http(ceiling_port, "/products/", ceiling)
            ceiling_workers = wait_workers(ceiling.proc.pid, cfg.workers)
            ceiling_request = loadgen.Request("GET", "/products/")
            data["scenarios"]["ceiling"] = {
                "description": "bare Django JSON view, 20 product-like nodes (bench/ceiling)",
                **measure(cfg, ceiling_port, ceiling_request, ceiling_workers, None),
            }

            # 2. The production stack: gunicorn + Celery worker.
            port = free_port()
            t0 = time.perf_counter()
            web = procs.start("gunicorn", gunicorn_args(cfg, "core.wsgi:application", port), env)
            wait_http(port, "/health/ready", web)
            workers = wait_workers(web.proc.pid, cfg.workers)
            timings["gunicorn_ready_s"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            worker = procs.start(
                "celery-worker",
                [
                    str(common.VENV_BIN / "celery"),
                    "-A",
                    "core",
                    "worker",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--hostname",
                    f"bench{os.getpid()}@%h",
                ],
                {**env, "LOG_LEVEL": "INFO"},
            )
            wait_log(worker, b" ready.")
            timings["celery_ready_s"] = time.perf_counter() - t0
            data["rss_mib_idle"] = [round(rss_mib(pid), 1) for pid in workers]

            for scenario in app_scenarios(port):
                if scenario.request is None:
                    data["notes"][scenario.name] = {
                        "description": scenario.description,
                        "note": scenario.note,
                    }
                    continue
                data["scenarios"][scenario.name] = {
                    "description": scenario.description,
                    "note": scenario.note,
                    **measure(cfg, port, scenario.request, workers, pg_url),
                }
            data["checkout"] = checkout_flow.run(
                port,
                CHANNEL,
                10 if cfg.smoke else 200,
                lambda: sum(cpu_seconds(pid) for pid in workers),
            )
            data["scenarios"]["ceiling_again"] = {
                "description": "the ceiling again, after the scenarios above",
                **measure(cfg, ceiling_port, ceiling_request, ceiling_workers, None),
            }
            if any(item.proc.poll() is not None for item in (web, worker, ceiling)):
                raise RuntimeError(f"a server process exited during the run; see {run_dir}")
    finally:
        with signals_deferred():
            procs.stop_all()
            cleanup_redis(redis, f"fcbench{os.getpid()}")
    data["timings"] = {**timings, "total_s": time.perf_counter() - started}
    machine = common.machine_info(pg_url, redis)
    machine["git"] = common.git_info(cfg.commit)
    machine["loadgen"] = loadgen.wrk_version() if cfg.tool == "wrk" else "python (bench/loadgen.py)"
    machine["gunicorn"] = common.run_text([str(common.VENV_BIN / "gunicorn"), "--version"])
    data["machine"] = machine
    data["config"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(cfg).items()}
    return data


def cleanup_redis(url: str, prefix: str) -> None:
    """Delete this run's cache keys (the Redis DB may be shared with other runs)."""
    import redis as redis_lib

    client = redis_lib.Redis.from_url(url, socket_connect_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def report(data: dict[str, Any]) -> str:
    cfg = data["config"]
    scenarios = data["scenarios"]
    ceilings = [scenarios[n] for n in ("ceiling", "ceiling_again") if n in scenarios]
    ceiling_rps = sum(c["rps"] for c in ceilings) / len(ceilings) if ceilings else 0.0
    ceiling_cpu = (
        sum(c["server_cpu_ms_per_request"] for c in ceilings) / len(ceilings) if ceilings else 0.0
    )
    rows = []
    for name, s in scenarios.items():
        cpu = s["server_cpu_ms_per_request"]
        pg = s["pg_cpu_ms_per_request"]
        pg_text = (
            "–"
            if pg is None
            else ("" if s.get("pg_backends_complete", True) else "≥") + (f"{pg:.2f}")
        )
        rss = ", ".join(
            f"{a:.0f}→{b:.0f}" for a, b in zip(s["rss_mib_before"], s["rss_mib_after"], strict=True)
        )
        rows.append(
            [
                f"`{name}`",
                s["description"],
                f"{s['rps']:,.0f}",
                f"{s['rps'] / ceiling_rps:.2f}" if ceiling_rps else "?",
                f"{ceiling_cpu / cpu:.2f}" if cpu else "?",
                f"{s['p50_ms']:.1f}",
                f"{s['p90_ms']:.1f}",
                f"{s['p99_ms']:.1f}",
                f"{s['errors']}" + (f" {s['error_kinds']}" if s["errors"] else ""),
                f"{s['requests']:,}",
                f"{cpu:.2f}",
                pg_text,
                rss,
            ]
        )
    table = common.markdown_table(
        [
            "scenario",
            "what",
            "req/s",
            "req/s ÷ ceiling",
            "ceiling CPU ÷ CPU",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "errors",
            "requests",
            "server CPU ms/req",
            "PG CPU ms/req",
            "worker RSS MiB before→after",
        ],
        rows,
    )
    skipped = [f"- `{name}` ({n['description']}): {n['note']}" for name, n in data["notes"].items()]
    notes = [f"- `{name}`: {s['note']}" for name, s in scenarios.items() if s.get("note")]
    t = data["timings"]
    m = data["machine"]
    return "\n".join(
        [
            "## HTTP load harness (`bench/run`)",
            "",
            *common.machine_lines(m),
            f"- mode: {'smoke' if data['smoke'] else 'full'}; load generator: "
            + (
                f"wrk {version_of(m['loadgen'])} (1 thread)"
                if cfg["tool"] == "wrk"
                else f"{m['loadgen']} ({cfg['concurrency']} threads)"
            )
            + ", "
            f"{cfg['concurrency']} connections, {cfg['warmup']:.0f} s warm-up + "
            f"{cfg['seconds']:.0f} s measured per scenario"
            + (f" (max {cfg['max_requests']:,} requests)" if cfg["tool"] == "python" else ""),
            f"- server: gunicorn {version_of(m['gunicorn'])}, "
            f"`core.wsgi:application`, {cfg['workers']} `{cfg['worker_class']}` workers, "
            "APP_ENV=production (DEBUG off, Redis cache, persistent PostgreSQL connections: "
            "DATABASE_CONN_MAX_AGE=3600 instead of 60 so backends live through a scenario), "
            "idle Celery worker `-A core worker --concurrency 1`, idle ceiling server; "
            "the load generator runs on the same machine",
            f"- setup: migrate {t.get('migrate_s', 0):.1f} s, populatedb "
            f"{t.get('populatedb_s', 0):.1f} s, gunicorn ready "
            f"{t.get('gunicorn_ready_s', 0):.1f} s, Celery ready "
            f"{t.get('celery_ready_s', 0):.1f} s; whole run {t['total_s']:.0f} s; "
            f"idle worker RSS {', '.join(f'{x:.0f}' for x in data.get('rss_mib_idle', []))} MiB",
            "",
            table,
            "",
            "req/s ÷ ceiling: throughput relative to the mean of the two ceiling runs; "
            "ceiling CPU ÷ CPU: the same by gunicorn-worker CPU per request, which other load "
            "on the machine disturbs less. PG CPU: the PostgreSQL backends serving the "
            "workers (≥ when a backend ended during the run).",
            "",
            *(["Skipped scenarios:", "", *skipped, ""] if skipped else []),
            *(["Notes:", "", *notes, ""] if notes else []),
            *(checkout_flow.report(data["checkout"]) if "checkout" in data else []),
        ]
    )


def version_of(text: str) -> str:
    found = re.search(r"\d+(\.\d+)+", text or "")
    return found.group(0) if found else "?"


def parse_args(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds per scenario")
    parser.add_argument("--seconds", type=float, help="measured seconds per scenario")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=4, help="connections (default 4)")
    parser.add_argument("--max-requests", type=int, help="request cap (python generator)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument(
        "--loadgen", choices=("auto", "wrk", "python"), default="auto", help="auto: wrk if found"
    )
    parser.add_argument("--db-name", default=DB_NAME, help="database (default %(default)s)")
    parser.add_argument("--redis-db", type=int, help=f"Redis DB number (default {REDIS_DB})")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database as it is")
    parser.add_argument("--max-seconds", type=float, help="hard limit for the whole run")
    parser.add_argument(
        "--commit",
        help="run the servers from a `git archive` snapshot of this commit (e.g. HEAD) instead "
        "of the working tree, which others may be editing",
    )
    parser.add_argument("--json", type=Path, help="where to write the raw numbers")
    parser.add_argument("--no-results", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)
    tool = args.loadgen
    if tool == "auto":
        tool = "wrk" if loadgen.wrk_path() else "python"
    elif tool == "wrk" and not loadgen.wrk_path():
        parser.error("wrk is not installed (apt-get install wrk), use --loadgen python")
    smoke = args.smoke
    commit = common.snapshot(args.commit) if args.commit else None
    default_out = common.OUT_DIR / ("http-smoke.json" if smoke else "http.json")
    return Config(
        smoke=smoke,
        seconds=args.seconds or (2.0 if smoke else 20.0),
        warmup=args.warmup or (1.0 if smoke else 5.0),
        concurrency=args.concurrency,
        max_requests=args.max_requests or (5_000 if smoke else 200_000),
        workers=args.workers,
        worker_class=args.worker_class,
        tool=tool,
        db_name=args.db_name,
        redis_db=args.redis_db if args.redis_db is not None else common.pick_redis_db(REDIS_DB),
        keep_db=args.keep_db,
        src=common.OUT_DIR / f"src-{commit[:12]}" if commit else common.ROOT,
        commit=commit,
        max_seconds=args.max_seconds or (120.0 if smoke else 900.0),
        results=None if (smoke or args.no_results) else common.RESULTS_MD,
        json_path=args.json or default_out,
    )


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    with common.exclusive_database(cfg.db_name):
        data = run(cfg)
    text = report(data)
    print(text)
    common.write_json(cfg.json_path, data)
    md = cfg.json_path.with_suffix(".md")
    md.write_text(text + "\n")
    if cfg.results is not None:
        common.write_section("http", text, cfg.results)
        print(f"\nupdated {cfg.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
