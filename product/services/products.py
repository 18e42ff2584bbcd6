"""Products: create, update, delete, channel listings, media, rating, search document."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError
from core.events.outbox import emit
from product.models import (
    Category,
    Product,
    ProductAttributeValue,
    ProductChannelListing,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from product.services._common import (
    Actor,
    clean_rich_text,
    clean_slug,
    clean_weight,
    get_channel,
    get_instance,
    plain_text,
    require_name,
)
from product.services.assignments import AttributeAssignment, replace_assignments, resolve_values

_UNSET: Any = object()


def product_payload(product: Product) -> dict[str, Any]:
    return {
        "id": product.pk,
        "slug": product.slug,
        "name": product.name,
        "product_type": product.product_type.slug,
        "category": product.category.slug if product.category_id else None,
    }


@dataclass
class ProductInput:
    name: str | None = None
    slug: str | None = None
    description: dict | None = None
    category: Any = _UNSET  # Category, pk or None
    weight: Any = None
    attributes: list[AttributeAssignment] | None = None


def _apply(product: Product, data: ProductInput) -> dict | None:
    if data.name is not None:
        product.name = require_name(data.name)
    if data.slug is not None or product.pk is None:
        product.slug = clean_slug(Product, data.slug, product.name, exclude_pk=product.pk)
    if data.description is not None:
        product.description = clean_rich_text(data.description)
        product.description_plaintext = plain_text(product.description)
    if data.category is not _UNSET:
        product.category = (
            None if data.category is None else get_instance(Category, data.category, "category")
        )
    if data.weight is not None:
        product.weight = clean_weight(data.weight)
    if data.attributes is not None:
        return resolve_values(product.product_type, data.attributes, variant=False)
    return None


@transaction.atomic
def create_product(*, actor: Actor, product_type: ProductType | int, data: ProductInput) -> Product:
    product_type = get_instance(ProductType, product_type, "productType")
    product = Product(product_type=product_type, name=require_name(data.name))
    resolved = _apply(product, data)
    product.save()
    if resolved:
        replace_assignments(ProductAttributeValue, "product_id", product.pk, resolved)
    refresh_search_document([product.pk])
    emit("product_created", {"product": product_payload(product)})
    return product


@transaction.atomic
def update_product(*, actor: Actor, product: Product | int, data: ProductInput) -> Product:
    product = get_instance(Product, product, "id")
    resolved = _apply(product, data)
    product.save()
    if resolved:
        replace_assignments(ProductAttributeValue, "product_id", product.pk, resolved)
    refresh_search_document([product.pk])
    emit("product_updated", {"product": product_payload(product)})
    return product


@transaction.atomic
def delete_product(*, actor: Actor, product: Product | int) -> Product:
    product = get_instance(Product, product, "id")
    payload = product_payload(product)
    pk = product.pk
    product.delete()
    product.pk = pk
    emit("product_deleted", {"product": payload})
    return product


@dataclass
class ProductListingInput:
    channel: Any
    is_published: bool | None = None
    published_at: datetime | None = None
    visible_in_listings: bool | None = None
    is_available_for_purchase: bool | None = None
    available_for_purchase_at: datetime | None = None


@transaction.atomic
def update_product_channel_listings(
    *,
    actor: Actor,
    product: Product | int,
    update: Iterable[ProductListingInput] = (),
    remove: Iterable[Any] = (),
) -> Product:
    """Add or change the product's listings; removing a channel also drops variant prices."""
    product = get_instance(Product, product, "id")
    specs = [(get_channel(s.channel, "updateChannels"), s) for s in update]
    removed = [get_channel(c, "removeChannels") for c in remove]
    if {c.pk for c, _ in specs} & {c.pk for c in removed}:
        raise DomainError(
            "A channel cannot be both updated and removed.",
            code="DUPLICATED_INPUT_ITEM",
            field="removeChannels",
        )
    now = timezone.now()
    existing = {row.channel_id: row for row in product.channel_listings.all()}
    for channel, spec in specs:
        listing = existing.get(channel.pk) or ProductChannelListing(
            product=product, channel=channel, currency=channel.currency_code
        )
        if spec.is_published is not None:
            listing.is_published = spec.is_published
            if spec.is_published and listing.published_at is None:
                listing.published_at = spec.published_at or now
        if spec.published_at is not None:
            listing.published_at = spec.published_at
        if spec.visible_in_listings is not None:
            listing.visible_in_listings = spec.visible_in_listings
        if spec.available_for_purchase_at is not None:
            listing.available_for_purchase_at = spec.available_for_purchase_at
        elif spec.is_available_for_purchase is not None:
            listing.available_for_purchase_at = (
                (listing.available_for_purchase_at or now)
                if spec.is_available_for_purchase
                else None
            )
        listing.save()
    if removed:
        product.channel_listings.filter(channel__in=removed).delete()
        ProductVariantChannelListing.objects.filter(
            variant__product=product, channel__in=removed
        ).delete()
    refresh_min_prices([product.pk])
    emit("product_updated", {"product": product_payload(product)})
    return product


