"""Signing up, confirming, signing in, tokens, passwords, external identities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from account import notifications, ratelimit, tokens
from account.client import client_ip
from account.models import User
from account.services import codes
from account.services._common import (
    burn_password_time,
    check_unique,
    clean_identifier,
    emit_customer,
    find_user,
    rotate_token_key,
)
from account.validation import validate_new_password
from core.errors import DomainError, NotFound

Purpose = codes.Purpose

INVALID_CREDENTIALS = "Please, enter valid credentials."


@dataclass(frozen=True)
class TokenPair:
    user: User
    access: str
    refresh: str


def issue_tokens(user: User) -> TokenPair:
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return TokenPair(user, tokens.create_access_token(user), tokens.create_refresh_token(user))


@dataclass(frozen=True)
class Registration:
    password: str
    email: str | None = None
    phone: str | None = None
    first_name: str = ""
    last_name: str = ""
    redirect_url: str | None = None
    channel: str | None = None


def register(data: Registration) -> tuple[User, bool]:
    """Create a customer account; returns (user, whether it must be confirmed first).

    With confirmation on, a token goes out by email (link) or SMS (code).
    """
    email, phone = clean_identifier(data.email, data.phone)
    redirect_url = notifications.clean_redirect_url(data.redirect_url)
    channel = notifications.clean_channel(data.channel)
    check_unique(email, phone)
    user = User(
        email=email,
        phone=phone,
        first_name=(data.first_name or "").strip()[:256],
        last_name=(data.last_name or "").strip()[:256],
        registration_method=User.RegistrationMethod.EMAIL
        if email
        else User.RegistrationMethod.PHONE,
        is_confirmed=not settings.ACCOUNT_CONFIRMATION_REQUIRED,
    )
    validate_new_password(data.password, user)
    user.set_password(data.password)
    try:
        with transaction.atomic():
            user.save()
            emit_customer("customer_created", user)
            if settings.ACCOUNT_CONFIRMATION_REQUIRED:
                token = codes.issue(user, Purpose.CONFIRM_ACCOUNT)
                notifications.notify(
                    "account_confirmation", user, token, redirect_url=redirect_url, channel=channel
                )
    except IntegrityError as exc:  # a concurrent registration won the race
        raise DomainError(
            "An account with this identifier already exists.", code="UNIQUE", field="email"
        ) from exc
    return user, settings.ACCOUNT_CONFIRMATION_REQUIRED


def confirm_account(email: str | None, phone: str | None, token: str) -> User:
    user = find_user(email, phone)
    if user is not None and user.is_confirmed:
        raise DomainError(
            "This account is already confirmed.", code="ACCOUNT_CONFIRMED", field="token"
        )
    found = codes.verify(user, Purpose.CONFIRM_ACCOUNT, token)
    with transaction.atomic():
        codes.use(found)
        user.is_confirmed = True
        user.save(update_fields=["is_confirmed", "updated_at"])
        emit_customer("customer_updated", user)
    return user


def _account_key(email: str | None, phone: str | None) -> str:
    return (email or "").strip().lower() or (phone or "").strip()


def create_tokens(
    email: str | None, phone: str | None, password: str, request: HttpRequest | None = None
) -> TokenPair:
    """Sign in with email or phone and password.

    Rate-limited per account and per IP before the password is even looked at.
    An unknown account, a wrong password and a deactivated account all get the
    same INVALID_CREDENTIALS answer, after the same hashing work.
    """
    ip = (client_ip(request) if request is not None else None) or "unknown"
    account = _account_key(email, phone)
    ratelimit.LOGIN_IP.check(ip, code="LOGIN_ATTEMPT_DELAYED", field="email")
    ratelimit.LOGIN_ACCOUNT.check(account, code="LOGIN_ATTEMPT_DELAYED", field="email")
    ratelimit.LOGIN_IP.hit(ip)
    invalid = DomainError(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS", field="email")
    try:
        user = find_user(email, phone)
    except DomainError:
        user = None
    if user is None:
        burn_password_time(password or "")
        ratelimit.LOGIN_ACCOUNT.hit(account)
        raise invalid
    if not user.check_password(password or "") or not user.is_active:
        ratelimit.LOGIN_ACCOUNT.hit(account)
        raise invalid
    if not user.is_confirmed and settings.ACCOUNT_CONFIRMATION_REQUIRED:
        raise DomainError(
            "Confirm your account first: follow the link or code we sent.",
            code="ACCOUNT_NOT_CONFIRMED",
            field="email",
        )
    ratelimit.LOGIN_ACCOUNT.clear(account)
    return issue_tokens(user)


def refresh_access_token(refresh_token: str | None) -> tuple[str, User]:
    if not refresh_token:
        raise tokens.TokenError(
            "Send the refresh token.", code="JWT_MISSING_TOKEN", field="refreshToken"
        )
    try:
        user = tokens.user_for(tokens.decode(refresh_token, tokens.REFRESH))
    except tokens.TokenError as exc:
        raise tokens.TokenError(exc.errors[0].message, code=exc.code, field="refreshToken") from exc
    return tokens.create_access_token(user), user


def verify_access_token(token: str) -> tuple[dict[str, Any], User]:
    try:
        claims = tokens.decode(token, tokens.ACCESS)
        return claims, tokens.user_for(claims)
    except tokens.TokenError as exc:
        raise tokens.TokenError(exc.errors[0].message, code=exc.code, field="token") from exc


@transaction.atomic
def deactivate_all_tokens(user: User) -> None:
    """Sign out everywhere: every access and refresh token of ``user`` stops working."""
    rotate_token_key(user)
    user.save(update_fields=["jwt_token_key", "updated_at"])


def request_password_reset(
    email: str | None,
    phone: str | None,
    *,
    redirect_url: str | None = None,
    channel: str | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Send a reset link or code. Unknown accounts get the same (silent) success."""
    redirect_url = notifications.clean_redirect_url(redirect_url)
    channel = notifications.clean_channel(channel)
    clean_identifier(email, phone)
    ip = (client_ip(request) if request is not None else None) or "unknown"
    account = _account_key(email, phone)
    ratelimit.RESET_IP.check(ip, field="email")
    ratelimit.RESET_ACCOUNT.check(account, field="email")
    ratelimit.RESET_IP.hit(ip)
    ratelimit.RESET_ACCOUNT.hit(account)
    user = find_user(email, phone)
    if user is None or not user.is_active:
        return
    with transaction.atomic():
        token = codes.issue(user, Purpose.PASSWORD_RESET)
        notifications.notify(
            "password_reset", user, token, redirect_url=redirect_url, channel=channel
        )


