"""The number of SQL queries of a storefront operation does not grow with the page size."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from product import models as m
from warehouse.models import Stock

LISTING = """
query Listing($first: Int!, $channel: String!) {
  products(first: $first, channel: $channel, sortBy: {field: PRICE, direction: ASC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name slug description rating
      thumbnail(size: 256, format: WEBP) { url alt }
      media { url(size: 512) alt }
      category { id name slug }
      collections { slug }
      attributes { attribute { slug name } values { name slug value } }
      translation(languageCode: FR) { name }
      isAvailable isAvailableForPurchase
      pricing {
        onSale
        discount { gross { amount currency } }
        priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
      }
      variants {
        id sku name quantityAvailable
        attributes(variantSelection: VARIANT_SELECTION) { attribute { slug } values { name } }
        translation(languageCode: FR) { name }
        pricing { onSale price { gross { amount currency } } }
      }
    } }
  }
}
"""


@pytest.fixture
def big_catalog(catalog, channel, warehouses):
    """110 published products with three priced, stocked variants and two images each."""
    size = catalog.attrs["size"]
    sizes = list(size.values.all())
    material = list(catalog.attrs["material"].values.all())
    products = m.Product.objects.bulk_create(
        m.Product(
            product_type=catalog.dress,
            category=catalog.dresses,
            name=f"Bulk dress {i:03d}",
            slug=f"bulk-dress-{i:03d}",
            search_document=f"bulk dress {i:03d}",
        )
        for i in range(110)
    )
    m.ProductChannelListing.objects.bulk_create(
        m.ProductChannelListing(
            product=p,
            channel=channel,
            currency="NGN",
            is_published=True,
            available_for_purchase_at=p.created_at,
            min_price_amount=Decimal(1000 + i),
        )
        for i, p in enumerate(products)
    )
    m.ProductAttributeValue.objects.bulk_create(
        m.ProductAttributeValue(product=p, value=material[i % 2]) for i, p in enumerate(products)
    )
    m.ProductMedia.objects.bulk_create(
        m.ProductMedia(product=p, image=f"products/{p.slug}-{n}.png", alt=p.name, sort_order=n)
        for p in products
        for n in range(2)
    )
    variants = m.ProductVariant.objects.bulk_create(
        m.ProductVariant(product=p, sku=f"{p.slug}-{s.slug}", name=s.name, sort_order=n)
        for p in products
        for n, s in enumerate(sizes)
    )
    m.VariantAttributeValue.objects.bulk_create(
        m.VariantAttributeValue(variant=v, value=sizes[v.sort_order]) for v in variants
    )
    m.ProductVariantChannelListing.objects.bulk_create(
        m.ProductVariantChannelListing(
            variant=v, channel=channel, currency="NGN", price_amount=Decimal(1000 + v.pk)
        )
        for v in variants
    )
    Stock.objects.bulk_create(
        Stock(product_variant=v, warehouse=warehouses["lagos"], quantity=v.pk % 4) for v in variants
    )
    m.ProductTranslation.objects.bulk_create(
        m.ProductTranslation(product=p, language_code="fr", name=f"Robe {p.pk}") for p in products
    )
    return products


class SqlLog:
    """Every statement the connection runs (an execute wrapper: no DEBUG log, no size cap)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204
        self.statements.append(sql)
        return execute(sql, params, many, context)


def count_queries(gql, first: int, query: str = LISTING) -> tuple[int, dict]:
    log = SqlLog()
    with connection.execute_wrapper(log):
        result = gql(query, {"first": first, "channel": "default-channel"})
    assert "errors" not in result, result
    return len(log.statements), result


@pytest.mark.embedded
def test_product_listing_queries_do_not_grow_with_page_size(gql, big_catalog):
    small, page20 = count_queries(gql, 20)
    large, page100 = count_queries(gql, 100)
    assert len(page20["data"]["products"]["edges"]) == 20
    assert len(page100["data"]["products"]["edges"]) == 100
    node = page100["data"]["products"]["edges"][0]["node"]
    assert len(node["variants"]) == 3 and node["variants"][0]["pricing"]["price"]
    assert node["thumbnail"]["url"].endswith("/256/webp/")
    assert node["translation"]["name"].startswith("Robe")
    assert small == large, (small, large)
    assert large <= 18, large


@pytest.mark.embedded
def test_staff_listing_queries_do_not_grow_with_page_size(staff_gql, big_catalog):
    from core.permissions import Perm

    staff = staff_gql(Perm.MANAGE_PRODUCTS.value)
    small, _ = count_queries(staff, 20)
    large, _ = count_queries(staff, 100)
    assert small == large, (small, large)


MENU = """
query Menu($first: Int!) {
  categories(first: $first, level: 0) {
    edges { node { name children(first: 3) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { slug } }
    } } }
  }
  attributes(first: $first) { edges { node { slug choices(first: 2) { edges { node { name } } } } } }
}
"""


@pytest.mark.embedded
def test_menus_and_filter_choices_do_not_query_per_node(gql, catalog):
    from product import services
    from product.services import ValueInput

    def menu(first: int) -> tuple[int, dict]:
        log = SqlLog()
        with connection.execute_wrapper(log):
            result = gql(MENU, {"first": first})
        assert "errors" not in result, result
        return len(log.statements), result["data"]

    one, _ = menu(1)
    for n in range(6):
        top = services.create_category(actor=None, name=f"Top {n}")
        for k in range(4):
            services.create_category(actor=None, name=f"Sub {n}.{k}", parent=top)
        services.create_attribute(
            actor=None, name=f"Attr {n}", values=[ValueInput(f"v{k}") for k in range(3)]
        )
    many, data = menu(10)
    assert one == many, (one, many)
    women = next(e["node"] for e in data["categories"]["edges"] if e["node"]["name"] == "Women")
    assert [e["node"]["slug"] for e in women["children"]["edges"]] == ["dresses", "tops"]
    top0 = next(e["node"] for e in data["categories"]["edges"] if e["node"]["name"] == "Top 0")
    assert top0["children"]["totalCount"] == 4
    assert top0["children"]["pageInfo"]["hasNextPage"] is True
    rest = gql(
        """query ($after: String) { category(slug: "top-0") {
             children(first: 3, after: $after) { edges { node { name } } } } }""",
        {"after": top0["children"]["pageInfo"]["endCursor"]},
    )["data"]["category"]["children"]["edges"]
    assert [e["node"]["name"] for e in rest] == ["Sub 0.3"]
    sizes = [e["node"] for e in data["attributes"]["edges"] if e["node"]["slug"] == "size"]
    assert [c["node"]["name"] for c in sizes[0]["choices"]["edges"]] == ["S", "M"]
