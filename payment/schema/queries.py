"""Payment queries: a transaction for staff."""

from __future__ import annotations

from typing import Any

import graphene

from payment.models import Transaction
from payment.services import find_transaction

from .common import decode_token
from .mutations import require_payment_staff
from .types import TransactionItem


class Query(graphene.ObjectType):
    transaction = graphene.Field(
        TransactionItem,
        id=graphene.ID(required=True),
        description="A transaction by id. Needs MANAGE_PAYMENTS or MANAGE_ORDERS.",
    )

    @staticmethod
    def resolve_transaction(root: Any, info: Any, id: str) -> Transaction:  # noqa: A002
        require_payment_staff(info.context.user)
        _, token = decode_token(id, ("TransactionItem",))
        return find_transaction(token)
