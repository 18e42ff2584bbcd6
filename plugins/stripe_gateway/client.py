"""A ``stripe.StripeClient`` per request (each channel may use its own Stripe account).

Timeouts come from the HTTP client; retries from the Stripe library, which retries only
what is safe: network errors, 409 and 5xx, and every POST carries an
``Idempotency-Key`` (ours where we pass one, so a retry after a lost answer, even a
later retry by staff, cannot charge, capture or refund twice).

Operator settings, read from Django settings, else the environment variable of the same
name: ``STRIPE_API_BASE`` (tests point it at a local fake), ``STRIPE_TIMEOUT`` (seconds,
default 30), ``STRIPE_MAX_NETWORK_RETRIES`` (default 2),
``STRIPE_WEBHOOK_TOLERANCE_SECONDS`` (default 300).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import stripe
from django.conf import settings

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2

R = TypeVar("R")


def setting(name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value is None or value == "" else value


class StripeUnavailable(Exception):
    """Stripe could not be reached, or answered with a server error or rate limit."""


class StripeRefused(Exception):
    """Stripe answered and refused (invalid request, declined card, bad key)."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


_SECRETS = re.compile(r"(_secret_|\b(?:sk|rk)_(?:test|live)_|\bwhsec_)[A-Za-z0-9]+")


class RedactSecrets(logging.Filter):
    """The ``stripe`` library logs request and response bodies at DEBUG: PaymentIntents
    carry a client secret (enough to confirm the payment). Mask it, and any key, before
    a record leaves the ``stripe`` logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRETS.sub(lambda m: m.group(1) + "****", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction() -> None:
    target = logging.getLogger("stripe")
    if not any(isinstance(f, RedactSecrets) for f in target.filters):
        target.addFilter(RedactSecrets())


_lock = threading.Lock()
_http_clients: dict[float, stripe.RequestsClient] = {}


def _http_client() -> stripe.RequestsClient:
    """One HTTP client per timeout value (it keeps a session per thread)."""
    timeout = float(setting("STRIPE_TIMEOUT", DEFAULT_TIMEOUT))
    with _lock:
        found = _http_clients.get(timeout)
        if found is None:
            found = _http_clients[timeout] = stripe.RequestsClient(timeout=timeout)
        return found


def make_client(secret_key: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": str(setting("STRIPE_API_BASE", stripe.DEFAULT_API_BASE))},
        max_network_retries=int(setting("STRIPE_MAX_NETWORK_RETRIES", DEFAULT_RETRIES)),
        http_client=_http_client(),
    )


def call(function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Run one Stripe call and translate its errors to ours (messages without keys)."""
    try:
        return function(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise StripeUnavailable(type(exc).__name__) from None
    except stripe.APIError as exc:  # 5xx after the library's retries
        raise StripeUnavailable(f"HTTP {exc.http_status}") from None
    except (stripe.AuthenticationError, stripe.PermissionError) as exc:
        raise StripeRefused(
            "Stripe rejected the API key configured for this channel.", code="AUTHENTICATION"
        ) from exc
    except stripe.CardError as exc:
        raise StripeRefused(exc.user_message or "The card was declined.", code="DECLINED") from exc
    except stripe.StripeError as exc:
        raise StripeRefused(exc.user_message or "Stripe refused the request.") from exc


def as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return value.to_dict() if hasattr(value, "to_dict") else dict(value)
