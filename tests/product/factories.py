"""Small builders for catalog tests, going through the real services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from product import services
from product.models import Attribute, Category, Product, ProductType, ProductVariant
from product.services import (
    AttributeAssignment,
    PriceInput,
    ProductInput,
    ProductListingInput,
    ProductTypeInput,
    ValueInput,
    VariantInput,
)


def attributes() -> dict[str, Attribute]:
    size = services.create_attribute(
        actor=None,
        name="Size",
        values=[ValueInput(n) for n in ("S", "M", "L")],
    )
    colour = services.create_attribute(
        actor=None,
        name="Colour",
        input_type="SWATCH",
        values=[ValueInput("Red", "#FF0000"), ValueInput("Black", "#000000")],
    )
    material = services.create_attribute(
        actor=None, name="Material", values=[ValueInput("Cotton"), ValueInput("Silk")]
    )
    return {"size": size, "colour": colour, "material": material}


def product_type(attrs: dict[str, Attribute], name: str = "Dress") -> ProductType:
    return services.create_product_type(
        actor=None,
        data=ProductTypeInput(
            name=name,
            product_attributes=[attrs["material"].pk],
            variant_attributes=[attrs["size"].pk, attrs["colour"].pk],
        ),
    )


def category(name: str, parent: Category | None = None) -> Category:
    return services.create_category(actor=None, name=name, parent=parent)


def product(
    ptype: ProductType,
    name: str,
    *,
    category: Category | None = None,
    channels: tuple[Any, ...] = (),
    published: bool = True,
    material: str = "Cotton",
    description: str = "",
) -> Product:
    attrs = {a.slug: a for a in ptype.product_attributes.all()}
    description_doc = (
        {"blocks": [{"type": "paragraph", "data": {"text": description}}]} if description else {}
    )
    created = services.create_product(
        actor=None,
        product_type=ptype,
        data=ProductInput(
            name=name,
            category=category,
            description=description_doc,
            attributes=[AttributeAssignment(attrs["material"].pk, (material,))],
        ),
    )
    if channels:
        services.update_product_channel_listings(
            actor=None,
            product=created,
            update=[
                ProductListingInput(c, is_published=published, is_available_for_purchase=True)
                for c in channels
            ],
        )
    return created


def variant(
    prod: Product,
    sku: str,
    *,
    size: str = "M",
    colour: str = "Red",
    prices: dict[Any, str] | None = None,
) -> ProductVariant:
    attrs = {a.slug: a for a in prod.product_type.variant_attributes.all()}
    created = services.create_variant(
        actor=None,
        product=prod,
        data=VariantInput(
            sku=sku,
            name=f"{size} / {colour}",
            attributes=[
                AttributeAssignment(attrs["size"].pk, (size,)),
                AttributeAssignment(attrs["colour"].pk, (colour,)),
            ],
        ),
    )
    if prices:
        services.update_variant_channel_listings(
            actor=None,
            variant=created,
            update=[PriceInput(channel, Decimal(price)) for channel, price in prices.items()],
        )
    return created
