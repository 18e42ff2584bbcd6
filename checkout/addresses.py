"""Checkout and order addresses: the account's validation, with field names prefixed.

Orders keep these as snapshots (plain dicts): an order's address must not change
when the customer edits their address book.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from account.validation import clean_address
from core.errors import DomainError, ErrorDetail

#: A parcel needs a person to hand it to, not only a valid postal address.
REQUIRED = ("first_name", "last_name", "street_address_1", "city")


def validate_address(data: Mapping[str, Any], field: str) -> dict[str, Any]:
    """Validated, normalised address or a DomainError naming ``<field>.<name>`` per problem."""
    missing = [
        ErrorDetail("REQUIRED", f"{name} is required.", f"{field}.{name}")
        for name in REQUIRED
        if not str(data.get(name) or "").strip()
    ]
    try:
        cleaned = clean_address(dict(data))
    except DomainError as error:
        raise DomainError(
            errors=[
                *missing,
                *(
                    ErrorDetail(d.code, d.message, f"{field}.{d.field}" if d.field else field)
                    for d in error.errors
                    if f"{field}.{d.field}" not in {m.field for m in missing}
                ),
            ]
        ) from error
    if missing:
        raise DomainError(errors=missing)
    return cleaned
