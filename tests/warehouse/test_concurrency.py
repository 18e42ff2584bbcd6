"""Stock is never sold twice: concurrent allocations of the last units (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from warehouse import services
from warehouse.models import Stock
from warehouse.services import InsufficientStock, StockInput

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
def test_concurrent_allocations_never_oversell(catalog, warehouses, channel):
    variant = catalog.variants["RD-S"]
    services.set_stocks(actor=None, items=[StockInput(variant, warehouses["lagos"], 3)])
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy() -> None:
        try:
            start.wait(timeout=10)
            services.allocate(actor=None, lines=[(variant.pk, 1)], channel=channel.slug)
            result = "ok"
        except InsufficientStock:
            result = "sold out"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=buy) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok"] * 3 + ["sold out"] * 5
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, stock.quantity_allocated) == (3, 3)
