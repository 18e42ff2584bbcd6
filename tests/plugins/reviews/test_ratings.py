"""Ratings on the catalog: summary and histogram, Product.reviews pages and sorting,
``products`` sorted and filtered by rating, and a query budget that does not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from plugins.reviews.models import RatingSummary, Review, ReviewPhoto
from tests.plugins.reviews.conftest import buy, client_for, make_customer
from tests.plugins.reviews.test_reviews import create
from tests.product.test_query_counts import SqlLog, big_catalog  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SUMMARY = """
query($slug: String!, $sort: ProductReviewSort, $first: Int, $after: String) {
  product(slug: $slug, channel: "default-channel") {
    rating reviewCount
    ratingSummary { average count histogram { rating count } }
    reviews(first: $first, after: $after, sort: $sort) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { rating title author } }
    }
  }
}
"""


@pytest.fixture
def three_reviews(shop: Any, auto_publish: Any) -> list[Any]:
    """Ratings 5, 3 and 4 on the red dress, written in that order."""
    users = []
    for n, rating in enumerate((5, 3, 4)):
        user = make_customer(f"buyer{n}@example.com", f"Buyer{n}", "Lee")
        buy(shop, user)
        create(client_for(user), shop, rating=rating, title=f"Review {n}")
        users.append(user)
    return users


def test_the_summary_counts_each_star_and_the_product_carries_the_average(shop, three_reviews, gql):
    data = gql(SUMMARY, {"slug": shop.catalog.red_dress.slug, "first": 10})["data"]["product"]

    assert (data["rating"], data["reviewCount"]) == (4.0, 3)
    assert data["ratingSummary"] == {
        "average": 4.0,
        "count": 3,
        "histogram": [
            {"rating": 5, "count": 1},
            {"rating": 4, "count": 1},
            {"rating": 3, "count": 1},
            {"rating": 2, "count": 0},
            {"rating": 1, "count": 0},
        ],
    }
    summary = RatingSummary.objects.get(product=shop.catalog.red_dress)
    assert (summary.count_5, summary.count_4, summary.count_3) == (1, 1, 1)


def test_reviews_are_newest_first_and_sort_by_rating(shop, three_reviews, gql):
    slug = shop.catalog.red_dress.slug

    newest = gql(SUMMARY, {"slug": slug, "first": 10})["data"]["product"]["reviews"]
    best = gql(SUMMARY, {"slug": slug, "first": 10, "sort": {"field": "RATING"}})
    worst = gql(
        SUMMARY, {"slug": slug, "first": 10, "sort": {"field": "RATING", "direction": "ASC"}}
    )

    assert [e["node"]["title"] for e in newest["edges"]] == ["Review 2", "Review 1", "Review 0"]
    assert newest["totalCount"] == 3
    ratings = [e["node"]["rating"] for e in best["data"]["product"]["reviews"]["edges"]]
    assert ratings == [5, 4, 3]
    ratings = [e["node"]["rating"] for e in worst["data"]["product"]["reviews"]["edges"]]
    assert ratings == [3, 4, 5]


def test_reviews_page_with_cursors(shop, three_reviews, gql):
    slug = shop.catalog.red_dress.slug
    sort = {"field": "RATING"}

    first = gql(SUMMARY, {"slug": slug, "first": 2, "sort": sort})["data"]["product"]["reviews"]
    rest = gql(
        SUMMARY,
        {"slug": slug, "first": 2, "sort": sort, "after": first["pageInfo"]["endCursor"]},
    )["data"]["product"]["reviews"]

    assert [e["node"]["rating"] for e in first["edges"]] == [5, 4]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["rating"] for e in rest["edges"]] == [3]
    assert rest["pageInfo"]["hasNextPage"] is False


LISTING = """
query($filter: ProductFilterInput, $sortBy: ProductOrder) {
  products(first: 10, channel: "default-channel", filter: $filter, sortBy: $sortBy) {
    edges { node { name rating } }
  }
}
"""


def test_products_sort_and_filter_by_rating(shop, three_reviews, gql, ada, auto_publish):
    buy(shop, ada, "ST-M")
    from tests.plugins.reviews.conftest import gid

    create(client_for(ada), shop, product=gid("Product", shop.catalog.silk_top.pk), rating=2)

    best = gql(LISTING, {"sortBy": {"field": "RATING", "direction": "DESC"}})["data"]
    good = gql(LISTING, {"filter": {"minimalRating": 3.5}})["data"]
    bad = gql(LISTING, {"filter": {"minimalRating": 7}})

    assert [(e["node"]["name"], e["node"]["rating"]) for e in best["products"]["edges"]] == [
        ("Red Ankara Dress", 4.0),
        ("Silk Wrap Top", 2.0),
    ]
    assert [e["node"]["name"] for e in good["products"]["edges"]] == ["Red Ankara Dress"]
    assert "errors" in bad


# -- the query budget -------------------------------------------------------------------------

SPEC = """
query($first: Int!) {
  products(first: $first, channel: "default-channel") {
    edges { node { rating reviews(first: 3) { edges { node { rating title } } } } }
  }
}
"""

RICH = """
query($first: Int!) {
  products(first: $first, channel: "default-channel") {
    edges { node {
      rating reviewCount
      ratingSummary { average count histogram { rating count } }
      reviews(first: 3, sort: {field: RATING}) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id rating title text fit author variantName verifiedPurchase
          photos { url width height } } }
      }
    } }
  }
}
"""


@pytest.fixture
def reviewed_catalog(big_catalog: list[Any]) -> list[Any]:  # noqa: F811 - the imported fixture
    """Every bulk product has five published reviews (one with a photo) and a summary."""
    users = [make_customer(f"reviewer{n}@example.com", f"R{n}", "Lee") for n in range(5)]
    reviews = Review.objects.bulk_create(
        Review(
            product=product,
            user=user,
            rating=1 + (product.pk + n) % 5,
            title=f"Review {n} of {product.slug}",
            text="Fine.",
            verified_purchase=True,
            status="published",
        )
        for product in big_catalog
        for n, user in enumerate(users)
    )
    ReviewPhoto.objects.bulk_create(
        ReviewPhoto(review=r, image=f"reviews/{r.pk}.png", width=100, height=100)
        for r in reviews[::5]
    )
    for product in big_catalog:
        summary = RatingSummary(product=product)
        for n in range(5):
            star = 1 + (product.pk + n) % 5
            setattr(summary, f"count_{star}", getattr(summary, f"count_{star}") + 1)
        summary.save()
        type(product).objects.filter(pk=product.pk).update(
            rating=summary.average, review_count=summary.total
        )
    return big_catalog


def count(gql: Any, query: str, first: int) -> tuple[int, dict]:
    log = SqlLog()
    with connection.execute_wrapper(log):
        result = gql(query, {"first": first})
    assert "errors" not in result, result
    return len(log.statements), result


NO_FIRST = """
query($first: Int!) {
  products(first: $first, channel: "default-channel") {
    edges { node { reviews { edges { node { rating } } } } }
  }
}
"""


@pytest.mark.embedded
@pytest.mark.parametrize("query", [SPEC, RICH, NO_FIRST], ids=["spec", "rich", "no_first"])
def test_nested_reviews_cost_the_same_queries_for_5_and_20_products(gql, reviewed_catalog, query):
    small, page5 = count(gql, query, 5)
    large, page20 = count(gql, query, 20)

    assert small == large
    edges = page20["data"]["products"]["edges"]
    assert len(edges) == 20
    per_product = 5 if query is NO_FIRST else 3
    assert all(len(e["node"]["reviews"]["edges"]) == per_product for e in edges)
    first = edges[0]["node"]
    if query is not NO_FIRST:
        assert all(e["node"]["rating"] == 3.0 for e in edges)  # 1+2+3+4+5 over five
    if query is RICH:
        assert first["ratingSummary"]["count"] == 5
        assert first["reviews"]["totalCount"] == 5
        assert first["reviews"]["pageInfo"]["hasNextPage"] is True
        ratings = [e["node"]["rating"] for e in first["reviews"]["edges"]]
        assert ratings == sorted(ratings, reverse=True)
