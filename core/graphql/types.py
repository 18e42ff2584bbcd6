"""Shared GraphQL building blocks: typed mutation errors, the base mutation, money."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import graphene
from graphql import GraphQLResolveInfo

from core.errors import DomainError
from core.permissions import Perm, require_perm

logger = logging.getLogger("core.graphql")


class Error(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about, if any.")
    code = graphene.String(required=True, description="Stable machine-readable code.")
    message = graphene.String(required=True, description="Human-readable explanation.")


class BaseMutation(graphene.Mutation):
    """A mutation that turns DomainErrors into ``errors { field code message }``.

    Subclasses set ``permission`` (a Perm) when staff-only and implement
    ``perform(cls, info, **input) -> dict`` returning the payload's other fields.
    """

    errors = graphene.List(graphene.NonNull(Error), required=True)

    permission: ClassVar[Perm | None] = None

    class Meta:
        abstract = True

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        raise NotImplementedError

    @classmethod
    def mutate(cls, root: Any, info: GraphQLResolveInfo, **data: Any) -> BaseMutation:
        try:
            if cls.permission is not None:
                require_perm(info.context.user, cls.permission)
            result = cls.perform(info, **data)
        except DomainError as error:
            return cls(
                errors=[Error(field=d.field, code=d.code, message=d.message) for d in error.errors]
            )
        return cls(errors=[], **result)


class Money(graphene.ObjectType):
    currency = graphene.String(required=True)
    amount = graphene.Float(required=True, description="Amount in the currency's major unit.")

    @staticmethod
    def resolve_amount(root: Any, info: GraphQLResolveInfo) -> float:
        return float(root.amount)


class TaxedMoney(graphene.ObjectType):
    currency = graphene.String(required=True)
    net = graphene.Field(Money, required=True)
    gross = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)
