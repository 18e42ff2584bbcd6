"""Categories (a tree) and collections (curated, per-channel published lists)."""

from __future__ import annotations

from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.JSONField(default=dict, blank=True)
    description_plaintext = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("slug",)
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.JSONField(default=dict, blank=True)
    products = models.ManyToManyField(
        "product.Product", through="CollectionProduct", related_name="collections", blank=True
    )

    class Meta:
        ordering = ("slug",)

    def __str__(self) -> str:
        return self.name


class CollectionProduct(models.Model):
    """A product's place in a collection (``sort_order`` drives COLLECTION sorting)."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="collection_products"
    )
    product = models.ForeignKey(
        "product.Product", on_delete=models.CASCADE, related_name="collection_products"
    )
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("collection", "product"), name="collection_product_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}:{self.product_id}"


class CollectionChannelListing(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="channel_listings"
    )
    channel = models.ForeignKey(
        "core.Channel", on_delete=models.CASCADE, related_name="collection_listings"
    )
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("collection", "channel"), name="collection_channel_listing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}@{self.channel_id}"
