"""Every Paystack webhook we accepted (signature valid), once: replays find their row."""

from __future__ import annotations

from django.db import models


class PaystackWebhookEvent(models.Model):
    """A signed webhook as received, kept for support and to make replays harmless.

    ``key`` identifies the provider event (event name plus what makes it unique: the
    transaction reference for a charge, the transfer code for a transfer, ...), so a
    replay finds the existing row and changes nothing.
    """

    class Outcome(models.TextChoices):
        PROCESSED = "PROCESSED", "Recorded on the transaction"
        FLAGGED = "FLAGGED", "Flagged for review (amount or currency mismatch)"
        UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE", "No transaction of ours has this reference"
        UNMATCHED = "UNMATCHED", "Known transaction, but no pending request matched"
        EMITTED = "EMITTED", "Passed on to plugins (transfer events)"
        IGNORED = "IGNORED", "Event type not handled"

    key = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64, db_index=True)
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
        return f"{self.event} {self.reference} ({self.outcome})"
