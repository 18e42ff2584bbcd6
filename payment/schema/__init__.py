"""Payment GraphQL: transactions, gateways, the legacy one-step payment."""

from payment.schema.mutations import Mutation
from payment.schema.queries import Query

__all__ = ["Mutation", "Query"]
