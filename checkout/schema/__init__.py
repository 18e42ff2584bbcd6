"""The storefront's checkout GraphQL: the Checkout type, its query and mutations."""

from checkout.schema.mutations import Mutation
from checkout.schema.queries import Query
from checkout.schema.types import TYPE_FIELDS

__all__ = ["TYPE_FIELDS", "Mutation", "Query"]
