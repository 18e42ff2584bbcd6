"""Per-request batching: ``products(first: 20) { reviews(first: 3) ratingSummary }`` costs
the same number of SQL queries as one product.

The first ``Product.reviews(first: N)`` resolved in a request loads the first N+1
published reviews of *every* product the catalog has handed out so far (its
per-request product pool) in one query, ranked per product with
``ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY ...)``. Photos and rating
summaries are batched the same way. Only a nested page that starts from a cursor
(``after``/``before``/``last``) is read product by product.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from core.graphql.pagination import Ordering
from plugins.reviews.models import RatingSummary, Review, ReviewPhoto, ReviewStatus


def published() -> Any:
    return Review.objects.filter(status=ReviewStatus.PUBLISHED).select_related("user", "variant")


def _order_expressions(ordering: Ordering) -> list[Any]:
    expressions = []
    for field in ordering.full:
        name = "pk" if field.lstrip("-") in ("pk", "id") else field.lstrip("-")
        column = F("id" if name == "pk" else name)
        expressions.append(column.desc() if field.startswith("-") else column.asc())
    return expressions


class ReviewLoader:
    def __init__(self, info: Any) -> None:
        from product.schema.loaders import Batch, Pool, loaders

        self.catalog = loaders(info)
        self.reviews = Pool()
        self._pages: dict[tuple[tuple[str, ...], int], Batch] = {}
        self.photos = Batch(self.reviews, self._photos, list)
        self.summary = Batch(self.catalog.products, self._summaries, lambda: None)

    def first_page(self, product_id: int, ordering: Ordering, size: int) -> list[Review]:
        """Up to ``size + 1`` published reviews of the product (one more tells hasNextPage)."""
        from product.schema.loaders import Batch

        key = (ordering.full, size)
        batch = self._pages.get(key)
        if batch is None:
            batch = self._pages[key] = Batch(
                self.catalog.products, lambda ids: self._window(ids, ordering, size + 1), list
            )
        return batch.get(product_id)

    def _window(self, product_ids: list[int], ordering: Ordering, limit: int) -> dict[int, list]:
        if not product_ids or limit <= 0:
            return {}
        rows = (
            published()
            .filter(product_id__in=product_ids)
            .annotate(
                position=Window(
                    RowNumber(),
                    partition_by=[F("product_id")],
                    order_by=_order_expressions(ordering),
                )
            )
            .filter(position__lte=limit)
            .order_by("product_id", "position")
        )
        found: dict[int, list[Review]] = {}
        for review in rows:
            found.setdefault(review.product_id, []).append(review)
        self.reviews.add(r.pk for page in found.values() for r in page)
        return found

    def _photos(self, review_ids: list[int]) -> dict[int, list[ReviewPhoto]]:
        found: dict[int, list[ReviewPhoto]] = {}
        for photo in ReviewPhoto.objects.filter(review_id__in=review_ids):
            found.setdefault(photo.review_id, []).append(photo)
        return found

    def _summaries(self, product_ids: list[int]) -> dict[int, RatingSummary]:
        return RatingSummary.objects.in_bulk(product_ids)

    def saw(self, reviews: list[Review]) -> list[Review]:
        self.reviews.add(r.pk for r in reviews)
        return reviews


def review_loader(info: Any) -> ReviewLoader:
    request = info.context
    found = getattr(request, "_review_loader", None)
    if found is None:
        found = request._review_loader = ReviewLoader(info)
    return found
