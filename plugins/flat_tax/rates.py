"""Parsing and applying flat tax rates. Pure functions: no Django models."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from prices import TaxedMoney

from core.errors import DomainError
from core.money import money


@lru_cache(maxsize=64)
def parse_rates(text: str) -> dict[tuple[str, str], Decimal]:
    """``NG=7.5`` / ``NG:children=0`` lines -> {(country, tax class or ""): fraction}.

    Cached per text (a hook call parses nothing twice); callers must not mutate the result.
    """
    rates: dict[tuple[str, str], Decimal] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        country, _, tax_class = key.strip().partition(":")
        try:
            percent = Decimal(value.strip())
        except InvalidOperation as exc:
            raise DomainError(
                f"Line {number}: '{value.strip()}' is not a number.", field="rates"
            ) from exc
        if (
            not sep
            or len(country.strip()) != 2
            or not percent.is_finite()
            or not 0 <= percent <= 100
        ):
            raise DomainError(
                f"Line {number}: write COUNTRY[:class]=PERCENT, e.g. NG=7.5.", field="rates"
            )
        rates[(country.strip().upper(), tax_class.strip().lower())] = percent / 100
    return rates


def rate_for(
    rates: dict[tuple[str, str], Decimal], default: Decimal, country: str | None, tax_class: str
) -> Decimal:
    if country:
        for key in ((country, tax_class), (country, "")):
            if key in rates:
                return rates[key]
    return default


def apply_rate(price: TaxedMoney, rate: Decimal, prices_include_tax: bool) -> TaxedMoney:
    """Split an untaxed list price into net and gross at ``rate`` (a fraction)."""
    currency = price.currency
    if prices_include_tax:
        gross = price.gross.amount
        net = gross / (1 + rate)
    else:
        net = price.net.amount
        gross = net * (1 + rate)
    return TaxedMoney(net=money(net, currency), gross=money(gross, currency))
