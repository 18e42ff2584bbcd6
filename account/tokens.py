"""JSON Web Tokens: short-lived access tokens and revocable refresh tokens.

Keys come from ``settings.JWT_SIGNING_KEYS``, newest first: the first signs,
every listed key verifies, picked by the ``kid`` header. Rotating is therefore:
prepend a new key, deploy, wait for the refresh-token lifetime, drop the old
one (docs/accounts.md). Each entry is an HS256 secret, an RSA private key in PEM
(RS256) or ``file:/path/to/key.pem``; with none, one HS256 key is derived from
``SECRET_KEY``.

Every token carries the user's ``jwt_token_key``. Changing that key (sign out
everywhere, password change or reset, account erasure) revokes every access
and refresh token issued before, at the cost of the one user lookup that
authentication does anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.errors import DomainError

ACCESS = "access"
REFRESH = "refresh"


class TokenError(DomainError):
    default_code = "JWT_INVALID_TOKEN"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    signing: Any
    verifying: Any


def _hs256(secret: str) -> SigningKey:
    if len(secret) < 32:
        raise ImproperlyConfigured("JWT_SIGNING_KEYS: an HS256 secret needs 32+ characters.")
    kid = hashlib.sha256(f"kid:{secret}".encode()).hexdigest()[:16]
    return SigningKey(kid, "HS256", secret, secret)


def _rs256(pem: bytes) -> SigningKey:
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise ImproperlyConfigured(f"JWT_SIGNING_KEYS: unreadable PEM key ({exc}).") from exc
    if not isinstance(private, RSAPrivateKey):
        raise ImproperlyConfigured("JWT_SIGNING_KEYS: PEM keys must be RSA keys (RS256).")
    public = private.public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKey(hashlib.sha256(der).hexdigest()[:16], "RS256", private, public)


def parse_key(entry: str) -> SigningKey:
    entry = entry.strip()
    if entry.startswith("file:"):
        entry = Path(entry[5:]).read_text(encoding="utf-8")
    if entry.startswith("-----BEGIN"):
        return _rs256(entry.replace("\\n", "\n").encode())
    return _hs256(entry)


@cache
def signing_keys() -> tuple[SigningKey, ...]:
    entries = list(settings.JWT_SIGNING_KEYS)
    if not entries:
        derived = hmac.new(settings.SECRET_KEY.encode(), b"fashionistar.jwt", "sha256")
        return (_hs256(derived.hexdigest()),)
    return tuple(parse_key(entry) for entry in entries)


def reset_keys() -> None:
    """Forget parsed keys (tests that change JWT_SIGNING_KEYS)."""
    signing_keys.cache_clear()


def _encode(claims: dict[str, Any]) -> str:
    key = signing_keys()[0]
    return jwt.encode(claims, key.signing, algorithm=key.algorithm, headers={"kid": key.kid})


def _claims(user: Any, kind: str, ttl: int) -> dict[str, Any]:
    now = timezone.now()
    return {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk),
        "type": kind,
        "token": user.jwt_token_key,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
    }


def create_access_token(user: Any) -> str:
    claims = _claims(user, ACCESS, settings.JWT_ACCESS_TOKEN_TTL)
    claims.update(email=user.email, phone=user.phone, is_staff=user.is_staff)
    return _encode(claims)


def create_refresh_token(user: Any) -> str:
    return _encode(_claims(user, REFRESH, settings.JWT_REFRESH_TOKEN_TTL))


def decode(token: str, kind: str) -> dict[str, Any]:
    """Verified claims of a token of ``kind``; TokenError when it is not one of ours."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise TokenError("The token cannot be decoded.", code="JWT_DECODE_ERROR") from exc
    key = next((k for k in signing_keys() if k.kid == header.get("kid")), None)
    if key is None:
        raise TokenError("The token was not signed by a current key.")
    try:
        claims = jwt.decode(
            token,
            key.verifying,
            algorithms=[key.algorithm],
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "type", "token"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("The token has expired.", code="JWT_SIGNATURE_EXPIRED") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenError("The token is invalid.") from exc
    if claims["type"] != kind:
        raise TokenError(
            f"This is not an {kind} token." if kind == ACCESS else "Not a refresh token."
        )
    return claims


def user_for(claims: dict[str, Any]) -> Any:
    """The active user a verified token belongs to, unless its key was rotated since."""
    from account.models import User

    user = User.objects.filter(pk=claims["sub"], is_active=True, anonymized_at=None).first()
    if user is None or not hmac.compare_digest(user.jwt_token_key, str(claims["token"])):
        raise TokenError("The token was revoked or its user is inactive.")
    return user
