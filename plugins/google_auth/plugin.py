"""Sign in with Google (OpenID Connect ID tokens).

The storefront obtains an ID token with Google Identity Services and sends it
as ``externalObtainAccessTokens(pluginId: "fashionistar.google_auth", input:
"{\"idToken\": \"...\"}")``. We verify it ourselves: RS256 signature against
Google's published keys, audience (one of our client IDs), issuer, expiry; then
link it to the account with the same verified email or create one.
"""

from __future__ import annotations

from typing import Any

from core.errors import PluginVeto
from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType

CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs"


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
        from plugins.google_auth.verify import verify_id_token  # jwt/requests load on use

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
