"""Catalog fixtures shared by the product and warehouse tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.product import factories


@dataclass
class Catalog:
    attrs: dict[str, Any]
    dress: Any  # product type
    women: Any
    dresses: Any
    tops: Any
    red_dress: Any
    silk_top: Any
    hidden: Any
    variants: dict[str, Any]


@pytest.fixture
def catalog(channel: Any, channel_usd: Any) -> Catalog:
    """Three products: two published in NGN (one also in USD), one unpublished."""
    attrs = factories.attributes()
    dress = factories.product_type(attrs)
    women = factories.category("Women")
    dresses = factories.category("Dresses", women)
    tops = factories.category("Tops", women)
    red_dress = factories.product(
        dress,
        "Red Ankara Dress",
        category=dresses,
        channels=(channel, channel_usd),
        description="A flowing wax-print dress for evenings.",
    )
    silk_top = factories.product(
        dress, "Silk Wrap Top", category=tops, channels=(channel,), material="Silk"
    )
    hidden = factories.product(
        dress, "Secret Sample", category=dresses, channels=(channel,), published=False
    )
    variants = {
        "RD-S": factories.variant(
            red_dress, "RD-S", size="S", prices={channel: "25000", channel_usd: "30.00"}
        ),
        "RD-M": factories.variant(
            red_dress, "RD-M", size="M", prices={channel: "27500.50", channel_usd: "32.00"}
        ),
        "ST-M": factories.variant(
            silk_top, "ST-M", size="M", colour="Black", prices={channel: "15000"}
        ),
        "SS-L": factories.variant(hidden, "SS-L", size="L", prices={channel: "9000"}),
    }
    return Catalog(attrs, dress, women, dresses, tops, red_dress, silk_top, hidden, variants)


@pytest.fixture
def warehouses(channel: Any, channel_usd: Any) -> dict[str, Any]:
    from warehouse import services

    lagos = services.create_warehouse(
        actor=None,
        data={
            "name": "Lagos Hub",
            "street_address_1": "1 Marina",
            "city": "Lagos",
            "country": "NG",
        },
    )
    london = services.create_warehouse(
        actor=None,
        data={
            "name": "London DC",
            "street_address_1": "5 Strand",
            "city": "London",
            "country": "GB",
        },
    )
    nigeria = services.create_shipping_zone(
        actor=None, name="Nigeria", countries=["NG"], warehouses=[lagos], channels=[channel]
    )
    world = services.create_shipping_zone(
        actor=None,
        name="International",
        countries=["US", "GB"],
        warehouses=[london],
        channels=[channel_usd],
    )
    return {"lagos": lagos, "london": london, "nigeria": nigeria, "world": world}
