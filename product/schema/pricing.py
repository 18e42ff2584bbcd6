"""Prices a storefront shows: per variant (through the ``calculate_variant_price`` pipeline)
and the product's range, computed from the page's prefetched variant prices."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import graphene
from prices import Money as PricesMoney
from prices import TaxedMoney as PricesTaxedMoney

from core.graphql.types import TaxedMoney
from core.models import Channel
from core.money import currency_precision
from core.plugins.manager import get_manager


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney, description="Lower bound of a price range.")
    stop = graphene.Field(TaxedMoney, description="Upper bound of a price range.")


class ProductPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean(description="Whether a variant is sold below its list price.")
    discount = graphene.Field(TaxedMoney)
    price_range = graphene.Field(TaxedMoneyRange)
    price_range_undiscounted = graphene.Field(TaxedMoneyRange)
    display_gross_prices = graphene.Boolean(required=True)


class VariantPricingInfo(graphene.ObjectType):
    on_sale = graphene.Boolean()
    discount = graphene.Field(TaxedMoney)
    price = graphene.Field(TaxedMoney)
    price_undiscounted = graphene.Field(TaxedMoney)


@lru_cache(maxsize=64)
def _exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


def money(amount: Decimal, currency: str) -> PricesMoney:
    """``core.money.money`` for stored Decimals, with the currency's exponent cached
    (babel's lookup dominated the cost of pricing a page)."""
    return PricesMoney(amount.quantize(_exponent(currency), ROUND_HALF_UP), currency)


class Row(SimpleNamespace):
    """Resolved value of an output type: graphene reads attributes, so a plain object does
    (constructing graphene ObjectType instances cost more than the whole pricing)."""


def taxed(value: PricesMoney) -> PricesTaxedMoney:
    """Catalog prices are entered gross; taxes are the checkout pipelines' business."""
    return PricesTaxedMoney(net=value, gross=value)


def has_price_plugins() -> bool:
    return bool(get_manager().impls("calculate_variant_price"))


def shown_price(variant: Any, channel: Channel, amount: Decimal) -> tuple[PricesMoney, PricesMoney]:
    """(list price, price shown) of a variant in the channel."""
    base = money(amount, channel.currency_code)
    if variant is None or not has_price_plugins():
        return base, base
    shown = get_manager().pipeline(
        "calculate_variant_price", base, channel=channel, variant=variant
    )
    return base, shown


def variant_pricing(variant: Any, channel: Channel, amount: Decimal | None) -> Any:
    if amount is None:
        return None
    base, shown = shown_price(variant, channel, amount)
    discount = base - shown if shown < base else None
    return Row(
        on_sale=discount is not None,
        discount=taxed(discount) if discount is not None else None,
        price=taxed(shown),
        price_undiscounted=taxed(base),
    )


def product_pricing(
    channel: Channel, amounts: dict[int, Decimal], variants: dict[int, Any] | None
) -> Any:
    """``amounts``: variant id -> list price; ``variants`` only needed when plugins reprice."""
    if not amounts:
        return None
    currency = channel.currency_code
    if variants is None:
        # No plugin changes prices: the range is the list prices' range (the common case,
        # kept cheap: a listing page prices every variant of every product).
        start = taxed(money(min(amounts.values()), currency))
        stop = taxed(money(max(amounts.values()), currency))
        price_range = Row(start=start, stop=stop)
        return Row(
            on_sale=False,
            discount=None,
            price_range=price_range,
            price_range_undiscounted=price_range,
            display_gross_prices=True,
        )
    pairs = [shown_price(variants.get(vid), channel, amount) for vid, amount in amounts.items()]
    bases = [b for b, _ in pairs]
    shown = [s for _, s in pairs]
    start, stop = min(shown), max(shown)
    base_start, base_stop = min(bases), max(bases)
    on_sale = any(s < b for b, s in pairs)
    return Row(
        on_sale=on_sale,
        discount=taxed(base_start - start) if on_sale and base_start > start else None,
        price_range=Row(start=taxed(start), stop=taxed(stop)),
        price_range_undiscounted=Row(start=taxed(base_start), stop=taxed(base_stop)),
        display_gross_prices=True,
    )
