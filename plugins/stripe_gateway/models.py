"""Every Stripe webhook event we accepted (signature valid), once: replays find their row."""

from __future__ import annotations

from django.db import models


class StripeWebhookEvent(models.Model):
    """A signed Stripe event as received, keyed by Stripe's event id (``evt_…``)."""

    class Outcome(models.TextChoices):
        PROCESSED = "PROCESSED", "Recorded on the transaction"
        FLAGGED = "FLAGGED", "Flagged for review (amount or currency mismatch)"
        STALE = "STALE", "Older than what is already recorded (arrived out of order)"
        UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE", "No transaction of ours has this PaymentIntent"
        IGNORED = "IGNORED", "Event type not handled"

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=128, db_index=True)
    reference = models.CharField(max_length=255, blank=True, db_index=True)
    channel_slug = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    transaction = models.ForeignKey(
        "payment.Transaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-received_at", "-pk")

    def __str__(self) -> str:
        return f"{self.type} {self.reference} ({self.outcome})"
