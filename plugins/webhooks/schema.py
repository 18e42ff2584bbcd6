"""GraphQL of apps and webhooks: staff with MANAGE_APPS only (added through start-up hooks).

Tokens and generated secrets appear exactly once, in the payload of the mutation
that created them; queries never return them.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from core.errors import DomainError, NotFound
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.graphql.types import BaseMutation
from core.permissions import Perm, require_perm
from plugins.webhooks import services
from plugins.webhooks.models import App, AppToken, Webhook, WebhookDelivery
from plugins.webhooks.payloads import render


def _pk(value: Any, field: str = "id") -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound("Not found.", field=field) from exc


def _get(model: Any, value: Any, field: str = "id") -> Any:
    row = model.objects.filter(pk=_pk(value, field)).first()
    if row is None:
        raise NotFound(f"No {model._meta.verbose_name} with this id.", field=field)
    return row


class AppTokenType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    last_4 = graphene.String(required=True, description="Last characters of the token.")
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "AppToken"


class WebhookType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    target_url = graphene.String(required=True)
    events = graphene.List(graphene.NonNull(graphene.String), required=True)
    channels = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Empty: every channel."
    )
    custom_headers = graphene.JSONString(required=True)
    is_active = graphene.Boolean(required=True)
    disabled_reason = graphene.String(required=True)
    failing_since = graphene.DateTime()
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "Webhook"


class AppType(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    permissions = graphene.List(graphene.NonNull(graphene.String), required=True)
    tokens = graphene.List(graphene.NonNull(AppTokenType), required=True)
    webhooks = graphene.List(graphene.NonNull(WebhookType), required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "App"

    @staticmethod
    def resolve_tokens(root: App, info: GraphQLResolveInfo) -> Any:
        return root.tokens.all()

    @staticmethod
    def resolve_webhooks(root: App, info: GraphQLResolveInfo) -> Any:
        return root.webhooks.all()


class AppConnection(CountableConnection):
    class Meta:
        node = AppType


class WebhookDeliveryStatusEnum(graphene.Enum):
    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class WebhookAttemptType(graphene.ObjectType):
    number = graphene.Int(required=True)
    status_code = graphene.Int(description="HTTP status; null on a network error.")
    duration_ms = graphene.Int(required=True)
    response_body = graphene.String(required=True, description="Truncated to 2,000 characters.")
    error = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "WebhookDeliveryAttempt"


class WebhookDeliveryType(graphene.ObjectType):
    id = graphene.ID(required=True)
    webhook_id = graphene.ID(required=True)
    event_id = graphene.ID(required=True)
    event_type = graphene.String(required=True)
    channel = graphene.String()
    occurred_at = graphene.DateTime(required=True)
    sequence = graphene.Int(required=True)
    status = graphene.Field(WebhookDeliveryStatusEnum, required=True)
    next_attempt_at = graphene.DateTime(required=True)
    last_error = graphene.String(required=True)
    payload = graphene.String(required=True, description="The exact JSON body sent.")
    attempts = graphene.List(graphene.NonNull(WebhookAttemptType), required=True)

    class Meta:
        name = "WebhookDelivery"

    @staticmethod
    def resolve_channel(root: WebhookDelivery, info: GraphQLResolveInfo) -> str | None:
        return root.channel_slug

    @staticmethod
    def resolve_status(root: WebhookDelivery, info: GraphQLResolveInfo) -> str:
        return WebhookDelivery.Status(root.status).value

    @staticmethod
    def resolve_payload(root: WebhookDelivery, info: GraphQLResolveInfo) -> str:
        return root.body

    @staticmethod
    def resolve_attempts(root: WebhookDelivery, info: GraphQLResolveInfo) -> Any:
        return root.tries.all()


class WebhookDeliveryConnection(CountableConnection):
    class Meta:
        node = WebhookDeliveryType


# -- mutations ---------------------------------------------------------------------------------


class AppInput(graphene.InputObjectType):
    name = graphene.String()
    permissions = graphene.List(
        graphene.NonNull(graphene.String), description="Permission names, e.g. MANAGE_PRODUCTS."
    )
    is_active = graphene.Boolean()

    class Meta:
        name = "AppInput"


class AppCreate(BaseMutation):
    app = graphene.Field(AppType)
    auth_token = graphene.String(description="Shown once: store it now.")
    permission = Perm.MANAGE_APPS

    class Arguments:
        input = AppInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        values = data["input"]
        app, token = services.create_app(
            info.context.user, values.get("name"), values.get("permissions") or []
        )
        return {"app": app, "auth_token": token}


class AppUpdate(BaseMutation):
    app = graphene.Field(AppType)
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)
        input = AppInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        values = data["input"]
        app = services.update_app(
            info.context.user,
            _get(App, data["id"]),
            name=values.get("name"),
            permissions=values.get("permissions"),
            is_active=values.get("is_active"),
        )
        return {"app": app}


class AppDelete(BaseMutation):
    deleted_id = graphene.ID()
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        app = _get(App, data["id"])
        pk = app.pk
        services.delete_app(app)
        return {"deleted_id": pk}


class AppTokenCreate(BaseMutation):
    app_token = graphene.Field(AppTokenType)
    auth_token = graphene.String(description="Shown once: store it now.")
    permission = Perm.MANAGE_APPS

    class Arguments:
        app_id = graphene.ID(required=True)
        name = graphene.String()

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        row, token = services.create_token(_get(App, data["app_id"], "appId"), data.get("name"))
        return {"app_token": row, "auth_token": token}


class AppTokenDelete(BaseMutation):
    deleted_id = graphene.ID()
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        token = _get(AppToken, data["id"])
        pk = token.pk
        services.delete_token(token)
        return {"deleted_id": pk}


class WebhookInput(graphene.InputObjectType):
    name = graphene.String()
    target_url = graphene.String()
    secret = graphene.String(description="16+ characters; omitted on create: one is generated.")
    events = graphene.List(graphene.NonNull(graphene.String))
    channels = graphene.List(graphene.NonNull(graphene.String))
    custom_headers = graphene.JSONString()
    is_active = graphene.Boolean()

    class Meta:
        name = "WebhookInput"


def _webhook_input(values: dict) -> services.WebhookInput:
    headers = values.get("custom_headers")
    if headers is not None and not isinstance(headers, dict):
        raise DomainError("Headers are a JSON object.", code="INVALID", field="customHeaders")
    return services.WebhookInput(
        name=values.get("name"),
        target_url=values.get("target_url"),
        secret=values.get("secret"),
        events=values.get("events"),
        channels=values.get("channels"),
        custom_headers=headers,
        is_active=values.get("is_active"),
    )


class WebhookCreate(BaseMutation):
    webhook = graphene.Field(WebhookType)
    secret = graphene.String(description="The generated secret when none was given; shown once.")
    permission = Perm.MANAGE_APPS

    class Arguments:
        app_id = graphene.ID(required=True)
        input = WebhookInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        app = _get(App, data["app_id"], "appId")
        webhook, secret = services.create_webhook(app, _webhook_input(data["input"]))
        return {"webhook": webhook, "secret": secret}


class WebhookUpdate(BaseMutation):
    webhook = graphene.Field(WebhookType)
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)
        input = WebhookInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        webhook = _get(Webhook, data["id"])
        return {"webhook": services.update_webhook(webhook, _webhook_input(data["input"]))}


class WebhookDelete(BaseMutation):
    deleted_id = graphene.ID()
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        webhook = _get(Webhook, data["id"])
        pk = webhook.pk
        services.delete_webhook(webhook)
        return {"deleted_id": pk}


class WebhookDryRun(BaseMutation):
    payload = graphene.String(description="The JSON body the event would send (not sent).")
    permission = Perm.MANAGE_APPS

    class Arguments:
        event_type = graphene.String(required=True)
        webhook_id = graphene.ID()

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        webhook = None
        if data.get("webhook_id") is not None:
            webhook = _get(Webhook, data["webhook_id"], "webhookId")
        return {"payload": render(services.dry_run(webhook, data["event_type"]))}


class WebhookDeliveryResend(BaseMutation):
    delivery = graphene.Field(WebhookDeliveryType)
    permission = Perm.MANAGE_APPS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        return {"delivery": services.resend(_get(WebhookDelivery, data["id"]))}


# -- queries ----------------------------------------------------------------------------------


def resolve_apps(root: Any, info: GraphQLResolveInfo, **page: Any) -> Any:
    require_perm(info.context.user, Perm.MANAGE_APPS)
    return paginate(App.objects.all(), AppConnection, Ordering(("pk",)), **page)


def resolve_app(root: Any, info: GraphQLResolveInfo, id: str) -> App | None:
    require_perm(info.context.user, Perm.MANAGE_APPS)
    try:
        return App.objects.filter(pk=int(id)).first()
    except ValueError:
        return None


def resolve_webhook_deliveries(
    root: Any,
    info: GraphQLResolveInfo,
    webhook_id: str | None = None,
    status: Any = None,
    **page: Any,
) -> Any:
    require_perm(info.context.user, Perm.MANAGE_APPS)
    queryset = WebhookDelivery.objects.all()
    if webhook_id is not None:
        queryset = queryset.filter(webhook_id=_pk(webhook_id, "webhookId"))
    if status is not None:
        queryset = queryset.filter(status=getattr(status, "value", status))
    return paginate(queryset, WebhookDeliveryConnection, Ordering(("-pk",)), **page)


def resolve_webhook_event_types(root: Any, info: GraphQLResolveInfo) -> list[str]:
    require_perm(info.context.user, Perm.MANAGE_APPS)
    return services.event_types()


def query_fields() -> dict[str, graphene.Field]:
    """What the plugin's ``graphql_query_fields`` hook returns."""
    return {
        "apps": graphene.Field(
            AppConnection,
            resolver=resolve_apps,
            description="Staff only (MANAGE_APPS).",
            **connection_args(),
        ),
        "app": graphene.Field(
            AppType,
            id=graphene.ID(required=True),
            resolver=resolve_app,
            description="Staff only (MANAGE_APPS).",
        ),
        "webhook_deliveries": graphene.Field(
            WebhookDeliveryConnection,
            webhook_id=graphene.ID(),
            status=WebhookDeliveryStatusEnum(),
            resolver=resolve_webhook_deliveries,
            description="Staff only (MANAGE_APPS). Newest first.",
            **connection_args(),
        ),
        "webhook_event_types": graphene.List(
            graphene.NonNull(graphene.String),
            required=True,
            resolver=resolve_webhook_event_types,
            description="Events a webhook may subscribe to. Staff only (MANAGE_APPS).",
        ),
    }


def mutation_fields() -> dict[str, graphene.Field]:
    """What the plugin's ``graphql_mutation_fields`` hook returns."""
    return {
        "app_create": AppCreate.Field(),
        "app_update": AppUpdate.Field(),
        "app_delete": AppDelete.Field(),
        "app_token_create": AppTokenCreate.Field(),
        "app_token_delete": AppTokenDelete.Field(),
        "webhook_create": WebhookCreate.Field(),
        "webhook_update": WebhookUpdate.Field(),
        "webhook_delete": WebhookDelete.Field(),
        "webhook_dry_run": WebhookDryRun.Field(),
        "webhook_delivery_resend": WebhookDeliveryResend.Field(),
    }
