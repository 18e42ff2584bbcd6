"""The root schema: domain schemas plus what plugins contribute, built once per process."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

import graphene
from django.core.exceptions import ImproperlyConfigured
from graphene.types.unmountedtype import UnmountedType
from graphene.utils.str_converters import to_snake_case

DOMAIN_SCHEMAS = (
    "core.schema",
    "account.schema",
    "product.schema",
    "warehouse.schema",
    "checkout.schema",
    "order.schema",
    "payment.schema",
)

_type_registry: dict[str, type[graphene.ObjectType]] = {}
_applied_extensions: list[tuple[type[graphene.ObjectType], str]] = []


def registered_type(name: str) -> Any:
    """A lazy reference to a type another domain registered with ``@extendable``.

    Domains may not import each other's schema modules; a field typed
    ``registered_type("ProductVariant")`` is resolved when the schema is built.
    """
    return lambda: _type_registry[name]


def get_registered_type(name: str) -> type[graphene.ObjectType]:
    """The registered type itself (after the domain schemas are imported)."""
    return _type_registry[name]


def extendable(cls: type[graphene.ObjectType]) -> type[graphene.ObjectType]:
    """Mark a core type as one plugins may add fields to (``graphql_type_fields``)."""
    _type_registry[cls._meta.name] = cls
    return cls


def _domain_parts(attribute: str, *, keep_missing: bool = False) -> list[Any]:
    """``attribute`` of each domain schema module that has it (or None for each that
    has not, with ``keep_missing``)."""
    parts = []
    for path in DOMAIN_SCHEMAS:
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
            module = None
        part = getattr(module, attribute, None)
        if part is not None or keep_missing:
            parts.append(part)
    return parts


def _plugin_fields(manager: Any, hook: str, parts: list[type]) -> dict[str, Any]:
    """Root fields from plugins; neither the core's fields nor another plugin's may be replaced."""
    taken = {to_snake_case(name) for part in parts for name in part._meta.fields}
    fields: dict[str, Any] = {}
    for plugin_id, contributed in manager.startup(hook):
        for name, field in contributed.items():
            key = to_snake_case(name)
            if key in fields or key in taken:
                raise ImproperlyConfigured(f"plugin {plugin_id} redefines GraphQL field {name!r}")
            fields[key] = field
    return fields


def _add_type_fields(owner: str, contributed: dict[str, dict[str, Any]]) -> None:
    for type_name, fields in contributed.items():
        target = _type_registry.get(type_name)
        if target is None:
            raise ImproperlyConfigured(
                f"{owner} extends {type_name!r}, which is not an extendable type"
            )
        for name, field in fields.items():
            key = to_snake_case(name)
            if key in target._meta.fields:
                raise ImproperlyConfigured(f"{owner} adds {type_name}.{name}, which already exists")
            if isinstance(field, UnmountedType):
                field = field.mount_as(graphene.Field)
            target._meta.fields[key] = field
            _applied_extensions.append((target, key))


def _extend_types(manager: Any) -> None:
    """Fields added to extendable types: by domains first, then by plugins.

    A domain schema module may export ``TYPE_FIELDS`` (same shape as the
    ``graphql_type_fields`` hook) to add a field to another domain's type without
    importing that domain's schema, e.g. ``User.orders`` from the order domain.
    """
    for path, contributed in zip(
        DOMAIN_SCHEMAS, _domain_parts("TYPE_FIELDS", keep_missing=True), strict=True
    ):
        if contributed:
            _add_type_fields(f"domain {path}", contributed)
    for plugin_id, contributed in manager.startup("graphql_type_fields"):
        _add_type_fields(f"plugin {plugin_id}", contributed)


def _root(name: str, parts: list[type], extra: dict[str, Any]) -> type | None:
    if not parts and not extra:
        return None
    return type(name, (*parts, graphene.ObjectType), dict(extra))


@cache
def get_schema() -> graphene.Schema:
    from core.plugins.manager import get_manager

    manager = get_manager()
    query_parts = _domain_parts("Query")
    mutation_parts = _domain_parts("Mutation")
    _extend_types(manager)
    query = _root(
        "Query", query_parts, _plugin_fields(manager, "graphql_query_fields", query_parts)
    )
    mutation = _root(
        "Mutation",
        mutation_parts,
        _plugin_fields(manager, "graphql_mutation_fields", mutation_parts),
    )
    return graphene.Schema(query=query, mutation=mutation, auto_camelcase=True)


def reset_schema() -> None:
    """Forget the built schema and plugin type extensions (tests, plugin reloads)."""
    from core.graphql import view

    get_schema.cache_clear()
    while _applied_extensions:
        target, key = _applied_extensions.pop()
        target._meta.fields.pop(key, None)
    view._document_cache = None


def __getattr__(name: str) -> Any:
    if name == "schema":
        return get_schema()
    raise AttributeError(name)
