"""Apps (API clients with a token and permissions), their webhooks and deliveries.

Only ``plugins.webhooks.services`` and the delivery worker write these rows.
"""

from __future__ import annotations

from django.db import models


class App(models.Model):
    """An out-of-process integration: acts through GraphQL with exactly ``permissions``."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    #: Names of core.permissions.Perm members (e.g. "MANAGE_PRODUCTS").
    permissions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)
        permissions = (("manage_apps", "Manage apps, their tokens and webhooks."),)

    def __str__(self) -> str:
        return self.name


class AppToken(models.Model):
    """A bearer token of an app. Only its SHA-256 is stored; the token is shown once."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    last_4 = models.CharField(max_length=4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.app} …{self.last_4}"


class Webhook(models.Model):
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(max_length=100)
    target_url = models.URLField(max_length=2000)
    #: Encrypted with the plugin-secret keys (core.plugins.crypto); signs every request.
    secret = models.TextField()
    #: Event hook names of core/hookspecs.py.
    events = models.JSONField(default=list)
    #: Channel slugs; empty: every channel. Channel-less events always match.
    channels = models.JSONField(default=list, blank=True)
    custom_headers = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    #: Per-webhook counter: each delivery gets the next number (ordering metadata).
    sequence = models.BigIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"{self.name} → {self.target_url}"


class WebhookDelivery(models.Model):
    """One event for one webhook; retried on its own. ``body`` is sent byte for byte."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCESS = "success"
        FAILED = "failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(db_index=True)
    event_type = models.CharField(max_length=64)
    channel_slug = models.CharField(max_length=100, null=True, blank=True)
    occurred_at = models.DateTimeField()
    sequence = models.BigIntegerField()
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-pk",)
        constraints = (
            models.UniqueConstraint(fields=("webhook", "event_id"), name="webhook_event_once"),
        )
        indexes = (models.Index(fields=("status", "next_attempt_at")),)

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → webhook {self.webhook_id}"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery: status, duration, truncated response or error."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.status_code or self.error}"
