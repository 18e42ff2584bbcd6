"""Where webhooks may point: http(s) only, and never into our own network (SSRF).

Checked when a webhook is saved, before every request, and once more when the socket
is opened: ``pinned_session()`` resolves the host, checks every address and connects
to a checked one in the same step, so a name re-pointed at an internal address
between the check and the connection (DNS rebinding) is refused too. TLS still
verifies the certificate against the host name. ``settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS``
lifts the address check (development, tests with a receiver on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

from core.errors import DomainError


class UnsafeTarget(DomainError):
    default_code = "INVALID_URL"


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"The host '{host}' does not resolve.", field="targetUrl") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def check_target(url: str) -> None:
    """Raise UnsafeTarget unless ``url`` is an http(s) URL to a public address (or allowed)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsafeTarget("Enter a valid URL.", field="targetUrl") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("Only http and https URLs with a host are allowed.", field="targetUrl")
    if parts.username or parts.password:
        raise UnsafeTarget("Credentials in the URL are not allowed.", field="targetUrl")
    if settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        return
    for address in _addresses(parts.hostname):
        if not is_public(address):
            raise UnsafeTarget(
                f"'{parts.hostname}' resolves to a private, loopback or link-local address.",
                field="targetUrl",
            )


def checked_address(host: str) -> str:
    """Resolve ``host`` once; refuse it if any address is not public; return one to use."""
    addresses = _addresses(host)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not is_public(address):
                raise UnsafeTarget(
                    f"'{host}' resolves to a private, loopback or link-local address.",
                    field="targetUrl",
                )
    return str(addresses[0])


class _PinnedConnectionMixin:
    """Open the socket to the address ``checked_address`` approved, not to a fresh lookup."""

    def _new_conn(self: Any) -> socket.socket:
        address = checked_address(self._dns_host)
        try:
            return connection.create_connection(
                (address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc


class _PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


class _PinnedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _PinnedHTTPConnection


class _PinnedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _PinnedHTTPSConnection


class _PinnedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _PinnedHTTPConnectionPool,
            "https": _PinnedHTTPSConnectionPool,
        }


def pinned_session() -> requests.Session:
    """A requests session whose connections go only to checked addresses, never via proxies."""
    session = requests.Session()
    session.trust_env = False
    adapter = _PinnedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
