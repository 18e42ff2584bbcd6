"""Storefront queries: visibility per channel, fields a storefront renders, filters, sorting."""

from __future__ import annotations

import pytest
from graphene.relay import Node

from core.permissions import Perm
from tests.product import factories

PRODUCTS = """
query Products($channel: String, $first: Int, $after: String, $filter: ProductFilterInput,
               $sortBy: ProductOrder, $last: Int, $before: String) {
  products(channel: $channel, first: $first, after: $after, last: $last, before: $before,
           filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    edges { node { name slug } }
  }
}
"""

DETAIL = """
query Product($slug: String, $channel: String) {
  product(slug: $slug, channel: $channel) {
    id name slug description channel rating reviewCount
    category { name slug parent { slug } }
    productType { name }
    thumbnail(size: 200) { url alt }
    attributes { attribute { slug inputType } values { name slug } }
    variants {
      id sku name quantityAvailable
      attributes { attribute { slug } values { name value } }
      pricing { onSale price { gross { amount currency } } }
    }
    pricing {
      onSale
      priceRange { start { gross { amount currency } } stop { gross { amount currency } } }
    }
    isAvailable isAvailableForPurchase
  }
}
"""


def names(result):
    assert "errors" not in result, result
    return [edge["node"]["name"] for edge in result["data"]["products"]["edges"]]


@pytest.mark.embedded
def test_customers_see_published_products_of_the_channel_only(gql, catalog):
    assert names(gql(PRODUCTS, {"channel": "default-channel"})) == [
        "Red Ankara Dress",
        "Silk Wrap Top",
    ]
    assert names(gql(PRODUCTS, {"channel": "channel-usd"})) == ["Red Ankara Dress"]


@pytest.mark.embedded
def test_staff_with_permission_see_unpublished_and_unlisted(staff_gql, gql, catalog):
    staff = staff_gql(Perm.MANAGE_PRODUCTS.value)
    assert names(staff(PRODUCTS, {"channel": "channel-usd"})) == [
        "Red Ankara Dress",
        "Secret Sample",
        "Silk Wrap Top",
    ]
    from django.test import Client

    from account.models import User
    from tests.conftest import GraphQLClient

    client = Client()
    client.force_login(User.objects.create_user(email="other@example.com", is_staff=True))
    plain_staff = GraphQLClient(client)
    assert names(plain_staff(PRODUCTS, {"channel": "channel-usd"})) == ["Red Ankara Dress"]
    hidden = gql(DETAIL, {"slug": "secret-sample", "channel": "default-channel"})
    assert hidden["data"]["product"] is None
    seen = staff(DETAIL, {"slug": "secret-sample", "channel": "default-channel"})
    assert seen["data"]["product"]["name"] == "Secret Sample"


@pytest.mark.embedded
def test_unknown_channel_is_a_typed_error(gql, catalog):
    result = gql(PRODUCTS, {"channel": "nope"})
    assert result["data"]["products"] is None
    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.embedded
def test_product_detail_renders_what_a_storefront_needs(gql, catalog, warehouses):
    from warehouse import services
    from warehouse.services import StockInput

    services.set_stocks(
        actor=None,
        items=[StockInput(catalog.variants["RD-S"], warehouses["lagos"], 3)],
    )
    result = gql(DETAIL, {"slug": "red-ankara-dress", "channel": "default-channel"})
    assert "errors" not in result, result
    product = result["data"]["product"]
    assert product["id"] == Node.to_global_id("Product", catalog.red_dress.pk)
    assert product["channel"] == "default-channel"
    assert product["category"] == {
        "name": "Dresses",
        "slug": "dresses",
        "parent": {"slug": "women"},
    }
    assert product["rating"] is None
    assert product["thumbnail"] is None
    assert product["attributes"] == [
        {
            "attribute": {"slug": "material", "inputType": "DROPDOWN"},
            "values": [{"name": "Cotton", "slug": "cotton"}],
        }
    ]
    assert [v["sku"] for v in product["variants"]] == ["RD-S", "RD-M"]
    small = product["variants"][0]
    assert small["quantityAvailable"] == 3
    assert small["attributes"] == [
        {"attribute": {"slug": "size"}, "values": [{"name": "S", "value": ""}]},
        {"attribute": {"slug": "colour"}, "values": [{"name": "Red", "value": "#FF0000"}]},
    ]
    assert small["pricing"] == {
        "onSale": False,
        "price": {"gross": {"amount": 25000.0, "currency": "NGN"}},
    }
    assert product["pricing"]["priceRange"] == {
        "start": {"gross": {"amount": 25000.0, "currency": "NGN"}},
        "stop": {"gross": {"amount": 27500.5, "currency": "NGN"}},
    }
    assert product["isAvailableForPurchase"] is True
    assert product["isAvailable"] is True
    usd = gql(DETAIL, {"slug": "red-ankara-dress", "channel": "channel-usd"})["data"]["product"]
    assert usd["pricing"]["priceRange"]["start"]["gross"] == {"amount": 30.0, "currency": "USD"}
    assert usd["isAvailable"] is False  # no stock in the USD channel's warehouses


