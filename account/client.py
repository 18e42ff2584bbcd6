"""Who is on the other end of a request: client IP and user agent."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address.

    ``X-Forwarded-For`` is trusted only as far as ``TRUSTED_PROXY_COUNT`` proxies
    we run append to it: the address that many entries from the right is the one
    our outermost proxy saw. With no trusted proxy the socket address is used, so
    a client cannot pick its own IP (and dodge a rate limit) with a header.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            found = _valid_ip(hops[-count])
            if found:
                return found
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def user_agent(request: HttpRequest) -> str:
    return request.headers.get("User-Agent", "")[:512]
