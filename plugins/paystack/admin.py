"""Dashboard: the Paystack webhooks received, read-only (support looks up references here)."""

from __future__ import annotations

from django.contrib import admin

from plugins.paystack.models import PaystackWebhookEvent


@admin.register(PaystackWebhookEvent)
class PaystackWebhookEventAdmin(admin.ModelAdmin):
    list_display = ("received_at", "event", "reference", "outcome", "channel_slug")
    list_filter = ("outcome", "event")
    search_fields = ("reference",)
    readonly_fields = (
        "key",
        "event",
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
