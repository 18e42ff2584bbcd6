"""Attributes (size, colour, material...) and their values, shared by product types."""

from __future__ import annotations

from django.db import models


class Attribute(models.Model):
    class InputType(models.TextChoices):
        DROPDOWN = "DROPDOWN"
        MULTISELECT = "MULTISELECT"
        NUMERIC = "NUMERIC"
        BOOLEAN = "BOOLEAN"
        SWATCH = "SWATCH"

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    input_type = models.CharField(
        max_length=16, choices=InputType.choices, default=InputType.DROPDOWN
    )
    unit = models.CharField(max_length=32, blank=True, help_text="Unit of NUMERIC values.")
    visible_in_storefront = models.BooleanField(default=True)
    filterable_in_storefront = models.BooleanField(default=True)
    storefront_search_position = models.IntegerField(default=0)

    class Meta:
        ordering = ("storefront_search_position", "slug")
        permissions = (
            ("manage_product_types_and_attributes", "Manage product types and attributes."),
        )

    def __str__(self) -> str:
        return self.name


class AttributeValue(models.Model):
    """One choice of an attribute. SWATCH values keep a colour in ``value`` (``#RRGGBB``);
    BOOLEAN values keep ``boolean``; NUMERIC values keep the number in ``name``."""

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255)
    value = models.CharField(max_length=100, blank=True)
    boolean = models.BooleanField(null=True, blank=True)
    sort_order = models.IntegerField(default=0, db_index=True)

    class Meta:
        ordering = ("sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("attribute", "slug"), name="attribute_value_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
