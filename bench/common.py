"""Shared helpers of the benchmarks: connection strings, databases, machine notes, RESULTS.md.

Importable without Django configured. Connection strings are derived from the
``DATABASE_URL`` / ``REDIS_URL`` of the environment (CI provides them), so the
benchmarks reach the same servers with their own database name and Redis DB
number; without them the local development servers are used.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
OUT_DIR = BENCH_DIR / "out"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
VENV_BIN = Path(os.environ.get("BENCH_VENV_BIN", ROOT / ".venv" / "bin"))
PYTHON = VENV_BIN / "python"

DEFAULT_DATABASE_URL = "postgres://fashionistar:fashionistar@127.0.0.1:5432/fashionistar"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
LOADAVG_AT_START = Path("/proc/loadavg").read_text().split()[:3]
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def base_database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        raise RuntimeError(f"the benchmarks need PostgreSQL; DATABASE_URL is {url.split(':')[0]}")
    return url


def database_url(name: str, base: str | None = None) -> str:
    """``base`` (default: the environment's DATABASE_URL) with its database name replaced."""
    if not _DB_NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    parts = urlsplit(base or base_database_url())
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def redis_url(db: int, base: str | None = None) -> str:
    """``base`` (default: the environment's REDIS_URL) pointing at Redis DB number ``db``.

    Refuses the DB number the environment's own REDIS_URL uses, so a benchmark
    started from the test suite never flushes the suite's cache or broker.
    """
    env_url = os.environ.get("REDIS_URL") or ""
    parts = urlsplit(base or env_url or DEFAULT_REDIS_URL)
    if env_url:
        own = urlsplit(env_url).path.strip("/") or "0"
        if own == str(db):
            raise ValueError(f"Redis DB {db} is the one REDIS_URL uses; pick another")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def pick_redis_db(preferred: int) -> int:
    """``preferred``, or the next number if the environment's REDIS_URL already uses it."""
    env_url = os.environ.get("REDIS_URL") or ""
    own = (urlsplit(env_url).path.strip("/") or "0") if env_url else None
    return preferred + 1 if own == str(preferred) else preferred


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def ensure_database(url: str, *, recreate: bool = False) -> None:
    """Create the database of ``url`` (owned by its role) unless it exists; or drop and recreate.

    Connects to the environment's own database to issue the DDL (the role has CREATEDB).
    """
    name = urlsplit(url).path.lstrip("/")
    maintenance = base_database_url()
    if urlsplit(maintenance).path.lstrip("/") == name:
        raise ValueError("refusing to manage the environment's own database")
    with psycopg.connect(_conninfo(maintenance), autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and recreate:
            # FORCE ends leftover sessions on this benchmark-only database (ours).
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class BenchmarkBusy(RuntimeError):
    pass


@contextlib.contextmanager
def exclusive_database(name: str) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock named after the benchmark database for the whole run.

    Two runs on the same database would drop it under each other; the second one
    stops at once instead. The lock goes with the connection, even if we are killed.
    """
    conn = psycopg.connect(_conninfo(base_database_url()), autocommit=True, connect_timeout=5)
    try:
        row = conn.execute(
            "SELECT pg_try_advisory_lock(hashtext(%s))", (f"fashionistar-bench:{name}",)
        ).fetchone()
        if not row or not row[0]:
            raise BenchmarkBusy(
                f"another benchmark run is using the database {name!r}: wait for it to finish "
                "or choose another one with --db-name (and --redis-db)"
            )
        yield
    finally:
        conn.close()


def pg_scalar(url: str, query: str) -> Any:
    with psycopg.connect(_conninfo(url), autocommit=True, connect_timeout=5) as conn:
        row = conn.execute(query).fetchone()
    return row[0] if row else None


def run_text(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip()


def git_info(snapshot_commit: str | None = None) -> dict[str, Any]:
    """HEAD and whether the tree has uncommitted changes; or the commit a snapshot run used."""
    snapshot_commit = snapshot_commit or os.environ.get("BENCH_SNAPSHOT_COMMIT")
    if snapshot_commit:
        subject = run_text(["git", "-C", str(ROOT), "log", "-1", "--format=%s", snapshot_commit])
        return {
            "commit": snapshot_commit[:12],
            "subject": f"{subject}; ran from a `git archive` snapshot of this commit",
            "uncommitted_outside_bench": 0,
        }
    commit = run_text(["git", "-C", str(ROOT), "rev-parse", "--short=12", "HEAD"])
    subject = run_text(["git", "-C", str(ROOT), "log", "-1", "--format=%s"])
    status = run_text(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    outside = [path for path in changed if not path.startswith(("bench/", "tests/bench/"))]
    return {"commit": commit, "subject": subject, "uncommitted_outside_bench": len(outside)}


def _meminfo_mib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_info(pg_url: str | None = None, redis: str | None = None) -> dict[str, Any]:
    import django

    info: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_mib": _meminfo_mib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "loadavg_before": LOADAVG_AT_START,
        "loadavg_after": Path("/proc/loadavg").read_text().split()[:3],
    }
    if pg_url:
        info["postgresql"] = pg_scalar(pg_url, "SHOW server_version")
        info["pg_synchronous_commit"] = pg_scalar(pg_url, "SHOW synchronous_commit")
        with psycopg.connect(_conninfo(pg_url), autocommit=True, connect_timeout=5) as conn:
            info["rtt_pg_us"] = _round_trip_us(lambda: conn.execute("SELECT 1").fetchone())
    if redis:
        import redis as redis_lib

        client = redis_lib.Redis.from_url(redis, socket_connect_timeout=2)
        try:
            info["redis"] = client.info("server").get("redis_version")
            info["rtt_redis_us"] = _round_trip_us(client.ping)
        finally:
            client.close()
    return info


def _round_trip_us(fn: Callable[[], Any], count: int = 300) -> float:
    """Median wall time of one loopback round trip, in microseconds."""
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def machine_lines(info: Mapping[str, Any]) -> list[str]:
    lines = [
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_mib']} MiB RAM, "
        f"Linux {info['kernel']}",
        f"- Python {info['python']}, Django {info['django']}; load average (1/5/15 min) "
        f"before the run {' '.join(info['loadavg_before'])}, after "
        f"{' '.join(info['loadavg_after'])} (other work on the machine adds noise)",
    ]
    if "postgresql" in info:
        lines.append(
            f"- PostgreSQL {info['postgresql']} (synchronous_commit="
            f"{info['pg_synchronous_commit']} for the role), Redis {info.get('redis', '?')}; "
            f"loopback round trip: PostgreSQL `SELECT 1` {info['rtt_pg_us']:.0f} µs, "
            f"Redis PING {info.get('rtt_redis_us', 0):.0f} µs (median)"
        )
    git = info.get("git") or git_info()
    dirty = git["uncommitted_outside_bench"]
    lines.append(
        f"- git commit {git['commit']} ({git['subject']})"
        + (f"; {dirty} uncommitted file(s) outside bench/ in the tree" if dirty else "")
    )
    return lines


def write_section(name: str, body: str, path: Path = RESULTS_MD) -> None:
    """Replace the ``name`` section of RESULTS.md (between markers), keeping the rest."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def python_executable() -> str:
    return str(PYTHON) if PYTHON.exists() else sys.executable


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(out)


# -------------------------------------------------------------------------------------------
# Snapshots: run a committed tree while others edit the working tree
# -------------------------------------------------------------------------------------------


def snapshot(rev: str) -> str:
    """Extract ``rev`` (``git archive``, the repository is not changed) under bench/out/."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dest = OUT_DIR / f"src-{commit[:12]}"
    if not dest.exists():
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", commit],
            capture_output=True,
            check=True,
        )
        partial = dest.with_name(f"{dest.name}.partial-{os.getpid()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(partial, filter="data")
        try:
            partial.rename(dest)
        except OSError:
            if not dest.exists():
                raise
            shutil.rmtree(partial)  # another run extracted the same commit meanwhile
    return commit


SITECUSTOMIZE = """\
# Written by bench/common.py: point the editable installs at the snapshot {src}
# instead of the working tree {root}, so no uncommitted module leaks into the run.
import sys

for _finder in list(sys.meta_path):
    _module = sys.modules.get(getattr(_finder, "__module__", ""))
    _mapping = getattr(_module, "MAPPING", None)
    if getattr(_module, "__name__", "").startswith("__editable__") and _mapping:
        for _name, _path in list(_mapping.items()):
            if _path.startswith({root!r} + "/"):
                _mapping[_name] = {src!r} + _path[len({root!r}) :]
"""


def snapshot_boot_dir(src: Path) -> Path:
    """A directory with a ``sitecustomize`` that redirects editable installs to ``src``."""
    boot = src.with_name(src.name + "-boot")  # outside ``src``: not itself a package dir
    boot.mkdir(parents=True, exist_ok=True)
    (boot / "sitecustomize.py").write_text(SITECUSTOMIZE.format(src=str(src), root=str(ROOT)))
    return boot


def snapshot_env(commit: str) -> dict[str, str]:
    """Environment that makes Python import the snapshot of ``commit`` (see ``snapshot``)."""
    src = OUT_DIR / f"src-{commit[:12]}"
    boot = snapshot_boot_dir(src)
    path = os.pathsep.join(filter(None, [str(boot), str(src), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "BENCH_SNAPSHOT_COMMIT": commit}
