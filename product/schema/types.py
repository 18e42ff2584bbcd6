"""Storefront and staff types of the catalog.

Plain ``graphene.ObjectType`` classes over model instances, with resolvers
reading batch loaders (``loaders``): a node never queries on its own.
A product carries the channel it was fetched in (``_channel``) and its
listing there, annotated by ``product_queryset``. Types of other domains (the
warehouse's ``Stock``) are found in the core's type registry by name, never by
importing their schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphene
from django.utils import timezone

from core.errors import PermissionDenied
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.graphql.schema import _type_registry, extendable
from core.permissions import Perm
from product import models as m
from product.schema.common import (
    channel_of,
    first_page,
    gid,
    in_channel,
    listing_of,
    product_queryset,
)
from product.schema.listing import product_connection, product_list_args
from product.schema.loaders import loaders
from product.schema.media import Image, ProductMedia, ThumbnailFormatEnum, image_url
from product.schema.pricing import (
    ProductPricingInfo,
    Row,
    VariantPricingInfo,
    has_price_plugins,
    product_pricing,
    variant_pricing,
)
from product.schema.translations import (
    AttributeTranslation,
    AttributeValueTranslation,
    CategoryTranslation,
    CollectionTranslation,
    ProductTranslation,
    ProductVariantTranslation,
    resolve_translation,
    translation_field,
)

AttributeInputTypeEnum = graphene.Enum(
    "AttributeInputTypeEnum", [(v, v) for v in m.Attribute.InputType.values]
)


class VariantAttributeScope(graphene.Enum):
    ALL = "ALL"
    VARIANT_SELECTION = "VARIANT_SELECTION"
    NOT_VARIANT_SELECTION = "NOT_VARIANT_SELECTION"


class Weight(graphene.ObjectType):
    unit = graphene.String(required=True)
    value = graphene.Float(required=True)


def _weight(value: Any) -> Row | None:
    return None if value is None else Row(unit="KG", value=float(value))


def _staff(info: Any) -> None:
    if not loaders(info).can(Perm.MANAGE_PRODUCTS):
        raise PermissionDenied(
            "You need the 'MANAGE_PRODUCTS' permission to see this.", code="PERMISSION_DENIED"
        )


# -- attributes ----------------------------------------------------------------------------


@extendable
class AttributeValue(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()
    value = graphene.String(description="Colour of a SWATCH value (#RRGGBB).")
    boolean = graphene.Boolean()
    input_type = graphene.Field(AttributeInputTypeEnum)
    translation = translation_field(AttributeValueTranslation)

    @staticmethod
    def resolve_id(root: m.AttributeValue, info: Any) -> str:
        return gid("AttributeValue", root.pk)

    @staticmethod
    def resolve_input_type(root: m.AttributeValue, info: Any) -> str | None:
        attribute = loaders(info).attribute.get(root.attribute_id)
        return attribute.input_type if attribute else None

    @staticmethod
    def resolve_translation(root: m.AttributeValue, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.AttributeValue, language_code)


class AttributeValueCountableConnection(CountableConnection):
    class Meta:
        node = AttributeValue


@extendable
class Attribute(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()
    input_type = graphene.Field(AttributeInputTypeEnum)
    unit = graphene.String()
    visible_in_storefront = graphene.Boolean(required=True)
    filterable_in_storefront = graphene.Boolean(required=True)
    with_choices = graphene.Boolean(required=True)
    choices = graphene.Field(AttributeValueCountableConnection, **connection_args())
    translation = translation_field(AttributeTranslation)

    @staticmethod
    def resolve_id(root: m.Attribute, info: Any) -> str:
        return gid("Attribute", root.pk)

    @staticmethod
    def resolve_unit(root: m.Attribute, info: Any) -> str | None:
        return root.unit or None

    @staticmethod
    def resolve_with_choices(root: m.Attribute, info: Any) -> bool:
        return root.input_type in ("DROPDOWN", "MULTISELECT", "SWATCH")

    @staticmethod
    def resolve_choices(root: m.Attribute, info: Any, **args: Any) -> Any:
        if not (args.get("after") or args.get("before") or args.get("last") is not None):
            rows = loaders(info).choices.get(root.pk)
            return first_page(
                AttributeValueCountableConnection, rows, ("sort_order", "pk"), args.get("first")
            )
        page = paginate(
            m.AttributeValue.objects.filter(attribute_id=root.pk),
            AttributeValueCountableConnection,
            Ordering(("sort_order",)),
            **args,
        )
        loaders(info).values.add(edge.node.pk for edge in page.edges)
        return page

    @staticmethod
    def resolve_translation(root: m.Attribute, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.Attribute, language_code)


class SelectedAttribute(graphene.ObjectType):
    attribute = graphene.Field(Attribute, required=True)
    values = graphene.List(graphene.NonNull(AttributeValue), required=True)


def _selected(
    info: Any, assignments: list[Any], values: dict[int, list[Any]], scope: Any = None
) -> list[Row]:
    staff = loaders(info).can(Perm.MANAGE_PRODUCTS)
    scope = getattr(scope, "value", scope) or "ALL"
    result = []
    for assignment in assignments:
        attribute = assignment.attribute
        if not staff and not attribute.visible_in_storefront:
            continue
        if scope != "ALL":
            selection = getattr(assignment, "variant_selection", False)
            if (scope == "VARIANT_SELECTION") != selection:
                continue
        result.append(Row(attribute=attribute, values=values.get(attribute.pk, [])))
    return result


@extendable
class ProductType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_variants = graphene.Boolean(required=True)
    is_shipping_required = graphene.Boolean(required=True)
    weight = graphene.Field(Weight)
    product_attributes = graphene.List(graphene.NonNull(Attribute))
    variant_attributes = graphene.List(
        graphene.NonNull(Attribute), variant_selection=graphene.Argument(VariantAttributeScope)
    )

    @staticmethod
    def resolve_id(root: m.ProductType, info: Any) -> str:
        return gid("ProductType", root.pk)

    @staticmethod
    def resolve_weight(root: m.ProductType, info: Any) -> Row | None:
        return _weight(root.weight)

    @staticmethod
    def resolve_product_attributes(root: m.ProductType, info: Any) -> list:
        return [a.attribute for a in loaders(info).product_attributes_of_type.get(root.pk)]

    @staticmethod
    def resolve_variant_attributes(
        root: m.ProductType, info: Any, variant_selection: Any = None
    ) -> list:
        rows = loaders(info).variant_attributes_of_type.get(root.pk)
        return [s.attribute for s in _selected(info, rows, {}, variant_selection)]


# -- products and variants ------------------------------------------------------------------------


def _is_available_for_purchase(info: Any, product: m.Product) -> bool | None:
    if channel_of(product) is None:
        return None
    listing = listing_of(info, product)
    at = listing.available_for_purchase_at if listing else None
    return at is not None and at <= timezone.now()


def _visible_variants(info: Any, product: m.Product) -> list[m.ProductVariant]:
    """Variants of a product; customers only see those priced in the channel."""
    batch = loaders(info)
    variants = batch.variants_by_product.get(product.pk)
    channel = channel_of(product)
    if channel is not None and not batch.can(Perm.MANAGE_PRODUCTS):
        priced = batch.prices(channel).get(product.pk)
        variants = [v for v in variants if v.pk in priced]
    for variant in variants:
        variant._product = product
        variant._channel = channel
    return variants


@extendable
class ProductVariant(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    sku = graphene.String()
    product = graphene.Field(lambda: Product, required=True)
    weight = graphene.Field(Weight)
    track_inventory = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    channel = graphene.String(description="Slug of the channel the variant was fetched in.")
    attributes = graphene.List(
        graphene.NonNull(SelectedAttribute),
        required=True,
        variant_selection=graphene.Argument(VariantAttributeScope),
    )
    quantity_available = graphene.Int(
        country_code=graphene.String(description="Only warehouses shipping to this country."),
        description="Units available in the channel's warehouses.",
    )
    pricing = graphene.Field(VariantPricingInfo)
    translation = translation_field(ProductVariantTranslation)
    channel_listings = graphene.List(
        graphene.NonNull(lambda: ProductVariantChannelListing),
        description="Prices in every channel. Staff only.",
    )
    stocks = graphene.List(
        graphene.NonNull(lambda: _type_registry["Stock"]),
        description="Stock in every warehouse. Staff only.",
    )

    @staticmethod
    def prepare(info: Any, variants: Iterable[m.ProductVariant], channel: Any) -> list:
        """Variants another domain hands out (checkout and order lines), reached through the
        type registry: set what the resolvers read (product, channel) and register them with
        the request's batch loaders, so the catalog fields of N lines cost what one line does.
        """
        variants = list(variants)
        products = {v.product_id: v.product for v in variants}
        batch = loaders(info)
        batch.saw_products(in_channel(list(products.values()), channel))
        batch.variants.add(v.pk for v in variants)
        for variant in variants:
            variant._product = products[variant.product_id]
            variant._channel = channel
        return variants

    @staticmethod
    def resolve_id(root: m.ProductVariant, info: Any) -> str:
        return gid("ProductVariant", root.pk)

    @staticmethod
    def resolve_sku(root: m.ProductVariant, info: Any) -> str | None:
        return root.sku

    @staticmethod
    def resolve_created(root: m.ProductVariant, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_product(root: m.ProductVariant, info: Any) -> m.Product:
        return root._product

    @staticmethod
    def resolve_weight(root: m.ProductVariant, info: Any) -> Row | None:
        return _weight(root.weight)

    @staticmethod
    def resolve_channel(root: m.ProductVariant, info: Any) -> str | None:
        channel = channel_of(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_attributes(
        root: m.ProductVariant, info: Any, variant_selection: Any = None
    ) -> list[Row]:
        batch = loaders(info)
        assignments = batch.variant_attributes_of_type.get(root._product.product_type_id)
        return _selected(info, assignments, batch.values_by_variant.get(root.pk), variant_selection)

    @staticmethod
    def resolve_quantity_available(
        root: m.ProductVariant, info: Any, country_code: str | None = None
    ) -> int | None:
        channel = channel_of(root)
        if channel is None:
            return None
        stock = loaders(info).stock(channel, country_code).get(root.product_id)
        return stock.get(root.pk, 0)

    @staticmethod
    def resolve_pricing(root: m.ProductVariant, info: Any) -> Any:
        channel = channel_of(root)
        if channel is None:
            return None
        amount = loaders(info).prices(channel).get(root.product_id).get(root.pk)
        return variant_pricing(root, channel, amount)

    @staticmethod
    def resolve_translation(root: m.ProductVariant, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.ProductVariant, language_code)

    @staticmethod
    def resolve_channel_listings(root: m.ProductVariant, info: Any) -> list:
        _staff(info)
        return list(root.channel_listings.select_related("channel"))

    @staticmethod
    def resolve_stocks(root: m.ProductVariant, info: Any) -> list:
        from warehouse.models import Stock

        _staff(info)
        stocks = list(Stock.objects.filter(product_variant_id=root.pk).select_related("warehouse"))
        for stock in stocks:
            stock.product_variant = root
        return stocks


@extendable
class Product(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString(description="Rich text (EditorJS JSON).")
    seo_title = graphene.String()
    seo_description = graphene.String()
    created = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    rating = graphene.Float(description="Average review rating, null before any review.")
    review_count = graphene.Int(required=True)
    weight = graphene.Field(Weight)
    channel = graphene.String(description="Slug of the channel the product was fetched in.")
    category = graphene.Field(lambda: Category)
    product_type = graphene.Field(ProductType, required=True)
    collections = graphene.List(graphene.NonNull(lambda: Collection))
    thumbnail = graphene.Field(
        Image,
        size=graphene.Int(description="Longest side in pixels; the nearest allowed size."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL"),
    )
    media = graphene.List(graphene.NonNull(ProductMedia))
    attributes = graphene.List(graphene.NonNull(SelectedAttribute), required=True)
    variants = graphene.List(graphene.NonNull(ProductVariant))
    default_variant = graphene.Field(ProductVariant)
    pricing = graphene.Field(ProductPricingInfo)
    is_available = graphene.Boolean(description="Available for purchase and in stock.")
    is_available_for_purchase = graphene.Boolean()
    available_for_purchase_at = graphene.DateTime()
    translation = translation_field(ProductTranslation)
    channel_listings = graphene.List(
        graphene.NonNull(lambda: ProductChannelListing), description="Staff only."
    )

    @staticmethod
    def resolve_id(root: m.Product, info: Any) -> str:
        return gid("Product", root.pk)

    @staticmethod
    def resolve_seo_title(root: m.Product, info: Any) -> str:
        return root.name

    @staticmethod
    def resolve_seo_description(root: m.Product, info: Any) -> str:
        return root.description_plaintext[:300]

    @staticmethod
    def resolve_created(root: m.Product, info: Any) -> Any:
        return root.created_at

    @staticmethod
    def resolve_weight(root: m.Product, info: Any) -> Row | None:
        return _weight(root.weight)

    @staticmethod
    def resolve_channel(root: m.Product, info: Any) -> str | None:
        channel = channel_of(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_category(root: m.Product, info: Any) -> m.Category | None:
        return loaders(info).category.get(root.category_id) if root.category_id else None

    @staticmethod
    def resolve_product_type(root: m.Product, info: Any) -> m.ProductType:
        return loaders(info).product_type.get(root.product_type_id)

    @staticmethod
    def resolve_collections(root: m.Product, info: Any) -> list:
        return loaders(info).collections_by_product(channel_of(root)).get(root.pk)

    @staticmethod
    def resolve_thumbnail(
        root: m.Product,
        info: Any,
        size: int | None = None,
        format: Any = None,  # noqa: A002
    ) -> Row | None:
        media = loaders(info).media_by_product.get(root.pk)
        if not media:
            return None
        first = media[0]
        return Row(url=image_url(info, first, size or 256, format), alt=first.alt)

    @staticmethod
    def resolve_media(root: m.Product, info: Any) -> list:
        return loaders(info).media_by_product.get(root.pk)

    @staticmethod
    def resolve_attributes(root: m.Product, info: Any) -> list[Row]:
        batch = loaders(info)
        assignments = batch.product_attributes_of_type.get(root.product_type_id)
        return _selected(info, assignments, batch.values_by_product.get(root.pk))

    @staticmethod
    def resolve_variants(root: m.Product, info: Any) -> list:
        return _visible_variants(info, root)

    @staticmethod
    def resolve_default_variant(root: m.Product, info: Any) -> Any:
        variants = _visible_variants(info, root)
        return variants[0] if variants else None

    @staticmethod
    def resolve_pricing(root: m.Product, info: Any) -> Any:
        channel = channel_of(root)
        if channel is None:
            return None
        batch = loaders(info)
        amounts = batch.prices(channel).get(root.pk)
        variants = None
        if amounts and has_price_plugins():
            variants = {v.pk: v for v in _visible_variants(info, root)}
        return product_pricing(channel, amounts, variants)

    @staticmethod
    def resolve_is_available_for_purchase(root: m.Product, info: Any) -> bool | None:
        return _is_available_for_purchase(info, root)

    @staticmethod
    def resolve_available_for_purchase_at(root: m.Product, info: Any) -> Any:
        listing = listing_of(info, root)
        return listing.available_for_purchase_at if listing else None

    @staticmethod
    def resolve_is_available(root: m.Product, info: Any) -> bool | None:
        purchasable = _is_available_for_purchase(info, root)
        if not purchasable:
            return purchasable
        stock = loaders(info).stock(channel_of(root)).get(root.pk)
        return any(quantity > 0 for quantity in stock.values())

    @staticmethod
    def resolve_translation(root: m.Product, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.Product, language_code)

    @staticmethod
    def resolve_channel_listings(root: m.Product, info: Any) -> list:
        _staff(info)
        return list(root.channel_listings.select_related("channel"))


class ProductCountableConnection(CountableConnection):
    class Meta:
        node = Product


class ProductVariantCountableConnection(CountableConnection):
    class Meta:
        node = ProductVariant


# -- staff views of listings ----------------------------------------------------------------------


class ProductChannelListing(graphene.ObjectType):
    id = graphene.ID(required=True)
    channel = graphene.Field("core.schema.Channel", required=True)
    is_published = graphene.Boolean(required=True)
    published_at = graphene.DateTime()
    visible_in_listings = graphene.Boolean(required=True)
    available_for_purchase_at = graphene.DateTime()
    is_available_for_purchase = graphene.Boolean()

    @staticmethod
    def resolve_id(root: m.ProductChannelListing, info: Any) -> str:
        return gid("ProductChannelListing", root.pk)

    @staticmethod
    def resolve_is_available_for_purchase(root: m.ProductChannelListing, info: Any) -> bool:
        at = root.available_for_purchase_at
        return at is not None and at <= timezone.now()


class ProductVariantChannelListing(graphene.ObjectType):
    id = graphene.ID(required=True)
    channel = graphene.Field("core.schema.Channel", required=True)
    price = graphene.Field("core.graphql.types.Money")
    cost_price = graphene.Field("core.graphql.types.Money")

    @staticmethod
    def resolve_id(root: m.ProductVariantChannelListing, info: Any) -> str:
        return gid("ProductVariantChannelListing", root.pk)

    @staticmethod
    def resolve_price(root: m.ProductVariantChannelListing, info: Any) -> Any:
        from core.money import money

        return money(root.price_amount, root.currency)

    @staticmethod
    def resolve_cost_price(root: m.ProductVariantChannelListing, info: Any) -> Any:
        from core.money import money

        if root.cost_price_amount is None:
            return None
        return money(root.cost_price_amount, root.currency)


# -- categories and collections -----------------------------------------------------------------


@extendable
class Category(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    level = graphene.Int(required=True)
    updated_at = graphene.DateTime(required=True)
    parent = graphene.Field(lambda: Category)
    ancestors = graphene.List(graphene.NonNull(lambda: Category))
    children = graphene.Field(lambda: CategoryCountableConnection, **connection_args())
    products = graphene.Field(
        ProductCountableConnection,
        channel=graphene.String(),
        **connection_args(),
        **product_list_args(),
        description="Products of this category and its subcategories.",
    )
    translation = translation_field(CategoryTranslation)

    @staticmethod
    def resolve_id(root: m.Category, info: Any) -> str:
        return gid("Category", root.pk)

    @staticmethod
    def resolve_parent(root: m.Category, info: Any) -> m.Category | None:
        return loaders(info).category.get(root.parent_id) if root.parent_id else None

    @staticmethod
    def resolve_ancestors(root: m.Category, info: Any) -> list[m.Category]:
        chain = []
        current = root
        while current.parent_id:
            current = loaders(info).category.get(current.parent_id)
            if current is None:
                break
            chain.append(current)
        return list(reversed(chain))

    @staticmethod
    def resolve_children(root: m.Category, info: Any, **args: Any) -> Any:
        if not (args.get("after") or args.get("before") or args.get("last") is not None):
            rows = loaders(info).children.get(root.pk)
            return first_page(
                CategoryCountableConnection, rows, ("name", "slug", "pk"), args.get("first")
            )
        page = paginate(
            m.Category.objects.filter(parent_id=root.pk),
            CategoryCountableConnection,
            Ordering(("name", "slug")),
            **args,
        )
        loaders(info).categories.add(edge.node.pk for edge in page.edges)
        return page

    @staticmethod
    def resolve_products(root: m.Category, info: Any, channel: str | None = None, **args: Any):  # noqa: ANN205
        from product.schema.common import resolve_channel
        from product.services import descendant_ids

        found = resolve_channel(info, channel)
        qs = product_queryset(info, found).filter(category_id__in=descendant_ids([root.pk]))
        return product_connection(info, qs, found, ProductCountableConnection, **args)

    @staticmethod
    def resolve_translation(root: m.Category, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.Category, language_code)


class CategoryCountableConnection(CountableConnection):
    class Meta:
        node = Category


@extendable
class Collection(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    description = graphene.JSONString()
    channel = graphene.String()
    products = graphene.Field(
        ProductCountableConnection, **connection_args(), **product_list_args()
    )
    translation = translation_field(CollectionTranslation)

    @staticmethod
    def resolve_id(root: m.Collection, info: Any) -> str:
        return gid("Collection", root.pk)

    @staticmethod
    def resolve_channel(root: m.Collection, info: Any) -> str | None:
        channel = channel_of(root)
        return channel.slug if channel else None

    @staticmethod
    def resolve_products(root: m.Collection, info: Any, **args: Any) -> Any:
        channel = channel_of(root)
        qs = product_queryset(info, channel).filter(collection_products__collection_id=root.pk)
        return product_connection(
            info, qs, channel, ProductCountableConnection, collection_id=root.pk, **args
        )

    @staticmethod
    def resolve_translation(root: m.Collection, info: Any, language_code: Any) -> Any:
        return resolve_translation(info, root, m.Collection, language_code)


class CollectionCountableConnection(CountableConnection):
    class Meta:
        node = Collection


def collections_in_channel(info: Any, collections: list[m.Collection], channel: Any) -> list:
    return in_channel(collections, channel)
