"""``populatedb``: a realistic fashion catalog, the same on every run, never duplicated."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from product.models import (
    Attribute,
    Category,
    Collection,
    Product,
    ProductMedia,
    ProductType,
    ProductVariant,
    ProductVariantChannelListing,
)
from warehouse.models import ShippingMethodChannelListing, ShippingZone, Stock, Warehouse


def counts() -> dict[str, int]:
    return {
        "categories": Category.objects.count(),
        "products": Product.objects.count(),
        "variants": ProductVariant.objects.count(),
        "prices": ProductVariantChannelListing.objects.count(),
        "media": ProductMedia.objects.count(),
        "collections": Collection.objects.count(),
        "warehouses": Warehouse.objects.count(),
        "stocks": Stock.objects.count(),
        "zones": ShippingZone.objects.count(),
        "shipping prices": ShippingMethodChannelListing.objects.count(),
    }


def fingerprint() -> str:
    """Everything a shopper sees, without database ids."""
    rows = [
        *Product.objects.order_by("slug").values_list("slug", "name", "category__slug"),
        *ProductVariant.objects.order_by("sku").values_list("sku", "name", "product__slug"),
        *ProductVariantChannelListing.objects.order_by("variant__sku", "channel__slug").values_list(
            "variant__sku", "channel__slug", "price_amount", "cost_price_amount"
        ),
        *Stock.objects.order_by("product_variant__sku", "warehouse__slug").values_list(
            "product_variant__sku", "warehouse__slug", "quantity"
        ),
        *ProductMedia.objects.order_by("product__slug", "sort_order").values_list(
            "product__slug", "alt"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def wipe_catalog() -> None:
    for model in (Product, Collection, Category, ProductType, Attribute, ShippingZone, Warehouse):
        model.objects.all().delete()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_populatedb_builds_the_same_catalog_every_time(db, media_root, gql):
    call_command("populatedb", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    assert first["categories"] >= 8
    assert first["products"] >= 60
    assert first["variants"] >= 300
    assert first["warehouses"] == 2
    assert first["stocks"] >= first["variants"]
    assert first["zones"] == 2 and first["shipping prices"] >= 4
    assert set(
        ProductVariantChannelListing.objects.values_list("currency", flat=True).distinct()
    ) == {"NGN", "USD"}
    assert set(Warehouse.objects.values_list("country", flat=True)) == {"NG", "GB"}
    digest = fingerprint()

    call_command("populatedb", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert fingerprint() == digest

    wipe_catalog()
    call_command("populatedb", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert fingerprint() == digest

    page = gql(
        """{ products(first: 100, channel: "channel-usd", filter: {search: "ankara"}) {
             totalCount edges { node { name thumbnail { url } pricing { priceRange {
               start { gross { amount currency } } } } } } } }"""
    )["data"]["products"]
    assert page["totalCount"] >= 5
    node = page["edges"][0]["node"]
    assert node["thumbnail"]["url"].startswith("http://testserver/thumbnail/")
    assert node["pricing"]["priceRange"]["start"]["gross"]["currency"] == "USD"
