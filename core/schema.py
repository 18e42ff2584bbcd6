"""Core GraphQL: channels, plugins, the event outbox."""

from __future__ import annotations

from typing import Any

import graphene

from core.events.schema import Mutation as OutboxMutation
from core.events.schema import Query as OutboxQuery
from core.graphql.schema import extendable
from core.permissions import Perm, has_perm, require_staff
from core.plugins.schema import Mutation as PluginMutation
from core.plugins.schema import Query as PluginQuery


class CountryDisplay(graphene.ObjectType):
    code = graphene.String(required=True)
    country = graphene.String(required=True)


@extendable
class Channel(graphene.ObjectType):
    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    is_active = graphene.Boolean(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return graphene.relay.Node.to_global_id("Channel", root.pk)

    @staticmethod
    def resolve_default_country(root: Any, info: Any) -> CountryDisplay:
        return CountryDisplay(code=root.default_country.code, country=root.default_country.name)


class Query(PluginQuery, OutboxQuery, graphene.ObjectType):
    channel = graphene.Field(
        Channel,
        slug=graphene.String(required=True),
        description="A channel by slug. Inactive channels are visible to staff only.",
    )
    channels = graphene.List(
        graphene.NonNull(Channel), required=True, description="All channels. Staff only."
    )

    @staticmethod
    def resolve_channel(root: Any, info: Any, slug: str) -> Any:
        from core.models import Channel as ChannelModel

        channel = ChannelModel.objects.filter(slug=slug).first()
        if channel is None:
            return None
        if not channel.is_active and not has_perm(info.context.user, Perm.MANAGE_CHANNELS):
            return None
        return channel

    @staticmethod
    def resolve_channels(root: Any, info: Any) -> Any:
        from core.models import Channel as ChannelModel

        require_staff(info.context.user)
        return ChannelModel.objects.all()


class Mutation(PluginMutation, OutboxMutation, graphene.ObjectType):
    pass
