"""Fixed-window rate limits counted in Django's cache (Redis in production, memory embedded).

A limit is ``"<count>/<seconds>"`` from settings. ``check`` refuses when the
window's count is already reached; ``hit`` counts one event. Keys are hashed so
an email address never appears in the cache. django-ratelimit was considered:
it decorates views, while here one GraphQL endpoint carries many operations
and the account key is only known inside the mutation.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.errors import DomainError


class RateLimited(DomainError):
    default_code = "RATE_LIMITED"

    def __init__(self, retry_after: int, *, code: str | None = None, field: str | None = None):
        super().__init__(
            f"Too many attempts. Try again in {retry_after} seconds.",
            code=code,
            field=field,
            extra={"retry_after": retry_after},
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    count: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, period = text.partition("/")
        return cls(int(count), int(period))


@dataclass(frozen=True)
class Limit:
    """A limit on one scope (e.g. ``login-ip``) read from the setting ``setting``."""

    scope: str
    setting: str

    @property
    def rate(self) -> Rate:
        return Rate.parse(getattr(settings, self.setting))

    def _window(self, key: str) -> tuple[str, float]:
        rate = self.rate
        now = time.time()
        window = int(now // rate.period)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        retry_at = (window + 1) * rate.period
        return f"ratelimit:{self.scope}:{digest}:{window}", retry_at - now

    def count(self, key: str) -> int:
        return int(cache.get(self._window(key)[0], 0))

    def check(self, key: str, *, code: str | None = None, field: str | None = None) -> None:
        """Raise RateLimited when ``key`` used up this window."""
        cache_key, remaining = self._window(key)
        if int(cache.get(cache_key, 0)) >= self.rate.count:
            raise RateLimited(max(1, math.ceil(remaining)), code=code, field=field)

    def hit(self, key: str) -> int:
        """Count one event for ``key``; returns the count in this window."""
        cache_key, _ = self._window(key)
        cache.add(cache_key, 0, timeout=self.rate.period + 1)
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=self.rate.period + 1)
            return 1

    def clear(self, key: str) -> None:
        cache.delete(self._window(key)[0])


LOGIN_ACCOUNT = Limit("login-account", "RATELIMIT_LOGIN_ACCOUNT")
LOGIN_IP = Limit("login-ip", "RATELIMIT_LOGIN_IP")
RESET_ACCOUNT = Limit("reset-account", "RATELIMIT_PASSWORD_RESET_ACCOUNT")
RESET_IP = Limit("reset-ip", "RATELIMIT_PASSWORD_RESET_IP")
