"""Ids, address snapshots and catalog variants for the order GraphQL layer.

Types of other domains (``ProductVariant``, ``Address``, ``User``,
``TransactionItem``...) are found by name in the core's type registry when the
schema builds, never by importing another domain's schema; the few helpers
shared with checkout.schema are therefore repeated here.
"""

from __future__ import annotations

import binascii
import uuid
from typing import Any

import graphene
from graphql_relay import from_global_id

from core.errors import DomainError


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def _split(value: Any) -> tuple[str, str]:
    try:
        return from_global_id(str(value))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return "", ""


def _invalid(value: Any, type_name: str, field: str) -> DomainError:
    return DomainError(
        f"{value!r} is not a valid {type_name} id.", code="GRAPHQL_ERROR", field=field
    )


def decode_pk(value: Any, type_name: str, field: str) -> int:
    """A Relay global id of ``type_name`` (or a bare number) -> primary key."""
    text = str(value or "")
    if text.isdigit():
        return int(text)
    found, pk = _split(text)
    if found != type_name or not pk.isdigit():
        raise _invalid(value, type_name, field)
    return int(pk)


def decode_order(value: Any, field: str = "id") -> uuid.UUID:
    """An order's global id (``Order:<uuid>``) or its bare UUID -> the UUID."""
    text = str(value or "").strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    found, token = _split(text)
    try:
        if found == "Order":
            return uuid.UUID(token)
    except ValueError:
        pass
    raise _invalid(value, "Order", field)
