"""Product reviews, their photos and reports, and the per-product rating summary.

Text is stored verbatim (what the customer typed); it is data to GraphQL and the
dashboard escapes it when it renders HTML. Only PUBLISHED reviews count in the
rating summary and show on the storefront.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Fit(models.TextChoices):
    RUNS_SMALL = "runs_small", "runs small"
    TRUE_TO_SIZE = "true_to_size", "true to size"
    RUNS_LARGE = "runs_large", "runs large"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "pending moderation"
    PUBLISHED = "published", "published"
    REJECTED = "rejected", "rejected"
    HIDDEN = "hidden", "hidden"


class Review(models.Model):
    """One customer's review of one product (editable; one per product per customer)."""

    product = models.ForeignKey("product.Product", on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="product_reviews"
    )
    variant = models.ForeignKey(
        "product.ProductVariant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The variant the customer bought (its size feeds the fit feedback).",
    )
    order_line_id = models.BigIntegerField(
        null=True, blank=True, help_text="The fulfilled order line that verifies the purchase."
    )
    channel_slug = models.CharField(max_length=255, blank=True)
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    fit = models.CharField(max_length=16, choices=Fit.choices, blank=True)
    verified_purchase = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    report_count = models.PositiveIntegerField(default=0)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderation_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        permissions = (("manage_reviews", "Moderate product reviews"),)
        constraints = [
            models.UniqueConstraint(fields=("product", "user"), name="reviews_one_per_customer"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="reviews_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=("product", "status", "created_at"), name="reviews_listing"),
            models.Index(fields=("status", "report_count"), name="reviews_moderation"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 {self.title}"


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="reviews/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "pk")

    def __str__(self) -> str:
        return self.image.name


class ReviewReport(models.Model):
    """A customer flagged a review (once per customer per review)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("review", "user"), name="reviews_report_once")
        ]

    def __str__(self) -> str:
        return f"report of review {self.review_id}"


class RatingSummary(models.Model):
    """Published reviews per star of one product, updated in the review services'
    transactions (row locked), so reads never aggregate over the reviews."""

    product = models.OneToOneField(
        "product.Product", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    count_1 = models.PositiveIntegerField(default=0)
    count_2 = models.PositiveIntegerField(default=0)
    count_3 = models.PositiveIntegerField(default=0)
    count_4 = models.PositiveIntegerField(default=0)
    count_5 = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"rating summary of product {self.product_id}"

    def counts(self) -> dict[int, int]:
        return {star: getattr(self, f"count_{star}") for star in range(1, 6)}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    @property
    def average(self) -> float | None:
        total = self.total
        if not total:
            return None
        return round(sum(star * n for star, n in self.counts().items()) / total, 2)
