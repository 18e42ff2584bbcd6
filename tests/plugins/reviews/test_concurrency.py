"""The rating summary loses no review when customers review the same product at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from plugins.reviews import services
from plugins.reviews.models import RatingSummary
from tests.plugins.reviews.conftest import CHANNEL, buy, make_customer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
def test_concurrent_reviews_all_count(shop, auto_publish):
    customers = [make_customer(f"c{n}@example.com", f"C{n}", "Lee") for n in range(6)]
    for customer in customers:
        buy(shop, customer)
    product = shop.catalog.red_dress
    start = threading.Barrier(len(customers))
    failures: list[BaseException] = []

    def review(customer, rating: int) -> None:
        try:
            start.wait(timeout=10)
            services.create_review(
                user=customer,
                product_id=product.pk,
                data=services.ReviewInput(rating=rating, title=f"{rating} stars"),
                channel=CHANNEL,
            )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=review, args=(c, 1 + n % 5)) for n, c in enumerate(customers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    summary = RatingSummary.objects.get(product=product)
    assert summary.counts() == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1}
    product.refresh_from_db()
    assert (product.review_count, product.rating) == (6, round(16 / 6, 2))