@pytest.mark.embedded
def test_customers_only_see_variants_priced_in_the_channel(gql, catalog, channel_usd):
    factories.variant(catalog.red_dress, "RD-L", size="L", prices=None)
    result = gql(DETAIL, {"slug": "red-ankara-dress", "channel": "channel-usd"})
    assert [v["sku"] for v in result["data"]["product"]["variants"]] == ["RD-S", "RD-M"]


@pytest.mark.embedded
def test_filters(gql, catalog):
    from graphene.relay import Node

    def run(**filter_):
        return names(gql(PRODUCTS, {"channel": "default-channel", "filter": filter_}))

    tops = Node.to_global_id("Category", catalog.tops.pk)
    women = Node.to_global_id("Category", catalog.women.pk)
    assert run(categories=[tops]) == ["Silk Wrap Top"]
    assert run(categories=[women]) == ["Red Ankara Dress", "Silk Wrap Top"]
    assert run(price={"gte": 20000}) == ["Red Ankara Dress"]
    assert run(price={"lte": 15000}) == ["Silk Wrap Top"]
    assert run(attributes=[{"slug": "material", "values": ["silk"]}]) == ["Silk Wrap Top"]
    assert run(attributes=[{"slug": "size", "values": ["s"]}]) == ["Red Ankara Dress"]
    assert run(attributes=[{"slug": "colour", "values": ["black"]}]) == ["Silk Wrap Top"]
    assert run(stockAvailability="IN_STOCK") == []
    assert run(stockAvailability="OUT_OF_STOCK") == ["Red Ankara Dress", "Silk Wrap Top"]


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ankara", ["Red Ankara Dress"]),
        ("ANKA", ["Red Ankara Dress"]),
        ("wax print", ["Red Ankara Dress"]),  # description
        ("ST-M", ["Silk Wrap Top"]),  # SKU
        ("silk", ["Silk Wrap Top"]),
        ("velvet", []),
    ],
)
def test_search_on_name_description_and_sku(gql, catalog, search, expected):
    result = gql(PRODUCTS, {"channel": "default-channel", "filter": {"search": search}})
    assert names(result) == expected


@pytest.mark.embedded
def test_collection_filter_and_collection_sorting(gql, catalog, channel):
    from product import services

    collection = services.create_collection(
        actor=None, name="Editor's picks", products=[catalog.silk_top, catalog.red_dress]
    )
    services.update_collection_channel_listings(
        actor=None, collection=collection, add=[{"channel": channel, "is_published": True}]
    )
    gid = Node.to_global_id("Collection", collection.pk)
    result = gql(
        PRODUCTS,
        {
            "channel": "default-channel",
            "filter": {"collections": [gid]},
            "sortBy": {"field": "COLLECTION", "direction": "ASC"},
        },
    )
    assert names(result) == ["Silk Wrap Top", "Red Ankara Dress"]
    query = """query ($slug: String, $channel: String) {
      collection(slug: $slug, channel: $channel) {
        name products(first: 10, sortBy: {field: COLLECTION, direction: DESC}) {
          edges { node { name } }
        }
      }
    }"""
    data = gql(query, {"slug": "editors-picks", "channel": "default-channel"})["data"]
    edges = data["collection"]["products"]["edges"]
    assert [e["node"]["name"] for e in edges] == ["Red Ankara Dress", "Silk Wrap Top"]
    assert gql(query, {"slug": "editors-picks", "channel": "channel-usd"})["data"] == {
        "collection": None
    }


