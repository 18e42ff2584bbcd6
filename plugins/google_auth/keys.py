"""Google's published signing keys (a JWKS document), fetched with requests and cached.

Keys are kept for the ``max-age`` Google sends (an hour when it sends none). A
token signed with a key we do not know triggers one early refetch (Google
rotates keys), at most once every ``REFETCH_INTERVAL`` seconds per URL, so
garbage tokens cannot make us hammer the endpoint.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import jwt
import requests

from core.errors import PluginVeto

DEFAULT_MAX_AGE = 3600.0
REFETCH_INTERVAL = 60.0
TIMEOUT = 5.0


@dataclass
class _Entry:
    keys: dict[str, jwt.PyJWK]
    expires_at: float
    fetched_at: float


_cache: dict[str, _Entry] = {}
_lock = threading.Lock()


def _max_age(cache_control: str) -> float:
    match = re.search(r"max-age=(\d+)", cache_control or "")
    return float(match.group(1)) if match else DEFAULT_MAX_AGE


def _fetch(url: str) -> _Entry:
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        key_set = jwt.PyJWKSet.from_dict(response.json())
    except (requests.RequestException, ValueError, jwt.PyJWTError) as exc:
        raise PluginVeto(
            "Google's signing keys cannot be fetched right now. Try again later.",
            code="PROVIDER_UNAVAILABLE",
        ) from exc
    now = time.monotonic()
    keys = {key.key_id: key for key in key_set.keys if key.key_id}
    return _Entry(keys, now + _max_age(response.headers.get("Cache-Control", "")), now)


def signing_key(url: str, kid: str) -> jwt.PyJWK | None:
    """The key ``kid`` from the JWKS at ``url``, or None when Google does not publish it."""
    with _lock:
        entry = _cache.get(url)
        now = time.monotonic()
        stale = entry is None or entry.expires_at <= now
        unknown = entry is not None and kid not in entry.keys
        if stale or (unknown and now - entry.fetched_at >= REFETCH_INTERVAL):
            entry = _fetch(url)
            _cache[url] = entry
        return entry.keys.get(kid)


def forget() -> None:
    with _lock:
        _cache.clear()
