"""Product variants: SKU, attribute values, weight, and prices per channel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.events.outbox import emit
from product.models import (
    Product,
    ProductVariant,
    ProductVariantChannelListing,
    VariantAttributeValue,
)
from product.services._common import Actor, clean_price, clean_weight, get_channel, get_instance
from product.services.assignments import AttributeAssignment, replace_assignments, resolve_values
from product.services.products import refresh_min_prices, refresh_search_document


def variant_payload(variant: ProductVariant) -> dict[str, Any]:
    return {
        "id": variant.pk,
        "sku": variant.sku,
        "product_id": variant.product_id,
        "name": variant.name,
    }


@dataclass
class VariantInput:
    sku: str | None = None
    name: str | None = None
    weight: Any = None
    track_inventory: bool | None = None
    attributes: list[AttributeAssignment] | None = None


def _clean_sku(sku: str | None, exclude_pk: int | None) -> str | None:
    sku = (sku or "").strip() or None
    if sku is None:
        return None
    taken = ProductVariant.objects.filter(sku=sku)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(f"The SKU {sku!r} already exists.", code="UNIQUE", field="sku")
    return sku


def _save(variant: ProductVariant) -> None:
    """Save, turning a concurrent duplicate SKU into the same typed error."""
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:
        if variant.sku and ProductVariant.objects.filter(sku=variant.sku).exists():
            raise DomainError(
                f"The SKU {variant.sku!r} already exists.", code="UNIQUE", field="sku"
            ) from exc
        raise


def _apply(variant: ProductVariant, data: VariantInput) -> dict | None:
    if data.sku is not None or variant.pk is None:
        variant.sku = _clean_sku(data.sku, variant.pk)
    if data.name is not None:
        variant.name = data.name.strip()
    if data.weight is not None:
        variant.weight = clean_weight(data.weight)
    if data.track_inventory is not None:
        variant.track_inventory = data.track_inventory
    if data.attributes is not None:
        return resolve_values(variant.product.product_type, data.attributes, variant=True)
    return None


@transaction.atomic
def create_variant(*, actor: Actor, product: Product | int, data: VariantInput) -> ProductVariant:
    product = get_instance(Product, product, "product")
    product_type = product.product_type
    if not product_type.has_variants and product.variants.exists():
        raise DomainError(
            f"Products of type {product_type.name!r} have a single variant.",
            code="PRODUCT_WITHOUT_VARIANTS",
            field="product",
        )
    variant = ProductVariant(product=product, sort_order=product.variants.count())
    resolved = _apply(variant, data)
    _save(variant)
    if resolved:
        replace_assignments(VariantAttributeValue, "variant_id", variant.pk, resolved)
    refresh_search_document([product.pk])
    emit("product_variant_created", {"variant": variant_payload(variant)})
    return variant


@transaction.atomic
def create_variants(
    *,
    actor: Actor,
    product: Product | int,
    items: list[tuple[VariantInput, list[PriceInput]]],
) -> list[ProductVariant]:
    """Create many variants of one product with their prices, all or none.

    Same checks as ``create_variant`` and ``update_variant_channel_listings``;
    written with a few bulk inserts, one event per variant.
    """
    product = get_instance(Product, product, "product")
    if not product.product_type.has_variants and len(items) + product.variants.count() > 1:
        raise DomainError(
            f"Products of type {product.product_type.name!r} have a single variant.",
            code="PRODUCT_WITHOUT_VARIANTS",
            field="product",
        )
    skus = [(data.sku or "").strip() for data, _ in items if (data.sku or "").strip()]
    if len(set(skus)) != len(skus):
        raise DomainError("An SKU is listed twice.", code="DUPLICATED_INPUT_ITEM", field="sku")
    taken = list(ProductVariant.objects.filter(sku__in=skus).values_list("sku", flat=True)[:1])
    if taken:
        raise DomainError(f"The SKU {taken[0]!r} already exists.", code="UNIQUE", field="sku")
    listed = set(product.channel_listings.values_list("channel_id", flat=True))
    order = product.variants.count()
    variants, assignments, prices = [], [], []
    for index, (data, price_specs) in enumerate(items):
        variant = ProductVariant(
            product=product,
            sku=(data.sku or "").strip() or None,
            name=(data.name or "").strip(),
            weight=clean_weight(data.weight),
            track_inventory=data.track_inventory is not False,
            sort_order=order + index,
        )
        resolved = (
            resolve_values(product.product_type, data.attributes, variant=True)
            if data.attributes
            else {}
        )
        variants.append(variant)
        assignments.append([v for values in resolved.values() for v in values])
        prices.append(_clean_prices(price_specs, listed))
    ProductVariant.objects.bulk_create(variants)
    VariantAttributeValue.objects.bulk_create(
        VariantAttributeValue(variant=variant, value=value, sort_order=i)
        for variant, values in zip(variants, assignments, strict=True)
        for i, value in enumerate(values)
    )
    ProductVariantChannelListing.objects.bulk_create(
        ProductVariantChannelListing(
            variant=variant,
            channel=channel,
            currency=channel.currency_code,
            price_amount=price,
            cost_price_amount=cost,
        )
        for variant, cleaned in zip(variants, prices, strict=True)
        for channel, price, cost in cleaned
    )
    refresh_min_prices([product.pk])
    refresh_search_document([product.pk])
    for variant in variants:
        emit("product_variant_created", {"variant": variant_payload(variant)})
    return variants


def _clean_prices(specs: Iterable[PriceInput], listed: set[int]) -> list[tuple]:
    cleaned = []
    for spec in specs:
        channel = get_channel(spec.channel)
        if channel.pk not in listed:
            raise DomainError(
                f"The product is not listed in the channel {channel.slug!r}.",
                code="PRODUCT_NOT_ASSIGNED_TO_CHANNEL",
                field="channel",
            )
        price = clean_price(spec.price, channel.currency_code, "price")
        cost = clean_price(spec.cost_price, channel.currency_code, "costPrice", required=False)
        cleaned.append((channel, price, cost))
    return cleaned


@transaction.atomic
def update_variant(
    *, actor: Actor, variant: ProductVariant | int, data: VariantInput
) -> ProductVariant:
    variant = get_instance(ProductVariant, variant, "id")
    resolved = _apply(variant, data)
    _save(variant)
    if resolved:
        replace_assignments(VariantAttributeValue, "variant_id", variant.pk, resolved)
    refresh_search_document([variant.product_id])
    emit("product_variant_updated", {"variant": variant_payload(variant)})
    return variant


@transaction.atomic
def delete_variant(*, actor: Actor, variant: ProductVariant | int) -> ProductVariant:
    variant = get_instance(ProductVariant, variant, "id")
    payload = variant_payload(variant)
    pk, product_id = variant.pk, variant.product_id
    variant.delete()
    variant.pk = pk
    refresh_min_prices([product_id])
    refresh_search_document([product_id])
    emit("product_variant_deleted", {"variant": payload})
    return variant


@dataclass
class PriceInput:
    channel: Any
    price: Any
    cost_price: Any = None


@transaction.atomic
def update_variant_channel_listings(
    *,
    actor: Actor,
    variant: ProductVariant | int,
    update: Iterable[PriceInput] = (),
    remove: Iterable[Any] = (),
) -> ProductVariant:
    """Set the variant's price (and cost price) per channel, in the channel's currency.

    The product must be listed in the channel. Every price is checked before
    anything is written: a negative amount or one with more decimals than the
    currency allows is refused.
    """
    variant = get_instance(ProductVariant, variant, "id")
    listed = set(variant.product.channel_listings.values_list("channel_id", flat=True))
    cleaned = _clean_prices(update, listed)
    removed = [get_channel(c, "removeChannels") for c in remove]
    old_prices = dict(
        variant.channel_listings.filter(channel__in=[c for c, _, _ in cleaned]).values_list(
            "channel_id", "price_amount"
        )
    )
    price_changes = [
        {
            "channel": channel.slug,
            "currency": channel.currency_code,
            "old_price": None if old is None else str(old),
            "new_price": str(price),
        }
        for channel, price, _ in cleaned
        if (old := old_prices.get(channel.pk)) != price
    ]
    for channel, price, cost in cleaned:
        ProductVariantChannelListing.objects.update_or_create(
            variant=variant,
            channel=channel,
            defaults={
                "currency": channel.currency_code,
                "price_amount": price,
                "cost_price_amount": cost,
            },
        )
    if removed:
        variant.channel_listings.filter(channel__in=removed).delete()
    refresh_min_prices([variant.product_id])
    payload: dict[str, Any] = {"variant": variant_payload(variant)}
    if price_changes:
        payload["price_changes"] = price_changes
    emit("product_variant_updated", payload)
    return variant
