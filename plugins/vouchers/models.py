from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper


class Voucher(models.Model):
    class Type(models.TextChoices):
        PERCENTAGE = "PERCENTAGE"
        FIXED = "FIXED"

    code = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    channel = models.ForeignKey("core.Channel", on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=16, choices=Type.choices)
    value = models.DecimalField(
        max_digits=20, decimal_places=3, help_text="Percent, or an amount in the channel currency."
    )
    min_spend = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)
    usage_limit = models.PositiveIntegerField(null=True, blank=True)
    used = models.PositiveIntegerField(default=0)
    once_per_customer = models.BooleanField(default=False)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("code",)
        permissions = (("manage_discounts", "Manage vouchers."),)
        constraints = [
            models.UniqueConstraint(
                Upper("code"), "channel", name="voucher_code_unique_per_channel"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="voucher_value_positive"),
            models.CheckConstraint(
                condition=~Q(type="PERCENTAGE") | Q(value__lte=100), name="voucher_percent_max_100"
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used__lte=F("usage_limit")),
                name="voucher_not_overused",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One use of a voucher by one order; per-customer limits are counted here."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    order_number = models.BigIntegerField(unique=True)
    customer_email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.voucher.code} on #{self.order_number}"
