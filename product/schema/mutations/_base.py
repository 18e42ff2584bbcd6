"""Helpers shared by the staff mutations."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError
from product.schema.common import decode_id

MAX_IMAGE_BYTES = 10 * 1024 * 1024


def actor(info: Any) -> Any:
    user = getattr(info.context, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def channel_ref(spec: dict, field: str = "channelId") -> Any:
    """A channel given as ``channelId`` (global id) or ``channel`` (slug)."""
    if spec.get("channel_id"):
        return decode_id(spec["channel_id"], "Channel", field)
    if spec.get("channel"):
        return spec["channel"]
    raise DomainError("Name the channel.", code="REQUIRED", field=field)


def channel_refs(values: list[str] | None, field: str) -> list[Any]:
    """Channels to remove: global ids or slugs."""
    refs = []
    for value in values or ():
        try:
            refs.append(decode_id(value, "Channel", field))
        except DomainError:
            refs.append(value)
    return refs
