"""Attributes, their values, product types and how attributes attach to them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from core.errors import DomainError, NotFound
from product.models import (
    Attribute,
    AttributeProduct,
    AttributeValue,
    AttributeVariant,
    ProductType,
)
from product.services._common import Actor, clean_slug, clean_weight, get_instance, require_name

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class ValueInput:
    name: str
    value: str = ""  # swatch colour
    slug: str | None = None


def _clean_value(attribute: Attribute, spec: ValueInput, field: str) -> ValueInput:
    name = require_name(spec.name, field)
    if attribute.input_type == Attribute.InputType.SWATCH and not HEX_COLOUR.match(spec.value):
        raise DomainError(
            "A swatch value needs a colour like #A1B2C3.", code="INVALID", field=field
        )
    if attribute.input_type == Attribute.InputType.NUMERIC:
        try:
            Decimal(name)
        except InvalidOperation as exc:
            raise DomainError("Enter a number.", code="INVALID", field=field) from exc
    return spec


def _add_values(attribute: Attribute, values: Iterable[ValueInput], field: str) -> None:
    existing = set(attribute.values.values_list("slug", flat=True))
    order = attribute.values.count()
    rows = []
    for spec in values:
        spec = _clean_value(attribute, spec, field)
        slug = slugify(spec.slug or spec.name) or f"value-{order}"
        if slug in existing:
            raise DomainError(
                f"{attribute.name} already has the value {spec.name!r}.",
                code="DUPLICATED_INPUT_ITEM",
                field=field,
            )
        existing.add(slug)
        rows.append(
            AttributeValue(
                attribute=attribute, name=spec.name, slug=slug, value=spec.value, sort_order=order
            )
        )
        order += 1
    AttributeValue.objects.bulk_create(rows)


@transaction.atomic
def create_attribute(
    *,
    actor: Actor,
    name: str,
    slug: str | None = None,
    input_type: str = Attribute.InputType.DROPDOWN,
    unit: str = "",
    values: Iterable[ValueInput] = (),
    visible_in_storefront: bool = True,
    filterable_in_storefront: bool = True,
) -> Attribute:
    name = require_name(name)
    if input_type not in Attribute.InputType.values:
        raise DomainError(f"Unknown input type {input_type!r}.", code="INVALID", field="inputType")
    attribute = Attribute.objects.create(
        name=name,
        slug=clean_slug(Attribute, slug, name),
        input_type=input_type,
        unit=unit,
        visible_in_storefront=visible_in_storefront,
        filterable_in_storefront=filterable_in_storefront,
    )
    if input_type == Attribute.InputType.BOOLEAN:
        AttributeValue.objects.bulk_create(
            AttributeValue(attribute=attribute, name=label, slug=slug, boolean=flag, sort_order=i)
            for i, (label, slug, flag) in enumerate((("Yes", "true", True), ("No", "false", False)))
        )
    else:
        _add_values(attribute, values, "values")
    return attribute


@transaction.atomic
def update_attribute(
    *,
    actor: Actor,
    attribute: Attribute | int,
    name: str | None = None,
    slug: str | None = None,
    unit: str | None = None,
    visible_in_storefront: bool | None = None,
    filterable_in_storefront: bool | None = None,
    add_values: Iterable[ValueInput] = (),
    remove_values: Iterable[int] = (),
) -> Attribute:
    attribute = get_instance(Attribute, attribute, "id")
    if name is not None:
        attribute.name = require_name(name)
    if slug is not None:
        attribute.slug = clean_slug(Attribute, slug, attribute.name, exclude_pk=attribute.pk)
    for attr, value in (
        ("unit", unit),
        ("visible_in_storefront", visible_in_storefront),
        ("filterable_in_storefront", filterable_in_storefront),
    ):
        if value is not None:
            setattr(attribute, attr, value)
    attribute.save()
    remove = list(remove_values)
    if remove:
        attribute.values.filter(pk__in=remove).delete()
    _add_values(attribute, add_values, "addValues")
    return attribute


@transaction.atomic
def delete_attribute(*, actor: Actor, attribute: Attribute | int) -> Attribute:
    attribute = get_instance(Attribute, attribute, "id")
    pk = attribute.pk
    attribute.delete()
    attribute.pk = pk
    return attribute


def _attributes(ids: Iterable[Attribute | int], field: str) -> list[Attribute]:
    wanted = [a.pk if isinstance(a, Attribute) else int(a) for a in ids]
    if len(set(wanted)) != len(wanted):
        raise DomainError(
            "An attribute is listed twice.", code="DUPLICATED_INPUT_ITEM", field=field
        )
    found = Attribute.objects.in_bulk(wanted)
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(f"Attributes {missing} do not exist.", field=field)
    return [found[pk] for pk in wanted]


@dataclass
class ProductTypeInput:
    name: str | None = None
    slug: str | None = None
    has_variants: bool | None = None
    is_shipping_required: bool | None = None
    weight: Any = None
    product_attributes: list[Any] | None = None
    variant_attributes: list[Any] | None = None
    variant_selection: list[Any] = field(default_factory=list)


def _assign(product_type: ProductType, data: ProductTypeInput) -> None:
    if data.product_attributes is not None:
        attrs = _attributes(data.product_attributes, "productAttributes")
        product_type.attribute_products.all().delete()
        AttributeProduct.objects.bulk_create(
            AttributeProduct(product_type=product_type, attribute=a, sort_order=i)
            for i, a in enumerate(attrs)
        )
    if data.variant_attributes is not None:
        attrs = _attributes(data.variant_attributes, "variantAttributes")
        selection = {a.pk if isinstance(a, Attribute) else int(a) for a in data.variant_selection}
        product_type.attribute_variants.all().delete()
        AttributeVariant.objects.bulk_create(
            AttributeVariant(
                product_type=product_type,
                attribute=a,
                sort_order=i,
                variant_selection=(a.pk in selection) if selection else True,
            )
            for i, a in enumerate(attrs)
        )


@transaction.atomic
def create_product_type(*, actor: Actor, data: ProductTypeInput) -> ProductType:
    name = require_name(data.name)
    product_type = ProductType.objects.create(
        name=name,
        slug=clean_slug(ProductType, data.slug, name),
        has_variants=True if data.has_variants is None else data.has_variants,
        is_shipping_required=(
            True if data.is_shipping_required is None else data.is_shipping_required
        ),
        weight=clean_weight(data.weight),
    )
    _assign(product_type, data)
    return product_type


@transaction.atomic
def update_product_type(
    *, actor: Actor, product_type: ProductType | int, data: ProductTypeInput
) -> ProductType:
    product_type = get_instance(ProductType, product_type, "id")
    if data.name is not None:
        product_type.name = require_name(data.name)
    if data.slug is not None:
        product_type.slug = clean_slug(
            ProductType, data.slug, product_type.name, exclude_pk=product_type.pk
        )
    if data.has_variants is not None:
        product_type.has_variants = data.has_variants
    if data.is_shipping_required is not None:
        product_type.is_shipping_required = data.is_shipping_required
    if data.weight is not None:
        product_type.weight = clean_weight(data.weight)
    product_type.save()
    _assign(product_type, data)
    return product_type


@transaction.atomic
def delete_product_type(*, actor: Actor, product_type: ProductType | int) -> ProductType:
    product_type = get_instance(ProductType, product_type, "id")
    if product_type.products.exists():
        raise DomainError(
            "Delete or move the products of this type first.", code="IN_USE", field="id"
        )
    pk = product_type.pk
    product_type.delete()
    product_type.pk = pk
    return product_type
