"""Verifying a Google ID token: signature against Google's keys, audience, issuer, expiry."""

from __future__ import annotations

from typing import Any

import jwt

from core.errors import PluginVeto
from plugins.google_auth import keys

ISSUERS = ("accounts.google.com", "https://accounts.google.com")
LEEWAY_SECONDS = 30


def verify_id_token(token: str, client_ids: list[str], certs_url: str) -> dict[str, Any]:
    """The claims of a genuine, current Google ID token meant for one of ``client_ids``."""
    invalid = "The Google ID token is not valid."
    if not client_ids:
        raise PluginVeto("Sign in with Google is not configured.", code="NOT_CONFIGURED")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise PluginVeto(invalid, code="INVALID_TOKEN", field="idToken") from exc
    if header.get("alg") != "RS256" or not header.get("kid"):
        raise PluginVeto(invalid, code="INVALID_TOKEN", field="idToken")
    key = keys.signing_key(certs_url, header["kid"])
    if key is None:
        raise PluginVeto(invalid, code="INVALID_TOKEN", field="idToken")
    try:
        return jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=list(client_ids),
            issuer=ISSUERS,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise PluginVeto(
            "The Google ID token has expired.", code="TOKEN_EXPIRED", field="idToken"
        ) from exc
    except jwt.PyJWTError as exc:
        raise PluginVeto(invalid, code="INVALID_TOKEN", field="idToken") from exc