@pytest.mark.embedded
def test_sorting_by_price_rating_and_name(gql, catalog):
    from product import services

    services.set_product_rating(actor=None, product=catalog.silk_top, rating=4.5, review_count=2)

    def run(field, direction="ASC"):
        variables = {
            "channel": "default-channel",
            "sortBy": {"field": field, "direction": direction},
        }
        return names(gql(PRODUCTS, variables))

    assert run("PRICE") == ["Silk Wrap Top", "Red Ankara Dress"]
    assert run("PRICE", "DESC") == ["Red Ankara Dress", "Silk Wrap Top"]
    assert run("RATING", "DESC") == ["Silk Wrap Top", "Red Ankara Dress"]
    assert run("NAME", "DESC") == ["Silk Wrap Top", "Red Ankara Dress"]
    assert run("CREATED_AT") == ["Red Ankara Dress", "Silk Wrap Top"]


@pytest.mark.embedded
def test_keyset_pagination_forwards_and_backwards(gql, catalog, channel):
    for n in range(5):
        factories.product(catalog.dress, f"Extra {n}", channels=(channel,))
    seen, after = [], None
    while True:
        page = gql(
            PRODUCTS,
            {
                "channel": "default-channel",
                "first": 3,
                "after": after,
                "sortBy": {"field": "NAME", "direction": "ASC"},
            },
        )["data"]["products"]
        seen += [e["node"]["name"] for e in page["edges"]]
        assert page["totalCount"] == 7
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == 7
    last = gql(PRODUCTS, {"channel": "default-channel", "last": 2})["data"]["products"]
    assert [e["node"]["name"] for e in last["edges"]] == seen[-2:]
    too_many = gql(PRODUCTS, {"channel": "default-channel", "first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID_PAGINATION"


@pytest.mark.embedded
def test_product_variant_by_sku_and_categories(gql, catalog):
    query = """query ($sku: String, $channel: String) {
      productVariant(sku: $sku, channel: $channel) { sku product { name } pricing { price { gross { amount } } } }
    }"""
    found = gql(query, {"sku": "RD-M", "channel": "channel-usd"})["data"]["productVariant"]
    assert found == {
        "sku": "RD-M",
        "product": {"name": "Red Ankara Dress"},
        "pricing": {"price": {"gross": {"amount": 32.0}}},
    }
    assert gql(query, {"sku": "ST-M", "channel": "channel-usd"})["data"]["productVariant"] is None
    assert gql(query, {"sku": "SS-L", "channel": "default-channel"})["data"] == {
        "productVariant": None
    }
    categories = gql(
        """{ categories(first: 10, level: 0) { edges { node { slug children(first: 5) {
             edges { node { slug } } } } } }
           category(slug: "dresses") { name ancestors { slug } } }"""
    )["data"]
    top = categories["categories"]["edges"]
    assert [e["node"]["slug"] for e in top] == ["women"]
    assert [e["node"]["slug"] for e in top[0]["node"]["children"]["edges"]] == ["dresses", "tops"]
    assert categories["category"] == {"name": "Dresses", "ancestors": [{"slug": "women"}]}


@pytest.mark.embedded
def test_shop(gql, catalog, warehouses):
    shop = gql("{ shop { name defaultCountry { code } countries { code } languages { code } } }")
    assert shop["data"]["shop"]["defaultCountry"] == {"code": "NG"}
    assert {c["code"] for c in shop["data"]["shop"]["countries"]} == {"NG", "US", "GB"}
    assert shop["data"]["shop"]["languages"] == [{"code": "EN"}]
