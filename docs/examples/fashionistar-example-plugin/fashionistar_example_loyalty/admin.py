"""Dashboard pages (``/dashboard/``): the ledger, read-only.

Points change only through the plugin's hooks, which keeps every entry tied to
its cause; staff look, they do not edit. Django's model permissions decide who
sees these pages (``fashionistar_example_loyalty.view_loyaltyaccount``, ...).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from fashionistar_example_loyalty.models import LoyaltyAccount, PointsEntry


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PointsEntryInline(ReadOnly, admin.TabularInline):
    model = PointsEntry
    extra = 0
    fields = ("created_at", "points", "source", "order_number", "channel_slug", "note")
    readonly_fields = fields
    ordering = ("-created_at",)


@admin.register(LoyaltyAccount)
class LoyaltyAccountAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("email", "points", "created_at")
    search_fields = ("email",)
    readonly_fields = ("email", "created_at")
    inlines = (PointsEntryInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # One query for the whole page instead of one balance query per row.
        return super().get_queryset(request).annotate(points_total=Sum("entries__points"))

    @admin.display(description="points", ordering="points_total")
    def points(self, obj: LoyaltyAccount) -> int:
        return obj.points_total or 0


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "account", "points", "source", "order_number", "channel_slug")
    list_filter = ("source", "channel_slug")
    search_fields = ("account__email", "order_number", "partner_reference", "event_id")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
