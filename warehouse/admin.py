"""Dashboard pages for warehouses, stock and shipping.

Stock quantities are set through ``warehouse.services.set_stocks`` (never below zero
or below what is allocated; stock events emitted); pages follow our permissions.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.errors import DomainError
from core.permissions import Perm, has_perm
from warehouse import models


class _PermAdmin:
    perm: Perm = Perm.MANAGE_WAREHOUSES

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.perm)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class _ShippingPermAdmin(_PermAdmin):
    perm = Perm.MANAGE_SHIPPING


class StockForm(forms.ModelForm):
    """Checks what ``set_stocks`` checks, so the form shows field messages and saves nothing."""

    class Meta:
        model = models.Stock
        fields = ("product_variant", "warehouse", "quantity")

    def clean(self) -> dict:
        from warehouse.services import StockInput, set_stocks

        data = super().clean()
        if self.errors:
            return data
        quantity = data.get("quantity")
        if quantity is not None and quantity < 0:
            self.add_error("quantity", "Stock quantity cannot be below zero.")
        elif self.instance.pk and quantity is not None:
            allocated = self.instance.quantity_allocated
            if quantity < allocated:
                self.add_error(
                    "quantity", f"{allocated} units are allocated; the quantity cannot go below."
                )
        variant = data.get("product_variant") or self.instance.product_variant_id
        warehouse = data.get("warehouse") or self.instance.warehouse_id
        self._service = lambda actor: set_stocks(
            actor=actor, items=[StockInput(variant, warehouse, quantity)]
        )
        return data


@admin.register(models.Warehouse)
class WarehouseAdmin(_PermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "city", "country")
    search_fields = ("name", "slug", "city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(models.Stock)
class StockAdmin(_PermAdmin, admin.ModelAdmin):
    form = StockForm
    list_display = ("product_variant", "warehouse", "quantity", "quantity_allocated")
    list_filter = ("warehouse",)
    list_select_related = ("product_variant", "warehouse")
    search_fields = ("product_variant__sku",)
    raw_id_fields = ("product_variant",)
    readonly_fields = ("quantity_allocated",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            (stock,) = form._service(request.user)
        except DomainError as error:  # raced with an allocation after the form was checked
            raise forms.ValidationError(str(error)) from error
        obj.pk, obj.quantity = stock.pk, stock.quantity

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return self.readonly_fields
        return ("product_variant", "warehouse", *self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.quantity_allocated:
            return False  # allocated stock cannot be deleted (delete_stocks refuses it)
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from warehouse.services import delete_stocks

        delete_stocks(actor=request.user, variant=obj.product_variant, warehouses=[obj.warehouse])

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for stock in queryset:
            self.delete_model(request, stock)


class MethodInline(_ShippingPermAdmin, admin.TabularInline):
    model = models.ShippingMethod
    extra = 0
    show_change_link = True


@admin.register(models.ShippingZone)
class ShippingZoneAdmin(_ShippingPermAdmin, admin.ModelAdmin):
    list_display = ("name", "default")
    filter_horizontal = ("warehouses", "channels")
    inlines = [MethodInline]


class MethodPriceInline(_ShippingPermAdmin, admin.TabularInline):
    model = models.ShippingMethodChannelListing
    extra = 0


@admin.register(models.ShippingMethod)
class ShippingMethodAdmin(_ShippingPermAdmin, admin.ModelAdmin):
    list_display = ("name", "shipping_zone", "type", "min_weight", "max_weight")
    list_select_related = ("shipping_zone",)
    inlines = [MethodPriceInline]
