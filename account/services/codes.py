"""One-time tokens: issue, verify, use.

A link token is 256 random bits; a code (SMS) is 6 digits and is retired after
``ACCOUNT_CODE_MAX_ATTEMPTS`` wrong guesses. Only an HMAC of the secret (keyed
with SECRET_KEY and bound to the user and purpose) is stored. Verification is
split from use so that a failed guess is counted even though the caller's
transaction rolls back, and so that a token is consumed only together with the
change it authorises.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from account.models import OneTimeToken, User
from core.errors import DomainError

Purpose = OneTimeToken.Purpose

TTL_SETTINGS = {
    Purpose.CONFIRM_ACCOUNT: "ACCOUNT_CONFIRMATION_TTL",
    Purpose.PASSWORD_RESET: "ACCOUNT_PASSWORD_RESET_TTL",
    Purpose.DELETE_ACCOUNT: "ACCOUNT_DELETION_TTL",
}


class InvalidToken(DomainError):
    default_code = "INVALID_TOKEN"


def _digest(user: User, purpose: str, secret: str) -> str:
    message = f"{user.pk}:{purpose}:{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def issue(user: User, purpose: str) -> str:
    """A new secret for ``user`` (a code when they have no email); older ones are retired."""
    now = timezone.now()
    as_code = not user.email
    secret = f"{secrets.randbelow(10**6):06d}" if as_code else secrets.token_urlsafe(32)
    OneTimeToken.objects.filter(user=user, purpose=purpose, used_at=None, retired_at=None).update(
        retired_at=now
    )
    OneTimeToken.objects.create(
        user=user,
        purpose=purpose,
        digest=_digest(user, purpose, secret),
        is_code=as_code,
        expires_at=now + timedelta(seconds=getattr(settings, TTL_SETTINGS[purpose])),
    )
    return secret


def verify(
    user: User | None, purpose: str, secret: str | None, field: str = "token"
) -> OneTimeToken:
    """The matching, unused, unexpired token; InvalidToken otherwise (nothing is consumed)."""
    if user is None or not secret:
        raise InvalidToken("The token is invalid.", field=field)
    token = OneTimeToken.objects.filter(
        user=user, purpose=purpose, digest=_digest(user, purpose, secret.strip())
    ).first()
    if token is None:
        _count_wrong_guess(user, purpose)
        raise InvalidToken("The token is invalid.", field=field)
    if token.used_at is not None:
        raise InvalidToken("This token was already used.", code="TOKEN_USED", field=field)
    if token.retired_at is not None:
        raise InvalidToken("A newer token replaced this one.", field=field)
    if token.expires_at <= timezone.now():
        raise InvalidToken("The token has expired.", code="TOKEN_EXPIRED", field=field)
    return token


def _count_wrong_guess(user: User, purpose: str) -> None:
    with transaction.atomic():
        active = OneTimeToken.objects.filter(
            user=user, purpose=purpose, is_code=True, used_at=None, retired_at=None
        )
        active.update(attempts=F("attempts") + 1)
        active.filter(attempts__gte=settings.ACCOUNT_CODE_MAX_ATTEMPTS).update(
            retired_at=timezone.now()
        )


def use(token: OneTimeToken, field: str = "token") -> None:
    """Consume ``token`` inside the caller's transaction (a concurrent use loses)."""
    used = OneTimeToken.objects.filter(pk=token.pk, used_at=None, retired_at=None).update(
        used_at=timezone.now()
    )
    if not used:
        raise InvalidToken("This token was already used.", code="TOKEN_USED", field=field)
