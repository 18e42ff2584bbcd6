"""Staff GraphQL for warehouses, stock and shipping."""

from __future__ import annotations

import pytest
from graphene.relay import Node

from core.permissions import Perm
from warehouse.models import ShippingMethodChannelListing, Stock, Warehouse

MANAGE_PRODUCTS = Perm.MANAGE_PRODUCTS.value


def gid(type_name, pk):
    return Node.to_global_id(type_name, pk)


BULK = """
mutation ($stocks: [StockBulkUpdateInput!]!) {
  stockBulkUpdate(stocks: $stocks) {
    stocks { quantity quantityAllocated warehouse { slug } productVariant { sku } }
    errors { field code message }
  }
}
"""


def _stock_rows():
    return sorted(Stock.objects.values_list("product_variant_id", "warehouse_id", "quantity"))


@pytest.mark.embedded
def test_bulk_stock_update_by_sku_and_id(staff_gql, gql, catalog, warehouses):
    staff = staff_gql(MANAGE_PRODUCTS)
    lagos = gid("Warehouse", warehouses["lagos"].pk)
    result = staff(
        BULK,
        {
            "stocks": [
                {"sku": "RD-S", "warehouse": lagos, "quantity": 4},
                {
                    "variantId": gid("ProductVariant", catalog.variants["RD-M"].pk),
                    "warehouse": lagos,
                    "quantity": 0,
                },
            ]
        },
    )["data"]["stockBulkUpdate"]
    assert result["errors"] == []
    assert [(s["productVariant"]["sku"], s["quantity"]) for s in result["stocks"]] == [
        ("RD-S", 4),
        ("RD-M", 0),
    ]
    shopper = gql(
        """{ product(slug: "red-ankara-dress", channel: "default-channel") {
             isAvailable variants { sku quantityAvailable } } }"""
    )["data"]["product"]
    assert shopper == {
        "isAvailable": True,
        "variants": [
            {"sku": "RD-S", "quantityAvailable": 4},
            {"sku": "RD-M", "quantityAvailable": 0},
        ],
    }


@pytest.mark.embedded
def test_stock_below_zero_is_a_typed_error_and_nothing_is_written(staff_gql, catalog, warehouses):
    staff = staff_gql(MANAGE_PRODUCTS)
    lagos = gid("Warehouse", warehouses["lagos"].pk)
    before = _stock_rows()
    result = staff(
        BULK,
        {
            "stocks": [
                {"sku": "RD-S", "warehouse": lagos, "quantity": 4},
                {"sku": "RD-M", "warehouse": lagos, "quantity": -2},
            ]
        },
    )["data"]["stockBulkUpdate"]
    assert result["stocks"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("NEGATIVE_QUANTITY", "quantity")
    ]
    assert _stock_rows() == before


@pytest.mark.embedded
def test_stock_mutations_need_permission(gql, staff_gql, catalog, warehouses):
    lagos = gid("Warehouse", warehouses["lagos"].pk)
    result = gql(BULK, {"stocks": [{"sku": "RD-S", "warehouse": lagos, "quantity": 4}]})
    assert [e["code"] for e in result["data"]["stockBulkUpdate"]["errors"]] == ["PERMISSION_DENIED"]
    assert not Stock.objects.exists()


@pytest.mark.embedded
def test_staff_set_up_shipping(staff_gql, channel, catalog):
    staff = staff_gql(Perm.MANAGE_WAREHOUSES.value, Perm.MANAGE_SHIPPING.value)
    warehouse = staff(
        """mutation ($input: WarehouseInput!) { warehouseCreate(input: $input) {
             warehouse { id slug address { city country { code } } } errors { field code } } }""",
        {
            "input": {
                "name": "Abuja Store",
                "streetAddress1": "1 Wuse",
                "city": "Abuja",
                "country": "NG",
            }
        },
    )["data"]["warehouseCreate"]
    assert warehouse["errors"] == []
    assert warehouse["warehouse"]["address"] == {"city": "Abuja", "country": {"code": "NG"}}
    zone = staff(
        """mutation ($input: ShippingZoneInput!) { shippingZoneCreate(input: $input) {
             shippingZone { id name countries { code } warehouses { slug } channels { slug } }
             errors { field code } } }""",
        {
            "input": {
                "name": "North",
                "countries": ["NG"],
                "addWarehouses": [warehouse["warehouse"]["id"]],
                "addChannels": ["default-channel"],
            }
        },
    )["data"]["shippingZoneCreate"]
    assert zone["errors"] == []
    assert zone["shippingZone"]["warehouses"] == [{"slug": "abuja-store"}]
    method = staff(
        """mutation ($input: ShippingPriceInput!) { shippingPriceCreate(input: $input) {
             shippingMethod { id name maximumOrderWeight } errors { field code } } }""",
        {
            "input": {
                "shippingZone": zone["shippingZone"]["id"],
                "name": "Courier",
                "maximumOrderWeight": "10",
            }
        },
    )["data"]["shippingPriceCreate"]
    assert method["shippingMethod"]["maximumOrderWeight"] == 10.0
    listing_mutation = """mutation ($id: ID!, $input: ShippingMethodChannelListingInput!) {
      shippingMethodChannelListingUpdate(id: $id, input: $input) {
        shippingMethod { channelListings { channel { slug } price { amount currency } } }
        errors { field code } } }"""
    bad = staff(
        listing_mutation,
        {
            "id": method["shippingMethod"]["id"],
            "input": {"addChannels": [{"channelId": "nowhere", "price": "10"}]},
        },
    )["data"]["shippingMethodChannelListingUpdate"]
    assert [(e["code"], e["field"]) for e in bad["errors"]] == [("NOT_FOUND", "channel")]
    assert not ShippingMethodChannelListing.objects.exists()
    good = staff(
        listing_mutation,
        {
            "id": method["shippingMethod"]["id"],
            "input": {"addChannels": [{"channelId": gid("Channel", channel.pk), "price": "3500"}]},
        },
    )["data"]["shippingMethodChannelListingUpdate"]
    assert good["shippingMethod"]["channelListings"] == [
        {"channel": {"slug": "default-channel"}, "price": {"amount": 3500.0, "currency": "NGN"}}
    ]
    listed = staff("{ shippingZones(first: 5) { totalCount edges { node { name } } } }")
    assert listed["data"]["shippingZones"]["totalCount"] == 1


@pytest.mark.embedded
def test_warehouse_queries_need_permission(gql, warehouses):
    result = gql("{ warehouses(first: 5) { edges { node { slug } } } }")
    assert result["data"]["warehouses"] is None
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert Warehouse.objects.count() == 2


@pytest.mark.embedded
def test_staff_see_variant_stocks(staff_gql, gql, catalog, warehouses):
    from warehouse import services
    from warehouse.services import StockInput

    services.set_stocks(
        actor=None, items=[StockInput(catalog.variants["RD-S"], warehouses["lagos"], 5)]
    )
    query = """{ productVariant(sku: "RD-S", channel: "default-channel") {
      stocks { warehouse { slug } quantity quantityAllocated productVariant { sku } } } }"""
    staff = staff_gql(MANAGE_PRODUCTS)
    assert staff(query)["data"]["productVariant"]["stocks"] == [
        {
            "warehouse": {"slug": "lagos-hub"},
            "quantity": 5,
            "quantityAllocated": 0,
            "productVariant": {"sku": "RD-S"},
        }
    ]
    denied = gql(query)
    assert denied["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
