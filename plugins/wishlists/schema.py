"""GraphQL of wishlists: ``me { wishlist(channel) { ... } }``, ``wishlistAddProduct``,
``wishlistRemoveProduct`` (signed-in customers, their own wishlist only)."""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from core.graphql.schema import registered_type
from core.graphql.types import BaseMutation
from plugins.wishlists import services
from plugins.wishlists.models import WishlistItem


def _decode(value: Any, type_name: str, field: str) -> int:
    from product.schema.common import decode_id

    return decode_id(str(value), type_name, field)


class WishlistItemType(graphene.ObjectType):
    class Meta:
        name = "WishlistItem"

    id = graphene.ID(required=True)
    product = graphene.Field(registered_type("Product"), required=True)
    variant = graphene.Field(
        registered_type("ProductVariant"), description="Null: any variant of the product."
    )
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_id(root: WishlistItem, info: GraphQLResolveInfo) -> str:
        return graphene.relay.Node.to_global_id("WishlistItem", root.pk)


def _items(info: GraphQLResolveInfo, user: Any, channel: str | None) -> list[WishlistItem]:
    """The items, with products and variants set up as the catalog hands them out
    (channel attached, batched loaders aware of them)."""
    from product.schema.common import in_channel
    from product.schema.loaders import loaders

    found = services.items(user)
    catalog = loaders(info)
    chosen = catalog.channel(channel) if channel else None
    catalog.saw_products(in_channel([i.product for i in found], chosen))
    variants = [i.variant for i in found if i.variant is not None]
    catalog.variants.add(v.pk for v in variants)
    in_channel(variants, chosen)
    return found


def resolve_wishlist(
    root: Any, info: GraphQLResolveInfo, channel: str | None = None
) -> list[WishlistItem]:
    user = info.context.user
    if not getattr(user, "is_authenticated", False) or user.pk != root.pk:
        return []
    return _items(info, user, channel)


class WishlistAddProduct(BaseMutation):
    """Add a product (any variant) or one of its variants to your wishlist."""

    wishlist = graphene.List(graphene.NonNull(WishlistItemType))

    class Arguments:
        product_id = graphene.ID(required=True)
        variant_id = graphene.ID()
        channel = graphene.String(description="Channel to show the wishlist's products in.")

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        user = info.context.user
        services.require_signed_in(user)
        services.add_product(
            user=user,
            product_id=_decode(data["product_id"], "Product", "productId"),
            variant_id=_decode(data["variant_id"], "ProductVariant", "variantId")
            if data.get("variant_id")
            else None,
        )
        return {"wishlist": _items(info, user, data.get("channel"))}


class WishlistRemoveProduct(BaseMutation):
    """Remove a variant, or (without ``variantId``) the product and all its variants."""

    wishlist = graphene.List(graphene.NonNull(WishlistItemType))

    class Arguments:
        product_id = graphene.ID(required=True)
        variant_id = graphene.ID()
        channel = graphene.String(description="Channel to show the wishlist's products in.")

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        user = info.context.user
        services.require_signed_in(user)
        services.remove_product(
            user=user,
            product_id=_decode(data["product_id"], "Product", "productId"),
            variant_id=_decode(data["variant_id"], "ProductVariant", "variantId")
            if data.get("variant_id")
            else None,
        )
        return {"wishlist": _items(info, user, data.get("channel"))}


def mutation_fields() -> dict[str, Any]:
    return {
        "wishlist_add_product": WishlistAddProduct.Field(),
        "wishlist_remove_product": WishlistRemoveProduct.Field(),
    }


def type_fields() -> dict[str, dict[str, Any]]:
    return {
        "User": {
            "wishlist": graphene.Field(
                graphene.List(graphene.NonNull(WishlistItemType), required=True),
                channel=graphene.String(description="Channel to show prices and availability in."),
                resolver=resolve_wishlist,
                description="The customer's wishlist, newest first (the account holder only).",
            )
        }
    }
