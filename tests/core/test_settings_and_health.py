from __future__ import annotations

import json
import socket

import pytest

from tests.core.subprocess_env import run_django

STRONG_KEY = "k" * 50
FERNET_KEY = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE="

PRODUCTION = {
    "APP_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "PLUGIN_SECRET_KEYS": FERNET_KEY,
}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is required"),
        ({"REDIS_URL": ""}, "REDIS_URL is required"),
        ({"PLUGIN_SECRET_KEYS": ""}, "PLUGIN_SECRET_KEYS is required"),
    ],
)
def test_production_mode_refuses_unsafe_settings(override, message):
    env = {**PRODUCTION, **override}
    if override.get("SECRET_KEY") == "":
        env.pop("SECRET_KEY")
    result = run_django("print('started')", env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert message in result.stderr


def test_production_mode_starts_with_safe_settings():
    result = run_django(
        "from django.conf import settings; print(settings.PRODUCTION, settings.DEBUG)", PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True False"


def test_embedded_mode_defaults_to_sqlite_and_in_process_tasks(tmp_path):
    result = run_django(
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, "
        "settings.CACHES['default']['BACKEND'])",
        {"VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    engine, eager, cache = result.stdout.split()
    assert engine.endswith("sqlite3") and eager == "True" and cache.endswith("LocMemCache")


def test_invalid_boolean_is_reported_by_name(tmp_path):
    result = run_django("", {"VAR_DIR": str(tmp_path), "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
@pytest.mark.embedded
def test_live_answers_without_touching_anything(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.embedded
def test_ready_when_database_and_redis_answer(client):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}


READY_PROBE = (
    "from django.test import Client\n"
    "import json\n"
    "r = Client().get('/health/ready')\n"
    "print(json.dumps({'status': r.status_code, 'body': r.json()}))\n"
)


def test_ready_is_503_naming_the_database_when_it_is_down(tmp_path):
    env = {"VAR_DIR": str(tmp_path), "DATABASE_URL": f"postgres://u:p@127.0.0.1:{closed_port()}/db"}
    result = run_django(READY_PROBE, env)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["failing"] == ["database"]


def test_ready_is_503_naming_redis_in_production_mode_when_it_is_down(tmp_path):
    import os

    env = {
        **PRODUCTION,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path}/db.sqlite3"),
        "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
        "ALLOWED_HOSTS": "testserver",
    }
    result = run_django(READY_PROBE, env)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["failing"] == ["redis"]


def test_demo_data_is_refused_in_production_mode():
    result = run_django(
        "from django.core.management import call_command\ncall_command('populatedb')", PRODUCTION
    )
    assert result.returncode != 0
    assert "Refusing to load demo data in production mode" in result.stderr
