"""Money helpers around ``prices``: Decimal only, rounded to the currency's minor unit.

Payment providers speak in minor units (kobo for NGN, cents for USD, yen for
JPY, fils for KWD); ``to_minor_units``/``from_minor_units`` convert exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_currency_precision
from prices import Money, TaxedMoney

from core.errors import DomainError

__all__ = [
    "Money",
    "TaxedMoney",
    "currency_precision",
    "from_minor_units",
    "money",
    "quantize",
    "sum_money",
    "to_minor_units",
    "validate_amount_precision",
    "zero",
]


class InvalidAmount(DomainError):
    default_code = "INVALID_AMOUNT"


@lru_cache(maxsize=256)
def currency_precision(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (NGN 2, JPY 0, KWD 3).

    Cached: babel's lookup costs more than the rest of pricing a product.
    """
    return get_currency_precision(currency)


@lru_cache(maxsize=256)
def _exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


def to_decimal(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, float):
        raise TypeError("money amounts must be Decimal, int or str, never float")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError) as exc:
        raise InvalidAmount(f"'{amount}' is not a number.") from exc
    if not value.is_finite():
        raise InvalidAmount(f"'{amount}' is not a finite amount.")
    return value


def money(amount: Decimal | int | str, currency: str) -> Money:
    """Build a Money rounded half-up to the currency's minor unit."""
    value = amount if type(amount) is Decimal else to_decimal(amount)
    return Money(value.quantize(_exponent(currency), ROUND_HALF_UP), currency)


def quantize(value: Money | TaxedMoney) -> Money | TaxedMoney:
    if isinstance(value, TaxedMoney):
        return TaxedMoney(quantize(value.net), quantize(value.gross))
    return money(value.amount, value.currency)


def zero(currency: str) -> Money:
    return money(0, currency)


def sum_money(values: list[Money], currency: str) -> Money:
    total = zero(currency)
    for value in values:
        total += value
    return total


def validate_amount_precision(amount: Decimal | int | str, currency: str, field: str) -> Decimal:
    """Refuse amounts with more decimals than the currency allows (no silent rounding)."""
    value = to_decimal(amount)
    places = currency_precision(currency)
    exponent = value.as_tuple().exponent
    if (
        isinstance(exponent, int)
        and -exponent > places
        and value != value.quantize(_exponent(currency))
    ):
        raise InvalidAmount(
            f"{currency} amounts take at most {places} decimal places; got {amount}.",
            field=field,
        )
    return value.quantize(_exponent(currency))


def to_minor_units(value: Money) -> int:
    """Money -> integer minor units (e.g. NGN 1500.50 -> 150050 kobo)."""
    quantized = money(value.amount, value.currency)
    return int(quantized.amount.scaleb(currency_precision(value.currency)))


def from_minor_units(units: int, currency: str) -> Money:
    if not isinstance(units, int) or isinstance(units, bool):
        raise TypeError("minor units must be an integer")
    return money(Decimal(units).scaleb(-currency_precision(currency)), currency)
