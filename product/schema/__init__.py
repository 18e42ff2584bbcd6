"""The catalog's GraphQL: storefront queries and staff mutations."""

from product.schema.queries import Query

__all__ = ["Query"]
