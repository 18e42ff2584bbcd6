"""Why a checkout cannot complete yet: each problem a typed error naming the field."""

from __future__ import annotations

from checkout.fetch import LineInfo, total_weight
from checkout.models import Checkout
from checkout.pricing import CheckoutPrices
from core.errors import ErrorDetail
from warehouse.services import (
    applicable_shipping_methods,
    available_quantities,
    pickup_available,
)


def problems(
    checkout: Checkout, lines: list[LineInfo], prices: CheckoutPrices
) -> list[ErrorDetail]:
    found: list[ErrorDetail] = []
    if not lines:
        found.append(ErrorDetail("EMPTY_CHECKOUT", "The checkout has no lines.", "lines"))
    if not checkout.email:
        found.append(ErrorDetail("EMAIL_NOT_SET", "Enter an email address.", "email"))
    for info in lines:
        if not info.purchasable:
            found.append(
                ErrorDetail(
                    "PRODUCT_UNAVAILABLE_FOR_PURCHASE",
                    f"{info.product.name} is no longer available in this channel.",
                    "lines",
                    {"variant_id": info.variant.pk, "line_id": info.line.pk},
                )
            )
        if info.line.quantity > checkout.channel.max_line_quantity:
            found.append(
                ErrorDetail(
                    "QUANTITY_GREATER_THAN_LIMIT",
                    f"At most {checkout.channel.max_line_quantity} units of one item per order.",
                    "lines",
                    {"line_id": info.line.pk},
                )
            )
    shipping_required = any(info.is_shipping_required for info in lines)
    country = (checkout.shipping_address or {}).get("country")
    pickup = checkout.collection_point
    if pickup is not None and pickup.click_and_collect == "DISABLED":
        found.append(
            ErrorDetail(
                "DELIVERY_METHOD_NOT_APPLICABLE",
                "Pickup is no longer offered at this warehouse.",
                "deliveryMethod",
            )
        )
    if shipping_required and pickup is None:
        if not checkout.shipping_address:
            found.append(
                ErrorDetail(
                    "SHIPPING_ADDRESS_NOT_SET", "Enter a shipping address.", "shippingAddress"
                )
            )
        elif checkout.shipping_method_id is None and checkout.collection_point_id is None:
            found.append(
                ErrorDetail(
                    "SHIPPING_METHOD_NOT_SET", "Choose a delivery method.", "deliveryMethod"
                )
            )
        elif checkout.shipping_method_id is not None:
            applicable = applicable_shipping_methods(
                checkout.channel,
                country,
                weight=total_weight(lines),
                subtotal=prices.subtotal.gross.amount,
            )
            if checkout.shipping_method_id not in {m.pk for m, _ in applicable}:
                found.append(
                    ErrorDetail(
                        "SHIPPING_METHOD_NOT_APPLICABLE",
                        "The chosen shipping method no longer applies to this checkout.",
                        "deliveryMethod",
                    )
                )
    if not checkout.billing_address and not checkout.shipping_address:
        found.append(
            ErrorDetail("BILLING_ADDRESS_NOT_SET", "Enter a billing address.", "billingAddress")
        )
    tracked = [info for info in lines if info.variant.track_inventory]
    if tracked:
        ids = [i.variant.pk for i in tracked]
        if pickup is not None:
            available = pickup_available(
                pickup, ids, checkout.channel, exclude_checkout=checkout.token
            )
        else:
            available = available_quantities(
                ids, checkout.channel, country, exclude_checkout=checkout.token
            )
        for info in tracked:
            if available.get(info.variant.pk, 0) < info.line.quantity:
                found.append(
                    ErrorDetail(
                        "INSUFFICIENT_STOCK",
                        f"Only {available.get(info.variant.pk, 0)} units of "
                        f"{info.product.name} are available.",
                        "lines",
                        {
                            "variant_id": info.variant.pk,
                            "available": available.get(info.variant.pk, 0),
                        },
                    )
                )
    return found
