from __future__ import annotations

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.db import models
from django_countries.fields import CountryField

ISO_CURRENCIES = frozenset(list_currencies())


def validate_currency(value: str) -> None:
    if value not in ISO_CURRENCIES:
        raise ValidationError(f"'{value}' is not an ISO 4217 currency code.", code="invalid")


class Channel(models.Model):
    """A sales channel: one currency, one default country; prices and plugins vary per channel."""

    name = models.CharField(max_length=250)
    slug = models.SlugField(max_length=255, unique=True)
    currency_code = models.CharField(max_length=3, validators=[validate_currency])
    default_country = CountryField()
    is_active = models.BooleanField(default=True)
    allow_unpaid_orders = models.BooleanField(
        default=False,
        help_text="Let checkoutComplete create orders that payments do not cover yet.",
    )
    automatically_confirm_orders = models.BooleanField(
        default=True,
        help_text="New orders are confirmed at once; off: they wait UNCONFIRMED for staff.",
    )
    stock_reservation_minutes = models.PositiveIntegerField(
        default=0,
        help_text="Hold stock for an open checkout this many minutes after each change (0: off).",
    )
    max_line_quantity = models.PositiveIntegerField(
        default=50, help_text="Most units of one variant in a checkout line."
    )

    class Meta:
        ordering = ("slug",)
        permissions = (("manage_channels", "Manage channels."),)

    def __str__(self) -> str:
        return f"{self.name} ({self.currency_code})"
