"""Storefront queries of the catalog (public, channel-scoped) and a few staff lists."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import Q

from core.errors import DomainError
from core.graphql.pagination import Ordering, connection_args, paginate
from core.permissions import Perm
from product import models as m
from product.schema.common import (
    decode_id,
    decode_ids,
    in_channel,
    is_staff_for_products,
    product_queryset,
    resolve_channel,
)
from product.schema.listing import product_connection, product_list_args
from product.schema.loaders import loaders
from product.schema.shop import Shop, resolve_shop
from product.schema.types import (
    Attribute,
    AttributeValueCountableConnection,
    Category,
    CategoryCountableConnection,
    Collection,
    CollectionCountableConnection,
    Product,
    ProductCountableConnection,
    ProductType,
    ProductVariant,
    ProductVariantCountableConnection,
)


class CategoryFilterInput(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class CollectionFilterInput(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class AttributeFilterInput(graphene.InputObjectType):
    search = graphene.String()
    slugs = graphene.List(graphene.NonNull(graphene.String))
    filterable_in_storefront = graphene.Boolean()
    in_category = graphene.ID()


class AttributeCountableConnection(graphene.relay.Connection):
    class Meta:
        node = Attribute

    total_count = graphene.Int()

    @staticmethod
    def resolve_total_count(root: Any, info: Any) -> int:
        return root.count_all()


def _one(info: Any, id: str | None, slug: str | None, type_name: str) -> Q:  # noqa: A002
    if (id is None) == (slug is None):
        raise DomainError(
            f"Pass either 'id' or 'slug' of the {type_name}.", code="GRAPHQL_ERROR", field="id"
        )
    return Q(pk=decode_id(id, type_name, "id")) if id is not None else Q(slug=slug)


def visible_collections(info: Any, channel: Any) -> Any:
    qs = m.Collection.objects.all()
    if is_staff_for_products(info):
        return qs
    if channel is None:
        return qs.none()
    return qs.filter(
        channel_listings__channel=channel, channel_listings__is_published=True
    ).distinct()


class Query(graphene.ObjectType):
    products = graphene.Field(
        ProductCountableConnection,
        channel=graphene.String(description="Slug of the channel."),
        **connection_args(),
        **product_list_args(),
        description="Products visible in the channel.",
    )
    product = graphene.Field(
        Product,
        id=graphene.ID(),
        slug=graphene.String(),
        channel=graphene.String(),
        description="One product by id or slug, if visible in the channel.",
    )
    product_variant = graphene.Field(
        ProductVariant, id=graphene.ID(), sku=graphene.String(), channel=graphene.String()
    )
    product_variants = graphene.Field(
        ProductVariantCountableConnection,
        ids=graphene.List(graphene.NonNull(graphene.ID)),
        channel=graphene.String(),
        **connection_args(),
    )
    categories = graphene.Field(
        CategoryCountableConnection,
        level=graphene.Int(),
        filter=graphene.Argument(CategoryFilterInput),
        **connection_args(),
    )
    category = graphene.Field(Category, id=graphene.ID(), slug=graphene.String())
    collections = graphene.Field(
        CollectionCountableConnection,
        channel=graphene.String(),
        filter=graphene.Argument(CollectionFilterInput),
        **connection_args(),
    )
    collection = graphene.Field(
        Collection, id=graphene.ID(), slug=graphene.String(), channel=graphene.String()
    )
    attributes = graphene.Field(
        AttributeCountableConnection,
        channel=graphene.String(),
        filter=graphene.Argument(AttributeFilterInput),
        **connection_args(),
    )
    attribute = graphene.Field(Attribute, id=graphene.ID(), slug=graphene.String())
    product_types = graphene.List(
        graphene.NonNull(ProductType), description="All product types. Staff only."
    )
    shop = graphene.Field(Shop, required=True)

    @staticmethod
    def resolve_products(root: Any, info: Any, channel: str | None = None, **args: Any) -> Any:
        found = resolve_channel(info, channel)
        return product_connection(
            info, product_queryset(info, found), found, ProductCountableConnection, **args
        )

    @staticmethod
    def resolve_product(
        root: Any,
        info: Any,
        id: str | None = None,  # noqa: A002
        slug: str | None = None,
        channel: str | None = None,
    ) -> m.Product | None:
        found = resolve_channel(info, channel)
        condition = _one(info, id, slug, "Product")
        product = product_queryset(info, found, in_listings=False).filter(condition).first()
        if product is None:
            return None
        return loaders(info).saw_products(in_channel([product], found))[0]

    @staticmethod
    def resolve_product_variant(
        root: Any,
        info: Any,
        id: str | None = None,  # noqa: A002
        sku: str | None = None,
        channel: str | None = None,
    ) -> m.ProductVariant | None:
        found = resolve_channel(info, channel)
        if (id is None) == (sku is None):
            raise DomainError("Pass either 'id' or 'sku'.", code="GRAPHQL_ERROR", field="id")
        condition = Q(pk=decode_id(id, "ProductVariant", "id")) if id else Q(sku=sku)
        variant = m.ProductVariant.objects.filter(condition).first()
        if variant is None:
            return None
        return _attach_products(info, [variant], found)[0] if variant else None

    @staticmethod
    def resolve_product_variants(
        root: Any, info: Any, ids: list[str] | None = None, channel: str | None = None, **args: Any
    ) -> Any:
        found = resolve_channel(info, channel)
        visible = product_queryset(info, found, in_listings=False).values("pk")
        qs = m.ProductVariant.objects.filter(product_id__in=visible)
        if ids:
            qs = qs.filter(pk__in=decode_ids(ids, "ProductVariant", "ids"))
        if found is not None and not is_staff_for_products(info):
            qs = qs.filter(channel_listings__channel=found)
        page = paginate(qs, ProductVariantCountableConnection, Ordering(("pk",)), **args)
        _attach_products(info, [edge.node for edge in page.edges], found)
        return page

    @staticmethod
    def resolve_categories(
        root: Any,
        info: Any,
        level: int | None = None,
        filter: dict | None = None,
        **args: Any,  # noqa: A002
    ) -> Any:
        qs = m.Category.objects.all()
        if level is not None:
            qs = qs.filter(level=level)
        qs = _filter_named(qs, filter, "Category")
        page = paginate(qs, CategoryCountableConnection, Ordering(("name", "slug")), **args)
        loaders(info).categories.add(edge.node.pk for edge in page.edges)
        return page

    @staticmethod
    def resolve_category(
        root: Any,
        info: Any,
        id: str | None = None,
        slug: str | None = None,  # noqa: A002
    ) -> m.Category | None:
        category = m.Category.objects.filter(_one(info, id, slug, "Category")).first()
        if category is not None:
            loaders(info).categories.add((category.pk,))
        return category

    @staticmethod
    def resolve_collections(
        root: Any,
        info: Any,
        channel: str | None = None,
        filter: dict | None = None,
        **args: Any,  # noqa: A002
    ) -> Any:
        found = resolve_channel(info, channel)
        qs = _filter_named(visible_collections(info, found), filter, "Collection")
        page = paginate(qs, CollectionCountableConnection, Ordering(("slug",)), **args)
        in_channel([edge.node for edge in page.edges], found)
        return page

    @staticmethod
    def resolve_collection(
        root: Any,
        info: Any,
        id: str | None = None,  # noqa: A002
        slug: str | None = None,
        channel: str | None = None,
    ) -> m.Collection | None:
        found = resolve_channel(info, channel)
        condition = _one(info, id, slug, "Collection")
        collection = visible_collections(info, found).filter(condition).first()
        return in_channel([collection], found)[0] if collection else None

    @staticmethod
    def resolve_attributes(
        root: Any,
        info: Any,
        channel: str | None = None,
        filter: dict | None = None,
        **args: Any,  # noqa: A002
    ) -> Any:
        qs = m.Attribute.objects.all()
        if not is_staff_for_products(info):
            qs = qs.filter(visible_in_storefront=True)
        filter = filter or {}  # noqa: A001
        if filter.get("search"):
            qs = qs.filter(
                Q(name__icontains=filter["search"]) | Q(slug__icontains=filter["search"])
            )
        if filter.get("slugs"):
            qs = qs.filter(slug__in=filter["slugs"])
        if filter.get("filterable_in_storefront") is not None:
            qs = qs.filter(filterable_in_storefront=filter["filterable_in_storefront"])
        if filter.get("in_category"):
            from product.services import descendant_ids

            category_ids = descendant_ids(
                [decode_id(filter["in_category"], "Category", "inCategory")]
            )
            types = m.Product.objects.filter(category_id__in=category_ids).values("product_type_id")
            qs = qs.filter(
                Q(attribute_products__product_type_id__in=types)
                | Q(attribute_variants__product_type_id__in=types)
            ).distinct()
        page = paginate(
            qs,
            AttributeCountableConnection,
            Ordering(("storefront_search_position", "slug")),
            **args,
        )
        loaders(info).attributes.add(edge.node.pk for edge in page.edges)
        return page

    @staticmethod
    def resolve_attribute(
        root: Any,
        info: Any,
        id: str | None = None,
        slug: str | None = None,  # noqa: A002
    ) -> m.Attribute | None:
        attribute = m.Attribute.objects.filter(_one(info, id, slug, "Attribute")).first()
        if attribute and not attribute.visible_in_storefront and not is_staff_for_products(info):
            return None
        return attribute

    @staticmethod
    def resolve_product_types(root: Any, info: Any) -> list:
        from core.permissions import require_perm

        require_perm(info.context.user, Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES)
        return list(m.ProductType.objects.all())

    @staticmethod
    def resolve_shop(root: Any, info: Any) -> Any:
        return resolve_shop(info)


def _filter_named(qs: Any, data: dict | None, type_name: str) -> Any:
    if not data:
        return qs
    if data.get("search"):
        qs = qs.filter(Q(name__icontains=data["search"]) | Q(slug__icontains=data["search"]))
    if data.get("ids"):
        qs = qs.filter(pk__in=decode_ids(data["ids"], type_name, "ids"))
    if data.get("slugs"):
        qs = qs.filter(slug__in=data["slugs"])
    return qs


def _attach_products(info: Any, variants: list[m.ProductVariant], channel: Any) -> list:
    """Give each variant its product, fetched (with the channel listing) in one query.

    Variants whose product the requester may not see, or that have no price in the
    channel for a customer, come back as None.
    """
    product_ids = {v.product_id for v in variants}
    products = {
        p.pk: p
        for p in product_queryset(info, channel, in_listings=False).filter(pk__in=product_ids)
    }
    batch = loaders(info)
    batch.saw_products(in_channel(list(products.values()), channel))
    staff = batch.can(Perm.MANAGE_PRODUCTS)
    result = []
    for variant in variants:
        product = products.get(variant.product_id)
        if product is None:
            result.append(None)
            continue
        if (
            channel is not None
            and not staff
            and variant.pk not in batch.prices(channel).get(product.pk)
        ):
            result.append(None)
            continue
        variant._product, variant._channel = product, channel
        batch.variants.add((variant.pk,))
        result.append(variant)
    return result


__all__ = ["AttributeValueCountableConnection", "Query"]
