"""Gift cards: a code worth a balance in one currency, and the ledger of every change.

The balance lives on the card (``current_balance``) so completion can lock one
row; every change of it writes a ``GiftCardEvent`` in the same transaction, so
the events always explain the balance (``balance_after`` of the newest event).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper


class GiftCard(models.Model):
    class Source(models.TextChoices):
        STAFF = "STAFF"
        PURCHASE = "PURCHASE"

    code = models.CharField(max_length=64, help_text="Stored upper-case; compared ignoring case.")
    currency = models.CharField(max_length=3)
    initial_balance = models.DecimalField(max_digits=20, decimal_places=3)
    current_balance = models.DecimalField(max_digits=20, decimal_places=3)
    expiry_date = models.DateField(null=True, blank=True, help_text="Last day it can be used.")
    is_active = models.BooleanField(default=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gift_cards",
        help_text="Owner: sees the full code and the card in me { giftCards }.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    # A card bought in an order: one per unit of a line; unique so a replayed
    # order_paid cannot issue the same unit twice.
    order_number = models.BigIntegerField(null=True, blank=True)
    order_line_id = models.BigIntegerField(null=True, blank=True)
    order_line_unit = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        permissions = (("manage_gift_cards", "Manage gift cards."),)
        constraints = [
            models.UniqueConstraint(Upper("code"), name="gift_card_code_unique"),
            models.UniqueConstraint(
                fields=["order_line_id", "order_line_unit"], name="gift_card_one_per_bought_unit"
            ),
            models.CheckConstraint(
                condition=Q(current_balance__gte=0), name="gift_card_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(initial_balance__gte=0), name="gift_card_initial_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(current_balance__lte=F("initial_balance")),
                name="gift_card_balance_at_most_initial",
            ),
        ]

    def __str__(self) -> str:
        return f"Gift card ****{self.last_4}"

    @property
    def last_4(self) -> str:
        return self.code[-4:]

    @property
    def masked_code(self) -> str:
        return f"****{self.last_4}"


class GiftCardEvent(models.Model):
    """One change of a card, newest last. ``amount`` is signed: negative when spent."""

    class Type(models.TextChoices):
        ISSUED = "ISSUED"
        BOUGHT = "BOUGHT"
        USED_IN_ORDER = "USED_IN_ORDER"
        REFUNDED = "REFUNDED"
        ACTIVATED = "ACTIVATED"
        DEACTIVATED = "DEACTIVATED"
        EXPIRY_DATE_UPDATED = "EXPIRY_DATE_UPDATED"
        CUSTOMER_UPDATED = "CUSTOMER_UPDATED"
        NOTE_UPDATED = "NOTE_UPDATED"
        SENT_TO_CUSTOMER = "SENT_TO_CUSTOMER"

    gift_card = models.ForeignKey(GiftCard, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32, choices=Type.choices)
    amount = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    balance_after = models.DecimalField(max_digits=20, decimal_places=3)
    currency = models.CharField(max_length=3)
    order_number = models.BigIntegerField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_id = models.UUIDField(null=True, blank=True, help_text="Kernel event that caused it.")
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            # A card is spent once per order and given back once per order.
            models.UniqueConstraint(
                fields=["gift_card", "order_number"],
                condition=Q(type="USED_IN_ORDER"),
                name="gift_card_used_once_per_order",
            ),
            models.UniqueConstraint(
                fields=["gift_card", "order_number"],
                condition=Q(type="REFUNDED"),
                name="gift_card_refunded_once_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.amount} {self.currency} on ****{self.gift_card.last_4}"
