"""The only writer of apps, tokens and webhooks (staff writes are audited by the model log).

Models are saved one by one (never ``QuerySet.update``) so every staff change
lands in the audit log (account/audit.py). The worker-side bookkeeping of
deliveries (claims, attempts, retries) lives in ``delivery.py``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError, NotFound, PermissionDenied
from core.events.types import Event
from core.permissions import Perm, has_perm
from core.plugins.crypto import encrypt
from core.plugins.manager import get_manager
from plugins.webhooks import payloads
from plugins.webhooks.auth import hash_token, new_token
from plugins.webhooks.delivery import RESERVED_HEADERS
from plugins.webhooks.models import App, AppToken, Webhook, WebhookDelivery
from plugins.webhooks.security import check_target

PLUGIN_ID = "fashionistar.webhooks"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")


def event_types() -> list[str]:
    """Every event hook of core/hookspecs.py: what a webhook may subscribe to."""
    from core.hookspecs import HookKind

    return get_manager().hooks_of_kind(HookKind.EVENT)


# -- apps and tokens --------------------------------------------------------------------------


def _clean_name(name: str | None, field: str = "name") -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("Enter a name of 1 to 100 characters.", code="INVALID", field=field)
    return name


def _clean_permissions(names: Iterable[str], actor: Any) -> list[str]:
    """Known permission names, each held by the actor: nobody grants what they do not have."""
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in Perm.__members__]
    if unknown:
        raise DomainError(
            f"Unknown permission(s): {', '.join(unknown)}.", code="INVALID", field="permissions"
        )
    missing = [n for n in names if not has_perm(actor, Perm[n])]
    if missing:
        raise PermissionDenied(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}.",
            code="PERMISSION_DENIED",
            field="permissions",
        )
    return names


def check_permissions_grantable(names: Iterable[str], actor: Any) -> None:
    """Raise unless ``actor`` may grant ``names`` (dashboard forms)."""
    _clean_permissions(names, actor)


def create_app(actor: Any, name: str, permissions: Iterable[str] = ()) -> tuple[App, str]:
    """Create an app and its first token. Returns (app, token): the token is never shown again."""
    app = App(name=_clean_name(name), permissions=_clean_permissions(permissions, actor))
    with transaction.atomic():
        app.save()
        _, token = _create_token(app, "default")
    return app, token


def update_app(
    actor: Any,
    app: App,
    *,
    name: str | None = None,
    permissions: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> App:
    if name is not None:
        app.name = _clean_name(name)
    if permissions is not None:
        app.permissions = _clean_permissions(permissions, actor)
    if is_active is not None:
        app.is_active = is_active
    with transaction.atomic():
        app.save()
        sync_activation()
    return app


def delete_app(app: App) -> None:
    with transaction.atomic():
        for webhook in app.webhooks.all():
            webhook.delete()
        for token in app.tokens.all():
            token.delete()
        app.delete()
        sync_activation()


def _create_token(app: App, name: str) -> tuple[AppToken, str]:
    token = new_token()
    row = AppToken.objects.create(
        app=app, name=name[:100], token_hash=hash_token(token), last_4=token[-4:]
    )
    return row, token


def create_token(app: App, name: str = "") -> tuple[AppToken, str]:
    """A new token for ``app``; the clear token is returned once and only its hash is kept."""
    return _create_token(app, (name or "").strip())


def delete_token(token: AppToken) -> None:
    token.delete()


# -- webhooks --------------------------------------------------------------------------------


@dataclass
class WebhookInput:
    name: str | None = None
    target_url: str | None = None
    secret: str | None = None
    events: list[str] | None = None
    channels: list[str] | None = None
    custom_headers: Mapping[str, str] | None = None
    is_active: bool | None = None


def _clean_events(events: Iterable[str]) -> list[str]:
    events = list(dict.fromkeys(events))
    known = set(event_types())
    unknown = [e for e in events if e not in known]
    if unknown:
        raise DomainError(
            f"Unknown event(s): {', '.join(unknown)}.", code="INVALID", field="events"
        )
    if not events:
        raise DomainError("Choose at least one event.", code="REQUIRED", field="events")
    return events


def _clean_channels(slugs: Iterable[str]) -> list[str]:
    from core.models import Channel

    slugs = list(dict.fromkeys(slugs))
    found = set(Channel.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise NotFound(f"Unknown channel(s): {', '.join(unknown)}.", field="channels")
    return slugs


def _clean_headers(headers: Mapping[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, value in headers.items():
        lowered = str(name).lower()
        if (
            not _HEADER_NAME.match(str(name))
            or lowered in RESERVED_HEADERS
            or lowered.startswith("x-fashionistar-")
        ):
            raise DomainError(
                f"The header '{name}' cannot be set.", code="INVALID", field="customHeaders"
            )
        if not isinstance(value, str) or "\n" in value or "\r" in value or len(value) > 1000:
            raise DomainError(
                f"The value of header '{name}' is invalid.", code="INVALID", field="customHeaders"
            )
        cleaned[str(name)] = value
    return cleaned


def validate_webhook_input(data: WebhookInput) -> None:
    """Run every check of ``data`` without writing (dashboard forms)."""
    _apply(Webhook(name=""), data)


def _apply(webhook: Webhook, data: WebhookInput) -> str | None:
    """Validate and apply ``data``; returns a generated secret when one was created."""
    generated = None
    if data.name is not None:
        webhook.name = _clean_name(data.name)
    if data.target_url is not None:
        url = data.target_url.strip()
        if len(url) > 2000:
            raise DomainError("The URL is too long.", code="INVALID_URL", field="targetUrl")
        check_target(url)
        webhook.target_url = url
    if data.secret is not None:
        if len(data.secret) < 16:
            raise DomainError(
                "A secret needs at least 16 characters.", code="INVALID", field="secret"
            )
        webhook.secret = encrypt(data.secret)
    elif not webhook.secret:
        generated = secrets.token_urlsafe(32)
        webhook.secret = encrypt(generated)
    if data.events is not None:
        webhook.events = _clean_events(data.events)
    if data.channels is not None:
        webhook.channels = _clean_channels(data.channels)
    if data.custom_headers is not None:
        webhook.custom_headers = _clean_headers(data.custom_headers)
    if data.is_active is not None:
        webhook.is_active = data.is_active
        if data.is_active:
            webhook.failing_since = None
            webhook.disabled_reason = ""
    return generated


def create_webhook(app: App, data: WebhookInput) -> tuple[Webhook, str | None]:
    """Create a webhook. Returns (webhook, generated secret or None): shown once."""
    webhook = Webhook(app=app, name="")
    if data.name is None:
        raise DomainError("Enter a name.", code="REQUIRED", field="name")
    if data.target_url is None:
        raise DomainError("Enter a target URL.", code="REQUIRED", field="targetUrl")
    if data.events is None:
        raise DomainError("Choose at least one event.", code="REQUIRED", field="events")
    generated = _apply(webhook, data)
    with transaction.atomic():
        webhook.save()
        sync_activation()
    return webhook, generated


def update_webhook(webhook: Webhook, data: WebhookInput) -> Webhook:
    _apply(webhook, data)
    with transaction.atomic():
        webhook.save()
        sync_activation()
    return webhook


def delete_webhook(webhook: Webhook) -> None:
    with transaction.atomic():
        webhook.delete()
        sync_activation()


def sync_activation() -> None:
    """The plugin listens to events only while some active webhook exists.

    So a shop without webhooks writes no outbox rows for them (the kernel skips
    events nobody listens to), and switching the last webhook off stops the cost.
    """
    from core.plugins.services import update_plugin_configuration

    wanted = Webhook.objects.filter(is_active=True, app__is_active=True).exists()
    manager = get_manager()
    if PLUGIN_ID not in manager.loaded or manager.config(PLUGIN_ID).active == wanted:
        return
    update_plugin_configuration(PLUGIN_ID, None, active=wanted)
    manager.configs.reset()


# -- deliveries ----------------------------------------------------------------------------


def matches(webhook: Webhook, event_type: str, channel: str | None) -> bool:
    return event_type in webhook.events and (
        channel is None or not webhook.channels or channel in webhook.channels
    )


def fan_out(event: Event) -> list[int]:
    """One delivery per matching webhook (idempotent per event); sends start after commit.

    Runs in the worker from the kernel's event delivery: the request that caused
    the event never pays for payloads or HTTP. A constant number of statements
    whatever the number of webhooks: lock them (in pk order, so concurrent
    fan-outs cannot deadlock), skip those that already have this event (the
    kernel re-delivered it), number the rest, insert their deliveries at once.
    """
    from plugins.webhooks.tasks import enqueue_sends

    candidates = Webhook.objects.filter(is_active=True, app__is_active=True).only(
        "pk", "events", "channels"
    )
    ids = [w.pk for w in candidates if matches(w, event.type, event.channel)]
    if not ids:
        return []
    with transaction.atomic():
        sequences = dict(
            Webhook.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "sequence")
        )
        done = set(
            WebhookDelivery.objects.filter(event_id=event.id, webhook_id__in=ids).values_list(
                "webhook_id", flat=True
            )
        )
        todo = [pk for pk in sequences if pk not in done]
        if not todo:
            return []
        Webhook.objects.filter(pk__in=todo).update(sequence=F("sequence") + 1)
        body = payloads.envelope(
            event_id=event.id,
            event_type=event.type,
            occurred_at=event.occurred_at,
            channel=event.channel,
            data=event.payload,
            sequence=0,
        )
        now = timezone.now()
        rows = []
        for pk in todo:
            body["sequence"] = sequences[pk] + 1
            rows.append(
                WebhookDelivery(
                    webhook_id=pk,
                    event_id=event.id,
                    event_type=event.type,
                    channel_slug=event.channel,
                    occurred_at=event.occurred_at,
                    sequence=body["sequence"],
                    body=payloads.render(body),
                    next_attempt_at=now,
                )
            )
        created = [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: enqueue_sends(created))
    return created


def resend(delivery: WebhookDelivery) -> WebhookDelivery:
    """Staff re-send: the same body and event id, fresh attempts, due now."""
    if delivery.status == WebhookDelivery.Status.PENDING and delivery.locked_until:
        raise DomainError("This delivery is being sent right now.", code="INVALID", field="id")
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.locked_until = None
    delivery.next_attempt_at = timezone.now()
    delivery.last_error = ""
    with transaction.atomic():
        delivery.save()
        transaction.on_commit(lambda: _enqueue_one(delivery.pk))
    return delivery


def _enqueue_one(delivery_id: int) -> None:
    from plugins.webhooks.tasks import enqueue_sends

    enqueue_sends([delivery_id])


def dry_run(webhook: Webhook | None, event_type: str) -> dict[str, Any]:
    """The body ``event_type`` would send: from its latest recorded event, else the sample.

    Nothing is sent or written.
    """
    from core.models import OutboxEvent

    if event_type not in event_types():
        raise DomainError(f"Unknown event '{event_type}'.", code="INVALID", field="eventType")
    latest = OutboxEvent.objects.filter(event_type=event_type)
    if webhook is not None and webhook.channels:
        latest = latest.filter(channel_slug__in=webhook.channels)
    row = latest.order_by("-created_at").first()
    sequence = (webhook.sequence + 1) if webhook is not None else 1
    if row is None:
        return payloads.envelope(
            event_id="00000000-0000-0000-0000-000000000000",
            event_type=event_type,
            occurred_at=timezone.now(),
            channel=None,
            data=payloads.SAMPLES[event_type],
            sequence=sequence,
        )
    return payloads.envelope(
        event_id=row.id,
        event_type=event_type,
        occurred_at=row.created_at,
        channel=row.channel_slug,
        data=row.payload,
        sequence=sequence,
    )
