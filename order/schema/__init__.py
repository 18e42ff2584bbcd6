"""Order GraphQL: ``order``/``orders``, ``me { orders }`` and staff order mutations."""

import graphene

from core.graphql.pagination import connection_args
from order.schema.mutations import Mutation
from order.schema.queries import Query, resolve_user_orders
from order.schema.types import OrderCountableConnection

#: Fields the order domain adds to other domains' types (core.graphql.schema).
TYPE_FIELDS = {
    "User": {
        "orders": graphene.Field(
            OrderCountableConnection,
            resolver=resolve_user_orders,
            description="The user's orders, newest first (your own, or any with MANAGE_ORDERS).",
            **connection_args(),
        )
    }
}

__all__ = ["TYPE_FIELDS", "Mutation", "Query"]
