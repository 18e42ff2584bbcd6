"""GraphQL helpers shared by the checkout and order schemas (neither may import the other's)."""

from __future__ import annotations

from typing import Any

from django_countries.fields import Country

from core.graphql.schema import get_registered_type

ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country_area",
    "phone",
)


class AddressSnapshot:
    """An address kept as a dict, shaped like the account's Address model for its type.

    ``pk`` is not a number: the id cannot be mistaken for an address-book entry.
    """

    def __init__(self, data: dict[str, Any], key: str) -> None:
        for name in ADDRESS_FIELDS:
            setattr(self, name, str(data.get(name) or ""))
        self.pk = key
        self.country = Country(code=str(data.get("country") or ""))


def address(data: dict[str, Any] | None, key: str) -> AddressSnapshot | None:
    return AddressSnapshot(data, key) if data else None


def prepare_variants(info: Any, variants: list[Any], channel: Any) -> None:
    """Hand variants to the catalog's ProductVariant type (product, channel, batch loaders)."""
    if variants:
        get_registered_type("ProductVariant").prepare(info, variants, channel)
