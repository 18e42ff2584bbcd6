"""A customer's wishlist (products, or particular variants of them) and the record of
notifications sent from it (one per customer per catalog event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class WishlistItem(models.Model):
    """A wished product (``variant`` empty: any variant) or one variant of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist_items"
    )
    product = models.ForeignKey("product.Product", on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        "product.ProductVariant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "product"),
                condition=Q(variant__isnull=True),
                name="wishlists_product_once",
            ),
            models.UniqueConstraint(
                fields=("user", "variant"),
                condition=Q(variant__isnull=False),
                name="wishlists_variant_once",
            ),
        ]
        indexes = [
            models.Index(fields=("product",), name="wishlists_by_product"),
            models.Index(fields=("variant",), name="wishlists_by_variant"),
        ]

    def __str__(self) -> str:
        return f"wishlist item {self.pk} of user {self.user_id}"


class WishlistNotification(models.Model):
    """A notification queued for a customer because of catalog event ``event_id``."""

    class Kind(models.TextChoices):
        BACK_IN_STOCK = "back_in_stock", "back in stock"
        PRICE_DROP = "price_drop", "price drop"

    event_id = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    variant_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("event_id", "user"), name="wishlists_notify_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to user {self.user_id}"
