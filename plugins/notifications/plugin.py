"""Built-in notifiers: email through Django's email backend, SMS to the console log.

Real SMS providers are separate plugins implementing the same
``notification_requested`` event with ``channel_type == "sms"``.
"""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage
from django.template import Context, Template

from core.hookspecs import hookimpl
from core.plugins import BasePlugin, ConfigField, FieldType

logger = logging.getLogger(__name__)


def render_message(event_payload: dict) -> tuple[str, str]:
    context = Context(event_payload.get("context") or {}, autoescape=False)
    subject = Template(event_payload.get("subject") or event_payload["template"]).render(context)
    body = Template(event_payload.get("body") or "").render(context)
    return subject.strip(), body


class EmailNotifierPlugin(BasePlugin):
    id = "fashionistar.notifications.email"
    name = "Email notifications"
    description = "Sends customer and staff emails with Django's configured email backend."
    version = "1.0.0"
    per_channel = True
    default_active = True
    config_fields = (
        ConfigField(
            "sender",
            FieldType.STRING,
            default="Fashionistar <no-reply@localhost>",
            label="From address",
        ),
    )

    @hookimpl
    def notification_requested(self, event, config) -> None:
        if event.payload.get("channel_type") != "email":
            return
        subject, body = render_message(event.payload)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=config["sender"],
            to=[event.payload["recipient"]],
            headers={"X-Event-ID": str(event.id)},
        )
        message.send(fail_silently=False)


class ConsoleSmsPlugin(BasePlugin):
    id = "fashionistar.notifications.console_sms"
    name = "SMS to console"
    description = "Writes SMS messages to the log instead of sending them (development)."
    version = "1.0.0"
    per_channel = False
    default_active = True

    @hookimpl
    def notification_requested(self, event) -> None:
        if event.payload.get("channel_type") != "sms":
            return
        _, body = render_message(event.payload)
        logger.info(
            "SMS to %s: %s", event.payload["recipient"], body, extra={"event_id": str(event.id)}
        )
