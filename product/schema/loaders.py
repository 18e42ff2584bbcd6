"""Per-request batch loading, so that a page of N products costs the same queries as one.

Every object the API hands out registers its id in a *pool* of its kind. When a
resolver first asks a :class:`Batch` for one id, the batch fetches the data of
every pooled id it does not hold yet, in one query. A page of products thus
costs one query for all their variants, one for all the variants' prices, and
so on, whatever the page size.

The loaders live on the request (``info.context``) and die with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import F, Sum

from core.models import Channel
from core.permissions import Perm, has_perm
from product import models as m

K = TypeVar("K")
V = TypeVar("V")


class MediaRow:
    """What the API shows of a media row, without a model instance (lists are hot)."""

    __slots__ = ("alt", "name", "pk", "product_id", "sort_order", "type")

    def __init__(
        self,
        pk: int,
        product_id: int,
        name: str,
        alt: str,
        type: str,
        sort_order: int,  # noqa: A002
    ) -> None:
        self.pk, self.product_id, self.name = pk, product_id, name
        self.alt, self.type, self.sort_order = alt, type, sort_order

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


class Pool:
    """Ids of one kind of object handed out in this request, in first-seen order."""

    def __init__(self) -> None:
        self.ids: dict[Any, None] = {}

    def add(self, ids: Iterable[Any]) -> None:
        for key in ids:
            self.ids.setdefault(key)


class Batch(Generic[K, V]):
    def __init__(self, pool: Pool, fetch: Callable[[list[K]], dict[K, V]], default: Any) -> None:
        self.pool = pool
        self.fetch = fetch
        self.default = default
        self.cache: dict[K, V] = {}

    def get(self, key: K) -> V:
        try:
            return self.cache[key]
        except KeyError:
            pass
        self.pool.add((key,))
        missing = [k for k in self.pool.ids if k not in self.cache]
        found = self.fetch(missing)
        default = self.default
        for k in missing:
            self.cache[k] = found[k] if k in found else default()
        return self.cache[key]


# The three lookups every listing page makes (channel, prices, images) are plain SQL: the
# ORM spent more CPU building them than the database spent answering. Columns are
# plain (ids, text, numeric); PostgreSQL returns Decimal for numeric columns, SQLite an
# int or float (exact for the 3-decimal amounts stored), turned into Decimal here.
CHANNEL_FIELDS = ["id", "name", "slug", "currency_code", "default_country", "is_active"]


def fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _marks(ids: list[Any]) -> str:
    return ", ".join(["%s"] * len(ids))


def _group(rows: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


class CatalogLoaders:
    """Everything one request loads for the catalog, keyed by channel where prices matter."""

    def __init__(self, request: Any) -> None:
        self.request = request
        self.products = Pool()
        self.variants = Pool()
        self.product_types = Pool()
        self.categories = Pool()
        self.attributes = Pool()
        self.values = Pool()
        self.media = Pool()
        self._channel_batches: dict[tuple[str, int], Batch] = {}
        self._translation_batches: dict[tuple[type, str], Batch] = {}
        self._staff: dict[Perm, bool] = {}
        self._base_url: str | None = None
        self._channels: dict[str, Channel | None] = {}
        self._warehouses: dict[int, list[int]] = {}

        self.variants_by_product = Batch(self.products, self._variants, list)
        self.media_by_product = Batch(self.products, self._media, list)
        self.category = Batch(self.categories, self._categories, lambda: None)
        self.product_type = Batch(self.product_types, self._product_types, lambda: None)
        self.product_attributes_of_type = Batch(
            self.product_types, self._type_product_attributes, list
        )
        self.variant_attributes_of_type = Batch(
            self.product_types, self._type_variant_attributes, list
        )
        self.values_by_product = Batch(self.products, self._product_values, dict)
        self.values_by_variant = Batch(self.variants, self._variant_values, dict)
        self.attribute = Batch(self.attributes, self._attributes, lambda: None)
        self.children = Batch(self.categories, self._children, list)
        self.choices = Batch(self.attributes, self._choices, list)

    # -- who is asking --------------------------------------------------------------------

    def can(self, perm: Perm) -> bool:
        allowed = self._staff.get(perm)
        if allowed is None:
            allowed = self._staff[perm] = has_perm(getattr(self.request, "user", None), perm)
        return allowed

    def absolute(self, path: str) -> str:
        if self._base_url is None:
            self._base_url = self.request.build_absolute_uri("/").rstrip("/")
        return self._base_url + path

    def channel(self, slug: str) -> Channel | None:
        if slug not in self._channels:
            rows = fetch(
                f"SELECT id, name, slug, currency_code, default_country, is_active "  # noqa: S608
                f"FROM {Channel._meta.db_table} WHERE slug = %s",
                [slug],
            )
            self._channels[slug] = (
                Channel.from_db("default", CHANNEL_FIELDS, rows[0]) if rows else None
            )
        return self._channels[slug]

    def channel_warehouses(self, channel: Channel) -> list[int]:
        ids = self._warehouses.get(channel.pk)
        if ids is None:
            from warehouse.services import channel_warehouse_ids

            ids = self._warehouses[channel.pk] = channel_warehouse_ids(channel)
        return ids

    # -- registration -----------------------------------------------------------------------

    def saw_products(self, products: Iterable[m.Product]) -> list[m.Product]:
        products = list(products)
        self.products.add(p.pk for p in products)
        self.product_types.add(p.product_type_id for p in products)
        self.categories.add(p.category_id for p in products if p.category_id)
        return products

    # -- batches per channel ------------------------------------------------------------------

    def _per_channel(self, name: str, channel: Channel, pool: Pool, fetch: Callable) -> Batch:
        key = (name, channel.pk)
        batch = self._channel_batches.get(key)
        if batch is None:
            batch = self._channel_batches[key] = Batch(pool, lambda ids: fetch(ids, channel), dict)
        return batch

    def prices(self, channel: Channel) -> Batch[int, dict[int, Decimal]]:
        """product id -> {variant id: price amount} in the channel."""
        return self._per_channel("prices", channel, self.products, self._prices)

    def stock(self, channel: Channel, country: str | None = None) -> Batch[int, dict[int, int]]:
        """product id -> {variant id: available quantity} in the channel's warehouses
        (only those shipping to ``country`` when given)."""
        country = (country or "").upper() or None
        return self._per_channel(
            f"stock:{country}", channel, self.products, lambda ids, c: self._stock(ids, c, country)
        )

    def collections_by_product(self, channel: Channel | None) -> Batch[int, list[Any]]:
        """product id -> collections it belongs to that the requester may see in the channel."""
        key = ("collections", channel.pk if channel else 0)
        batch = self._channel_batches.get(key)
        if batch is None:
            batch = self._channel_batches[key] = Batch(
                self.products, lambda ids: self._collections(ids, channel), list
            )
        return batch

    def listings(self, channel: Channel) -> Batch[int, dict[str, Any]]:
        """product id -> its channel listing (for products reached without the page query)."""
        return self._per_channel("listings", channel, self.products, self._listings)

    def variant_listings(self, channel: Channel) -> Batch[int, dict[str, Any]]:
        return self._per_channel("variant_listings", channel, self.products, self._variant_rows)

    def translations(self, model: type, language: str) -> Batch:
        key = (model, language)
        batch = self._translation_batches.get(key)
        if batch is None:
            from product.services.translations import TRANSLATABLE

            translation_model, owner, _ = TRANSLATABLE[model]
            pool = {
                m.Product: self.products,
                m.ProductVariant: self.variants,
                m.Category: self.categories,
                m.Attribute: self.attributes,
                m.AttributeValue: self.values,
            }.get(model) or Pool()

            def fetch(ids: list[int]) -> dict[int, Any]:
                rows = translation_model.objects.filter(
                    **{f"{owner}_id__in": ids, "language_code": language}
                )
                return {getattr(row, f"{owner}_id"): row for row in rows}

            batch = self._translation_batches[key] = Batch(pool, fetch, lambda: None)
        return batch

    # -- fetchers --------------------------------------------------------------------------------

    def _variants(self, ids: list[int]) -> dict[int, list[m.ProductVariant]]:
        rows = list(
            m.ProductVariant.objects.filter(product_id__in=ids).order_by("sort_order", "pk")
        )
        self.variants.add(v.pk for v in rows)
        return _group(rows, lambda v: v.product_id)

    def _media(self, ids: list[int]) -> dict[int, list[MediaRow]]:
        if not ids:
            return {}
        rows = [
            MediaRow(*values)
            for values in fetch(
                f"SELECT id, product_id, image, alt, type, sort_order "  # noqa: S608
                f"FROM {m.ProductMedia._meta.db_table} WHERE product_id IN ({_marks(ids)}) "
                f"ORDER BY sort_order, id",
                ids,
            )
        ]
        self.media.add(r.pk for r in rows)
        return _group(rows, lambda r: r.product_id)

    def _categories(self, ids: list[int]) -> dict[int, m.Category]:
        return m.Category.objects.in_bulk(ids)

    def _product_types(self, ids: list[int]) -> dict[int, m.ProductType]:
        return m.ProductType.objects.in_bulk(ids)

    def _attributes(self, ids: list[int]) -> dict[int, m.Attribute]:
        return m.Attribute.objects.in_bulk(ids)

    def _children(self, ids: list[int]) -> dict[int, list[m.Category]]:
        rows = list(m.Category.objects.filter(parent_id__in=ids).order_by("name", "slug", "pk"))
        self.categories.add(c.pk for c in rows)
        return _group(rows, lambda c: c.parent_id)

    def _choices(self, ids: list[int]) -> dict[int, list[m.AttributeValue]]:
        rows = list(
            m.AttributeValue.objects.filter(attribute_id__in=ids).order_by("sort_order", "pk")
        )
        self.values.add(v.pk for v in rows)
        return _group(rows, lambda v: v.attribute_id)

    def _type_product_attributes(self, ids: list[int]) -> dict[int, list[m.AttributeProduct]]:
        rows = m.AttributeProduct.objects.filter(product_type_id__in=ids).select_related(
            "attribute"
        )
        return _group(rows, lambda r: r.product_type_id)

    def _type_variant_attributes(self, ids: list[int]) -> dict[int, list[m.AttributeVariant]]:
        rows = m.AttributeVariant.objects.filter(product_type_id__in=ids).select_related(
            "attribute"
        )
        return _group(rows, lambda r: r.product_type_id)

    def _product_values(self, ids: list[int]) -> dict[int, dict[int, list[m.AttributeValue]]]:
        return self._values(m.ProductAttributeValue, "product_id", ids)

    def _variant_values(self, ids: list[int]) -> dict[int, dict[int, list[m.AttributeValue]]]:
        return self._values(m.VariantAttributeValue, "variant_id", ids)

    def _values(self, through: type, owner: str, ids: list[int]) -> dict:
        """owner id -> {attribute id: [values]}."""
        result: dict[int, dict[int, list[m.AttributeValue]]] = {}
        rows = through.objects.filter(**{f"{owner}__in": ids}).select_related("value")
        for row in rows.order_by("sort_order", "pk"):
            value = row.value
            self.values.add((value.pk,))
            result.setdefault(getattr(row, owner), {}).setdefault(value.attribute_id, []).append(
                value
            )
        return result

    def _prices(self, ids: list[int], channel: Channel) -> dict[int, dict[int, Decimal]]:
        result: dict[int, dict[int, Decimal]] = {}
        if not ids:
            return result
        rows = fetch(
            f"SELECT v.product_id, l.variant_id, l.price_amount "  # noqa: S608
            f"FROM {m.ProductVariantChannelListing._meta.db_table} l "
            f"JOIN {m.ProductVariant._meta.db_table} v ON v.id = l.variant_id "
            f"WHERE l.channel_id = %s AND v.product_id IN ({_marks(ids)})",
            [channel.pk, *ids],
        )
        for product_id, variant_id, amount in rows:
            result.setdefault(product_id, {})[variant_id] = _decimal(amount)
        return result

    def _variant_rows(self, ids: list[int], channel: Channel) -> dict[int, dict[int, Any]]:
        result: dict[int, dict[int, Any]] = {}
        rows = m.ProductVariantChannelListing.objects.filter(
            variant__product_id__in=ids, channel=channel
        ).annotate(product_id=F("variant__product_id"))
        for row in rows:
            result.setdefault(row.product_id, {})[row.variant_id] = row
        return result

    def _stock(
        self, ids: list[int], channel: Channel, country: str | None
    ) -> dict[int, dict[int, int]]:
        from warehouse.models import Stock
        from warehouse.services import channel_warehouse_ids

        warehouses = (
            channel_warehouse_ids(channel, country) if country else self.channel_warehouses(channel)
        )
        result: dict[int, dict[int, int]] = {}
        rows = (
            Stock.objects.filter(
                product_variant__product_id__in=ids,
                warehouse_id__in=warehouses,
            )
            .values_list("product_variant__product_id", "product_variant_id")
            .annotate(available=Sum(F("quantity") - F("quantity_allocated")))
        )
        for product_id, variant_id, available in rows:
            result.setdefault(product_id, {})[variant_id] = max(available or 0, 0)
        return result

    def _collections(self, ids: list[int], channel: Channel | None) -> dict[int, list[Any]]:
        rows = m.CollectionProduct.objects.filter(product_id__in=ids).select_related("collection")
        if not self.can(Perm.MANAGE_PRODUCTS):
            if channel is None:
                return {}
            rows = rows.filter(
                collection__channel_listings__channel=channel,
                collection__channel_listings__is_published=True,
            )
        result: dict[int, list[Any]] = {}
        for row in rows.order_by("collection__slug"):
            row.collection._channel = channel
            result.setdefault(row.product_id, []).append(row.collection)
        return result

    def _listings(self, ids: list[int], channel: Channel) -> dict[int, m.ProductChannelListing]:
        rows = m.ProductChannelListing.objects.filter(product_id__in=ids, channel=channel)
        return {row.product_id: row for row in rows}


def loaders(info: Any) -> CatalogLoaders:
    request = info.context
    found = getattr(request, "_catalog_loaders", None)
    if found is None:
        found = CatalogLoaders(request)
        request._catalog_loaders = found
    return found
