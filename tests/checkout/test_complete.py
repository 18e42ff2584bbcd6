"""checkoutComplete on PostgreSQL: atomic, idempotent, never oversold."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from checkout.complete import complete_checkout
from checkout.models import Checkout
from core.errors import DomainError
from order.models import Order, OrderEvent
from tests.checkout.conftest import pay, ready_checkout
from warehouse.models import Stock

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = ("ok", function())
        except DomainError as error:
            results[index] = ("error", error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_twenty_concurrent_checkouts_for_five_units_sell_exactly_five(shop):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this proves")
    checkouts = []
    for _ in range(20):
        checkout = ready_checkout(shop, sku="RD-S")
        pay(checkout)
        checkouts.append(checkout)

    results = run_concurrently([lambda c=c: complete_checkout(c.token) for c in checkouts])

    outcomes = [r[0] for r in results]
    assert outcomes.count("ok") == 5, results
    assert sorted({r[1] for r in results if r[0] == "error"}) == ["INSUFFICIENT_STOCK"]
    assert Order.objects.count() == 5
    stock = Stock.objects.get(
        product_variant=shop.catalog.variants["RD-S"], warehouse=shop.warehouses["lagos"]
    )
    assert stock.quantity == 5 and stock.quantity_allocated == 5
    assert Checkout.objects.count() == 15  # the losers keep their carts
    assert not Stock.objects.filter(quantity_allocated__gt=models_F("quantity")).exists()


def models_F(name):
    from django.db.models import F

    return F(name)


def test_the_same_checkout_completed_twice_concurrently_makes_one_order(shop):
    checkout = ready_checkout(shop)
    pay(checkout)
    results = run_concurrently([lambda: complete_checkout(checkout.token)] * 2)
    assert [r[0] for r in results] == ["ok", "ok"], results
    (first, created_a), (second, created_b) = results[0][1], results[1][1]
    assert first.pk == second.pk
    assert sorted([created_a, created_b]) == [False, True]
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(type="PLACED").count() == 1


def test_a_retry_after_success_returns_the_same_order(shop):
    checkout = ready_checkout(shop)
    pay(checkout)
    order, created = complete_checkout(checkout.token)
    again, created_again = complete_checkout(checkout.token)
    assert created and not created_again and again.pk == order.pk


def test_completion_without_payment_is_refused_and_writes_nothing(shop):
    checkout = ready_checkout(shop)
    with pytest.raises(DomainError) as excinfo:
        complete_checkout(checkout.token)
    assert excinfo.value.code == "CHECKOUT_NOT_FULLY_PAID"
    assert not Order.objects.exists()
    assert Stock.objects.filter(quantity_allocated__gt=0).count() == 0
    assert Checkout.objects.filter(token=checkout.token).exists()


def test_a_partial_payment_does_not_complete(shop):
    checkout = ready_checkout(shop)
    pay(checkout, amount=Decimal("1000"))
    with pytest.raises(DomainError) as excinfo:
        complete_checkout(checkout.token)
    assert excinfo.value.code == "CHECKOUT_NOT_FULLY_PAID"


def test_an_order_snapshots_lines_prices_and_payment(shop):
    checkout = ready_checkout(shop, sku="RD-M", quantity=2)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.total_gross == Decimal("57501.00")  # 2 x 27500.50 + 2500 shipping
    assert order.shipping_gross == Decimal("2500.00")
    assert order.charge_status == "FULL"
    assert order.status == "UNFULFILLED"
    line = order.lines.get()
    assert (line.product_sku, line.quantity, line.unit_price_gross) == (
        "RD-M",
        2,
        Decimal("27500.50"),
    )
    assert line.allocations.get().quantity == 2
    assert (
        order.shipping_address["city"] == "LEKKI"
        or order.shipping_address["city"].lower() == "lekki"
    )
    assert list(order.events.values_list("type", flat=True)) == [
        "PLACED",
        "PAYMENT_CAPTURED",
        "ORDER_FULLY_PAID",
    ]
    assert not Checkout.objects.filter(token=checkout.token).exists()


def test_a_problem_found_at_completion_rolls_everything_back(shop):
    from product.services import products as product_services
    from product.services.products import ProductListingInput

    checkout = ready_checkout(shop)
    pay(checkout)
    product_services.update_product_channel_listings(
        actor=None,
        product=shop.catalog.red_dress,
        update=[ProductListingInput("default-channel", is_published=False)],
    )
    with pytest.raises(DomainError) as excinfo:
        complete_checkout(checkout.token)
    assert excinfo.value.code == "PRODUCT_UNAVAILABLE_FOR_PURCHASE"
    assert not Order.objects.exists()
    assert Stock.objects.filter(quantity_allocated__gt=0).count() == 0


def test_a_reservation_keeps_a_paying_customer_from_being_outsold(shop, channel):
    from checkout import services
    from checkout.services import LineInput
    from tests.checkout.conftest import LAGOS

    channel.stock_reservation_minutes = 15
    channel.save()
    paying = ready_checkout(shop, sku="RD-S", quantity=4)  # 5 in stock in Lagos
    pay(paying)
    with pytest.raises(DomainError) as excinfo:
        services.create_checkout(
            user=None,
            channel="default-channel",
            email="late@example.com",
            lines=[LineInput(shop.catalog.variants["RD-S"].pk, 2)],
            shipping_address=LAGOS,
        )
    assert excinfo.value.code == "INSUFFICIENT_STOCK"
    one_left = services.create_checkout(
        user=None,
        channel="default-channel",
        email="late@example.com",
        lines=[LineInput(shop.catalog.variants["RD-S"].pk, 1)],
        shipping_address=LAGOS,
    )
    order, _ = complete_checkout(paying.token)
    assert order.lines.get().quantity == 4
    from warehouse.models import Reservation

    assert list(Reservation.objects.values_list("checkout_token", flat=True)) == [one_left.token]


def test_an_expired_reservation_holds_nothing(shop, channel):
    from django.utils import timezone

    from warehouse.models import Reservation
    from warehouse.services import available_quantities

    channel.stock_reservation_minutes = 15
    channel.save()
    ready_checkout(shop, sku="RD-S", quantity=5)
    variant = shop.catalog.variants["RD-S"].pk
    assert available_quantities([variant], channel, "NG") == {variant: 0}
    Reservation.objects.update(reserved_until=timezone.now())
    assert available_quantities([variant], channel, "NG") == {variant: 5}


def test_click_and_collect_takes_stock_from_the_pickup_warehouse(shop, channel):
    from checkout import services
    from checkout.services import LineInput
    from tests.checkout.conftest import LAGOS

    lagos = shop.warehouses["lagos"]
    checkout = services.create_checkout(
        user=None,
        channel="default-channel",
        email="pickup@example.com",
        lines=[LineInput(shop.catalog.variants["ST-M"].pk, 2)],
        billing_address=LAGOS,
    )
    with pytest.raises(DomainError) as excinfo:
        services.update_collection_point(checkout, lagos.pk)
    assert excinfo.value.code == "DELIVERY_METHOD_NOT_APPLICABLE"
    lagos.click_and_collect = "LOCAL"
    lagos.save()
    services.update_collection_point(checkout, lagos.pk)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.collection_point_name == "Lagos Hub"
    assert order.shipping_address is None and order.shipping_gross == 0
    stock = Stock.objects.get(product_variant=shop.catalog.variants["ST-M"], warehouse=lagos)
    assert stock.quantity_allocated == 2
