"""Relay connections over querysets with keyset (cursor) pagination.

Cursors encode the values of the ordering fields of the last row seen (plus
the primary key as a tie-breaker), so a page costs one query whatever its
depth in the list, and rows inserted meanwhile do not shift pages.
``totalCount`` runs a COUNT only when a client asks for it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import graphene
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet

from core.errors import DomainError


class InvalidPagination(DomainError):
    default_code = "INVALID_PAGINATION"


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(description="Number of items in the whole list.")

    @staticmethod
    def resolve_total_count(root: Any, info: Any) -> int:
        return root.count_all()


def connection_args() -> dict[str, Any]:
    return {
        "first": graphene.Int(description="Up to 100 items from the start."),
        "last": graphene.Int(description="Up to 100 items from the end."),
        "after": graphene.String(),
        "before": graphene.String(),
    }


@dataclass(frozen=True)
class Ordering:
    """Fields to order by, e.g. ``("-created_at",)``; ``pk`` is appended as tie-breaker."""

    fields: tuple[str, ...]

    @property
    def full(self) -> tuple[str, ...]:
        names = {f.lstrip("-") for f in self.fields}
        return self.fields if "pk" in names or "id" in names else (*self.fields, "pk")

    def reversed(self) -> tuple[str, ...]:
        return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in self.full)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise InvalidPagination("The cursor is not valid.", field="after") from exc
    if not isinstance(values, list) or len(values) != size:
        raise InvalidPagination("The cursor does not belong to this list.", field="after")
    return values


def _after_filter(fields: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order ``fields`` (keyset comparison)."""
    condition = Q()
    equal = Q()
    for field, value in zip(fields, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def _row_key(row: Any, fields: tuple[str, ...]) -> list[Any]:
    values = []
    for field in fields:
        value = row
        for part in field.lstrip("-").split("__"):
            value = getattr(value, part)
        values.append(value)
    return values


def paginate(
    queryset: QuerySet,
    connection: type[CountableConnection],
    ordering: Ordering,
    *,
    first: int | None = None,
    last: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> CountableConnection:
    cap = settings.GRAPHQL_PAGE_MAX
    if first is not None and last is not None:
        raise InvalidPagination("Use either 'first' or 'last', not both.", field="first")
    if first is None and last is None:
        first = cap
    size = first if first is not None else last
    if size is None or size < 0 or size > cap:
        raise InvalidPagination(
            f"'{'first' if first is not None else 'last'}' must be between 0 and {cap}.",
            field="first" if first is not None else "last",
        )
    fields = ordering.full
    filtered = queryset
    if after:
        filtered = filtered.filter(_after_filter(fields, decode_cursor(after, len(fields))))
    if before:
        filtered = filtered.filter(
            _after_filter(ordering.reversed(), decode_cursor(before, len(fields)))
        )
    if first is not None:
        rows = list(filtered.order_by(*fields)[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        has_next, has_previous = has_more, bool(after)
    else:
        rows = list(filtered.order_by(*ordering.reversed())[: size + 1])
        has_more = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_next, has_previous = bool(before), has_more
    cursors = [encode_cursor(_row_key(row, fields)) for row in rows]
    result = connection(
        edges=[
            connection.Edge(node=row, cursor=cursor)
            for row, cursor in zip(rows, cursors, strict=True)
        ],
        page_info=graphene.relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
    )
    result.count_all = queryset.count
    return result