def refresh_min_prices(product_ids: Iterable[int]) -> None:
    """Store each listing's lowest variant price (used to sort and filter by price)."""
    ids = list(product_ids)
    lowest = {
        (row["variant__product_id"], row["channel_id"]): row["low"]
        for row in ProductVariantChannelListing.objects.filter(variant__product_id__in=ids)
        .values("variant__product_id", "channel_id")
        .annotate(low=Min("price_amount"))
    }
    for listing in ProductChannelListing.objects.filter(product_id__in=ids):
        low = lowest.get((listing.product_id, listing.channel_id))
        if listing.min_price_amount != low:
            listing.min_price_amount = low
            listing.save(update_fields=["min_price_amount"])


def refresh_search_document(product_ids: Iterable[int]) -> None:
    """Rebuild the search text (name, description, SKUs, variant names, attribute values)."""
    ids = list(product_ids)
    extra: dict[int, list[str]] = {pk: [] for pk in ids}
    for product_id, sku, name in ProductVariant.objects.filter(product_id__in=ids).values_list(
        "product_id", "sku", "name"
    ):
        extra[product_id].extend(x for x in (sku, name) if x)
    for product_id, value in ProductAttributeValue.objects.filter(product_id__in=ids).values_list(
        "product_id", "value__name"
    ):
        extra[product_id].append(value)
    for product in Product.objects.filter(pk__in=ids).only("pk", "name", "description_plaintext"):
        document = " ".join([product.name, product.description_plaintext, *extra[product.pk]])
        Product.objects.filter(pk=product.pk).update(search_document=document.lower())
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        Product.objects.filter(pk__in=ids).update(
            search_vector=SearchVector("name", weight="A", config="simple")
            + SearchVector("search_document", weight="B", config="simple")
        )


@transaction.atomic
def set_product_rating(
    *, actor: Actor, product: Product | int, rating: float | None, review_count: int
) -> Product:
    """Store the denormalised rating (called by the reviews feature)."""
    product = get_instance(Product, product, "id")
    if rating is not None and not 0 <= rating <= 5:
        raise DomainError("A rating is between 0 and 5.", code="INVALID", field="rating")
    if review_count < 0:
        raise DomainError("The review count cannot be negative.", code="INVALID", field="rating")
    product.rating, product.review_count = rating, review_count
    product.save(update_fields=["rating", "review_count", "updated_at"])
    return product


def _check_image(image: File) -> None:
    try:
        image.seek(0)
        with Image.open(image) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise DomainError("The file is not an image.", code="INVALID", field="image") from exc
    finally:
        image.seek(0)


@transaction.atomic
def add_product_media(
    *, actor: Actor, product: Product | int, image: File, alt: str = ""
) -> ProductMedia:
    product = get_instance(Product, product, "product")
    _check_image(image)
    order = product.media.count()
    media = ProductMedia(product=product, alt=alt, sort_order=order)
    media.image.save(image.name or "image.png", image, save=False)
    media.save()
    emit("product_updated", {"product": product_payload(product)})
    return media


@transaction.atomic
def update_product_media(*, actor: Actor, media: ProductMedia | int, alt: str) -> ProductMedia:
    media = get_instance(ProductMedia, media, "id")
    media.alt = alt
    media.save(update_fields=["alt"])
    emit("product_updated", {"product": product_payload(media.product)})
    return media


@transaction.atomic
def delete_product_media(*, actor: Actor, media: ProductMedia | int) -> ProductMedia:
    media = get_instance(ProductMedia, media, "id")
    product = media.product
    pk = media.pk
    media.delete()
    media.pk = pk
    emit("product_updated", {"product": product_payload(product)})
    return media


@transaction.atomic
def reorder_product_media(*, actor: Actor, product: Product | int, media_ids: list[int]) -> Product:
    product = get_instance(Product, product, "productId")
    rows = {m.pk: m for m in product.media.all()}
    if sorted(rows) != sorted(media_ids):
        raise DomainError(
            "List every media of the product exactly once.", code="INVALID", field="mediaIds"
        )
    for order, pk in enumerate(media_ids):
        rows[pk].sort_order = order
    ProductMedia.objects.bulk_update(rows.values(), ["sort_order"])
    emit("product_updated", {"product": product_payload(product)})
    return product
