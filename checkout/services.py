"""Checkout write operations. Each runs in a transaction and emits ``checkout_updated``.

Every function takes the acting ``user`` (may be anonymous) for ownership checks
done by the caller, and raises DomainError with a field and a code on bad input,
changing nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from checkout.addresses import validate_address
from checkout.fetch import LineInfo, fetch_lines, total_weight
from checkout.models import Checkout, CheckoutLine
from checkout.pricing import calculate
from checkout.promo import GIFT_CARD
from core.errors import DomainError, ErrorDetail, NotFound
from core.events.outbox import emit
from core.models import Channel
from core.plugins.manager import get_manager
from product.models import ProductVariant
from warehouse.models import ShippingMethod
from warehouse.services import (
    applicable_shipping_methods,
    available_quantities,
    collection_points,
    pickup_available,
    reserve,
)


class CheckoutError(DomainError):
    default_code = "INVALID"


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int


def checkout_payload(checkout: Checkout) -> dict[str, Any]:
    return {
        "checkout": {
            "token": str(checkout.token),
            "email": checkout.email,
            "channel": checkout.channel.slug,
            "currency": checkout.currency,
        }
    }


def _channel(slug: str) -> Channel:
    channel = Channel.objects.filter(slug=slug, is_active=True).first()
    if channel is None:
        raise NotFound(f"No active channel '{slug}'.", field="channel", code="CHANNEL_NOT_FOUND")
    return channel


def _clean_email(email: str | None) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CheckoutError("Enter a valid email address.", field="email") from exc
    return email.lower()


def _merge_lines(items: Sequence[LineInput]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for item in items:
        merged[item.variant_id] = merged.get(item.variant_id, 0) + item.quantity
    return merged


def _check_lines(
    channel: Channel, quantities: dict[int, int], country: str | None, checkout_token: Any = None
) -> None:
    """Quantities within limits, variants sold in the channel, enough stock: else nothing."""
    errors: list[ErrorDetail] = []
    for variant_id, quantity in quantities.items():
        if quantity <= 0:
            errors.append(ErrorDetail("ZERO_QUANTITY", "Quantity must be at least 1.", "quantity"))
        elif quantity > channel.max_line_quantity:
            errors.append(
                ErrorDetail(
                    "QUANTITY_GREATER_THAN_LIMIT",
                    f"At most {channel.max_line_quantity} units of one item per order.",
                    "quantity",
                    {"variant_id": variant_id},
                )
            )
    if errors:
        raise CheckoutError(errors=errors)
    variants = ProductVariant.objects.filter(pk__in=quantities).select_related("product")
    found = {v.pk: v for v in variants}
    missing = sorted(set(quantities) - set(found))
    if missing:
        raise CheckoutError(
            "Unknown product variant.", code="NOT_FOUND", field="variantId", extra={"ids": missing}
        )
    listed = set(
        ProductVariant.objects.filter(
            pk__in=quantities,
            channel_listings__channel=channel,
            product__channel_listings__channel=channel,
            product__channel_listings__is_published=True,
        ).values_list("pk", flat=True)
    )
    unavailable = sorted(set(quantities) - listed)
    if unavailable:
        raise CheckoutError(
            "This product is not available in this channel.",
            code="PRODUCT_NOT_PUBLISHED",
            field="variantId",
            extra={"ids": unavailable},
        )
    tracked = [pk for pk, v in found.items() if v.track_inventory]
    available = available_quantities(tracked, channel, country, exclude_checkout=checkout_token)
    short = [pk for pk in tracked if available.get(pk, 0) < quantities[pk]]
    if short:
        raise CheckoutError(
            errors=[
                ErrorDetail(
                    "INSUFFICIENT_STOCK",
                    f"Only {available.get(pk, 0)} units of {found[pk]} are available.",
                    "quantity",
                    {"variant_id": pk, "available": available.get(pk, 0)},
                )
                for pk in short
            ]
        )


def _country(checkout: Checkout) -> str | None:
    if checkout.shipping_address:
        return checkout.shipping_address.get("country")
    return None


def hold_stock(checkout: Checkout) -> None:
    """Re-hold the checkout's units for the channel's reservation window (if it has one)."""
    minutes = checkout.channel.stock_reservation_minutes
    if not minutes:
        return
    reserve(
        checkout_token=checkout.token,
        lines=list(
            checkout.lines.filter(variant__track_inventory=True).values_list(
                "variant_id", "quantity"
            )
        ),
        channel=checkout.channel,
        country_code=_country(checkout),
        minutes=minutes,
    )


def _changed(checkout: Checkout) -> Checkout:
    checkout.save()
    hold_stock(checkout)
    emit("checkout_updated", checkout_payload(checkout), channel=checkout.channel)
    return checkout


@transaction.atomic
def create_checkout(
    *,
    user: Any,
    channel: str,
    email: str | None = None,
    lines: Sequence[LineInput] = (),
    shipping_address: dict | None = None,
    billing_address: dict | None = None,
    language_code: str = "en",
) -> Checkout:
    channel_obj = _channel(channel)
    authenticated = getattr(user, "is_authenticated", False)
    email = _clean_email(email) or (user.email if authenticated and user.email else "")
    shipping = validate_address(shipping_address, "shipping_address") if shipping_address else None
    billing = validate_address(billing_address, "billing_address") if billing_address else None
    quantities = _merge_lines(lines)
    _check_lines(channel_obj, quantities, shipping["country"] if shipping else None)
    checkout = Checkout.objects.create(
        channel=channel_obj,
        currency=channel_obj.currency_code,
        user=user if authenticated else None,
        email=email,
        shipping_address=shipping,
        billing_address=billing,
        language_code=language_code,
    )
    CheckoutLine.objects.bulk_create(
        CheckoutLine(checkout=checkout, variant_id=variant_id, quantity=quantity)
        for variant_id, quantity in quantities.items()
    )
    hold_stock(checkout)
    emit("checkout_created", checkout_payload(checkout), channel=channel_obj)
    return checkout


def lock(checkout: Checkout) -> Checkout:
    """Re-read the checkout row under lock: concurrent edits apply one after the other."""
    locked = Checkout.objects.select_for_update().select_related("channel").filter(pk=checkout.pk)
    found = locked.first()
    if found is None:
        raise NotFound("This checkout no longer exists.", field="id")
    return found


@transaction.atomic
def add_lines(checkout: Checkout, items: Sequence[LineInput]) -> Checkout:
    checkout = lock(checkout)
    current = dict(checkout.lines.values_list("variant_id", "quantity"))
    wanted = dict(current)
    for variant_id, quantity in _merge_lines(items).items():
        if quantity <= 0:
            raise CheckoutError(
                "Quantity must be at least 1.", code="ZERO_QUANTITY", field="quantity"
            )
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    _check_lines(checkout.channel, wanted, _country(checkout), checkout.token)
    _save_lines(checkout, current, wanted)
    return _changed(checkout)


@transaction.atomic
def update_lines(checkout: Checkout, items: Sequence[LineInput]) -> Checkout:
    """Set quantities; a quantity of 0 removes the line (Saleor's behaviour)."""
    checkout = lock(checkout)
    current = dict(checkout.lines.values_list("variant_id", "quantity"))
    wanted = dict(current)
    for item in items:
        if item.quantity < 0:
            raise CheckoutError("Quantity cannot be negative.", code="INVALID", field="quantity")
        wanted[item.variant_id] = item.quantity
    wanted = {k: v for k, v in wanted.items() if v > 0}
    _check_lines(checkout.channel, wanted, _country(checkout), checkout.token)
    _save_lines(checkout, current, wanted)
    return _changed(checkout)


@transaction.atomic
def delete_lines(checkout: Checkout, line_ids: Sequence[int]) -> Checkout:
    checkout = lock(checkout)
    owned = set(checkout.lines.filter(pk__in=line_ids).values_list("pk", flat=True))
    foreign = sorted(set(line_ids) - owned)
    if foreign:
        raise NotFound("No such line in this checkout.", field="lineIds", extra={"ids": foreign})
    checkout.lines.filter(pk__in=owned).delete()
    return _changed(checkout)


def _save_lines(checkout: Checkout, current: dict[int, int], wanted: dict[int, int]) -> None:
    removed = set(current) - set(wanted)
    if removed:
        checkout.lines.filter(variant_id__in=removed).delete()
    for variant_id, quantity in wanted.items():
        if variant_id not in current:
            CheckoutLine.objects.create(checkout=checkout, variant_id=variant_id, quantity=quantity)
        elif current[variant_id] != quantity:
            checkout.lines.filter(variant_id=variant_id).update(quantity=quantity)


@transaction.atomic
def update_email(checkout: Checkout, email: str) -> Checkout:
    checkout = lock(checkout)
    cleaned = _clean_email(email)
    if not cleaned:
        raise CheckoutError("Enter an email address.", code="REQUIRED", field="email")
    checkout.email = cleaned
    return _changed(checkout)


@transaction.atomic
def update_shipping_address(checkout: Checkout, address: dict) -> Checkout:
    checkout = lock(checkout)
    checkout.shipping_address = validate_address(address, "shipping_address")
    if checkout.shipping_method_id and not _method_applicable(checkout, checkout.shipping_method):
        checkout.shipping_method = None
    return _changed(checkout)


@transaction.atomic
def update_billing_address(checkout: Checkout, address: dict) -> Checkout:
    checkout = lock(checkout)
    checkout.billing_address = validate_address(address, "billing_address")
    return _changed(checkout)


def shipping_options(checkout: Checkout, lines: list[LineInfo] | None = None) -> list[Any]:
    """Shipping methods (with their channel listing) the checkout may choose now."""
    if not checkout.shipping_address:
        return []
    lines = fetch_lines(checkout) if lines is None else lines
    subtotal = calculate(checkout, lines).subtotal.gross.amount if lines else None
    return applicable_shipping_methods(
        checkout.channel,
        checkout.shipping_address["country"],
        weight=total_weight(lines),
        subtotal=subtotal,
    )


def _method_applicable(checkout: Checkout, method: ShippingMethod) -> bool:
    return any(m.pk == method.pk for m, _ in shipping_options(checkout))


@transaction.atomic
def update_delivery_method(checkout: Checkout, shipping_method_id: int | None) -> Checkout:
    checkout = lock(checkout)
    if shipping_method_id is None:
        checkout.shipping_method = None
        return _changed(checkout)
    method = ShippingMethod.objects.filter(pk=shipping_method_id).first()
    if method is None:
        raise NotFound("No such shipping method.", field="deliveryMethodId")
    if not checkout.shipping_address:
        raise CheckoutError(
            "Set a shipping address first.",
            code="SHIPPING_ADDRESS_NOT_SET",
            field="deliveryMethodId",
        )
    if not _method_applicable(checkout, method):
        raise CheckoutError(
            "This shipping method is not available for this checkout's channel and address.",
            code="SHIPPING_METHOD_NOT_APPLICABLE",
            field="deliveryMethodId",
        )
    checkout.shipping_method = method
    checkout.collection_point = None
    return _changed(checkout)


@transaction.atomic
def update_collection_point(checkout: Checkout, warehouse_id: int) -> Checkout:
    """Click and collect: the customer picks the order up at a warehouse that allows it."""
    checkout = lock(checkout)
    point = next((w for w in collection_points(checkout.channel) if w.pk == warehouse_id), None)
    if point is None:
        raise CheckoutError(
            "Pickup is not offered at this warehouse in this channel.",
            code="DELIVERY_METHOD_NOT_APPLICABLE",
            field="deliveryMethodId",
        )
    lines = dict(
        checkout.lines.filter(variant__track_inventory=True).values_list("variant_id", "quantity")
    )
    available = pickup_available(point, lines, checkout.channel, exclude_checkout=checkout.token)
    if any(available[v] < q for v, q in lines.items()):
        raise CheckoutError(
            f"{point.name} cannot supply every item of this checkout.",
            code="INSUFFICIENT_STOCK",
            field="deliveryMethodId",
        )
    checkout.collection_point = point
    checkout.shipping_method = None
    return _changed(checkout)


@transaction.atomic
def attach_customer(checkout: Checkout, user: Any) -> Checkout:
    checkout = lock(checkout)
    if checkout.user_id and checkout.user_id != user.pk:
        raise CheckoutError(
            "This checkout belongs to another customer.", code="PERMISSION_DENIED", field="id"
        )
    checkout.user = user
    if user.email:
        checkout.email = user.email
    return _changed(checkout)


@transaction.atomic
def add_promo_code(checkout: Checkout, code: str) -> Checkout:
    checkout = lock(checkout)
    code = (code or "").strip()
    if not code:
        raise CheckoutError("Enter a promo code.", code="REQUIRED", field="promoCode")
    accepted = get_manager().decision(
        "validate_promo_code", channel=checkout.channel, checkout=checkout, code=code
    )
    if accepted is None:
        raise CheckoutError(
            "This promo code is not valid.", code="INVALID_PROMO_CODE", field="promoCode"
        )
    if accepted.kind == GIFT_CARD:
        applied = checkout.gift_card_codes or []
        if accepted.code.lower() not in {c.lower() for c in applied}:
            checkout.gift_card_codes = [*applied, accepted.code]
    else:
        checkout.voucher_code = accepted.code
    return _changed(checkout)


@transaction.atomic
def remove_promo_code(checkout: Checkout, code: str | None = None) -> Checkout:
    """Remove ``code`` (a voucher or a gift card), or the voucher when no code is given."""
    checkout = lock(checkout)
    wanted = (code or "").strip().lower()
    cards = checkout.gift_card_codes or []
    if wanted and any(c.lower() == wanted for c in cards):
        checkout.gift_card_codes = [c for c in cards if c.lower() != wanted]
        return _changed(checkout)
    if wanted and checkout.voucher_code.lower() != wanted:
        raise NotFound("This promo code is not on the checkout.", field="promoCode")
    checkout.voucher_code = ""
    return _changed(checkout)
