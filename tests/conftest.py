"""Shared fixtures. Everything runs against the real database and cache of the run:
PostgreSQL and Redis in CI, SQLite and local memory in the embedded smoke pass."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process() -> None:
    """Tasks run eagerly in tests; the broker tests switch to a real Redis worker."""
    from core.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Key stretching is the point in production and only slows tests down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_plugin_state() -> Iterator[None]:
    """Configuration snapshots and the cache must not leak between tests."""
    from core.plugins.manager import get_manager

    yield
    get_manager().configs.reset()
    cache.clear()


@pytest.fixture
def channel(db: Any) -> Any:
    from core.models import Channel

    return Channel.objects.create(
        name="Nigeria", slug="default-channel", currency_code="NGN", default_country="NG"
    )


@pytest.fixture
def channel_usd(db: Any) -> Any:
    from core.models import Channel

    return Channel.objects.create(
        name="International", slug="channel-usd", currency_code="USD", default_country="US"
    )


@pytest.fixture
def staff_user(db: Any) -> Any:
    from account.models import User

    return User.objects.create_user(email="staff@example.com", password="x", is_staff=True)


def grant(user: Any, *perms: str) -> Any:
    from django.contrib.auth.models import Permission

    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return type(user).objects.get(pk=user.pk)


class GraphQLClient:
    def __init__(self, client: Client) -> None:
        self.client = client

    def raw(self, body: Any, **headers: str) -> Any:
        return self.client.post(
            "/graphql/", json.dumps(body), content_type="application/json", **headers
        )

    def __call__(self, query: str, variables: dict | None = None, **headers: str) -> dict:
        response = self.raw({"query": query, "variables": variables or {}}, **headers)
        assert response["Content-Type"] == "application/json"
        return response.json()


@pytest.fixture
def gql() -> GraphQLClient:
    return GraphQLClient(Client())


@pytest.fixture
def staff_gql(staff_user: Any) -> Any:
    def make(*perms: str) -> GraphQLClient:
        user = grant(staff_user, *perms)
        client = Client()
        client.force_login(user)
        return GraphQLClient(client)

    return make


_SPANS = None


@pytest.fixture
def span_exporter() -> Iterator[Any]:
    """Spans recorded in memory by the real SDK (one global provider per process)."""
    global _SPANS
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    if _SPANS is None:
        provider = trace.get_tracer_provider()
        if not isinstance(provider, TracerProvider):
            provider = TracerProvider()
            trace.set_tracer_provider(provider)
        _SPANS = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_SPANS))
    _SPANS.clear()
    yield _SPANS
    _SPANS.clear()
