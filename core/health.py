"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging
from functools import cache

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database(alias: str = "default") -> str | None:
    """Return None when the database answers, else a short reason."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("readiness: database %s unreachable: %s", alias, exc)
        connections[alias].close()
        return type(exc).__name__
    return None


@cache
def _redis_client(url: str) -> redis.Redis:
    """One pooled client per process: a probe must not open a connection each time."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def check_redis(url: str) -> str | None:
    try:
        _redis_client(url).ping()
    except redis.RedisError as exc:
        logger.warning("readiness: redis unreachable: %s", exc)
        return type(exc).__name__
    return None


@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    failing: dict[str, str] = {}
    if reason := check_database():
        failing["database"] = reason
    needs_redis = settings.PRODUCTION or bool(settings.REDIS_URL)
    if needs_redis and (reason := check_redis(settings.REDIS_URL)):
        failing["redis"] = reason
    if failing:
        return JsonResponse(
            {"status": "unavailable", "failing": sorted(failing), "details": failing}, status=503
        )
    return JsonResponse({"status": "ok"})
