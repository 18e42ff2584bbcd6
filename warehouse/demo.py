"""Demo warehouses, stock and shipping for Nigeria and international customers.

Deterministic and idempotent (found by slug / name; stock set to fixed numbers).
Runs after ``product.demo`` (``populatedb`` order).
"""

from __future__ import annotations

import random
from typing import Any

from core.models import Channel
from product.models import ProductVariant
from warehouse import services
from warehouse.models import ShippingMethod, ShippingZone, Warehouse
from warehouse.services import ShippingPriceInput, StockInput

WAREHOUSES = (
    {
        "name": "Lagos Fulfilment Centre",
        "slug": "lagos",
        "company_name": "Fashionistar Ltd",
        "street_address_1": "14 Admiralty Way",
        "city": "Lekki",
        "country_area": "Lagos",
        "postal_code": "106104",
        "country": "NG",
        "phone": "+2348012345678",
        "email": "lagos@fashionistar.example",
    },
    {
        "name": "London Distribution Centre",
        "slug": "london",
        "company_name": "Fashionistar UK Ltd",
        "street_address_1": "2 Thames Gateway",
        "city": "London",
        "postal_code": "E16 2QD",
        "country": "GB",
        "phone": "+442071234567",
        "email": "london@fashionistar.example",
    },
)

INTERNATIONAL = ["GB", "US", "CA", "GH", "KE", "ZA", "FR", "DE", "NL", "IE", "AE", "AU"]

# zone name -> (countries, warehouses, channels, methods)
# method: (name, min kg, max kg, min days, max days, price, min order, max order)
ZONES = {
    "Nigeria": (
        ["NG"],
        ["lagos"],
        ["default-channel"],
        [
            ("Lagos same-day", None, "5", 0, 1, "3500", None, None),
            ("Standard nationwide", None, "20", 2, 5, "4500", None, "150000"),
            ("Free nationwide over 150,000", None, "20", 2, 5, "0", "150000", None),
        ],
    ),
    "International": (
        INTERNATIONAL,
        ["london", "lagos"],
        ["channel-usd"],
        [
            ("Standard international", None, "10", 6, 12, "19.99", None, None),
            ("DHL Express", None, "30", 2, 4, "44.99", None, None),
        ],
    ),
}


def _warehouses() -> dict[str, Warehouse]:
    found = {}
    for spec in WAREHOUSES:
        found[spec["slug"]] = Warehouse.objects.filter(
            slug=spec["slug"]
        ).first() or services.create_warehouse(actor=None, data=dict(spec))
    return found


def _shipping(warehouses: dict[str, Warehouse], channels: dict[str, Channel]) -> None:
    for name, (countries, zone_warehouses, zone_channels, methods) in ZONES.items():
        if ShippingZone.objects.filter(name=name).exists():
            continue
        zone = services.create_shipping_zone(
            actor=None,
            name=name,
            countries=countries,
            warehouses=[warehouses[w] for w in zone_warehouses],
            channels=[channels[c] for c in zone_channels],
        )
        for method_name, low, high, min_days, max_days, price, min_order, max_order in methods:
            method = services.create_shipping_method(
                actor=None,
                zone=zone,
                data={
                    "name": method_name,
                    "type": ShippingMethod.Type.WEIGHT if high else ShippingMethod.Type.PRICE,
                    "min_weight": low,
                    "max_weight": high,
                    "minimum_delivery_days": min_days,
                    "maximum_delivery_days": max_days,
                },
            )
            services.update_shipping_method_channel_listings(
                actor=None,
                method=method,
                update=[
                    ShippingPriceInput(channels[c], price, min_order, max_order)
                    for c in zone_channels
                ],
            )


def _stock(warehouses: dict[str, Warehouse]) -> int:
    """Fixed quantities: Lagos holds almost everything, London the international best sellers;
    about one variant in twelve is sold out."""
    rng = random.Random(4242)
    items = []
    for variant_id in ProductVariant.objects.order_by("sku").values_list("pk", flat=True):
        lagos = 0 if rng.random() < 0.08 else rng.randrange(1, 40)
        items.append(StockInput(variant_id, warehouses["lagos"], lagos))
        if rng.random() < 0.5:
            items.append(StockInput(variant_id, warehouses["london"], rng.randrange(0, 15)))
    services.set_stocks(actor=None, items=items)
    return len(items)


def populate(stdout: Any = None) -> None:
    channels = {c.slug: c for c in Channel.objects.all()}
    warehouses = _warehouses()
    _shipping(warehouses, channels)
    rows = _stock(warehouses)
    if stdout:
        stdout.write(
            f"inventory: {len(warehouses)} warehouses, {rows} stock rows, "
            f"{ShippingZone.objects.count()} shipping zones, "
            f"{ShippingMethod.objects.count()} shipping methods"
        )
