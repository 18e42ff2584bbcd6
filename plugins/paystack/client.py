"""Paystack's REST API over ``requests`` (Paystack publishes no Python SDK).

Every call has a connect and a read timeout. Retries are limited to what cannot move
money twice: a request that never reached Paystack (connection refused or connect
timeout) is retried for any method, and reads (GET: verify, fetch refund) are also
retried after a read timeout or a 5xx. A POST that reached Paystack is never retried:
Paystack has no idempotency keys, so a second refund request could refund twice.

Errors are typed: :class:`PaystackUnavailable` (timeout, network, 5xx, unreadable
answer: try again later) and :class:`PaystackError` (Paystack answered and refused).
Neither message ever contains the secret key, which only travels in the
``Authorization`` header.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from plugins.paystack.conf import setting, timeout

DEFAULT_API_BASE = "https://api.paystack.co"
#: (connect, read) seconds; override with PAYSTACK_TIMEOUT (plugins/paystack/conf.py).
DEFAULT_TIMEOUT = (5.0, 30.0)
DEFAULT_RETRIES = 2


class PaystackError(Exception):
    """Paystack answered and refused (``status: false`` or a 4xx)."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


class PaystackUnavailable(PaystackError):
    """Paystack could not be reached or did not answer usefully; nothing is known to
    have happened there."""


def api_base() -> str:
    return str(setting("PAYSTACK_API_BASE", DEFAULT_API_BASE)).rstrip("/")


def _timeout() -> tuple[float, float]:
    return timeout("PAYSTACK_TIMEOUT", DEFAULT_TIMEOUT)


def _retry() -> Retry:
    retries = int(setting("PAYSTACK_MAX_RETRIES", DEFAULT_RETRIES))
    return Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        # Read errors and 5xx answers are retried for these methods only.
        allowed_methods=frozenset({"GET"}),
        status_forcelist=(500, 502, 503, 504),
        backoff_factor=0.2,
        raise_on_status=False,
    )


class PaystackClient:
    """One merchant's Paystack account (its secret key)."""

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise PaystackError("Paystack is not configured (no secret key).")
        self._secret_key = secret_key

    def __repr__(self) -> str:  # never show the key, even in a debugger or a traceback
        return "PaystackClient(secret_key=****)"

    # -- transactions -------------------------------------------------------------------

    def initialize(
        self,
        *,
        email: str,
        amount: int,
        currency: str,
        reference: str,
        callback_url: str | None,
        metadata: dict[str, Any],
    ) -> dict[str, Any]:
        """``POST /transaction/initialize``: authorization_url, access_code, reference."""
        body: dict[str, Any] = {
            "email": email,
            "amount": amount,
            "currency": currency,
            "reference": reference,
            "metadata": json.dumps(metadata),
        }
        if callback_url:
            body["callback_url"] = callback_url
        return self._request("POST", "/transaction/initialize", body)

    def verify(self, reference: str) -> dict[str, Any]:
        """``GET /transaction/verify/:reference``: the transaction as Paystack knows it."""
        return self._request("GET", f"/transaction/verify/{quote(reference, safe='')}")

    # -- card preauthorization (hold now, capture later; South African merchants, ZAR) --

    def preauthorize(
        self,
        *,
        email: str,
        amount: int,
        currency: str,
        reference: str,
        callback_url: str | None,
        metadata: dict[str, Any],
    ) -> dict[str, Any]:
        """``POST /preauthorization/initialize``: same answer shape as ``initialize``."""
        body: dict[str, Any] = {
            "email": email,
            "amount": amount,
            "currency": currency,
            "reference": reference,
            "metadata": json.dumps(metadata),
        }
        if callback_url:
            body["callback_url"] = callback_url
        return self._request("POST", "/preauthorization/initialize", body)

    def verify_preauthorization(self, reference: str) -> dict[str, Any]:
        return self._request("GET", f"/preauthorization/verify/{quote(reference, safe='')}")

    def capture_preauthorization(
        self, *, reference: str, currency: str, amount: int
    ) -> dict[str, Any]:
        body = {"reference": reference, "currency": currency, "amount": amount}
        return self._request("POST", "/preauthorization/capture", body)

    def release_preauthorization(self, reference: str) -> dict[str, Any]:
        return self._request("POST", "/preauthorization/release", {"reference": reference})

    # -- refunds ------------------------------------------------------------------------

    def refund(
        self, *, reference: str, amount: int, currency: str, merchant_note: str = ""
    ) -> dict[str, Any]:
        """``POST /refund`` (full or partial): the refund, usually ``status: pending``."""
        body: dict[str, Any] = {"transaction": reference, "amount": amount, "currency": currency}
        if merchant_note:
            body["merchant_note"] = merchant_note
        return self._request("POST", "/refund", body)

    def fetch_refund(self, refund_id: str) -> dict[str, Any]:
        return self._request("GET", f"/refund/{quote(str(refund_id), safe='')}")

    # -- transport ----------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict:
        headers = {
            "Authorization": f"Bearer {self._secret_key}",
            "Accept": "application/json",
            "User-Agent": "fashionistar-paystack/1.0",
        }
        with requests.Session() as session:
            session.mount("https://", HTTPAdapter(max_retries=_retry()))
            session.mount("http://", HTTPAdapter(max_retries=_retry()))
            try:
                response = session.request(
                    method, api_base() + path, json=body, headers=headers, timeout=_timeout()
                )
            except requests.Timeout:
                raise PaystackUnavailable("Paystack did not answer in time.") from None
            except requests.RequestException as exc:
                raise PaystackUnavailable(
                    f"Paystack cannot be reached ({type(exc).__name__})."
                ) from None
        if response.status_code >= 500:
            raise PaystackUnavailable(
                f"Paystack is having trouble (HTTP {response.status_code}).",
                http_status=response.status_code,
            )
        try:
            answer = response.json()
        except ValueError:
            raise PaystackUnavailable(
                f"Paystack sent an unreadable answer (HTTP {response.status_code}).",
                http_status=response.status_code,
            ) from None
        if not isinstance(answer, dict) or not response.ok or answer.get("status") is not True:
            message = answer.get("message") if isinstance(answer, dict) else None
            raise PaystackError(
                str(message or f"Paystack refused the request (HTTP {response.status_code})."),
                http_status=response.status_code,
            )
        data = answer.get("data")
        return data if isinstance(data, dict) else {}