def set_password(
    email: str | None,
    phone: str | None,
    token: str,
    password: str,
    request: HttpRequest | None = None,
) -> TokenPair:
    """Choose a new password with a reset token; signs in and revokes older tokens."""
    ip = (client_ip(request) if request is not None else None) or "unknown"
    ratelimit.RESET_IP.check(ip, field="token")
    user = find_user(email, phone)
    try:
        found = codes.verify(user, Purpose.PASSWORD_RESET, token)
    except codes.InvalidToken:
        ratelimit.RESET_IP.hit(ip)
        raise
    validate_new_password(password, user)
    with transaction.atomic():
        codes.use(found)
        user.set_password(password)
        rotate_token_key(user)
        was_confirmed = user.is_confirmed
        user.is_confirmed = True  # the message reached them: they own the address
        user.save(update_fields=["password", "jwt_token_key", "is_confirmed", "updated_at"])
        if not was_confirmed:
            emit_customer("customer_updated", user)
    return issue_tokens(user)


def change_password(user: User, old_password: str, new_password: str) -> User:
    """Change the password of a signed-in user; every token issued before stops working."""
    if not user.check_password(old_password or ""):
        raise DomainError(
            "The old password is not correct.", code="INVALID_PASSWORD", field="oldPassword"
        )
    validate_new_password(new_password, user, field="newPassword")
    with transaction.atomic():
        user.set_password(new_password)
        rotate_token_key(user)
        user.save(update_fields=["password", "jwt_token_key", "updated_at"])
    return user


def authenticate_external(
    plugin_id: str, credentials: dict[str, Any], request: HttpRequest
) -> TokenPair:
    """Sign in through a plugin implementing ``authenticate_user`` (e.g. Google)."""
    from core.plugins.manager import get_manager

    manager = get_manager()
    loaded = manager.loaded.get(plugin_id)
    if loaded is None or not manager.config(plugin_id).active:
        raise NotFound(f"No active sign-in plugin '{plugin_id}'.", field="pluginId")
    method = getattr(loaded.plugin, "auth_method", plugin_id)
    try:
        user = manager.call_plugin(
            plugin_id,
            "authenticate_user",
            method=method,
            credentials=credentials,
            request=request,
        )
    except LookupError as exc:
        raise NotFound(f"Plugin '{plugin_id}' does not sign people in.", field="pluginId") from exc
    if user is None or not user.is_active or user.anonymized_at is not None:
        raise DomainError(INVALID_CREDENTIALS, code="INVALID_CREDENTIALS", field="input")
    return issue_tokens(user)


def external_user(method: str, email: str, *, first_name: str = "", last_name: str = "") -> User:
    """The account of a person whose email an identity provider verified: linked or created.

    Only call it for an address the provider says is verified: whoever controls
    the address may then sign in to an existing account with it.
    """
    from account.validation import clean_email

    email = clean_email(email)
    user = find_user(email, None)
    if user is not None:
        if not user.is_confirmed:
            with transaction.atomic():
                user.is_confirmed = True
                user.save(update_fields=["is_confirmed", "updated_at"])
        return user
    with transaction.atomic():
        user = User(
            email=email,
            first_name=first_name[:256],
            last_name=last_name[:256],
            registration_method=method,
            is_confirmed=True,
        )
        user.set_unusable_password()
        user.save()
        emit_customer("customer_created", user)
    return user
