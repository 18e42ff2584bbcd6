"""Translations entered by merchants; English (the default) lives on the objects themselves."""

from __future__ import annotations

from django.db import models


class Translation(models.Model):
    language_code = models.CharField(max_length=35)

    class Meta:
        abstract = True


def _unique(owner: str, name: str) -> list[models.UniqueConstraint]:
    return [models.UniqueConstraint(fields=(owner, "language_code"), name=name)]


class ProductTranslation(Translation):
    product = models.ForeignKey(
        "product.Product", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=250, blank=True)
    description = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = _unique("product", "product_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"


class ProductVariantTranslation(Translation):
    variant = models.ForeignKey(
        "product.ProductVariant", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = _unique("variant", "variant_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"


class CategoryTranslation(Translation):
    category = models.ForeignKey(
        "product.Category", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=250, blank=True)
    description = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = _unique("category", "category_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"


class CollectionTranslation(Translation):
    collection = models.ForeignKey(
        "product.Collection", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=250, blank=True)
    description = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = _unique("collection", "collection_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"


class AttributeTranslation(Translation):
    attribute = models.ForeignKey(
        "product.Attribute", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = _unique("attribute", "attribute_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"


class AttributeValueTranslation(Translation):
    attribute_value = models.ForeignKey(
        "product.AttributeValue", on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = _unique("attribute_value", "attribute_value_translation_unique")

    def __str__(self) -> str:
        return f"{self.language_code}: {self.name}"
