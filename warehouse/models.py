"""Warehouses, stock per (variant, warehouse), shipping zones and shipping methods.

Stock invariants (``0 <= quantity_allocated <= quantity``) are enforced by
CheckConstraints here and by ``warehouse.services``, which lock stock rows
(``SELECT ... FOR UPDATE``) before changing them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django_countries.fields import CountryField


class Warehouse(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    email = models.EmailField(blank=True)
    company_name = models.CharField(max_length=256, blank=True)
    street_address_1 = models.CharField(max_length=256)
    street_address_2 = models.CharField(max_length=256, blank=True)
    city = models.CharField(max_length=256)
    city_area = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = CountryField()
    country_area = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    click_and_collect = models.CharField(
        max_length=16,
        choices=[
            ("DISABLED", "No pickup"),
            ("LOCAL", "Pickup of this warehouse's own stock"),
            ("ALL", "Pickup of stock from any warehouse of the channel"),
        ],
        default="DISABLED",
    )

    class Meta:
        ordering = ("slug",)
        permissions = (("manage_warehouses", "Manage warehouses."),)

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stocks")
    product_variant = models.ForeignKey(
        "product.ProductVariant", on_delete=models.CASCADE, related_name="stocks"
    )
    quantity = models.IntegerField(default=0)
    quantity_allocated = models.IntegerField(default=0)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("warehouse", "product_variant"), name="stock_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="stock_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity_allocated__gte=0), name="stock_allocated_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity_allocated__lte=F("quantity")),
                name="stock_allocated_within_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_variant_id}@{self.warehouse_id}: {self.quantity}"

    @property
    def available(self) -> int:
        return self.quantity - self.quantity_allocated


class ShippingZone(models.Model):
    """Countries served together; its warehouses ship there, in its channels."""

    name = models.CharField(max_length=250)
    countries = CountryField(multiple=True, blank=True)
    default = models.BooleanField(
        default=False, help_text="Serves every country no other zone lists."
    )
    description = models.TextField(blank=True)
    warehouses = models.ManyToManyField(Warehouse, related_name="shipping_zones", blank=True)
    channels = models.ManyToManyField("core.Channel", related_name="shipping_zones", blank=True)

    class Meta:
        ordering = ("name", "pk")
        permissions = (("manage_shipping", "Manage shipping zones and methods."),)

    def __str__(self) -> str:
        return self.name


class ShippingMethod(models.Model):
    class Type(models.TextChoices):
        PRICE = "PRICE"
        WEIGHT = "WEIGHT"

    shipping_zone = models.ForeignKey(
        ShippingZone, on_delete=models.CASCADE, related_name="shipping_methods"
    )
    name = models.CharField(max_length=100)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.PRICE)
    description = models.TextField(blank=True)
    minimum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    maximum_delivery_days = models.PositiveIntegerField(null=True, blank=True)
    min_weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="kg"
    )
    max_weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="kg"
    )

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=Q(min_weight__isnull=True)
                | Q(max_weight__isnull=True)
                | Q(min_weight__lte=F("max_weight")),
                name="shipping_weight_range_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShippingMethodChannelListing(models.Model):
    """A method's price in a channel, and the order subtotal range it applies to."""

    shipping_method = models.ForeignKey(
        ShippingMethod, on_delete=models.CASCADE, related_name="channel_listings"
    )
    channel = models.ForeignKey(
        "core.Channel", on_delete=models.CASCADE, related_name="shipping_method_listings"
    )
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(max_digits=20, decimal_places=3)
    minimum_order_price_amount = models.DecimalField(
        max_digits=20, decimal_places=3, null=True, blank=True
    )
    maximum_order_price_amount = models.DecimalField(
        max_digits=20, decimal_places=3, null=True, blank=True
    )

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=("shipping_method", "channel"), name="shipping_method_channel_unique"
            ),
            models.CheckConstraint(
                condition=Q(price_amount__gte=0), name="shipping_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipping_method_id}@{self.channel_id}: {self.price_amount}"


class Reservation(models.Model):
    """Units held for an open checkout until ``reserved_until`` (channels that enable it).

    Keyed by the checkout's token rather than a foreign key: the warehouse knows
    nothing of checkouts. Expired rows are ignored and purged by the sweep.
    """

    checkout_token = models.UUIDField(db_index=True)
    stock = models.ForeignKey(Stock, on_delete=models.CASCADE, related_name="reservations")
    quantity = models.PositiveIntegerField()
    reserved_until = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_token", "stock"], name="one_reservation_per_checkout_stock"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of stock {self.stock_id} until {self.reserved_until:%H:%M}"
