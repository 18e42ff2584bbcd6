"""Dashboard pages of the core: channels, plugin configuration, the event outbox."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path

from core.events.delivery import requeue
from core.events.outbox import enqueue_delivery
from core.models import Channel, EventDelivery, OutboxEvent, PluginConfiguration
from core.plugins import admin_views

admin.site.site_header = "Fashionistar dashboard"
admin.site.site_title = "Fashionistar"
admin.site.index_title = "Shop administration"
admin.site.index_template = "admin/home.html"
_django_index = admin.site.index


def _home(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """Django's index (the app list) with the shop's panels above it (core/admin_home.py)."""
    from core import admin_home

    return _django_index(request, {**admin_home.context(request), **(extra_context or {})})


admin.site.index = _home  # an instance attribute: get_urls() wraps self.index


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "currency_code", "default_country", "is_active")
    list_filter = ("is_active", "currency_code")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = EventDelivery
    extra = 0
    can_delete = False
    readonly_fields = (
        "plugin_id",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "channel_slug", "created_at", "id")
    list_filter = ("event_type", "channel_slug")
    search_fields = ("id", "request_id")
    date_hierarchy = "created_at"
    inlines = (DeliveryInline,)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("core.manage_plugins")


@admin.register(EventDelivery)
class EventDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event", "plugin_id", "status", "attempts", "next_attempt_at", "short_error")
    list_filter = ("status", "plugin_id", "event__event_type")
    search_fields = ("event__id", "plugin_id", "last_error")
    list_select_related = ("event",)
    actions = ("requeue_selected",)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("core.manage_plugins")

    @admin.display(description="last error")
    def short_error(self, obj: EventDelivery) -> str:
        return obj.last_error[:120]

    @admin.action(description="Re-queue selected deliveries")
    def requeue_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not request.user.has_perm("core.manage_plugins"):
            self.message_user(request, "You cannot re-queue deliveries.", messages.ERROR)
            return
        ids = list(queryset.values_list("id", flat=True))
        count = requeue(ids)
        for event_id in set(queryset.values_list("event_id", flat=True)):
            enqueue_delivery(event_id)
        self.message_user(request, f"{count} deliveries re-queued.", messages.SUCCESS)


@admin.register(PluginConfiguration)
class PluginConfigurationAdmin(admin.ModelAdmin):
    """Plugins and their configuration; the list and forms come from the installed plugins."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("core.manage_plugins")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list:
        configure = self.admin_site.admin_view(
            lambda request, plugin_id, scope: admin_views.plugin_configure(
                request, self, plugin_id, scope
            )
        )
        return [
            path("configure/<str:plugin_id>/<str:scope>/", configure, name="core_plugin_configure"),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        return admin_views.plugin_list(request, self)
