"""Operator settings of the Paystack plugin (not per channel; see docs/payments.md).

Each is read from Django settings, else from the environment variable of the same name,
else its default: ``PAYSTACK_API_BASE``, ``PAYSTACK_TIMEOUT`` (seconds, or
"connect,read"), ``PAYSTACK_MAX_RETRIES``, ``PAYSTACK_RECONCILE_INTERVAL_SECONDS``,
``PAYSTACK_RECONCILE_MIN_AGE_SECONDS``, ``PAYSTACK_RECONCILE_MAX_AGE_SECONDS``,
``PAYSTACK_ABANDON_AFTER_SECONDS``.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def setting(name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value is None or value == "" else value


def seconds(name: str, default: float) -> float:
    return float(setting(name, default))


def timeout(name: str, default: tuple[float, float]) -> tuple[float, float]:
    """(connect, read) from a number, a pair, or a "connect,read" string."""
    value = setting(name, default)
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if isinstance(value, int | float):
        return (float(value), float(value))
    if len(value) == 1:
        return (float(value[0]), float(value[0]))
    return (float(value[0]), float(value[1]))
