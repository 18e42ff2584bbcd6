"""Dashboard pages for the catalog.

The product list filters by category, channel, publication and stock; bulk
publish/unpublish and image upload go through ``product.services`` (events, checks,
audit). The remaining inline edit forms still save models directly (see the report
of the dashboard issue): prefer the GraphQL mutations for those until they are routed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.errors import DomainError
from core.permissions import Perm, has_perm
from product import models


class _PermAdmin:
    """Pages follow our permission (``perm``), not Django's per-model defaults."""

    perm: Perm = Perm.MANAGE_PRODUCTS

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


class _TypesPermAdmin(_PermAdmin):
    perm = Perm.MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES


class ValueInline(_TypesPermAdmin, admin.TabularInline):
    model = models.AttributeValue
    extra = 0
    fields = ("name", "slug", "value", "boolean", "sort_order")


@admin.register(models.Attribute)
class AttributeAdmin(_TypesPermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "input_type", "visible_in_storefront")
    list_filter = ("input_type",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ValueInline]


class AttributeProductInline(_TypesPermAdmin, admin.TabularInline):
    model = models.AttributeProduct
    extra = 0


class AttributeVariantInline(_TypesPermAdmin, admin.TabularInline):
    model = models.AttributeVariant
    extra = 0


@admin.register(models.ProductType)
class ProductTypeAdmin(_TypesPermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "has_variants", "is_shipping_required")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AttributeProductInline, AttributeVariantInline]


@admin.register(models.Category)
class CategoryAdmin(_PermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "level")
    search_fields = ("name", "slug")
    list_select_related = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    exclude = ("description_plaintext",)


class CollectionListingInline(_PermAdmin, admin.TabularInline):
    model = models.CollectionChannelListing
    extra = 0


class CollectionProductInline(_PermAdmin, admin.TabularInline):
    model = models.CollectionProduct
    extra = 0
    raw_id_fields = ("product",)


@admin.register(models.Collection)
class CollectionAdmin(_PermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CollectionListingInline, CollectionProductInline]


