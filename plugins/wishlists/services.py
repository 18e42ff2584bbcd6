"""Wishlist writes, and the notifications catalog events trigger for wishing customers.

Notifications go through the ``notification_requested`` event (the notifier plugins
send them), written in the same transaction as a ``WishlistNotification`` row that is
unique per (catalog event, customer): a redelivered event notifies nobody twice.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from core.errors import NotFound, PermissionDenied
from core.events import Event
from core.events.outbox import emit
from core.money import money
from plugins.wishlists.models import WishlistItem, WishlistNotification

BACK_IN_STOCK = (
    "{{ product }} is back in stock",
    "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
    "{{ product }}{% if variant %} ({{ variant }}){% endif %} from your wishlist is back in "
    "stock.\n",
)
PRICE_DROP = (
    "{{ product }} costs less now",
    "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
    "{{ product }}{% if variant %} ({{ variant }}){% endif %} from your wishlist now costs "
    "{{ new_price }} {{ currency }} (was {{ old_price }} {{ currency }}).\n",
)
SMS = {
    "wishlist_back_in_stock": "{{ product }} from your wishlist is back in stock.",
    "wishlist_price_drop": "{{ product }} from your wishlist now costs {{ new_price }} "
    "{{ currency }} (was {{ old_price }}).",
}


def require_signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to use your wishlist.", code="PERMISSION_DENIED")


def items(user: Any) -> list[WishlistItem]:
    return list(WishlistItem.objects.filter(user=user).select_related("product", "variant"))


def _check(product_id: int, variant_id: int | None) -> None:
    from product.models import Product, ProductVariant

    if not Product.objects.filter(pk=product_id).exists():
        raise NotFound("No such product.", field="product")
    if (
        variant_id is not None
        and not ProductVariant.objects.filter(pk=variant_id, product_id=product_id).exists()
    ):
        raise NotFound("No such variant of this product.", field="variant")


@transaction.atomic
def add_product(*, user: Any, product_id: int, variant_id: int | None = None) -> WishlistItem:
    """Wish for a product (any variant) or one variant of it; adding twice keeps one item."""
    _check(product_id, variant_id)
    lookup = {"user": user, "product_id": product_id, "variant_id": variant_id}
    found = WishlistItem.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return WishlistItem.objects.create(**lookup)
    except IntegrityError:  # the same customer added it concurrently
        return WishlistItem.objects.get(**lookup)


@transaction.atomic
def remove_product(*, user: Any, product_id: int, variant_id: int | None = None) -> int:
    """Remove one variant, or (no variant given) the product and every variant of it."""
    wished = WishlistItem.objects.filter(user=user, product_id=product_id)
    if variant_id is not None:
        wished = wished.filter(variant_id=variant_id)
    removed, _ = wished.delete()
    if not removed:
        raise NotFound("This product is not in your wishlist.", field="product")
    return removed


# -- notifications -----------------------------------------------------------------------------


def _wishing_users(variant_id: int, product_id: int) -> list[Any]:
    from account.models import User

    wished = WishlistItem.objects.filter(
        Q(variant_id=variant_id) | Q(product_id=product_id, variant__isnull=True)
    ).values("user_id")
    return list(User.objects.filter(pk__in=wished, is_active=True).order_by("pk"))


def _notify(
    event: Event,
    user: Any,
    kind: str,
    variant_id: int,
    template: tuple[str, str],
    context: dict,
    channel: Any,
) -> bool:
    """Queue one message to ``user`` for ``event``; False when it was queued already."""
    if not (user.email or getattr(user, "phone", "")):
        return False
    try:
        with transaction.atomic():
            WishlistNotification.objects.create(
                event_id=event.id, user=user, kind=kind, variant_id=variant_id
            )
    except IntegrityError:
        return False
    name = f"wishlist_{kind}"
    context = {"first_name": user.first_name, **context}
    if user.email:
        payload = {
            "template": name,
            "channel_type": "email",
            "recipient": user.email,
            "subject": template[0],
            "body": template[1],
            "context": context,
        }
    else:
        payload = {
            "template": name,
            "channel_type": "sms",
            "recipient": user.phone,
            "body": SMS[name],
            "context": context,
        }
    emit("notification_requested", payload, channel=channel)
    return True


def _names(variant_id: int) -> dict[str, str] | None:
    from product.models import ProductVariant

    variant = ProductVariant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None:
        return None
    return {"product": variant.product.name, "variant": variant.name, "sku": variant.sku or ""}


@transaction.atomic
def notify_back_in_stock(event: Event) -> int:
    """``product_variant_back_in_stock``: tell everyone wishing for the variant (or its
    product as a whole). Returns how many customers were notified now."""
    variant = event.payload["variant"]
    names = _names(int(variant["id"]))
    if names is None:
        return 0
    sent = 0
    for user in _wishing_users(int(variant["id"]), int(variant["product_id"])):
        sent += _notify(
            event,
            user,
            WishlistNotification.Kind.BACK_IN_STOCK,
            int(variant["id"]),
            BACK_IN_STOCK,
            names,
            event.channel,
        )
    return sent


def price_drops(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The channel prices that went down, biggest relative drop first."""
    drops = []
    for change in payload.get("price_changes") or ():
        try:
            old, new = Decimal(str(change["old_price"])), Decimal(str(change["new_price"]))
        except (InvalidOperation, KeyError, TypeError):
            continue
        if change.get("old_price") is not None and old > 0 and new < old:
            drops.append({**change, "ratio": new / old})
    return sorted(drops, key=lambda d: d["ratio"])


@transaction.atomic
def notify_price_drop(event: Event) -> int:
    """``product_variant_updated`` with a lower channel price: tell the wishing customers
    (one message each, about the biggest drop, sent in that drop's channel)."""
    drops = price_drops(event.payload)
    if not drops:
        return 0
    variant = event.payload["variant"]
    names = _names(int(variant["id"]))
    if names is None:
        return 0
    drop = drops[0]
    context = {
        **names,
        "currency": drop["currency"],
        "old_price": str(money(drop["old_price"], drop["currency"]).amount),
        "new_price": str(money(drop["new_price"], drop["currency"]).amount),
        "channel": drop["channel"],
    }
    sent = 0
    for user in _wishing_users(int(variant["id"]), int(variant["product_id"])):
        sent += _notify(
            event,
            user,
            WishlistNotification.Kind.PRICE_DROP,
            int(variant["id"]),
            PRICE_DROP,
            context,
            drop["channel"],
        )
    return sent
