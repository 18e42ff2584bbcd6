"""Helpers shared by the account services: lookups, payloads, events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from account.models import User, new_token_key
from account.validation import clean_email, clean_phone
from core.errors import DomainError, NotFound
from core.events.outbox import emit

#: Who performs a write: a User, or None for the system.
Actor = Any


def user_payload(user: User) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "phone": user.phone}


def emit_customer(event: str, user: User) -> None:
    """``customer_*`` events are about customers; staff accounts are not customers."""
    if not user.is_staff:
        payload = {"user": {"id": user.pk}} if event == "customer_deleted" else None
        emit(event, payload or {"user": user_payload(user)})


def clean_identifier(email: str | None, phone: str | None) -> tuple[str | None, str | None]:
    """At least one of email and phone, each valid."""
    if not email and not phone:
        raise DomainError(
            "Enter an email address or a phone number.", code="REQUIRED", field="email"
        )
    return (clean_email(email) if email else None, clean_phone(phone) if phone else None)


def find_user(email: str | None, phone: str | None) -> User | None:
    """The account with this email (case-insensitive) or phone, if any."""
    email, phone = clean_identifier(email, phone)
    condition = Q(email__iexact=email) if email else Q(phone=phone)
    return User.objects.filter(condition, anonymized_at=None).first()


def check_unique(email: str | None, phone: str | None, exclude: User | None = None) -> None:
    users = User.objects.all() if exclude is None else User.objects.exclude(pk=exclude.pk)
    if email and users.filter(email__iexact=email).exists():
        raise DomainError(
            "An account with this email already exists.", code="UNIQUE", field="email"
        )
    if phone and users.filter(phone=phone).exists():
        raise DomainError(
            "An account with this phone number already exists.", code="UNIQUE", field="phone"
        )


def get_user(pk: Any, field: str = "id", *, staff: bool | None = None) -> User:
    users = User.objects.filter(anonymized_at=None)
    if staff is not None:
        users = users.filter(is_staff=staff)
    user = users.filter(pk=pk).first() if str(pk).isdigit() else None
    if user is None:
        raise NotFound("No such user.", field=field)
    return user


def rotate_token_key(user: User) -> None:
    """Revoke every access and refresh token of ``user``."""
    user.jwt_token_key = new_token_key()


def burn_password_time(password: str) -> None:
    """Hash anyway when there is no account, so timing does not tell that it does not exist."""
    make_password(password)
