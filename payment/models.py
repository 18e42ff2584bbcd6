"""Gateway-neutral payment records (Saleor's transaction model).

A ``Transaction`` holds the money one gateway moved for a checkout or an order;
its amounts are *derived* from its append-only ``TransactionEvent`` list
(payment/amounts.py), so recording a provider event twice is harmless.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from payment.gateway import TransactionEventType

AMOUNT = {"max_digits": 20, "decimal_places": 3, "default": 0}


class Transaction(models.Model):
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    gateway_id = models.CharField(max_length=128)
    name = models.CharField(max_length=255, blank=True)
    psp_reference = models.CharField(max_length=512, blank=True, db_index=True)
    currency = models.CharField(max_length=3)
    channel = models.ForeignKey("core.Channel", on_delete=models.PROTECT, related_name="+")
    checkout = models.ForeignKey(
        "checkout.Checkout",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transactions",
    )
    order = models.ForeignKey(
        "order.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    authorized_value = models.DecimalField(**AMOUNT)
    charged_value = models.DecimalField(**AMOUNT)
    refunded_value = models.DecimalField(**AMOUNT)
    canceled_value = models.DecimalField(**AMOUNT)
    authorize_pending_value = models.DecimalField(**AMOUNT)
    charge_pending_value = models.DecimalField(**AMOUNT)
    refund_pending_value = models.DecimalField(**AMOUNT)
    cancel_pending_value = models.DecimalField(**AMOUNT)
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    initial_amount = models.DecimalField(null=True, blank=True, max_digits=20, decimal_places=3)
    client_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "pk")
        permissions = (("manage_payments", "Charge, refund and cancel payments."),)
        constraints = [
            models.UniqueConstraint(
                fields=["checkout", "idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(checkout__isnull=False),
                name="payment_transaction_checkout_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["order", "idempotency_key"],
                condition=~models.Q(idempotency_key="") & models.Q(order__isnull=False),
                name="payment_transaction_order_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway_id} {self.token}"


class TransactionEvent(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(
        max_length=64, choices=[(t.value, t.value) for t in TransactionEventType]
    )
    amount = models.DecimalField(**AMOUNT)
    currency = models.CharField(max_length=3)
    psp_reference = models.CharField(max_length=512, blank=True)
    message = models.CharField(max_length=512, blank=True)
    external_url = models.URLField(max_length=1024, blank=True)
    raw_response = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "type", "psp_reference"],
                condition=~Q(psp_reference=""),
                name="transaction_event_once_per_psp_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.amount} {self.currency}"
