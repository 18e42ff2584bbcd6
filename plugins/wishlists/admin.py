"""Dashboard: wishlists, read-only (customer data; MANAGE_USERS)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.permissions import Perm, has_perm
from plugins.wishlists.models import WishlistItem, WishlistNotification


class _ReadOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_USERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_USERS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WishlistItem)
class WishlistItemAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("user", "product", "variant", "created_at")
    list_select_related = ("user", "product", "variant")
    search_fields = ("user__email", "product__name", "variant__sku")


@admin.register(WishlistNotification)
class WishlistNotificationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("user", "kind", "variant_id", "event_id", "created_at")
    list_filter = ("kind",)
