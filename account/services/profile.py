"""A customer's own data: names, address book, deletion on request."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from account import notifications
from account.models import Address, OneTimeToken, User
from account.services import codes
from account.services._common import emit_customer, rotate_token_key
from account.validation import clean_address
from core.errors import DomainError, NotFound

SHIPPING = "SHIPPING"
BILLING = "BILLING"


@transaction.atomic
def update_account(
    user: User, *, first_name: str | None = None, last_name: str | None = None
) -> User:
    fields = []
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if value is not None:
            setattr(user, name, value.strip()[:256])
            fields.append(name)
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
        emit_customer("customer_updated", user)
    return user


def own_address(user: User, address_id: Any, field: str = "id") -> Address:
    """One of ``user``'s addresses; anybody else's is NOT_FOUND (its existence is not told)."""
    address = None
    if str(address_id).isdigit():
        address = user.addresses.filter(pk=int(address_id)).first()
    if address is None:
        raise NotFound("No such address in your address book.", field=field)
    return address


def _set_default(user: User, address: Address, kind: str) -> None:
    if kind == SHIPPING:
        user.default_shipping_address = address
    elif kind == BILLING:
        user.default_billing_address = address
    else:
        raise DomainError("Choose SHIPPING or BILLING.", code="INVALID", field="type")


@transaction.atomic
def create_address(user: User, data: dict[str, Any], kind: str | None = None) -> Address:
    """Add a validated address; it becomes the default of ``kind`` and of any unset default."""
    address = Address.objects.create(**clean_address(data))
    user.addresses.add(address)
    if kind:
        _set_default(user, address, kind)
    if user.default_shipping_address_id is None:
        user.default_shipping_address = address
    if user.default_billing_address_id is None:
        user.default_billing_address = address
    user.save(update_fields=["default_shipping_address", "default_billing_address", "updated_at"])
    emit_customer("customer_updated", user)
    return address


@transaction.atomic
def update_address(user: User, address_id: Any, data: dict[str, Any]) -> Address:
    """Change an address of the book; missing input fields keep their current values."""
    address = own_address(user, address_id)
    merged = {**address.as_data(), **{k: v for k, v in data.items() if v is not None}}
    for name, value in clean_address(merged).items():
        setattr(address, name, value)
    address.save()
    emit_customer("customer_updated", user)
    return address


@transaction.atomic
def delete_address(user: User, address_id: Any) -> Address:
    address = own_address(user, address_id)
    deleted_pk = address.pk
    address.delete()
    address.pk = deleted_pk
    user.refresh_from_db(fields=["default_shipping_address", "default_billing_address"])
    emit_customer("customer_updated", user)
    return address


@transaction.atomic
def set_default_address(user: User, address_id: Any, kind: str) -> User:
    address = own_address(user, address_id)
    _set_default(user, address, kind)
    user.save(update_fields=["default_shipping_address", "default_billing_address", "updated_at"])
    emit_customer("customer_updated", user)
    return user


def request_deletion(
    user: User, *, redirect_url: str | None = None, channel: str | None = None
) -> None:
    """Send the token that confirms an account deletion (accountDelete)."""
    redirect_url = notifications.clean_redirect_url(redirect_url)
    channel = notifications.clean_channel(channel)
    with transaction.atomic():
        token = codes.issue(user, OneTimeToken.Purpose.DELETE_ACCOUNT)
        notifications.notify(
            "account_delete", user, token, redirect_url=redirect_url, channel=channel
        )


def delete_own_account(user: User, token: str) -> User:
    found = codes.verify(user, OneTimeToken.Purpose.DELETE_ACCOUNT, token)
    with transaction.atomic():
        codes.use(found)
        return anonymize(user)


@transaction.atomic
def anonymize(user: User) -> User:
    """Erase a person's data and keep the row, so their orders keep their link and totals.

    Identifiers become an unroutable placeholder, names and the address book are
    deleted, the password is unusable and every token is revoked.
    """
    if user.anonymized_at is not None:
        return user
    addresses = list(user.addresses.values_list("pk", flat=True))
    user.addresses.clear()
    Address.objects.filter(pk__in=addresses).delete()
    user.email = f"deleted-{uuid.uuid4().hex}@anonymized.invalid"
    user.phone = None
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_confirmed = False
    user.default_shipping_address = None
    user.default_billing_address = None
    user.anonymized_at = timezone.now()
    user.set_unusable_password()
    rotate_token_key(user)
    user.save()
    user.groups.set(Group.objects.none())
    user.user_permissions.clear()
    user.one_time_tokens.all().delete()
    emit_customer("customer_deleted", user)
    return user
