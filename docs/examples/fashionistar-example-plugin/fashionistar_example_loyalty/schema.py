"""The plugin's GraphQL: ``loyaltyBalance(email: String!)``, added to the root Query.

Type names live in one schema with the core's and every other plugin's, so they
carry the plugin's prefix (``Loyalty...``).
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from core.errors import PermissionDenied
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from fashionistar_example_loyalty.models import LoyaltyAccount, PointsEntry
from fashionistar_example_loyalty.services import normalize_email


class LoyaltyPointsEntry(graphene.ObjectType):
    points = graphene.Int(required=True)
    source = graphene.String(required=True, description="order_paid or partner")
    order_number = graphene.String()
    channel = graphene.String(description="Slug of the channel the points were earned in.")
    note = graphene.String()
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_order_number(root: PointsEntry, info: GraphQLResolveInfo) -> str | None:
        return root.order_number or None

    @staticmethod
    def resolve_channel(root: PointsEntry, info: GraphQLResolveInfo) -> str | None:
        return root.channel_slug or None

    @staticmethod
    def resolve_note(root: PointsEntry, info: GraphQLResolveInfo) -> str | None:
        return root.note or None


class LoyaltyPointsEntryConnection(CountableConnection):
    class Meta:
        node = LoyaltyPointsEntry


class LoyaltyBalance(graphene.ObjectType):
    email = graphene.String(required=True)
    points = graphene.Int(required=True, description="Current balance.")
    entries = graphene.Field(
        LoyaltyPointsEntryConnection,
        required=True,
        description="Points history, newest first.",
        **connection_args(),
    )

    @staticmethod
    def resolve_points(root: dict, info: GraphQLResolveInfo) -> int:
        account = root["account"]
        return account.balance() if account is not None else 0

    @staticmethod
    def resolve_entries(root: dict, info: GraphQLResolveInfo, **page: Any) -> Any:
        account = root["account"]
        queryset = account.entries.all() if account is not None else PointsEntry.objects.none()
        return paginate(queryset, LoyaltyPointsEntryConnection, Ordering(("-created_at",)), **page)


def can_view(user: Any, email: str) -> bool:
    """The account owner (same email as the signed-in user) or active staff."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    own_email = normalize_email(getattr(user, "email", None) or "")
    return bool(user.is_staff or (own_email and own_email == normalize_email(email)))


def resolve_loyalty_balance(root: Any, info: GraphQLResolveInfo, email: str) -> dict:
    # Refuse before looking the account up, so the answer never reveals whether
    # someone else's email has an account.
    if not can_view(info.context.user, email):
        raise PermissionDenied(
            "Only the account owner or staff can see a loyalty balance.",
            code="PERMISSION_DENIED",
            field="email",
        )
    normalized = normalize_email(email)
    return {
        "email": normalized,
        "account": LoyaltyAccount.objects.filter(email=normalized).first(),
    }


def query_fields() -> dict[str, graphene.Field]:
    """What the plugin's ``graphql_query_fields`` hook returns."""
    return {
        "loyalty_balance": graphene.Field(
            LoyaltyBalance,
            email=graphene.String(required=True),
            resolver=resolve_loyalty_balance,
            description="Loyalty points of a customer. The customer themself or staff only.",
        )
    }
