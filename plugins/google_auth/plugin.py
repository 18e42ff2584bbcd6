"""Sign in with Google (OpenID Connect ID tokens).

The storefront obtains an ID token with Google Identity Services and sends it
as ``externalObtainAccessTokens(pluginId: "fashionistar.google_auth", input:
"{\"idToken\": \"...\"}")``. We verify it ourselves: RS256 signature against
Google's published keys, audience (one of our client IDs), issuer, expiry; then
link it to the account with the same verified email or create one.
"""

from __future__ import annotations

from typing import Any

import jwt

from core.errors import PluginVeto
from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType
from plugins.google_auth import keys

ISSUERS = ("accounts.google.com", "https://accounts.google.com")
CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs"
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


class GoogleAuthPlugin(BasePlugin):
    id = "fashionistar.google_auth"
    name = "Sign in with Google"
    description = (
        "Verifies Google ID tokens and signs the person in, creating the account if needed."
    )
    version = "1.0.0"
    per_channel = False
    default_active = False
    #: The ``method`` this plugin answers in ``authenticate_user``.
    auth_method = "google"
    config_fields = (
        ConfigField(
            "client_ids",
            FieldType.STRING_LIST,
            default=[],
            required=True,
            label="OAuth client IDs",
            help_text="Client IDs of your web and mobile apps; tokens must be issued to one.",
        ),
        ConfigField(
            "certs_url",
            FieldType.URL,
            default=CERTS_URL,
            label="Google certificates URL",
            help_text="Where Google publishes its signing keys (JWKS).",
        ),
        ConfigField(
            "hosted_domain",
            FieldType.STRING,
            default="",
            label="Workspace domain",
            help_text="Only accept accounts of this Google Workspace domain (empty: any).",
        ),
    )

    @hookimpl
    def authenticate_user(self, method, credentials, request, config) -> Any:
        if method != self.auth_method:
            return None
        token = (
            credentials.get("idToken") or credentials.get("id_token")
            if isinstance(credentials, dict)
            else None
        )
        if not isinstance(token, str) or not token:
            raise PluginVeto(
                "Send the Google ID token as idToken.", code="REQUIRED", field="idToken"
            )
        claims = verify_id_token(token, list(config["client_ids"] or []), config["certs_url"])
        domain = (config["hosted_domain"] or "").strip().lower()
        if domain and str(claims.get("hd", "")).lower() != domain:
            raise PluginVeto(
                "This Google account is not allowed here.", code="INVALID_TOKEN", field="idToken"
            )
        if not claims.get("email") or claims.get("email_verified") is not True:
            raise PluginVeto(
                "Google has not verified this account's email address.",
                code="EMAIL_NOT_VERIFIED",
                field="idToken",
            )
        from account.services import external_user

        return external_user(
            "google",
            claims["email"],
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("family_name", "")),
        )
