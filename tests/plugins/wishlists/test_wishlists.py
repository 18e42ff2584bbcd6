"""Wishlists: add and remove, ``me { wishlist }``, and the back-in-stock and price-drop
notifications (once per customer per catalog event)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from core.models import OutboxEvent
from plugins.wishlists.models import WishlistItem, WishlistNotification
from tests.plugins.reviews.conftest import client_for, deliver, gid, make_customer

pytestmark = pytest.mark.django_db

ADD = """
mutation Add($product: ID!, $variant: ID) {
  wishlistAddProduct(productId: $product, variantId: $variant, channel: "default-channel") {
    errors { field code message }
    wishlist { product { name } variant { sku } }
  }
}
"""

REMOVE = """
mutation Remove($product: ID!, $variant: ID) {
  wishlistRemoveProduct(productId: $product, variantId: $variant) {
    errors { field code message }
    wishlist { product { name } variant { sku } }
  }
}
"""

ME = """
query { me { wishlist(channel: "default-channel") {
  id createdAt product { name pricing { priceRange { start { gross { amount } } } } }
  variant { sku }
} } }
"""


def test_a_customer_wishes_for_products_and_variants(shop, ada, ada_gql):
    dress, top = shop.catalog.red_dress, shop.catalog.silk_top
    variant = shop.catalog.variants["ST-M"]

    ada_gql(ADD, {"product": gid("Product", dress.pk)})
    ada_gql(ADD, {"product": gid("Product", dress.pk)})  # twice: still one item
    result = ada_gql(
        ADD, {"product": gid("Product", top.pk), "variant": gid("ProductVariant", variant.pk)}
    )

    payload = result["data"]["wishlistAddProduct"]
    assert payload["errors"] == []
    assert payload["wishlist"] == [
        {"product": {"name": "Silk Wrap Top"}, "variant": {"sku": "ST-M"}},
        {"product": {"name": "Red Ankara Dress"}, "variant": None},
    ]
    me = ada_gql(ME)["data"]["me"]["wishlist"]
    assert [item["product"]["name"] for item in me] == ["Silk Wrap Top", "Red Ankara Dress"]
    assert me[1]["product"]["pricing"]["priceRange"]["start"]["gross"]["amount"] == 25000.0


def test_removing_a_product_removes_its_variants_too(shop, ada, ada_gql):
    dress = gid("Product", shop.catalog.red_dress.pk)
    ada_gql(ADD, {"product": dress})
    ada_gql(
        ADD, {"product": dress, "variant": gid("ProductVariant", shop.catalog.variants["RD-S"].pk)}
    )

    result = ada_gql(REMOVE, {"product": dress})["data"]["wishlistRemoveProduct"]
    again = ada_gql(REMOVE, {"product": dress})["data"]["wishlistRemoveProduct"]

    assert result == {"errors": [], "wishlist": []}
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("product", "NOT_FOUND")]


def test_bad_input_changes_nothing(shop, ada, ada_gql, gql):
    other_variant = gid("ProductVariant", shop.catalog.variants["ST-M"].pk)
    dress = gid("Product", shop.catalog.red_dress.pk)

    wrong = ada_gql(ADD, {"product": dress, "variant": other_variant})["data"]
    missing = ada_gql(ADD, {"product": gid("Product", 999999)})["data"]
    anonymous = gql(ADD, {"product": dress})["data"]

    assert [e["code"] for e in wrong["wishlistAddProduct"]["errors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in missing["wishlistAddProduct"]["errors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in anonymous["wishlistAddProduct"]["errors"]] == ["PERMISSION_DENIED"]
    assert not WishlistItem.objects.exists()


def test_a_wishlist_is_its_owners_alone(shop, ada, ada_gql, bola):
    ada_gql(ADD, {"product": gid("Product", shop.catalog.red_dress.pk)})

    assert client_for(bola)(ME)["data"]["me"]["wishlist"] == []


# -- notifications ------------------------------------------------------------------------------


def _empty_and_restock(shop: Any, sku: str = "RD-S") -> None:
    from warehouse.services import StockInput, set_stocks

    variant, lagos = shop.catalog.variants[sku], shop.warehouses["lagos"]
    for warehouse in (lagos, shop.warehouses["london"]):
        set_stocks(actor=None, items=[StockInput(variant, warehouse, 0)])
    set_stocks(actor=None, items=[StockInput(variant, lagos, 3)])


def wishing(shop: Any, sku: str = "RD-S", *, whole_product: bool = False) -> list[Any]:
    """Ada wishes for the variant, Bola for the product, Chidi for another product."""
    for earlier in ("product_variant_back_in_stock", "product_variant_updated"):
        deliver(earlier)  # the shop's own set-up, before anyone wished for anything
    variant = shop.catalog.variants[sku]
    ada = make_customer("ada@example.com")
    bola = make_customer("bola@example.com", "Bola", "Ade")
    chidi = make_customer("chidi@example.com", "Chidi", "Eze")
    WishlistItem.objects.create(user=ada, product=variant.product, variant=variant)
    WishlistItem.objects.create(user=bola, product=variant.product)
    WishlistItem.objects.create(user=chidi, product=shop.catalog.silk_top)
    return [ada, bola, chidi]


def test_back_in_stock_notifies_everyone_wishing_for_it_once(shop, plugin_kit):
    wishing(shop)
    _empty_and_restock(shop)

    (event,) = deliver("product_variant_back_in_stock")
    plugin_kit.redeliver(event.id, "fashionistar.wishlists")  # a retry sends nothing more
    deliver("notification_requested")

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "bola@example.com"]
    message = next(m for m in mail.outbox if m.to == ["ada@example.com"])
    assert message.subject == "Red Ankara Dress is back in stock"
    assert "Hello Ada" in message.body and "back in stock" in message.body
    assert WishlistNotification.objects.filter(event_id=event.id).count() == 2


def test_a_price_drop_notifies_and_a_rise_does_not(shop, plugin_kit):
    from product.services import PriceInput, update_variant_channel_listings

    wishing(shop)
    variant = shop.catalog.variants["RD-S"]

    update_variant_channel_listings(
        actor=None, variant=variant, update=[PriceInput("default-channel", Decimal("30000"))]
    )
    rise = OutboxEvent.objects.filter(event_type="product_variant_updated").latest("created_at")
    assert rise.payload["price_changes"][0]["new_price"] == "30000.00"
    deliver("product_variant_updated")
    assert not OutboxEvent.objects.filter(event_type="notification_requested").exists()

    update_variant_channel_listings(
        actor=None, variant=variant, update=[PriceInput("default-channel", Decimal("19999.50"))]
    )
    (drop,) = deliver("product_variant_updated")
    plugin_kit.redeliver(drop.id, "fashionistar.wishlists")
    deliver("notification_requested")

    assert drop.payload["price_changes"] == [
        {
            "channel": "default-channel",
            "currency": "NGN",
            "old_price": "30000.000",
            "new_price": "19999.50",
        }
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.com", "bola@example.com"]
    message = next(m for m in mail.outbox if m.to == ["bola@example.com"])
    assert "now costs 19999.50 NGN (was 30000.00 NGN)" in message.body


def test_changing_other_variant_data_sends_nothing(shop, plugin_kit):
    from product.services import VariantInput, update_variant

    wishing(shop)
    update_variant(
        actor=None, variant=shop.catalog.variants["RD-S"], data=VariantInput(name="Small")
    )

    deliver("product_variant_updated")

    assert not OutboxEvent.objects.filter(event_type="notification_requested").exists()


def test_an_erased_customers_wishlist_is_emptied(shop, ada, ada_gql):
    from account.services import anonymize

    ada_gql(ADD, {"product": gid("Product", shop.catalog.red_dress.pk)})

    anonymize(ada)
    deliver("customer_deleted")

    assert not WishlistItem.objects.exists()
