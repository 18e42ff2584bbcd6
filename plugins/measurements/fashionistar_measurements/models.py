"""Measurement profiles, size charts, fit outcomes and missing-chart flags.

Core data is referenced by stable ids (user id, product id, product type id)
rather than foreign keys, as the plugin guide recommends: uninstalling the plugin
leaves the core's tables untouched and core deletions never cascade here
unexpectedly. Erasure with the account is done explicitly (``customer_deleted``
event and a ``post_delete`` signal on the user model).

All lengths are stored in centimetres and weights in kilograms, whatever unit the
shopper prefers to see.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

#: Body dimensions a profile and a size chart know, in display order.
DIMENSIONS = (
    "chest",
    "waist",
    "hips",
    "inseam",
    "shoulder",
    "sleeve",
    "neck",
    "thigh",
    "foot_length",
)


class BodyCategory(models.TextChoices):
    WOMEN = "women", "women"
    MEN = "men", "men"
    GIRLS = "girls", "girls"
    BOYS = "boys", "boys"
    UNISEX = "unisex", "unisex"


class Unit(models.TextChoices):
    CM = "cm", "centimetres and kilograms"
    IN = "in", "inches and pounds"


class FitPreference(models.TextChoices):
    SLIM = "slim", "slim"
    REGULAR = "regular", "regular"
    RELAXED = "relaxed", "relaxed"


class LengthPreference(models.TextChoices):
    SHORT = "short", "short"
    REGULAR = "regular", "regular"
    LONG = "long", "long"


def _length() -> models.DecimalField:
    return models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)


class MeasurementProfile(models.Model):
    """One person's body (self, partner, child), owned by one account."""

    user_id = models.BigIntegerField(db_index=True, help_text="Owner (account.User id).")
    name = models.CharField(max_length=64)
    body_category = models.CharField(max_length=8, choices=BodyCategory.choices)
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.CM)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    height = _length()
    weight = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    chest = _length()
    waist = _length()
    hips = _length()
    inseam = _length()
    shoulder = _length()
    sleeve = _length()
    neck = _length()
    thigh = _length()
    foot_length = _length()
    fit_preference = models.CharField(
        max_length=8, choices=FitPreference.choices, default=FitPreference.REGULAR
    )
    length_preference = models.CharField(
        max_length=8, choices=LengthPreference.choices, default=LengthPreference.REGULAR
    )
    notes = models.TextField(blank=True, max_length=1000)
    #: Where each value came from: ``{dimension: {"source": "user" | "estimated" |
    #: "provider:<name>", "confidence": 0..1, "margin_cm": float | null}}``.
    sources = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("user_id", "created_at", "pk")
        permissions = (("view_body_measurements", "Read customers' body measurement profiles."),)

    def __str__(self) -> str:
        return f"{self.name} ({self.body_category})"


class SizeChart(models.Model):
    """Body ranges per size for one scope. Most specific wins: product, then vendor,
    then product type.

    ``vendor_ref`` is the marketplace's stable vendor key (a slug or id as text); no
    vendor model exists yet, so nothing resolves a product's vendor today. The
    column and its place in the precedence are there so a vendor reference can be
    wired in without a data migration (see docs/measurements.md).
    """

    class Stretch(models.TextChoices):
        NONE = "none", "no stretch"
        SOME = "some", "some stretch (+2 cm)"
        HIGH = "high", "high stretch (+4 cm)"

    name = models.CharField(max_length=128)
    product_type_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    vendor_ref = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    product_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    body_category = models.CharField(
        max_length=8, choices=BodyCategory.choices, default=BodyCategory.UNISEX
    )
    stretch = models.CharField(max_length=4, choices=Stretch.choices, default=Stretch.NONE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        product_type_id__isnull=False,
                        vendor_ref__isnull=True,
                        product_id__isnull=True,
                    )
                    | models.Q(
                        product_type_id__isnull=True,
                        vendor_ref__isnull=False,
                        product_id__isnull=True,
                    )
                    | models.Q(
                        product_type_id__isnull=True,
                        vendor_ref__isnull=True,
                        product_id__isnull=False,
                    )
                ),
                name="measurements_chart_has_one_scope",
            ),
            models.UniqueConstraint(
                fields=("product_type_id",),
                name="measurements_one_chart_per_type",
                condition=models.Q(product_type_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=("vendor_ref",),
                name="measurements_one_chart_per_vendor",
                condition=models.Q(vendor_ref__isnull=False),
            ),
            models.UniqueConstraint(
                fields=("product_id",),
                name="measurements_one_chart_per_product",
                condition=models.Q(product_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> str:
        if self.product_id is not None:
            return "product"
        if self.vendor_ref is not None:
            return "vendor"
        return "product_type"


class SizeChartSize(models.Model):
    """One size: ``ranges`` is ``{dimension: [min_cm, max_cm]}`` of the body it fits."""

    chart = models.ForeignKey(SizeChart, on_delete=models.CASCADE, related_name="sizes")
    label = models.CharField(max_length=16)
    sort_order = models.PositiveSmallIntegerField(default=0)
    ranges = models.JSONField(default=dict)

    class Meta:
        ordering = ("chart", "sort_order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("chart", "label"), name="measurements_size_label_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class FitOutcome(models.Model):
    """How a size worked out for a profile on a product type (the feedback loop)."""

    class Outcome(models.TextChoices):
        KEPT = "kept", "kept (fulfilled, not returned)"
        RETURNED = "returned", "returned, no reason given"
        TOO_SMALL = "too_small", "too small"
        TOO_LARGE = "too_large", "too large"
        GOOD = "good", "fits well"

    profile = models.ForeignKey(
        MeasurementProfile, on_delete=models.CASCADE, related_name="outcomes"
    )
    product_type_id = models.BigIntegerField()
    product_id = models.BigIntegerField(null=True, blank=True)
    size_label = models.CharField(max_length=16)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    order_line_id = models.BigIntegerField(null=True, blank=True)
    event_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=("profile", "product_type_id"), name="measure_outcome_lookup")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("event_id", "order_line_id"), name="measurements_outcome_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.size_label}: {self.outcome}"


class MissingSizeChart(models.Model):
    """A product whose product type (and the product itself) has no size chart."""

    product_id = models.BigIntegerField(unique=True)
    product_slug = models.CharField(max_length=255)
    product_name = models.CharField(max_length=250)
    product_type_slug = models.CharField(max_length=255, blank=True)
    flagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-flagged_at", "product_id")

    def __str__(self) -> str:
        return self.product_name
