"""Product lists: filter input, sort input, and the connection resolver they share.

Used by ``products``, ``Category.products`` and ``Collection.products``. The page
is one keyset query over products with their channel listing annotated;
everything a node shows is then batch-loaded (see ``loaders``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import graphene
from django.db import connection as db_connection
from django.db.models import (
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from core.errors import DomainError
from core.graphql.pagination import Ordering, paginate
from core.models import Channel
from product import models as m
from product.schema.common import decode_ids, in_channel
from product.schema.loaders import loaders

MAX_PRICE = Decimal("9999999999999999.999")


class ProductOrderField(graphene.Enum):
    NAME = "name"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    CREATED_AT = "created_at"
    LAST_MODIFIED_AT = "last_modified_at"
    RATING = "rating"
    COLLECTION = "collection"


class OrderDirection(graphene.Enum):
    ASC = "ASC"
    DESC = "DESC"


class ProductOrder(graphene.InputObjectType):
    field = graphene.Field(ProductOrderField, required=True)
    direction = graphene.Field(OrderDirection, default_value="ASC")


class StockAvailability(graphene.Enum):
    IN_STOCK = "IN_STOCK"
    OUT_OF_STOCK = "OUT_OF_STOCK"


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float()
    lte = graphene.Float()


class AttributeInput(graphene.InputObjectType):
    slug = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(graphene.String), description="Value slugs.")
    values_range = graphene.Field(PriceRangeInput, description="NUMERIC attributes.")
    boolean = graphene.Boolean()


class ProductFilterInput(graphene.InputObjectType):
    search = graphene.String()
    categories = graphene.List(graphene.NonNull(graphene.ID))
    collections = graphene.List(graphene.NonNull(graphene.ID))
    product_types = graphene.List(graphene.NonNull(graphene.ID))
    ids = graphene.List(graphene.NonNull(graphene.ID))
    price = graphene.Field(PriceRangeInput)
    minimal_price = graphene.Field(PriceRangeInput)
    attributes = graphene.List(graphene.NonNull(AttributeInput))
    stock_availability = graphene.Field(StockAvailability)
    is_published = graphene.Boolean()
    minimal_rating = graphene.Float(
        description="Only products whose average review rating is at least this (0 to 5)."
    )


def product_list_args() -> dict[str, Any]:
    return {
        "filter": graphene.Argument(ProductFilterInput),
        "sort_by": graphene.Argument(ProductOrder),
        "search": graphene.String(),
    }


# -- search --------------------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())[:10]


def apply_search(qs: QuerySet, text: str | None) -> QuerySet:
    """Full-text search on PostgreSQL (prefix matching on every word); substring elsewhere."""
    terms = _terms(text or "")
    if not terms:
        return qs
    if db_connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config="simple")
        return qs.filter(search_vector=query)
    for term in terms:
        qs = qs.filter(search_document__contains=term)
    return qs


# -- filters --------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def apply_filter(qs: QuerySet, data: dict | None, channel: Channel | None, info: Any) -> QuerySet:
    if not data:
        return qs
    from product.services import descendant_ids

    qs = apply_search(qs, data.get("search"))
    if data.get("categories"):
        ids = descendant_ids(decode_ids(data["categories"], "Category", "categories"))
        qs = qs.filter(category_id__in=ids)
    if data.get("collections"):
        ids = decode_ids(data["collections"], "Collection", "collections")
        qs = qs.filter(
            Exists(
                m.CollectionProduct.objects.filter(product_id=OuterRef("pk"), collection_id__in=ids)
            )
        )
    if data.get("product_types"):
        qs = qs.filter(
            product_type_id__in=decode_ids(data["product_types"], "ProductType", "productTypes")
        )
    if data.get("ids"):
        qs = qs.filter(pk__in=decode_ids(data["ids"], "Product", "ids"))
    for key in ("price", "minimal_price"):
        bounds = data.get(key)
        if bounds:
            qs = _price_filter(qs, bounds, channel, key)
    for spec in data.get("attributes") or ():
        qs = _attribute_filter(qs, spec)
    if data.get("stock_availability") is not None:
        qs = _stock_filter(qs, data["stock_availability"], channel, info)
    if data.get("minimal_rating") is not None:
        qs = _rating_filter(qs, data["minimal_rating"])
    if data.get("is_published") is not None and channel is not None:
        published = m.ProductChannelListing.objects.filter(
            product_id=OuterRef("pk"), channel_id=channel.pk, is_published=True
        )
        qs = qs.filter(Exists(published)) if data["is_published"] else qs.exclude(Exists(published))
    return qs


def _rating_filter(qs: QuerySet, minimum: float) -> QuerySet:
    if not 0 <= minimum <= 5:
        raise DomainError("A rating is between 0 and 5.", code="INVALID", field="minimalRating")
    return qs.filter(rating__gte=minimum)


def _price_filter(qs: QuerySet, bounds: dict, channel: Channel | None, key: str) -> QuerySet:
    if channel is None:
        raise DomainError("Filtering by price needs a channel.", code="INVALID", field=key)
    low, high = _decimal(bounds.get("gte")), _decimal(bounds.get("lte"))
    if key == "minimal_price":
        listings = m.ProductChannelListing.objects.filter(
            product_id=OuterRef("pk"), channel_id=channel.pk
        )
        if low is not None:
            listings = listings.filter(min_price_amount__gte=low)
        if high is not None:
            listings = listings.filter(min_price_amount__lte=high)
        return qs.filter(Exists(listings))
    prices = m.ProductVariantChannelListing.objects.filter(
        variant__product_id=OuterRef("pk"), channel_id=channel.pk
    )
    if low is not None:
        prices = prices.filter(price_amount__gte=low)
    if high is not None:
        prices = prices.filter(price_amount__lte=high)
    return qs.filter(Exists(prices))


def _attribute_filter(qs: QuerySet, spec: dict) -> QuerySet:
    values = m.AttributeValue.objects.filter(attribute__slug=spec["slug"])
    if spec.get("values"):
        values = values.filter(slug__in=spec["values"])
    elif spec.get("boolean") is not None:
        values = values.filter(boolean=spec["boolean"])
    elif spec.get("values_range"):
        ids = []
        low = _decimal(spec["values_range"].get("gte"))
        high = _decimal(spec["values_range"].get("lte"))
        for pk, name in values.values_list("pk", "name"):
            try:
                number = Decimal(name)
            except ArithmeticError:
                continue
            if (low is None or number >= low) and (high is None or number <= high):
                ids.append(pk)
        values = m.AttributeValue.objects.filter(pk__in=ids)
    value_ids = values.values("pk")
    on_product = m.ProductAttributeValue.objects.filter(
        product_id=OuterRef("pk"), value_id__in=value_ids
    )
    on_variant = m.VariantAttributeValue.objects.filter(
        variant__product_id=OuterRef("pk"), value_id__in=value_ids
    )
    return qs.filter(Exists(on_product) | Exists(on_variant))


def _stock_filter(qs: QuerySet, wanted: Any, channel: Channel | None, info: Any) -> QuerySet:
    from warehouse.models import Stock

    if channel is None:
        raise DomainError(
            "Filtering by stock needs a channel.", code="INVALID", field="stockAvailability"
        )
    in_stock = Stock.objects.filter(
        product_variant__product_id=OuterRef("pk"),
        warehouse_id__in=loaders(info).channel_warehouses(channel),
        quantity__gt=F("quantity_allocated"),
    )
    value = getattr(wanted, "value", wanted)
    return qs.filter(Exists(in_stock)) if value == "IN_STOCK" else qs.exclude(Exists(in_stock))


# -- sorting --------------------------------------------------------------------------------


def apply_sort(
    qs: QuerySet,
    sort_by: dict | None,
    channel: Channel | None,
    collection_id: int | None,
) -> tuple[QuerySet, Ordering]:
    field = getattr((sort_by or {}).get("field"), "value", (sort_by or {}).get("field"))
    descending = getattr((sort_by or {}).get("direction"), "value", "ASC") == "DESC"
    field = field or ("collection" if collection_id else "name")
    if field == "name":
        fields: tuple[str, ...] = ("name", "slug")
    elif field in ("price", "minimal_price"):
        if channel is None:
            raise DomainError("Sorting by price needs a channel.", code="INVALID", field="sortBy")
        qs = qs.annotate(
            listing=FilteredRelation(
                "channel_listings", condition=Q(channel_listings__channel_id=channel.pk)
            ),
            sort_price=Coalesce(
                F("listing__min_price_amount"),
                Value(MAX_PRICE),
                output_field=DecimalField(max_digits=20, decimal_places=3),
            ),
        )
        fields = ("sort_price", "slug")
    elif field == "created_at":
        fields = ("created_at",)
    elif field == "last_modified_at":
        fields = ("updated_at",)
    elif field == "rating":
        qs = qs.annotate(sort_rating=Coalesce(F("rating"), Value(-1.0), output_field=FloatField()))
        fields = ("sort_rating", "slug")
    elif field == "collection":
        if collection_id is None:
            raise DomainError(
                "Sorting by collection position needs exactly one collection.",
                code="INVALID",
                field="sortBy",
            )
        qs = qs.annotate(
            in_collection=FilteredRelation(
                "collection_products",
                condition=Q(collection_products__collection_id=collection_id),
            ),
            sort_position=Coalesce(
                F("in_collection__sort_order"), Value(2**31 - 1), output_field=IntegerField()
            ),
        )
        fields = ("sort_position", "pk")
    else:  # pragma: no cover - the enum prevents it
        raise DomainError("Unknown sort field.", code="INVALID", field="sortBy")
    fields = (*fields, "pk") if "pk" not in fields else fields
    if descending:
        fields = tuple(f"-{f}" for f in fields)
    return qs, Ordering(fields)


def product_connection(
    info: Any,
    qs: QuerySet,
    channel: Channel | None,
    connection_type: type,
    *,
    collection_id: int | None = None,
    filter: dict | None = None,  # noqa: A002 - the GraphQL argument's name
    sort_by: dict | None = None,
    search: str | None = None,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Any:
    qs = apply_filter(qs, filter, channel, info)
    qs = apply_search(qs, search)
    if collection_id is None and filter and len(filter.get("collections") or ()) == 1:
        from product.schema.common import decode_id

        collection_id = decode_id(filter["collections"][0], "Collection", "collections")
    qs, ordering = apply_sort(qs, sort_by, channel, collection_id)
    page = paginate(
        qs, connection_type, ordering, first=first, last=last, after=after, before=before
    )
    nodes = [edge.node for edge in page.edges]
    loaders(info).saw_products(in_channel(nodes, channel))
    return page
