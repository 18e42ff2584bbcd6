"""Staff GraphQL for the outbox: deliveries (dead letters), re-queue, health figures."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from core.events.delivery import requeue
from core.events.stats import outbox_stats
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.graphql.types import BaseMutation
from core.permissions import Perm, require_perm

DeliveryStatusEnum = graphene.Enum(
    "EventDeliveryStatusEnum",
    [("PENDING", "pending"), ("DELIVERED", "delivered"), ("DEAD", "dead"), ("SKIPPED", "skipped")],
)


class OutboxEventType(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.String(required=True)
    channel = graphene.String()
    payload = GenericScalar(required=True)
    request_id = graphene.String()
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "OutboxEvent"

    @staticmethod
    def resolve_type(root: Any, info: Any) -> str:
        return root.event_type

    @staticmethod
    def resolve_channel(root: Any, info: Any) -> str | None:
        return root.channel_slug


class EventDeliveryType(graphene.ObjectType):
    id = graphene.ID(required=True)
    plugin_id = graphene.String(required=True)
    status = graphene.Field(DeliveryStatusEnum, required=True)
    attempts = graphene.Int(required=True)
    next_attempt_at = graphene.DateTime(required=True)
    last_error = graphene.String(required=True)
    delivered_at = graphene.DateTime()
    event = graphene.Field(OutboxEventType, required=True)

    class Meta:
        name = "EventDelivery"


class EventDeliveryConnection(CountableConnection):
    class Meta:
        node = EventDeliveryType


class EventDeliveryFilterInput(graphene.InputObjectType):
    status = graphene.Field(DeliveryStatusEnum)
    plugin_id = graphene.String()
    event_type = graphene.String()


class OutboxStatsType(graphene.ObjectType):
    pending = graphene.Int(required=True)
    dead = graphene.Int(required=True)
    delivered_last_hour = graphene.Int(required=True)
    failed_attempts_pending = graphene.Int(required=True)
    oldest_pending_seconds = graphene.Float()
    average_lag_seconds_last_hour = graphene.Float()

    class Meta:
        name = "OutboxStats"


class EventDeliveryRequeue(BaseMutation):
    requeued = graphene.Int(description="How many deliveries were re-queued.")

    permission = Perm.MANAGE_PLUGINS

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        from core.errors import DomainError
        from core.events.outbox import enqueue_delivery
        from core.models import EventDelivery

        try:
            ids = [int(value) for value in data["ids"]]
        except ValueError as exc:
            raise DomainError("Delivery ids are integers.", code="INVALID", field="ids") from exc
        count = requeue(ids)
        for event_id in set(
            EventDelivery.objects.filter(pk__in=ids).values_list("event_id", flat=True)
        ):
            enqueue_delivery(event_id)
        return {"requeued": count}


class Query(graphene.ObjectType):
    event_deliveries = graphene.Field(
        EventDeliveryConnection,
        filter=EventDeliveryFilterInput(),
        description="Staff only (MANAGE_PLUGINS). Newest first.",
        **connection_args(),
    )
    outbox_stats = graphene.Field(OutboxStatsType, required=True, description="Staff only.")

    @staticmethod
    def resolve_event_deliveries(root: Any, info: Any, filter: dict | None = None, **page: Any):
        from core.models import EventDelivery

        require_perm(info.context.user, Perm.MANAGE_PLUGINS)
        qs = EventDelivery.objects.select_related("event")
        filter = filter or {}
        if filter.get("status"):
            qs = qs.filter(status=filter["status"].value)
        if filter.get("plugin_id"):
            qs = qs.filter(plugin_id=filter["plugin_id"])
        if filter.get("event_type"):
            qs = qs.filter(event__event_type=filter["event_type"])
        return paginate(qs, EventDeliveryConnection, Ordering(("-updated_at",)), **page)

    @staticmethod
    def resolve_outbox_stats(root: Any, info: Any) -> Any:
        require_perm(info.context.user, Perm.MANAGE_PLUGINS)
        return outbox_stats()


class Mutation(graphene.ObjectType):
    event_delivery_requeue = EventDeliveryRequeue.Field()
