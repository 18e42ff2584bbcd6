"""Product types, products, variants, media and their per-channel listings and prices."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q


class ProductType(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    has_variants = models.BooleanField(default=True)
    is_shipping_required = models.BooleanField(default=True)
    weight = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, help_text="Default weight, kg."
    )
    product_attributes = models.ManyToManyField(
        "product.Attribute", through="AttributeProduct", related_name="product_types", blank=True
    )
    variant_attributes = models.ManyToManyField(
        "product.Attribute",
        through="AttributeVariant",
        related_name="variant_product_types",
        blank=True,
    )

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name


class AttributeProduct(models.Model):
    """An attribute describing products of a type (e.g. material)."""

    product_type = models.ForeignKey(
        ProductType, on_delete=models.CASCADE, related_name="attribute_products"
    )
    attribute = models.ForeignKey(
        "product.Attribute", on_delete=models.CASCADE, related_name="attribute_products"
    )
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("product_type", "attribute"), name="attribute_product_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_type_id}:{self.attribute_id}"


class AttributeVariant(models.Model):
    """An attribute distinguishing variants of a type (e.g. size, colour)."""

    product_type = models.ForeignKey(
        ProductType, on_delete=models.CASCADE, related_name="attribute_variants"
    )
    attribute = models.ForeignKey(
        "product.Attribute", on_delete=models.CASCADE, related_name="attribute_variants"
    )
    sort_order = models.IntegerField(default=0)
    variant_selection = models.BooleanField(
        default=True, help_text="Shoppers pick a variant by this attribute."
    )

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("product_type", "attribute"), name="attribute_variant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_type_id}:{self.attribute_id}"


class Product(models.Model):
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(
        "product.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
    )
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.JSONField(default=dict, blank=True, help_text="Rich text (EditorJS).")
    description_plaintext = models.TextField(blank=True, editable=False)
    weight = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    # Kept up to date by the reviews feature; null until the first review.
    rating = models.FloatField(null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0)
    # Search: a plain-text document (name, description, SKUs, attribute values) kept by
    # the services; on PostgreSQL also a tsvector with a GIN index (migration 0002).
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ("slug",)
        permissions = (
            ("manage_products", "Manage products, categories, collections and stock."),
            ("manage_translations", "Manage translations."),
        )

    def __str__(self) -> str:
        return self.name


class ProductVariant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=255, unique=True, null=True, blank=True)
    name = models.CharField(max_length=255, blank=True)
    weight = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    track_inventory = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("sort_order", "pk")
        indexes = [models.Index(fields=("product", "sort_order"), name="variant_product_order")]

    def __str__(self) -> str:
        return self.sku or self.name or f"variant {self.pk}"


class ProductAttributeValue(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="attribute_values")
    value = models.ForeignKey(
        "product.AttributeValue", on_delete=models.CASCADE, related_name="product_assignments"
    )
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("product", "value"), name="product_attr_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}:{self.value_id}"


class VariantAttributeValue(models.Model):
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="attribute_values"
    )
    value = models.ForeignKey(
        "product.AttributeValue", on_delete=models.CASCADE, related_name="variant_assignments"
    )
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("variant", "value"), name="variant_attr_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}:{self.value_id}"


class ProductMedia(models.Model):
    class Type(models.TextChoices):
        IMAGE = "IMAGE"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="media")
    image = models.ImageField(upload_to="products", max_length=255)
    alt = models.CharField(max_length=250, blank=True)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.IMAGE)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")
        indexes = [models.Index(fields=("product", "sort_order"), name="media_product_order")]

    def __str__(self) -> str:
        return self.alt or self.image.name


class Thumbnail(models.Model):
    """A resized rendition of a media image, generated on first request and kept."""

    media = models.ForeignKey(ProductMedia, on_delete=models.CASCADE, related_name="thumbnails")
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=8)
    image = models.ImageField(upload_to="thumbnails", max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("media", "size", "format"), name="thumbnail_unique")
        ]

    def __str__(self) -> str:
        return f"{self.media_id} {self.size} {self.format}"


class ProductChannelListing(models.Model):
    """Whether and how a product is sold in a channel.

    ``min_price_amount`` is the lowest variant price in the channel, kept by the
    services, so that listing by price needs no aggregate over variants.
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="channel_listings")
    channel = models.ForeignKey(
        "core.Channel", on_delete=models.CASCADE, related_name="product_listings"
    )
    currency = models.CharField(max_length=3)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    visible_in_listings = models.BooleanField(default=True)
    available_for_purchase_at = models.DateTimeField(null=True, blank=True)
    min_price_amount = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("product", "channel"), name="product_channel_unique")
        ]
        indexes = [
            models.Index(fields=("channel", "is_published"), name="product_listing_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.channel_id}"


class ProductVariantChannelListing(models.Model):
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, related_name="channel_listings"
    )
    channel = models.ForeignKey(
        "core.Channel", on_delete=models.CASCADE, related_name="variant_listings"
    )
    currency = models.CharField(max_length=3)
    price_amount = models.DecimalField(max_digits=20, decimal_places=3)
    cost_price_amount = models.DecimalField(max_digits=20, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(fields=("variant", "channel"), name="variant_channel_unique"),
            models.CheckConstraint(
                condition=Q(price_amount__gte=0), name="variant_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cost_price_amount__isnull=True) | Q(cost_price_amount__gte=0),
                name="variant_cost_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.channel_id}: {self.price_amount}"
