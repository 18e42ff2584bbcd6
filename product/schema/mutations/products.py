"""Staff mutations: products."""

from __future__ import annotations

from typing import Any

import graphene

from core.graphql.types import BaseMutation
from core.permissions import Perm
from product import models as m
from product import services
from product.schema.common import decode_id
from product.schema.mutations._base import actor, channel_ref, channel_refs
from product.schema.scalars import DecimalAmount, RichTextInput
from product.schema.types import (
    Product,
    ProductVariant,
)
from product.services import (
    AttributeAssignment,
    PriceInput,
    ProductInput,
    ProductListingInput,
    VariantInput,
)

# -- products and variants ----------------------------------------------------------------------


class AttributeValueInput(graphene.InputObjectType):
    id = graphene.ID(required=True, description="The attribute.")
    values = graphene.List(
        graphene.NonNull(graphene.String),
        description="Value slugs or names (DROPDOWN, SWATCH, MULTISELECT, NUMERIC).",
    )
    boolean = graphene.Boolean(description="BOOLEAN attributes.")


def _assignments(specs: list[dict] | None) -> list[AttributeAssignment] | None:
    if specs is None:
        return None
    return [
        AttributeAssignment(
            decode_id(s["id"], "Attribute", "attributes"),
            tuple(s.get("values") or ()),
            s.get("boolean"),
        )
        for s in specs
    ]


class ProductInputType(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    description = RichTextInput()
    category = graphene.ID()
    weight = DecimalAmount(description="kg")
    attributes = graphene.List(graphene.NonNull(AttributeValueInput))


class ProductCreateInput(ProductInputType):
    product_type = graphene.ID(required=True)


def _product_input(data: dict) -> ProductInput:
    result = ProductInput(
        name=data.get("name"),
        slug=data.get("slug"),
        description=data.get("description"),
        weight=data.get("weight"),
        attributes=_assignments(data.get("attributes")),
    )
    if "category" in data:
        category = data["category"]
        result.category = decode_id(category, "Category", "category") if category else None
    return result


class ProductCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)

    class Arguments:
        input = ProductCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        product = services.create_product(
            actor=actor(info),
            product_type=decode_id(input["product_type"], "ProductType", "productType"),
            data=_product_input(input),
        )
        return {"product": product}


class ProductUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductInputType(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        product = services.update_product(
            actor=actor(info), product=decode_id(id, "Product", "id"), data=_product_input(input)
        )
        return {"product": product}


class ProductDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_product(actor=actor(info), product=decode_id(id, "Product", "id"))
        return {"product": deleted}


class ProductChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID()
    channel = graphene.String(description="Channel slug (instead of channelId).")
    is_published = graphene.Boolean()
    published_at = graphene.DateTime()
    visible_in_listings = graphene.Boolean()
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()


class ProductChannelListingUpdateInput(graphene.InputObjectType):
    update_channels = graphene.List(graphene.NonNull(ProductChannelListingAddInput))
    remove_channels = graphene.List(graphene.NonNull(graphene.ID))


class ProductChannelListingUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductChannelListingUpdateInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        product = services.update_product_channel_listings(
            actor=actor(info),
            product=decode_id(id, "Product", "id"),
            update=[
                ProductListingInput(
                    channel=channel_ref(spec, "updateChannels"),
                    is_published=spec.get("is_published"),
                    published_at=spec.get("published_at"),
                    visible_in_listings=spec.get("visible_in_listings"),
                    is_available_for_purchase=spec.get("is_available_for_purchase"),
                    available_for_purchase_at=spec.get("available_for_purchase_at"),
                )
                for spec in input.get("update_channels") or ()
            ],
            remove=channel_refs(input.get("remove_channels"), "removeChannels"),
        )
        return {"product": product}


class ProductVariantInputType(graphene.InputObjectType):
    sku = graphene.String()
    name = graphene.String()
    weight = DecimalAmount(description="kg")
    track_inventory = graphene.Boolean()
    attributes = graphene.List(graphene.NonNull(AttributeValueInput))


class ProductVariantCreateInput(ProductVariantInputType):
    product = graphene.ID(required=True)


def _variant_input(data: dict) -> VariantInput:
    return VariantInput(
        sku=data.get("sku"),
        name=data.get("name"),
        weight=data.get("weight"),
        track_inventory=data.get("track_inventory"),
        attributes=_assignments(data.get("attributes")),
    )


class ProductVariantCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product_variant = graphene.Field(ProductVariant)

    class Arguments:
        input = ProductVariantCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        variant = services.create_variant(
            actor=actor(info),
            product=decode_id(input["product"], "Product", "product"),
            data=_variant_input(input),
        )
        return {"product_variant": _with_product(variant)}


class ProductVariantUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product_variant = graphene.Field(ProductVariant)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductVariantInputType(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        variant = services.update_variant(
            actor=actor(info),
            variant=decode_id(id, "ProductVariant", "id"),
            data=_variant_input(input),
        )
        return {"product_variant": _with_product(variant)}


class ProductVariantDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product_variant = graphene.Field(ProductVariant)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        pk = decode_id(id, "ProductVariant", "id")
        product = m.Product.objects.filter(variants__pk=pk).first()
        deleted = services.delete_variant(actor=actor(info), variant=pk)
        deleted._product = product
        return {"product_variant": deleted}


def _with_product(variant: m.ProductVariant) -> m.ProductVariant:
    variant._product = variant.product
    return variant


class ProductVariantChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID()
    channel = graphene.String(description="Channel slug (instead of channelId).")
    price = DecimalAmount(required=True, description="In the channel's currency.")
    cost_price = DecimalAmount()


class ProductVariantChannelListingUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    variant = graphene.Field(ProductVariant)

    class Arguments:
        id = graphene.ID(required=True)
        input = graphene.List(graphene.NonNull(ProductVariantChannelListingAddInput), required=True)
        remove_channels = graphene.List(graphene.NonNull(graphene.ID))

    @classmethod
    def perform(
        cls,
        info: Any,
        id: str,  # noqa: A002
        input: list[dict],  # noqa: A002
        remove_channels: list[str] | None = None,
    ) -> dict:
        variant = services.update_variant_channel_listings(
            actor=actor(info),
            variant=decode_id(id, "ProductVariant", "id"),
            update=[
                PriceInput(channel_ref(spec), spec["price"], spec.get("cost_price"))
                for spec in input
            ],
            remove=channel_refs(remove_channels, "removeChannels"),
        )
        return {"variant": _with_product(variant)}
