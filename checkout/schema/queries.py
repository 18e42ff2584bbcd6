"""Storefront checkout queries."""

from __future__ import annotations

from typing import Any

import graphene

from checkout.access import find_checkout
from checkout.models import Checkout as CheckoutModel
from checkout.schema.common import decode_token
from checkout.schema.types import Checkout
from core.errors import DomainError


class Query(graphene.ObjectType):
    checkout = graphene.Field(
        Checkout,
        id=graphene.ID(description="The checkout's id (or its token)."),
        token=graphene.UUID(deprecation_reason="Use id."),
        description="A checkout by id. Null when it does not exist or is another customer's.",
    )

    @staticmethod
    def resolve_checkout(
        root: Any,
        info: Any,
        id: str | None = None,  # noqa: A002
        token: Any = None,
    ) -> CheckoutModel | None:
        value = id or token
        if not value:
            raise DomainError("Give the checkout's id.", code="REQUIRED", field="id")
        return find_checkout(decode_token(value, "Checkout"), info.context.user)
