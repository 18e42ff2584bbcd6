"""Staff GraphQL for the audit log: ``auditEvents`` (read-only; there is no write path)."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from account.models import AuditEvent
from account.schema.types import User, decode_id, gid
from core.errors import DomainError
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.permissions import Perm, require_perm

AuditActionEnum = graphene.Enum(
    "AuditActionEnum",
    [
        ("CREATE", AuditEvent.Action.CREATE),
        ("UPDATE", AuditEvent.Action.UPDATE),
        ("DELETE", AuditEvent.Action.DELETE),
        ("ACCESS", AuditEvent.Action.ACCESS),
    ],
)


class AuditEventType(graphene.ObjectType):
    id = graphene.ID(required=True)
    actor = graphene.Field(User, description="Null when the actor's account was deleted since.")
    actor_email = graphene.String(description="Email (or phone) of the actor when they acted.")
    action = graphene.Field(AuditActionEnum, required=True)
    object_type = graphene.String(required=True, description="app_label.model, e.g. account.user")
    object_id = graphene.String(required=True)
    object_repr = graphene.String(required=True)
    changes = GenericScalar(description="{field: [old, new]}; secrets are masked.")
    ip_address = graphene.String()
    user_agent = graphene.String(required=True)
    request_id = graphene.String()
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "AuditEvent"

    @staticmethod
    def resolve_id(root: AuditEvent, info: Any) -> str:
        return gid("AuditEvent", root.pk)

    @staticmethod
    def resolve_object_type(root: AuditEvent, info: Any) -> str:
        return f"{root.content_type.app_label}.{root.content_type.model}"

    @staticmethod
    def resolve_object_id(root: AuditEvent, info: Any) -> str:
        return root.object_pk

    @staticmethod
    def resolve_ip_address(root: AuditEvent, info: Any) -> str | None:
        return root.remote_addr

    @staticmethod
    def resolve_request_id(root: AuditEvent, info: Any) -> str | None:
        return root.cid

    @staticmethod
    def resolve_created_at(root: AuditEvent, info: Any) -> Any:
        return root.timestamp


class AuditEventCountableConnection(CountableConnection):
    class Meta:
        node = AuditEventType


class AuditObjectInput(graphene.InputObjectType):
    type = graphene.String(required=True, description="app_label.model, e.g. product.product")
    id = graphene.String(description="The object's primary key.")


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime()
    lte = graphene.DateTime()


class AuditEventFilterInput(graphene.InputObjectType):
    actor = graphene.ID(description="A User id.")
    object = AuditObjectInput()
    action = AuditActionEnum()
    date_range = DateTimeRangeInput()


def filtered(value: Any) -> Any:
    events = AuditEvent.objects.select_related("content_type", "actor")
    if not value:
        return events
    if value.get("actor"):
        events = events.filter(actor_id=decode_id(value["actor"], "User", "actor"))
    target = value.get("object")
    if target:
        app_label, _, model = str(target.get("type", "")).lower().partition(".")
        if not app_label or not model:
            raise DomainError(
                "Use app_label.model, e.g. product.product.", code="INVALID", field="object"
            )
        events = events.filter(content_type__app_label=app_label, content_type__model=model)
        if target.get("id"):
            events = events.filter(object_pk=str(target["id"]))
    if value.get("action") is not None:
        action = value["action"]
        events = events.filter(action=getattr(action, "value", action))
    dates = value.get("date_range") or {}
    if dates.get("gte"):
        events = events.filter(timestamp__gte=dates["gte"])
    if dates.get("lte"):
        events = events.filter(timestamp__lte=dates["lte"])
    return events


class Query(graphene.ObjectType):
    audit_events = graphene.Field(
        AuditEventCountableConnection,
        filter=AuditEventFilterInput(),
        **connection_args(),
        description="Staff writes, newest first. Needs VIEW_AUDIT_LOG.",
    )

    @staticmethod
    def resolve_audit_events(root: Any, info: Any, filter: Any = None, **page: Any) -> Any:
        require_perm(info.context.user, Perm.VIEW_AUDIT_LOG)
        return paginate(
            filtered(filter), AuditEventCountableConnection, Ordering(("-timestamp",)), **page
        )
