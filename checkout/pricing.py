"""Checkout prices: the core computes untaxed prices, plugins refine them in pipelines.

Order of steps (each a pipeline hook, core/hookspecs.py): variant price →
line total → subtotal (vouchers) → shipping → total. Taxes and discounts are
plugins (flat-rate tax, vouchers); with none active, net == gross == list price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from prices import Money, TaxedMoney

from checkout.fetch import LineInfo
from checkout.models import Checkout
from core.money import money, quantize
from core.plugins.manager import get_manager


@dataclass(frozen=True)
class LinePrice:
    info: LineInfo
    unit_price: TaxedMoney
    undiscounted_unit_price: Money
    total: TaxedMoney
    tax_rate: Decimal


@dataclass(frozen=True)
class CheckoutPrices:
    lines: list[LinePrice]
    subtotal: TaxedMoney
    undiscounted_subtotal: TaxedMoney
    shipping: TaxedMoney
    total: TaxedMoney

    @property
    def discount(self) -> Money:
        return self.undiscounted_subtotal.gross - self.subtotal.gross


def taxed(amount: Money) -> TaxedMoney:
    return TaxedMoney(net=amount, gross=amount)


def zero_taxed(currency: str) -> TaxedMoney:
    return taxed(money(0, currency))


def shipping_base_price(checkout: Checkout) -> Money:
    currency = checkout.currency
    if checkout.shipping_method_id is None:
        return money(0, currency)
    listing = checkout.shipping_method.channel_listings.filter(
        channel_id=checkout.channel_id
    ).first()
    return money(listing.price_amount if listing else 0, currency)


def calculate(checkout: Checkout, lines: list[LineInfo]) -> CheckoutPrices:
    manager = get_manager()
    channel = checkout.channel
    currency = checkout.currency
    priced: list[LinePrice] = []
    for info in lines:
        listed = money(info.variant_listing.price_amount if info.variant_listing else 0, currency)
        unit = manager.pipeline(
            "calculate_variant_price", listed, channel=channel, variant=info.variant
        )
        base_total = taxed(unit * info.line.quantity)
        total = quantize(
            manager.pipeline(
                "calculate_checkout_line_total",
                base_total,
                channel=channel,
                checkout=checkout,
                line=info,
            )
        )
        rate = manager.pipeline(
            "get_checkout_line_tax_rate",
            Decimal(0),
            channel=channel,
            checkout=checkout,
            line=info,
        )
        quantity = info.line.quantity
        unit_taxed = quantize(TaxedMoney(total.net / quantity, total.gross / quantity))
        priced.append(LinePrice(info, unit_taxed, listed, total, Decimal(rate)))

    undiscounted = zero_taxed(currency)
    for line in priced:
        undiscounted += line.total
    subtotal = quantize(
        manager.pipeline(
            "calculate_checkout_subtotal",
            undiscounted,
            channel=channel,
            checkout=checkout,
            lines=lines,
        )
    )
    shipping = quantize(
        manager.pipeline(
            "calculate_checkout_shipping",
            taxed(shipping_base_price(checkout)),
            channel=channel,
            checkout=checkout,
        )
    )
    total = quantize(
        manager.pipeline(
            "calculate_checkout_total", subtotal + shipping, channel=channel, checkout=checkout
        )
    )
    if total.gross.amount < 0:
        total = zero_taxed(currency)
    return CheckoutPrices(priced, subtotal, undiscounted, shipping, total)
