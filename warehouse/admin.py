"""Dashboard pages for warehouses, stock and shipping (the full dashboard is a later issue)."""

from __future__ import annotations

from django.contrib import admin

from warehouse import models


@admin.register(models.Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "city", "country")
    search_fields = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Stock)
class StockAdmin(admin.ModelAdmin):
    list_display = ("product_variant", "warehouse", "quantity", "quantity_allocated")
    list_filter = ("warehouse",)
    list_select_related = ("product_variant", "warehouse")
    search_fields = ("product_variant__sku",)
    raw_id_fields = ("product_variant",)
    readonly_fields = ("quantity_allocated",)


class MethodInline(admin.TabularInline):
    model = models.ShippingMethod
    extra = 0
    show_change_link = True


@admin.register(models.ShippingZone)
class ShippingZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "default")
    filter_horizontal = ("warehouses", "channels")
    inlines = [MethodInline]


class MethodPriceInline(admin.TabularInline):
    model = models.ShippingMethodChannelListing
    extra = 0


@admin.register(models.ShippingMethod)
class ShippingMethodAdmin(admin.ModelAdmin):
    list_display = ("name", "shipping_zone", "type", "min_weight", "max_weight")
    list_select_related = ("shipping_zone",)
    inlines = [MethodPriceInline]
