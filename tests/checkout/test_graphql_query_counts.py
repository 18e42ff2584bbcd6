"""``checkout(id)`` costs the same number of SQL queries with 1 line or 10, catalog fields
of the lines' variants included (21 queries when measured)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.checkout.conftest import LAGOS
from tests.order.storefront import CHECKOUT, Storefront
from tests.product import factories

pytestmark = pytest.mark.django_db

QUERY = (
    CHECKOUT
    + """
query Cart($id: ID) {
  checkout(id: $id) {
    ...CheckoutDetails
    lines {
      variant {
        quantityAvailable
        pricing { price { gross { amount } } }
        attributes { attribute { slug } values { name } }
        product { thumbnail { url } isAvailableForPurchase category { name } }
      }
    }
  }
}
"""
)


@pytest.fixture
def ten_products(shop, channel):
    """Ten more products, one priced and stocked variant each."""
    from warehouse import services
    from warehouse.services import StockInput

    variants = []
    for n in range(10):
        product = factories.product(
            shop.catalog.dress, f"Kaftan {n}", category=shop.catalog.dresses, channels=(channel,)
        )
        variants.append(factories.variant(product, f"KF-{n}", prices={channel: "10000"}))
    services.set_stocks(
        actor=None, items=[StockInput(v, shop.warehouses["lagos"], 20) for v in variants]
    )
    return variants


def count(gql, checkout_id):
    with CaptureQueriesContext(connection) as queries:
        body = gql(QUERY, {"id": checkout_id})
    assert "errors" not in body, body
    return len(queries), body["data"]["checkout"]


def test_checkout_queries_do_not_grow_with_lines(shop, gql, ten_products):
    store = Storefront(gql)
    small = store.ready([(ten_products[0], 1)], LAGOS, shop.standard)
    big = store.ready([(v, 1) for v in ten_products], LAGOS, shop.standard)
    store.pay(small["id"])
    store.pay(big["id"])

    one, small_data = count(gql, small["id"])
    ten, big_data = count(gql, big["id"])

    assert len(small_data["lines"]) == 1 and len(big_data["lines"]) == 10
    assert big_data["totalPrice"]["gross"]["amount"] == 102500.0
    assert big_data["lines"][9]["variant"]["pricing"]["price"]["gross"]["amount"] == 10000.0
    assert big_data["lines"][9]["variant"]["product"]["isAvailableForPurchase"] is True
    assert ten == one, (one, ten)
    assert one <= 24, one
