"""Load a checkout's lines with everything pricing and validation need, in fixed queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from checkout.models import Checkout, CheckoutLine
from product.models import ProductChannelListing, ProductVariant, ProductVariantChannelListing


@dataclass(frozen=True)
class LineInfo:
    line: CheckoutLine
    variant: ProductVariant
    variant_listing: ProductVariantChannelListing | None
    product_listing: ProductChannelListing | None

    @property
    def product(self):  # noqa: ANN201 - product.models.Product
        return self.variant.product

    @property
    def is_shipping_required(self) -> bool:
        return self.variant.product.product_type.is_shipping_required

    @property
    def purchasable(self) -> bool:
        listing = self.product_listing
        if listing is None or self.variant_listing is None or not listing.is_published:
            return False
        available_at = listing.available_for_purchase_at
        return available_at is not None and available_at <= timezone.now()


def fetch_lines(checkout: Checkout) -> list[LineInfo]:
    """Three queries whatever the number of lines."""
    channel_id = checkout.channel_id
    lines = list(
        CheckoutLine.objects.filter(checkout=checkout)
        .select_related("variant__product__product_type")
        .prefetch_related(
            Prefetch(
                "variant__channel_listings",
                queryset=ProductVariantChannelListing.objects.filter(channel_id=channel_id),
                to_attr="listing_in_channel",
            ),
            Prefetch(
                "variant__product__channel_listings",
                queryset=ProductChannelListing.objects.filter(channel_id=channel_id),
                to_attr="listing_in_channel",
            ),
        )
        .order_by("created_at", "pk")
    )
    return [
        LineInfo(
            line=line,
            variant=line.variant,
            variant_listing=next(iter(line.variant.listing_in_channel), None),
            product_listing=next(iter(line.variant.product.listing_in_channel), None),
        )
        for line in lines
    ]


def total_weight(lines: list[LineInfo]) -> Decimal | None:
    """Weight of the lines in kg (a variant's own, else its product's); None when unknown."""
    weight = sum(
        ((info.variant.weight or info.product.weight or 0) * info.line.quantity for info in lines),
        start=Decimal(0),
    )
    return weight or None
