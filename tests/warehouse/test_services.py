"""Stock and shipping services: invariants, availability per channel, events."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from tests.product.plugins import install
from warehouse import services
from warehouse.models import ShippingMethodChannelListing, Stock
from warehouse.services import ShippingPriceInput, StockInput


def _stocks():
    return sorted(Stock.objects.values_list("product_variant_id", "warehouse_id", "quantity"))


@pytest.mark.embedded
def test_stock_below_zero_is_refused_and_nothing_written(catalog, warehouses):
    rd_s, rd_m = catalog.variants["RD-S"], catalog.variants["RD-M"]
    services.set_stocks(actor=None, items=[StockInput(rd_s, warehouses["lagos"], 5)])
    before = _stocks()
    with pytest.raises(DomainError) as caught:
        services.set_stocks(
            actor=None,
            items=[
                StockInput(rd_m, warehouses["lagos"], 3),
                StockInput(rd_s, warehouses["lagos"], -1),
            ],
        )
    assert (caught.value.code, caught.value.errors[0].field) == ("NEGATIVE_QUANTITY", "quantity")
    assert _stocks() == before


def test_database_enforces_stock_invariants(catalog, warehouses):
    [stock] = services.set_stocks(
        actor=None, items=[StockInput(catalog.variants["RD-S"], warehouses["lagos"], 2)]
    )
    for changes in ({"quantity": -1}, {"quantity_allocated": 3}, {"quantity_allocated": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Stock.objects.filter(pk=stock.pk).update(**changes)


@pytest.mark.embedded
def test_available_quantity_follows_zone_channel_links(catalog, warehouses, channel, channel_usd):
    rd_s = catalog.variants["RD-S"]
    services.set_stocks(
        actor=None,
        items=[StockInput(rd_s, warehouses["lagos"], 4), StockInput(rd_s, warehouses["london"], 7)],
    )
    assert services.available_quantities([rd_s.pk], channel) == {rd_s.pk: 4}
    assert services.available_quantities([rd_s.pk], channel_usd) == {rd_s.pk: 7}
    assert services.available_quantities([rd_s.pk], channel_usd, "GB") == {rd_s.pk: 7}
    assert services.available_quantities([rd_s.pk], channel_usd, "FR") == {rd_s.pk: 0}


@pytest.mark.embedded
def test_allocation_never_oversells(catalog, warehouses, channel):
    rd_s = catalog.variants["RD-S"]
    services.set_stocks(actor=None, items=[StockInput(rd_s, warehouses["lagos"], 3)])
    allocations = services.allocate(actor=None, lines=[(rd_s.pk, 2)], channel=channel)
    assert sum(a.quantity for a in allocations) == 2
    with pytest.raises(services.InsufficientStock):
        services.allocate(actor=None, lines=[(rd_s.pk, 2)], channel=channel)
    assert services.available_quantities([rd_s.pk], channel) == {rd_s.pk: 1}
    with pytest.raises(DomainError) as caught:
        services.set_stocks(actor=None, items=[StockInput(rd_s, warehouses["lagos"], 1)])
    assert caught.value.code == "QUANTITY_BELOW_ALLOCATED"
    services.deallocate(actor=None, allocations=allocations, consume=True)
    assert Stock.objects.get(product_variant=rd_s).quantity == 1
    assert services.available_quantities([rd_s.pk], channel) == {rd_s.pk: 1}


def test_stock_events(plugin_kit, catalog, warehouses):
    recorder = install(plugin_kit)
    rd_s, lagos = catalog.variants["RD-S"], warehouses["lagos"]
    services.set_stocks(actor=None, items=[StockInput(rd_s, lagos, 2)])
    services.set_stocks(actor=None, items=[StockInput(rd_s, lagos, 0)])
    services.set_stocks(actor=None, items=[StockInput(rd_s, lagos, 0)])  # no change, no event
    services.set_stocks(actor=None, items=[StockInput(rd_s, lagos, 6)])
    plugin_kit.deliver()
    variant = {"id": rd_s.pk, "sku": "RD-S", "product_id": catalog.red_dress.pk}
    where = {"id": lagos.pk, "slug": "lagos-hub"}
    # Delivery order is not guaranteed (each event is delivered on its own).
    assert sorted(p["quantity"] for p in recorder.payloads("stock_changed")) == [0, 2, 6]
    assert {"variant": variant, "warehouse": where, "quantity": 2, "allocated": 0} in (
        recorder.payloads("stock_changed")
    )
    assert recorder.payloads("product_variant_out_of_stock") == [
        {"variant": variant, "warehouse": where}
    ]
    # Back in stock twice: the first stock row appearing (0 -> 2), then 0 -> 6.
    assert (
        recorder.payloads("product_variant_back_in_stock")
        == [{"variant": variant, "warehouse": where}] * 2
    )


@pytest.mark.embedded
def test_shipping_methods_by_country_weight_and_price(warehouses, channel, channel_usd):
    standard = services.create_shipping_method(
        actor=None, zone=warehouses["nigeria"], data={"name": "Standard", "max_weight": "5"}
    )
    heavy = services.create_shipping_method(
        actor=None, zone=warehouses["nigeria"], data={"name": "Freight", "min_weight": "5"}
    )
    services.update_shipping_method_channel_listings(
        actor=None, method=standard, update=[ShippingPriceInput(channel, "2500")]
    )
    services.update_shipping_method_channel_listings(
        actor=None,
        method=heavy,
        update=[ShippingPriceInput(channel, "12000", minimum_order_price="50000")],
    )
    names = [
        m.name
        for m, _ in services.applicable_shipping_methods(channel, "NG", weight=None, subtotal=None)
    ]
    assert names == ["Standard", "Freight"]
    light = services.applicable_shipping_methods(channel, "NG", weight=1, subtotal=1000)
    assert [m.name for m, _ in light] == ["Standard"]
    assert services.applicable_shipping_methods(channel_usd, "NG") == []


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("price", "code"),
    [("-5", "NEGATIVE_AMOUNT"), ("2.505", "INVALID_AMOUNT")],
)
def test_bad_shipping_prices_write_nothing(warehouses, channel_usd, price, code):
    method = services.create_shipping_method(
        actor=None, zone=warehouses["world"], data={"name": "Express"}
    )
    with pytest.raises(DomainError) as caught:
        services.update_shipping_method_channel_listings(
            actor=None, method=method, update=[ShippingPriceInput(channel_usd, price)]
        )
    assert caught.value.code == code
    assert not ShippingMethodChannelListing.objects.exists()


@pytest.mark.embedded
def test_unknown_country_is_refused(warehouses):
    with pytest.raises(DomainError) as caught:
        services.create_shipping_zone(actor=None, name="Nowhere", countries=["XX"])
    assert caught.value.code == "INVALID"
