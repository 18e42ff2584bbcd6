"""Ids and lookups of the payment GraphQL layer.

Types of other domains (``Checkout``, ``Order``) are found by name in the core's
type registry when the schema builds, never by importing their schema.
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


def decode_token(
    value: Any, type_names: tuple[str, ...], field: str = "id"
) -> tuple[str, uuid.UUID]:
    """(type name, UUID) of a global id of one of ``type_names``; a bare UUID gives ("", uuid)."""
    text = str(value or "").strip()
    try:
        return "", uuid.UUID(text)
    except ValueError:
        pass
    try:
        found, token = from_global_id(text)
        if found in type_names:
            return found, uuid.UUID(token)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise DomainError(
        f"{value!r} is not a valid {' or '.join(type_names)} id.",
        code="GRAPHQL_ERROR",
        field=field,
    )