class ProductListingInline(_PermAdmin, admin.TabularInline):
    """Shown read-only: publication changes go through the bulk actions (the service)."""

    model = models.ProductChannelListing
    extra = 0
    fields = ("channel", "is_published", "published_at", "visible_in_listings", "min_price_amount")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MediaInline(_PermAdmin, admin.TabularInline):
    """Images are shown here; uploads go through the media service (the upload page)."""

    model = models.ProductMedia
    extra = 0
    fields = ("image", "alt", "sort_order")
    readonly_fields = ("image",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VariantInline(_PermAdmin, admin.TabularInline):
    """Listed here; each variant is edited on its own page."""

    model = models.ProductVariant
    extra = 0
    fields = ("sku", "name", "weight", "track_inventory", "sort_order")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChannelFilter(admin.SimpleListFilter):
    title = "channel"
    parameter_name = "channel"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        from core.models import Channel

        return list(Channel.objects.order_by("name").values_list("slug", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(channel_listings__channel__slug=self.value()).distinct()
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    """Published in the chosen channel (the channel filter), else in any channel."""

    title = "published"
    parameter_name = "published"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [("yes", "Published"), ("no", "Not published")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("yes", "no"):
            return queryset
        listings = models.ProductChannelListing.objects.filter(
            product=OuterRef("pk"), is_published=True
        )
        channel = request.GET.get("channel")
        if channel:
            listings = listings.filter(channel__slug=channel)
        published = Exists(listings)
        return queryset.filter(published if self.value() == "yes" else ~published)


class StockFilter(admin.SimpleListFilter):
    title = "stock"
    parameter_name = "stock"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [("in", "In stock"), ("out", "Out of stock")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        from warehouse.models import Stock

        if self.value() not in ("in", "out"):
            return queryset
        available = Exists(
            Stock.objects.filter(
                product_variant__product=OuterRef("pk"), quantity__gt=F("quantity_allocated")
            )
        )
        return queryset.filter(available if self.value() == "in" else ~available)


class ProductForm(forms.ModelForm):
    """Runs the service's own checks in ``clean`` so problems show next to their field."""

    class Meta:
        model = models.Product
        fields = ("product_type", "name", "slug", "category", "description", "weight")

    def clean(self) -> dict:
        from product.services._common import clean_rich_text, clean_weight, require_name

        data = super().clean()
        checks = (
            ("name", require_name),
            ("description", clean_rich_text),
            ("weight", clean_weight),
        )
        for field, check in checks:
            if field in data and data[field] not in (None, ""):
                try:
                    check(data[field], field)
                except DomainError as error:
                    self.add_error(field, error.errors[0].message)
        return data


class MediaUploadForm(forms.Form):
    image = forms.ImageField()
    alt = forms.CharField(max_length=250, required=False)


@admin.register(models.Product)
class ProductAdmin(_PermAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "product_type", "category", "channels", "updated_at")
    list_filter = (ChannelFilter, PublishedFilter, StockFilter, "category", "product_type")
    list_select_related = ("product_type", "category")
    search_fields = ("name", "slug", "variants__sku")
    prepopulated_fields = {"slug": ("name",)}
    form = ProductForm
    fields = (
        "product_type",
        "name",
        "slug",
        "category",
        "description",
        "weight",
        "upload_link",
        "rating",
        "review_count",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("upload_link", "rating", "review_count", "created_at", "updated_at")
    inlines = [ProductListingInline, VariantInline, MediaInline]
    actions = ("publish_selected", "unpublish_selected")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("channel_listings__channel")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        fixed = ("product_type",) if obj is not None else ()
        return (*fixed, *self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Through ``create_product``/``update_product``: slug, search document, events."""
        from product.services.products import ProductInput, create_product, update_product

        data = form.cleaned_data
        spec = ProductInput(
            name=data["name"],
            slug=data.get("slug") or None,
            description=data.get("description") or {},
            category=data.get("category"),
            weight=data.get("weight"),
        )
        if change:
            saved = update_product(actor=request.user, product=obj.pk, data=spec)
        else:
            saved = create_product(actor=request.user, product_type=data["product_type"], data=spec)
        obj.pk, obj.slug = saved.pk, saved.slug
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from product.services.products import delete_product

        delete_product(actor=request.user, product=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for product in queryset:
            self.delete_model(request, product)

    @admin.display(description="channels")
    def channels(self, obj: models.Product) -> str:
        return ", ".join(
            f"{listing.channel.slug}{'' if listing.is_published else ' (hidden)'}"
            for listing in obj.channel_listings.all()
        )

    @admin.display(description="images")
    def upload_link(self, obj: models.Product) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:product_product_media_upload", args=[obj.pk])
        return format_html('<a href="{}" id="upload-image">Upload an image</a>', url)

    def _set_published(self, request: HttpRequest, queryset: QuerySet, published: bool) -> None:
        from product.services.products import ProductListingInput, update_product_channel_listings

        if not has_perm(request.user, Perm.MANAGE_PRODUCTS):
            raise DjangoPermissionDenied
        channel = request.GET.get("channel")
        changed, skipped = 0, []
        for product in queryset.prefetch_related("channel_listings__channel"):
            listings = [
                listing
                for listing in product.channel_listings.all()
                if not channel or listing.channel.slug == channel
            ]
            if not listings:
                skipped.append(product.name)
                continue
            try:
                update_product_channel_listings(
                    actor=request.user,
                    product=product,
                    update=[
                        ProductListingInput(channel=listing.channel, is_published=published)
                        for listing in listings
                    ],
                )
            except DomainError as error:
                self.message_user(request, f"{product.name}: {error}", messages.ERROR)
                continue
            changed += 1
        verb = "published" if published else "unpublished"
        self.message_user(request, f"{changed} products {verb}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Not listed in a channel, skipped: {', '.join(skipped)}.",
                messages.WARNING,
            )

    @admin.action(description="Publish selected products (in the filtered channel, or all)")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_published(request, queryset, True)

    @admin.action(description="Unpublish selected products (in the filtered channel, or all)")
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_published(request, queryset, False)

    def get_urls(self) -> list:
        return [
            path(
                "<int:object_id>/media/upload/",
                self.admin_site.admin_view(self.upload_media),
                name="product_product_media_upload",
            ),
            *super().get_urls(),
        ]

    def upload_media(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Image upload through ``add_product_media`` (checks the file is an image, emits)."""
        from product.services.products import add_product_media

        if not has_perm(request.user, Perm.MANAGE_PRODUCTS):
            raise DjangoPermissionDenied
        product = get_object_or_404(models.Product, pk=object_id)
        form = (
            MediaUploadForm(request.POST or None, request.FILES or None)
            if request.method == "POST"
            else MediaUploadForm()
        )
        if request.method == "POST" and form.is_valid():
            try:
                add_product_media(
                    actor=request.user,
                    product=product,
                    image=form.cleaned_data["image"],
                    alt=form.cleaned_data["alt"],
                )
            except DomainError as error:
                for detail in error.errors:
                    form.add_error("image" if detail.field == "image" else None, detail.message)
            else:
                messages.success(request, "Image uploaded.")
                return HttpResponseRedirect(
                    reverse("admin:product_product_change", args=[product.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Upload an image for {product.name}",
            "form": form,
            "product": product,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/product/media_upload.html", context)


class VariantPriceInline(_PermAdmin, admin.TabularInline):
    model = models.ProductVariantChannelListing
    extra = 0


@admin.register(models.ProductVariant)
class ProductVariantAdmin(_PermAdmin, admin.ModelAdmin):
    list_display = ("sku", "name", "product")
    search_fields = ("sku", "name", "product__name")
    list_select_related = ("product",)
    raw_id_fields = ("product",)
    inlines = [VariantPriceInline]
