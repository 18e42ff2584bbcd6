"""Orders: snapshots of what was sold, at what price, with a timeline of events.

Orders are never deleted (PROTECT everywhere). ``number`` is the sequential
human-readable number; ``checkout_token`` is unique, so completing the same
checkout twice can only ever produce one order.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

AMOUNT = {"max_digits": 20, "decimal_places": 3, "default": 0}


class OrderStatus(models.TextChoices):
    UNCONFIRMED = "UNCONFIRMED"
    UNFULFILLED = "UNFULFILLED"
    PARTIALLY_FULFILLED = "PARTIALLY_FULFILLED"
    FULFILLED = "FULFILLED"
    PARTIALLY_RETURNED = "PARTIALLY_RETURNED"
    RETURNED = "RETURNED"
    CANCELED = "CANCELED"


class Order(models.Model):
    number = models.BigAutoField(primary_key=True)
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    checkout_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    channel = models.ForeignKey("core.Channel", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=32, choices=OrderStatus.choices, default=OrderStatus.UNFULFILLED, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    user_email = models.EmailField(blank=True, db_index=True)
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    shipping_method = models.ForeignKey(
        "warehouse.ShippingMethod",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shipping_method_name = models.CharField(max_length=255, blank=True)
    collection_point = models.ForeignKey(
        "warehouse.Warehouse", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    collection_point_name = models.CharField(max_length=255, blank=True)
    subtotal_net = models.DecimalField(**AMOUNT)
    subtotal_gross = models.DecimalField(**AMOUNT)
    shipping_net = models.DecimalField(**AMOUNT)
    shipping_gross = models.DecimalField(**AMOUNT)
    shipping_tax_rate = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    total_net = models.DecimalField(**AMOUNT)
    total_gross = models.DecimalField(**AMOUNT)
    undiscounted_total_gross = models.DecimalField(**AMOUNT)
    discount_amount = models.DecimalField(**AMOUNT)
    voucher_code = models.CharField(max_length=255, blank=True)
    total_charged = models.DecimalField(**AMOUNT)
    total_authorized = models.DecimalField(**AMOUNT)
    total_refunded = models.DecimalField(**AMOUNT)
    charge_status = models.CharField(max_length=16, default="NONE", db_index=True)
    authorize_status = models.CharField(max_length=16, default="NONE")
    customer_note = models.TextField(blank=True)
    language_code = models.CharField(max_length=35, default="en")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-number",)
        permissions = (("manage_orders", "Manage orders: fulfil, cancel, refund, return."),)

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    variant = models.ForeignKey(
        "product.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_name = models.CharField(max_length=386)
    variant_name = models.CharField(max_length=255, blank=True)
    product_sku = models.CharField(max_length=255, blank=True)
    product_id = models.BigIntegerField(null=True, blank=True)
    is_shipping_required = models.BooleanField(default=True)
    quantity = models.PositiveIntegerField()
    quantity_fulfilled = models.PositiveIntegerField(default=0)
    quantity_returned = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3)
    undiscounted_unit_price_gross = models.DecimalField(**AMOUNT)
    unit_price_net = models.DecimalField(**AMOUNT)
    unit_price_gross = models.DecimalField(**AMOUNT)
    unit_discount_amount = models.DecimalField(**AMOUNT)
    total_price_net = models.DecimalField(**AMOUNT)
    total_price_gross = models.DecimalField(**AMOUNT)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4, default=0)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_fulfilled__lte=F("quantity")),
                name="order_line_not_overfulfilled",
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity_fulfilled")),
                name="order_line_returns_were_fulfilled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"

    @property
    def quantity_unfulfilled(self) -> int:
        return self.quantity - self.quantity_fulfilled


class Allocation(models.Model):
    """Units of stock reserved for an order line until fulfilled or cancelled."""

    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="allocations")
    stock = models.ForeignKey("warehouse.Stock", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=["order_line", "stock"], name="one_allocation_per_stock")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of stock {self.stock_id}"


class OrderEvent(models.Model):
    """The order's timeline: who did what, when. Never edited."""

    class Type(models.TextChoices):
        PLACED = "PLACED"
        CONFIRMED = "CONFIRMED"
        PAYMENT_AUTHORIZED = "PAYMENT_AUTHORIZED"
        PAYMENT_CAPTURED = "PAYMENT_CAPTURED"
        PAYMENT_REFUNDED = "PAYMENT_REFUNDED"
        PAYMENT_FAILED = "PAYMENT_FAILED"
        PAYMENT_CANCELED = "PAYMENT_CANCELED"
        ORDER_FULLY_PAID = "ORDER_FULLY_PAID"
        FULFILLMENT_CREATED = "FULFILLMENT_CREATED"
        FULFILLED = "FULFILLED"
        RETURNED = "RETURNED"
        RESTOCKED = "RESTOCKED"
        REFUND_GRANTED = "REFUND_GRANTED"
        NOTE_ADDED = "NOTE_ADDED"
        CANCELED = "CANCELED"
        INVOICE_REQUESTED = "INVOICE_REQUESTED"
        INVOICE_GENERATED = "INVOICE_GENERATED"
        EMAIL_SENT = "EMAIL_SENT"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=32, choices=Type.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.type} on #{self.order_id}"


class Fulfillment(models.Model):
    class Status(models.TextChoices):
        FULFILLED = "FULFILLED"
        RETURNED = "RETURNED"
        CANCELED = "CANCELED"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="fulfillments")
    fulfillment_order = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FULFILLED)
    warehouse = models.ForeignKey(
        "warehouse.Warehouse", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tracking_number = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["order", "fulfillment_order"], name="fulfillment_number_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.order_id}-{self.fulfillment_order}"


class FulfillmentLine(models.Model):
    fulfillment = models.ForeignKey(Fulfillment, on_delete=models.PROTECT, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    stock = models.ForeignKey(
        "warehouse.Stock", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.order_line_id}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING"
        SUCCESS = "SUCCESS"
        FAILED = "FAILED"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="invoices", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.number or f"invoice {self.pk}"
