"""Catalog services: what they write, what they refuse (writing nothing), what they announce."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import DomainError
from product import services
from product.models import (
    AttributeValue,
    Product,
    ProductChannelListing,
    ProductVariant,
    ProductVariantChannelListing,
)
from product.services import AttributeAssignment, PriceInput, ProductInput, VariantInput
from tests.product import factories
from tests.product.plugins import install


@pytest.mark.embedded
def test_create_product_derives_slug_search_document_and_attribute_values(catalog):
    again = factories.product(catalog.dress, "Red Ankara Dress", description="<b>Bold</b> print")
    assert again.slug == "red-ankara-dress-2"
    assert again.description_plaintext == "Bold print"
    doc = Product.objects.get(pk=catalog.red_dress.pk).search_document
    assert "ankara" in doc and "rd-s" in doc and "cotton" in doc
    assert list(again.attribute_values.values_list("value__name", flat=True)) == ["Cotton"]


@pytest.mark.embedded
def test_min_price_follows_variant_prices(catalog, channel):
    listing = ProductChannelListing.objects.get(product=catalog.red_dress, channel=channel)
    assert listing.min_price_amount == Decimal("25000")
    services.delete_variant(actor=None, variant=catalog.variants["RD-S"])
    listing.refresh_from_db()
    assert listing.min_price_amount == Decimal("27500.50")


def _snapshot():
    return (
        Product.objects.count(),
        ProductVariant.objects.count(),
        sorted(ProductVariantChannelListing.objects.values_list("pk", "price_amount")),
        AttributeValue.objects.count(),
    )


@pytest.mark.parametrize(
    ("update", "code", "field"),
    [
        ([PriceInput("no-such-channel", "10")], "NOT_FOUND", "channel"),
        ([PriceInput("default-channel", "-1")], "NEGATIVE_AMOUNT", "price"),
        ([PriceInput("default-channel", "10.001")], "INVALID_AMOUNT", "price"),
        (
            [PriceInput("channel-usd", "1.5"), PriceInput("default-channel", "-3")],
            "NEGATIVE_AMOUNT",
            "price",
        ),
    ],
)
@pytest.mark.embedded
def test_bad_prices_are_typed_errors_and_write_nothing(catalog, update, code, field):
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        services.update_variant_channel_listings(
            actor=None, variant=catalog.variants["RD-S"], update=update
        )
    assert (caught.value.code, caught.value.errors[0].field) == (code, field)
    assert _snapshot() == before


@pytest.mark.embedded
def test_existing_sku_is_refused(catalog):
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        services.create_variant(actor=None, product=catalog.silk_top, data=VariantInput(sku="RD-S"))
    assert (caught.value.code, caught.value.errors[0].field) == ("UNIQUE", "sku")
    assert _snapshot() == before


@pytest.mark.embedded
def test_variant_attribute_outside_product_type_is_refused(catalog):
    before = _snapshot()
    with pytest.raises(DomainError) as caught:
        services.create_variant(
            actor=None,
            product=catalog.silk_top,
            data=VariantInput(
                sku="NEW-1",
                attributes=[AttributeAssignment(catalog.attrs["material"].pk, ("Linen",))],
            ),
        )
    assert caught.value.code == "ATTRIBUTE_CANNOT_BE_ASSIGNED"
    assert _snapshot() == before
    assert not AttributeValue.objects.filter(name="Linen").exists()


@pytest.mark.embedded
def test_price_needs_the_product_listed_in_the_channel(catalog, channel_usd):
    with pytest.raises(DomainError) as caught:
        services.update_variant_channel_listings(
            actor=None,
            variant=catalog.variants["ST-M"],
            update=[PriceInput(channel_usd, "10")],
        )
    assert caught.value.code == "PRODUCT_NOT_ASSIGNED_TO_CHANNEL"


def test_database_refuses_negative_price_even_past_the_services(catalog, channel):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductVariantChannelListing.objects.filter(
            variant=catalog.variants["RD-S"], channel=channel
        ).update(price_amount=Decimal("-1"))


@pytest.mark.embedded
def test_deleting_a_category_keeps_its_products(catalog):
    services.delete_category(actor=None, category=catalog.women)
    catalog.red_dress.refresh_from_db()
    assert catalog.red_dress.category_id is None


@pytest.mark.embedded
def test_category_cannot_move_under_its_own_child(catalog):
    with pytest.raises(DomainError) as caught:
        services.update_category(actor=None, category=catalog.women, parent=catalog.dresses)
    assert caught.value.code == "CANNOT_ADD_TO_ITSELF"


def test_catalog_events_reach_a_plugin(plugin_kit, catalog, channel):
    recorder = install(plugin_kit)
    ptype = catalog.dress
    product = services.create_product(
        actor=None,
        product_type=ptype,
        data=ProductInput(name="Kaftan", category=catalog.women),
    )
    variant = services.create_variant(
        actor=None, product=product, data=VariantInput(sku="KF-1", name="One size")
    )
    services.update_product(actor=None, product=product, data=ProductInput(name="Royal Kaftan"))
    services.update_variant(actor=None, variant=variant, data=VariantInput(sku="KF-2"))
    services.delete_variant(actor=None, variant=variant)
    services.delete_product(actor=None, product=product)
    outcome = plugin_kit.deliver()
    assert set(outcome.values()) == {"delivered"}
    created = {
        "id": product.pk,
        "slug": "kaftan",
        "name": "Kaftan",
        "product_type": ptype.slug,
        "category": "women",
    }
    assert recorder.payloads("product_created") == [{"product": created}]
    assert recorder.payloads("product_updated") == [{"product": created | {"name": "Royal Kaftan"}}]
    assert recorder.payloads("product_deleted") == [{"product": created | {"name": "Royal Kaftan"}}]
    variant_payload = {
        "id": variant.pk,
        "sku": "KF-1",
        "product_id": product.pk,
        "name": "One size",
    }
    assert recorder.payloads("product_variant_created") == [{"variant": variant_payload}]
    assert recorder.payloads("product_variant_updated") == [
        {"variant": variant_payload | {"sku": "KF-2"}}
    ]
    assert recorder.payloads("product_variant_deleted") == [
        {"variant": variant_payload | {"sku": "KF-2"}}
    ]


def test_refused_write_announces_nothing(plugin_kit, catalog):
    recorder = install(plugin_kit)
    with pytest.raises(DomainError):
        services.create_variant(actor=None, product=catalog.silk_top, data=VariantInput(sku="RD-S"))
    plugin_kit.deliver()
    assert recorder.received == []
