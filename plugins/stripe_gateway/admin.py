"""Dashboard: the Stripe webhook events received, read-only (support looks up references here)."""

from __future__ import annotations

from django.contrib import admin

from plugins.stripe_gateway.models import StripeWebhookEvent


@admin.register(StripeWebhookEvent)
class StripeWebhookEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "type", "reference", "outcome", "channel_slug")
    list_filter = ("outcome", "type")
    search_fields = ("reference", "event_id")
    readonly_fields = (
        "event_id",
        "type",
        "reference",
        "channel_slug",
        "outcome",
        "transaction",
        "payload",
        "received_at",
    )

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
