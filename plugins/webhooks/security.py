"""Where webhooks may point: http(s) only, and never into our own network (SSRF).

Checked when a webhook is saved and again before every request, on every address
the host name resolves to (a name may be re-pointed at an internal address after
it was saved). ``settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS`` lifts the address check
(development, tests with a receiver on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

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
