"""Flat-rate taxes: a rate per country (and optional tax class = product type slug).

Prices are entered with tax (gross, usual in Nigeria) or without (net, usual in
the US) per channel. The country is the checkout's shipping country, else the
channel's default country. Shipping is taxed at the country's default rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType
from plugins.flat_tax.rates import apply_rate, parse_rates, rate_for


def _country(checkout: Any, channel: Any) -> str | None:
    address = getattr(checkout, "shipping_address", None) or {}
    return address.get("country") or getattr(channel.default_country, "code", None)


class FlatTaxPlugin(BasePlugin):
    id = "fashionistar.taxes.flat_rate"
    name = "Flat-rate taxes"
    description = "Tax rates per country and tax class; prices entered gross or net per channel."
    version = "1.0.0"
    default_active = False
    config_fields = (
        ConfigField(
            "prices_entered_with_tax",
            FieldType.BOOLEAN,
            default=True,
            label="Prices include tax",
        ),
        ConfigField(
            "default_rate",
            FieldType.DECIMAL,
            default="0",
            label="Default rate (%)",
            help_text="Used where no line below matches.",
        ),
        ConfigField(
            "rates",
            FieldType.MULTILINE,
            default="NG=7.5\nGH=15\nKE=16\nZA=15\nGB=20\nUS=0",
            label="Rates",
            help_text="One per line: COUNTRY=PERCENT or COUNTRY:product-type-slug=PERCENT.",
        ),
    )

    def validate_configuration(self, values, channel) -> None:
        parse_rates(values.get("rates") or "")

    def _rate(self, config, checkout, channel, tax_class: str = "") -> Decimal:
        rates = parse_rates(config["rates"] or "")
        default = Decimal(config["default_rate"] or "0") / 100
        return rate_for(rates, default, _country(checkout, channel), tax_class)

    @hookimpl
    def get_checkout_line_tax_rate(self, checkout, line, channel, config) -> Decimal:
        return self._rate(config, checkout, channel, line.product.product_type.slug)

    @hookimpl
    def calculate_checkout_line_total(self, checkout, line, channel, previous_value, config):
        rate = self._rate(config, checkout, channel, line.product.product_type.slug)
        return apply_rate(previous_value, rate, config["prices_entered_with_tax"])

    @hookimpl
    def calculate_checkout_shipping(self, checkout, channel, previous_value, config):
        rate = self._rate(config, checkout, channel)
        return apply_rate(previous_value, rate, config["prices_entered_with_tax"])
