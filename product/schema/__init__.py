"""The catalog's GraphQL: storefront queries and staff mutations."""

from product.schema.mutations import Mutation
from product.schema.queries import Query

__all__ = ["Mutation", "Query"]
