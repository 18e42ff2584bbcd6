"""Helpers for the catalog's GraphQL layer: ids, channels, visibility, languages."""

from __future__ import annotations

import binascii
from typing import Any

import graphene
from django.conf import global_settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from graphql_relay import from_global_id

from core.errors import DomainError, NotFound
from core.models import Channel
from core.permissions import Perm
from product.models import Product
from product.schema.loaders import loaders


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def decode_id(value: str, expected: str | tuple[str, ...], field: str) -> int:
    """A Relay global id of one of the ``expected`` types -> primary key (typed errors)."""
    expected = (expected,) if isinstance(expected, str) else expected
    try:
        type_name, pk = from_global_id(value)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name, pk = "", ""
    if type_name not in expected or not str(pk).isdigit():
        raise DomainError(
            f"{value!r} is not a valid {' or '.join(expected)} id.",
            code="GRAPHQL_ERROR",
            field=field,
        )
    return int(pk)


def decode_ids(values: list[str] | None, expected: str, field: str) -> list[int]:
    return [decode_id(v, expected, field) for v in values or ()]


def is_staff_for_products(info: Any) -> bool:
    return loaders(info).can(Perm.MANAGE_PRODUCTS)


def resolve_channel(info: Any, slug: str | None) -> Channel | None:
    """The channel a storefront query runs in.

    Unknown slug: NOT_FOUND. Inactive channel: NOT_FOUND for customers. No slug:
    the only active channel if there is exactly one, nothing for staff, otherwise
    an error asking for one.
    """
    staff = is_staff_for_products(info)
    if slug is None:
        active = list(Channel.objects.filter(is_active=True)[:2])
        if len(active) == 1:
            return active[0]
        if staff:
            return None
        raise DomainError(
            "Several channels exist: pass the 'channel' argument.",
            code="MISSING_CHANNEL_SLUG",
            field="channel",
        )
    channel = loaders(info).channel(slug)
    if channel is None or (not channel.is_active and not staff):
        raise NotFound(f"Channel with slug {slug!r} does not exist.", field="channel")
    return channel


def product_queryset(
    info: Any, channel: Channel | None, *, in_listings: bool = True
) -> QuerySet[Product]:
    """Products a requester may see in ``channel``.

    Customers see products published in the channel (and, in lists, visible in
    listings); staff with MANAGE_PRODUCTS see every product, listed or not. The
    listing itself is batch-loaded when a field needs it (``loaders.listings``):
    keeping this query to one plain join makes it cheap to build and to run.
    """
    # The search columns are large and never shown.
    qs = Product.objects.defer("search_document", "search_vector")
    if is_staff_for_products(info):
        return qs
    if channel is None:
        return qs.none()
    condition = Q(channel_listings__channel_id=channel.pk, channel_listings__is_published=True) & (
        Q(channel_listings__published_at__isnull=True)
        | Q(channel_listings__published_at__lte=timezone.now())
    )
    if in_listings:
        condition &= Q(channel_listings__visible_in_listings=True)
    return qs.filter(condition)


def listing_of(info: Any, product: Product) -> Any:
    """The product's listing in the channel it was fetched in (None if unlisted or no channel)."""
    channel = channel_of(product)
    if channel is None:
        return None
    return loaders(info).listings(channel).get(product.pk) or None


def in_channel(objects: list[Any], channel: Channel | None) -> list[Any]:
    for obj in objects:
        obj._channel = channel
    return objects


def channel_of(obj: Any) -> Channel | None:
    return getattr(obj, "_channel", None)


def _enum_name(code: str) -> str:
    return code.replace("-", "_").upper()


LANGUAGES: dict[str, str] = {_enum_name(code): code for code, _ in global_settings.LANGUAGES} | {
    "EN_US": "en-us",
    "EN_GB": "en-gb",
    "PT_PT": "pt-pt",
    "FR_FR": "fr-fr",
}
LANGUAGE_NAMES = dict(global_settings.LANGUAGES)

LanguageCodeEnum = graphene.Enum("LanguageCodeEnum", sorted((name, name) for name in LANGUAGES))


def language_code(value: Any) -> str:
    """Enum value (``PT_BR``) -> stored code (``pt-BR``), as the translation service keeps it."""
    from product.services.translations import normalise_language

    name = getattr(value, "value", value)
    return normalise_language(LANGUAGES.get(str(name), str(name)))


class LanguageDisplay(graphene.ObjectType):
    code = graphene.Field(LanguageCodeEnum, required=True)
    language = graphene.String(required=True)

    @staticmethod
    def for_code(code: str) -> LanguageDisplay:
        name = _enum_name(code)
        return LanguageDisplay(code=name, language=LANGUAGE_NAMES.get(code.lower(), code))


def first_page(
    connection: type,
    rows: list[Any],
    fields: tuple[str, ...],
    first: int | None,
) -> Any:
    """The first page of an already loaded list, shaped and cursored like ``paginate``'s.

    Used for nested lists loaded for many parents at once (a category's children,
    an attribute's choices); later pages (``after``/``before``) go through ``paginate``.
    """
    from django.conf import settings

    from core.graphql.pagination import InvalidPagination, encode_cursor

    cap = settings.GRAPHQL_PAGE_MAX
    size = cap if first is None else first
    if size < 0 or size > cap:
        raise InvalidPagination(f"'first' must be between 0 and {cap}.", field="first")
    page = rows[:size]
    cursors = [encode_cursor([getattr(row, f) for f in fields]) for row in page]
    result = connection(
        edges=[connection.Edge(node=row, cursor=c) for row, c in zip(page, cursors, strict=True)],
        page_info=graphene.relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=False,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
    )
    total = len(rows)
    result.count_all = lambda: total
    return result
