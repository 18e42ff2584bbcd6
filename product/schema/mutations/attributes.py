"""Staff mutations: attributes."""

from __future__ import annotations

from typing import Any

import graphene

from core.graphql.types import BaseMutation
from core.permissions import Perm
from product import services
from product.schema.common import decode_id, decode_ids
from product.schema.mutations._base import actor
from product.schema.scalars import DecimalAmount
from product.schema.types import (
    Attribute,
    AttributeInputTypeEnum,
    ProductType,
)
from product.services import (
    ProductTypeInput,
    ValueInput,
)

# -- attributes ----------------------------------------------------------------------------


class AttributeValueCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    value = graphene.String(description="Colour of a SWATCH value (#RRGGBB).")


class AttributeCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    slug = graphene.String()
    input_type = graphene.Field(AttributeInputTypeEnum)
    unit = graphene.String()
    values = graphene.List(graphene.NonNull(AttributeValueCreateInput))
    visible_in_storefront = graphene.Boolean()
    filterable_in_storefront = graphene.Boolean()


class AttributeUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    unit = graphene.String()
    add_values = graphene.List(graphene.NonNull(AttributeValueCreateInput))
    remove_values = graphene.List(graphene.NonNull(graphene.ID))
    visible_in_storefront = graphene.Boolean()
    filterable_in_storefront = graphene.Boolean()


def _values(specs: list[dict] | None) -> list[ValueInput]:
    return [ValueInput(s["name"], s.get("value") or "") for s in specs or ()]


class AttributeCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    attribute = graphene.Field(Attribute)

    class Arguments:
        input = AttributeCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        kind = getattr(input.get("input_type"), "value", input.get("input_type")) or "DROPDOWN"
        attribute = services.create_attribute(
            actor=actor(info),
            name=input["name"],
            slug=input.get("slug"),
            input_type=kind,
            unit=input.get("unit") or "",
            values=_values(input.get("values")),
            visible_in_storefront=input.get("visible_in_storefront", True) is not False,
            filterable_in_storefront=input.get("filterable_in_storefront", True) is not False,
        )
        return {"attribute": attribute}


class AttributeUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    attribute = graphene.Field(Attribute)

    class Arguments:
        id = graphene.ID(required=True)
        input = AttributeUpdateInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        attribute = services.update_attribute(
            actor=actor(info),
            attribute=decode_id(id, "Attribute", "id"),
            name=input.get("name"),
            slug=input.get("slug"),
            unit=input.get("unit"),
            visible_in_storefront=input.get("visible_in_storefront"),
            filterable_in_storefront=input.get("filterable_in_storefront"),
            add_values=_values(input.get("add_values")),
            remove_values=decode_ids(input.get("remove_values"), "AttributeValue", "removeValues"),
        )
        return {"attribute": attribute}


class AttributeDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    attribute = graphene.Field(Attribute)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_attribute(
            actor=actor(info), attribute=decode_id(id, "Attribute", "id")
        )
        return {"attribute": deleted}


class ProductTypeInputType(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    has_variants = graphene.Boolean()
    is_shipping_required = graphene.Boolean()
    weight = DecimalAmount(description="Default weight in kg.")
    product_attributes = graphene.List(graphene.NonNull(graphene.ID))
    variant_attributes = graphene.List(graphene.NonNull(graphene.ID))
    variant_selection_attributes = graphene.List(
        graphene.NonNull(graphene.ID),
        description="Variant attributes shoppers choose by (default: all of them).",
    )


def _product_type_input(data: dict) -> ProductTypeInput:
    def ids(key: str, field: str) -> list[int] | None:
        return None if data.get(key) is None else decode_ids(data[key], "Attribute", field)

    return ProductTypeInput(
        name=data.get("name"),
        slug=data.get("slug"),
        has_variants=data.get("has_variants"),
        is_shipping_required=data.get("is_shipping_required"),
        weight=data.get("weight"),
        product_attributes=ids("product_attributes", "productAttributes"),
        variant_attributes=ids("variant_attributes", "variantAttributes"),
        variant_selection=ids("variant_selection_attributes", "variantSelectionAttributes") or [],
    )


class ProductTypeCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    product_type = graphene.Field(ProductType)

    class Arguments:
        input = ProductTypeInputType(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        created = services.create_product_type(actor=actor(info), data=_product_type_input(input))
        return {"product_type": created}


class ProductTypeUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    product_type = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProductTypeInputType(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        updated = services.update_product_type(
            actor=actor(info),
            product_type=decode_id(id, "ProductType", "id"),
            data=_product_type_input(input),
        )
        return {"product_type": updated}


class ProductTypeDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES
    product_type = graphene.Field(ProductType)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_product_type(
            actor=actor(info), product_type=decode_id(id, "ProductType", "id")
        )
        return {"product_type": deleted}
