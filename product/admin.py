"""Dashboard pages for the catalog (the full dashboard is a later issue).

Edits here bypass the services' events; staff should prefer the GraphQL mutations
until the dashboard issue routes admin saves through ``product.services``.
"""

from __future__ import annotations

from django.contrib import admin

from product import models


class ValueInline(admin.TabularInline):
    model = models.AttributeValue
    extra = 0
    fields = ("name", "slug", "value", "boolean", "sort_order")


@admin.register(models.Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "input_type", "visible_in_storefront")
    list_filter = ("input_type",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ValueInline]


class AttributeProductInline(admin.TabularInline):
    model = models.AttributeProduct
    extra = 0


class AttributeVariantInline(admin.TabularInline):
    model = models.AttributeVariant
    extra = 0


@admin.register(models.ProductType)
class ProductTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "has_variants", "is_shipping_required")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AttributeProductInline, AttributeVariantInline]


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "level")
    search_fields = ("name", "slug")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    exclude = ("description_plaintext",)


class CollectionListingInline(admin.TabularInline):
    model = models.CollectionChannelListing
    extra = 0


class CollectionProductInline(admin.TabularInline):
    model = models.CollectionProduct
    extra = 0
    raw_id_fields = ("product",)


@admin.register(models.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CollectionListingInline, CollectionProductInline]


class ProductListingInline(admin.TabularInline):
    model = models.ProductChannelListing
    extra = 0
    readonly_fields = ("min_price_amount",)


class MediaInline(admin.TabularInline):
    model = models.ProductMedia
    extra = 0
    fields = ("image", "alt", "sort_order")


class VariantInline(admin.TabularInline):
    model = models.ProductVariant
    extra = 0
    fields = ("sku", "name", "weight", "track_inventory", "sort_order")
    show_change_link = True


@admin.register(models.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "product_type", "category", "rating", "updated_at")
    list_filter = ("product_type", "category")
    list_select_related = ("product_type", "category")
    search_fields = ("name", "slug", "variants__sku")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("rating", "review_count", "created_at", "updated_at")
    exclude = ("description_plaintext", "search_document", "search_vector")
    inlines = [ProductListingInline, VariantInline, MediaInline]


class VariantPriceInline(admin.TabularInline):
    model = models.ProductVariantChannelListing
    extra = 0


@admin.register(models.ProductVariant)
class ProductVariantAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "product")
    search_fields = ("sku", "name", "product__name")
    list_select_related = ("product",)
    raw_id_fields = ("product",)
    inlines = [VariantPriceInline]
