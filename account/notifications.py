"""Messages to account holders, sent through the ``notification_requested`` event.

Nothing is sent inline: the event is written to the outbox in the service's
transaction and notifier plugins deliver it after commit (email through
Django's email backend, SMS through whichever SMS plugin is active). People
with an email address get an email with a link (or the token to paste when the
client gave no ``redirectUrl``); phone-only people get an SMS with a code.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from core.errors import DomainError
from core.events.outbox import emit

#: template -> (subject, email body). Django template syntax, rendered by the notifier.
EMAILS: dict[str, tuple[str, str]] = {
    "account_confirmation": (
        "Confirm your account",
        "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
        "{% if url %}Confirm your account by opening this link:\n{{ url }}\n"
        "{% else %}Your confirmation token:\n{{ token }}\n{% endif %}\n"
        "If you did not sign up, ignore this message.\n",
    ),
    "password_reset": (
        "Reset your password",
        "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
        "{% if url %}Choose a new password by opening this link:\n{{ url }}\n"
        "{% else %}Your password reset token:\n{{ token }}\n{% endif %}\n"
        "If you did not ask for this, ignore this message: your password is unchanged.\n",
    ),
    "set_password": (
        "Set the password of your new account",
        "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
        "An account was created for you.\n"
        "{% if url %}Choose your password by opening this link:\n{{ url }}\n"
        "{% else %}Your set-password token:\n{{ token }}\n{% endif %}",
    ),
    "account_delete": (
        "Confirm the deletion of your account",
        "Hello{% if first_name %} {{ first_name }}{% endif %},\n\n"
        "{% if url %}To erase your account and personal data, open this link:\n{{ url }}\n"
        "{% else %}Your account deletion token:\n{{ token }}\n{% endif %}\n"
        "If you did not ask for this, ignore this message.\n",
    ),
}

SMS: dict[str, str] = {
    "account_confirmation": "Your Fashionistar confirmation code is {{ token }}.",
    "password_reset": "Your Fashionistar password reset code is {{ token }}.",
    "set_password": "Your Fashionistar set-password code is {{ token }}.",
    "account_delete": "Your Fashionistar account deletion code is {{ token }}.",
}


def clean_redirect_url(url: str | None, field: str = "redirectUrl") -> str | None:
    """Links in account messages may only point to the storefronts we know.

    A password-reset link to a host the attacker chose would hand them the token.
    """
    if not url:
        return None
    parts = urlsplit(url)
    allowed = settings.ALLOWED_CLIENT_HOSTS
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DomainError("Enter a valid http(s) URL.", code="INVALID", field=field)
    if "*" not in allowed and parts.hostname not in allowed:
        raise DomainError(
            f"{parts.hostname} is not an allowed client host.", code="INVALID", field=field
        )
    return url


def clean_channel(slug: str | None, field: str = "channel") -> str | None:
    if not slug:
        return None
    from core.models import Channel

    if not Channel.objects.filter(slug=slug, is_active=True).exists():
        raise DomainError(f"No active channel '{slug}'.", code="NOT_FOUND", field=field)
    return slug


def _link(redirect_url: str | None, identifier: dict[str, str], token: str) -> str | None:
    if not redirect_url:
        return None
    separator = "&" if "?" in redirect_url else "?"
    return f"{redirect_url}{separator}{urlencode({**identifier, 'token': token})}"


def notify(
    template: str,
    user: Any,
    token: str,
    *,
    redirect_url: str | None = None,
    channel: str | None = None,
) -> None:
    """Queue ``template`` to ``user`` by email (preferred) or SMS. Call inside the transaction."""
    context: dict[str, Any] = {"first_name": user.first_name, "token": token}
    if user.email:
        subject, body = EMAILS[template]
        context["url"] = _link(redirect_url, {"email": user.email}, token)
        payload = {
            "template": template,
            "channel_type": "email",
            "recipient": user.email,
            "subject": subject,
            "body": body,
            "context": context,
        }
    else:
        payload = {
            "template": template,
            "channel_type": "sms",
            "recipient": user.phone,
            "body": SMS[template],
            "context": context,
        }
    emit("notification_requested", payload, channel=channel)
