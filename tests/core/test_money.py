from decimal import Decimal

import pytest

from core.errors import DomainError
from core.money import (
    Money,
    TaxedMoney,
    currency_precision,
    from_minor_units,
    money,
    quantize,
    to_minor_units,
    validate_amount_precision,
)

pytestmark = pytest.mark.embedded


@pytest.mark.parametrize(
    ("currency", "places", "raw", "rounded"),
    [
        ("NGN", 2, "1500.505", Decimal("1500.51")),
        ("USD", 2, "19.994", Decimal("19.99")),
        ("JPY", 0, "1999.5", Decimal("2000")),
        ("KWD", 3, "12.3455", Decimal("12.346")),
    ],
)
def test_amounts_round_half_up_to_the_minor_unit(currency, places, raw, rounded):
    assert currency_precision(currency) == places
    value = money(raw, currency)
    assert value == Money(rounded, currency)
    assert value.amount.as_tuple().exponent == -places


@pytest.mark.parametrize(
    ("value", "units"),
    [
        (Money(Decimal("1500.50"), "NGN"), 150050),
        (Money(Decimal("0.01"), "USD"), 1),
        (Money(Decimal("2000"), "JPY"), 2000),
        (Money(Decimal("1.234"), "KWD"), 1234),
    ],
)
def test_minor_units_round_trip_exactly(value, units):
    assert to_minor_units(value) == units
    assert from_minor_units(units, value.currency) == value


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money(0.1, "USD")
    with pytest.raises(TypeError):
        from_minor_units(1.0, "USD")


def test_more_decimals_than_the_currency_allows_is_a_typed_error():
    with pytest.raises(DomainError) as excinfo:
        validate_amount_precision("10.001", "USD", field="price")
    assert excinfo.value.code == "INVALID_AMOUNT"
    assert excinfo.value.errors[0].field == "price"
    with pytest.raises(DomainError):
        validate_amount_precision("1.5", "JPY", field="price")
    assert validate_amount_precision("10.500", "USD", field="price") == Decimal("10.50")
    assert validate_amount_precision("12.345", "KWD", field="price") == Decimal("12.345")


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity"])
def test_non_numbers_are_typed_errors(raw):
    with pytest.raises(DomainError) as excinfo:
        money(raw, "NGN")
    assert excinfo.value.code == "INVALID_AMOUNT"


def test_taxed_money_is_quantized_on_both_sides():
    taxed = TaxedMoney(Money(Decimal("10.004"), "USD"), Money(Decimal("10.755"), "USD"))
    assert quantize(taxed) == TaxedMoney(
        Money(Decimal("10.00"), "USD"), Money(Decimal("10.76"), "USD")
    )
