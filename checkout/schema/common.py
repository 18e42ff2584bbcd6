"""Helpers of the checkout GraphQL layer: ids, per-request computed data, address snapshots.

Types of other domains (``ProductVariant``, ``ShippingMethod``, ``Warehouse``,
``Address``, ``TransactionItem``...) are found by name in the core's type
registry when the schema builds, never by importing another domain's schema.
"""

from __future__ import annotations

import binascii
import uuid
from dataclasses import dataclass
from typing import Any

import graphene
from graphql_relay import from_global_id

from checkout.fetch import LineInfo, fetch_lines
from checkout.models import Checkout
from checkout.pricing import CheckoutPrices, calculate
from checkout.problems import problems
from checkout.services import shipping_options
from core.errors import DomainError, ErrorDetail


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


def decode_token(value: Any, type_name: str, field: str = "id") -> uuid.UUID:
    """A global id ``<type_name>:<uuid>`` or the bare UUID (Saleor accepts both) -> UUID."""
    text = str(value or "").strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    found, token = _split(text)
    try:
        if found == type_name:
            return uuid.UUID(token)
    except ValueError:
        pass
    raise _invalid(value, type_name, field)


def token_type(value: Any) -> str | None:
    """The type name of a global id (``Checkout``, ``Order``), None for a bare UUID."""
    found, _ = _split(str(value or ""))
    return found or None


# -- per-request computed data ------------------------------------------------------------------


@dataclass
class CheckoutData:
    """Lines, prices, shipping options and problems, computed once per checkout instance.

    Mutations hand back the checkout instance the service returned (re-read under
    lock), so data computed before a change is never shown after it.
    """

    checkout: Checkout
    lines: list[LineInfo]
    prices: CheckoutPrices
    _options: list[Any] | None = None
    _problems: list[ErrorDetail] | None = None
    variants_prepared: bool = False

    @property
    def options(self) -> list[Any]:
        if self._options is None:
            self._options = shipping_options(self.checkout, self.lines)
        return self._options

    @property
    def problems(self) -> list[ErrorDetail]:
        if self._problems is None:
            self._problems = problems(self.checkout, self.lines, self.prices)
        return self._problems


def data_of(checkout: Checkout) -> CheckoutData:
    found = checkout.__dict__.get("_gql_data")
    if found is None:
        lines = fetch_lines(checkout)
        found = CheckoutData(checkout, lines, calculate(checkout, lines))
        checkout.__dict__["_gql_data"] = found
    return found


def address_data(value: Any) -> dict[str, Any]:
    """AddressInput -> plain dict for the services (unset fields left out)."""
    return {key: val for key, val in dict(value or {}).items() if val is not None}
