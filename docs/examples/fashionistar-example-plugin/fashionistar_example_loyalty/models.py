"""A points ledger keyed by customer email.

The ledger is append-only: a balance is the sum of an account's entries, never a
stored counter, so a replayed or concurrent write cannot make it drift. Every
entry carries the key of what caused it (an outbox event id or a partner's
reference) under a unique constraint: recording the same cause twice is refused
by the database itself, which is what makes the event handler and the webhook
idempotent.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone


class LoyaltyAccount(models.Model):
    """A customer's points account. ``email`` is stored lower-cased."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email

    def balance(self) -> int:
        return self.entries.aggregate(total=Sum("points"))["total"] or 0


class PointsEntry(models.Model):
    """One movement of points. Never updated or deleted."""

    class Source(models.TextChoices):
        ORDER_PAID = "order_paid", "order paid"
        PARTNER = "partner", "partner grant"

    account = models.ForeignKey(LoyaltyAccount, on_delete=models.PROTECT, related_name="entries")
    points = models.IntegerField()
    source = models.CharField(max_length=16, choices=Source.choices)
    #: The outbox event that awarded these points (the same on every retry).
    event_id = models.UUIDField(null=True, blank=True, editable=False)
    #: The loyalty partner's id of the webhook call that granted these points.
    partner_reference = models.CharField(max_length=128, null=True, blank=True, editable=False)
    channel_slug = models.CharField(max_length=255, blank=True)
    order_number = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "points entries"
        constraints = [
            models.UniqueConstraint(fields=["event_id"], name="loyalty_points_once_per_event"),
            models.UniqueConstraint(
                fields=["partner_reference"], name="loyalty_points_once_per_partner_call"
            ),
            models.CheckConstraint(
                condition=Q(event_id__isnull=False) | Q(partner_reference__isnull=False),
                name="loyalty_points_entry_has_a_cause",
            ),
            models.CheckConstraint(condition=~Q(points=0), name="loyalty_points_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.points:+d} {self.account_id} ({self.source})"
