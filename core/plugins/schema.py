"""Staff GraphQL for plugins: ``plugins``, ``plugin(id)``, ``pluginUpdate`` (Saleor's shape)."""

from __future__ import annotations

from typing import Any

import graphene

from core.errors import NotFound
from core.graphql.types import BaseMutation
from core.permissions import Perm, require_perm
from core.plugins.base import BasePlugin, FieldType
from core.plugins.config import ConfigStore
from core.plugins.crypto import mask
from core.plugins.manager import LoadedPlugin, get_manager
from core.plugins.services import update_plugin_configuration

ConfigurationTypeFieldEnum = graphene.Enum.from_enum(FieldType, name="ConfigurationTypeFieldEnum")


def stored_configs(info: Any) -> ConfigStore:
    """Staff see what is stored now: a per-request snapshot read from the database,
    not the hook-call cache (which follows changes after commit)."""
    store = getattr(info.context, "_stored_plugin_configs", None)
    if store is None:
        store = ConfigStore({pid: lp.plugin for pid, lp in get_manager().loaded.items()})
        info.context._stored_plugin_configs = store
    return store


class ConfigurationItem(graphene.ObjectType):
    name = graphene.String(required=True)
    value = graphene.String(description="Secrets are masked: only their last characters show.")
    type = graphene.Field(ConfigurationTypeFieldEnum, required=True)
    label = graphene.String()
    help_text = graphene.String()
    is_secret = graphene.Boolean(required=True)


def _display(field_type: FieldType, value: Any) -> str | None:
    if value is None:
        return None
    if field_type is FieldType.BOOLEAN:
        return "true" if value else "false"
    if field_type is FieldType.STRING_LIST:
        return ",".join(value)
    return str(value)


def configuration_items(plugin: BasePlugin, values: dict[str, Any]) -> list[ConfigurationItem]:
    return [
        ConfigurationItem(
            name=spec.name,
            value=mask(values.get(spec.name))
            if spec.secret
            else _display(spec.type, values.get(spec.name)),
            type=spec.type,
            label=spec.label or spec.name,
            help_text=spec.help_text,
            is_secret=spec.secret,
        )
        for spec in plugin.config_fields
    ]


class PluginConfigurationType(graphene.ObjectType):
    active = graphene.Boolean(required=True)
    channel = graphene.String(description="Channel slug; null for the global configuration.")
    configuration = graphene.List(graphene.NonNull(ConfigurationItem), required=True)

    class Meta:
        name = "PluginConfiguration"


class Plugin(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    version = graphene.String(required=True)
    source = graphene.String(required=True, description="builtin or entry_point")
    per_channel = graphene.Boolean(required=True)
    hooks = graphene.List(graphene.NonNull(graphene.String), required=True)
    global_configuration = graphene.Field(PluginConfigurationType, required=True)
    channel_configurations = graphene.List(graphene.NonNull(PluginConfigurationType), required=True)

    @staticmethod
    def resolve_id(root: LoadedPlugin, info: Any) -> str:
        return root.plugin.id

    @staticmethod
    def resolve_name(root: LoadedPlugin, info: Any) -> str:
        return root.plugin.name

    @staticmethod
    def resolve_description(root: LoadedPlugin, info: Any) -> str:
        return root.plugin.description

    @staticmethod
    def resolve_version(root: LoadedPlugin, info: Any) -> str:
        return root.source.version or root.plugin.version

    @staticmethod
    def resolve_source(root: LoadedPlugin, info: Any) -> str:
        return root.source.origin

    @staticmethod
    def resolve_per_channel(root: LoadedPlugin, info: Any) -> bool:
        return root.plugin.per_channel

    @staticmethod
    def resolve_hooks(root: LoadedPlugin, info: Any) -> list[str]:
        return get_manager().implemented_hooks(root.plugin.id)

    @staticmethod
    def resolve_global_configuration(root: LoadedPlugin, info: Any) -> PluginConfigurationType:
        config = stored_configs(info).get(root.plugin.id, None)
        return PluginConfigurationType(
            active=config.active,
            channel=None,
            configuration=configuration_items(root.plugin, dict(config.values)),
        )

    @staticmethod
    def resolve_channel_configurations(
        root: LoadedPlugin, info: Any
    ) -> list[PluginConfigurationType]:
        from core.models import Channel

        if not root.plugin.per_channel:
            return []
        store = stored_configs(info)
        result = []
        for slug in Channel.objects.order_by("slug").values_list("slug", flat=True):
            config = store.get(root.plugin.id, slug)
            result.append(
                PluginConfigurationType(
                    active=config.active,
                    channel=slug,
                    configuration=configuration_items(root.plugin, dict(config.values)),
                )
            )
        return result


class ConfigurationItemInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    value = graphene.String(
        description="A blank or omitted secret keeps the stored one; null clears it."
    )


class PluginUpdateInput(graphene.InputObjectType):
    active = graphene.Boolean()
    configuration = graphene.List(graphene.NonNull(ConfigurationItemInput))


class PluginUpdate(BaseMutation):
    plugin = graphene.Field(Plugin)

    permission = Perm.MANAGE_PLUGINS

    class Arguments:
        id = graphene.ID(required=True)
        channel = graphene.String(description="Channel slug; omit for the global configuration.")
        input = graphene.Argument(PluginUpdateInput, required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        payload = data["input"]
        # An omitted value keeps what is stored; an explicit null clears it (secrets too).
        values = {
            item["name"]: item.get("value", "") for item in payload.get("configuration") or []
        }
        update_plugin_configuration(
            data["id"], data.get("channel"), active=payload.get("active"), values=values
        )
        info.context._stored_plugin_configs = None
        return {"plugin": get_manager().loaded[data["id"]]}


class Query(graphene.ObjectType):
    plugins = graphene.List(graphene.NonNull(Plugin), required=True, description="Staff only.")
    plugin = graphene.Field(Plugin, id=graphene.ID(required=True), description="Staff only.")

    @staticmethod
    def resolve_plugins(root: Any, info: Any) -> list[LoadedPlugin]:
        require_perm(info.context.user, Perm.MANAGE_PLUGINS)
        return sorted(get_manager().loaded.values(), key=lambda p: p.plugin.id)

    @staticmethod
    def resolve_plugin(root: Any, info: Any, id: str) -> LoadedPlugin:
        require_perm(info.context.user, Perm.MANAGE_PLUGINS)
        loaded = get_manager().loaded.get(id)
        if loaded is None:
            raise NotFound(f"No plugin with id '{id}'.")
        return loaded


class Mutation(graphene.ObjectType):
    plugin_update = PluginUpdate.Field()
