"""Helpers shared by the catalog services: lookups, slugs, money checks, payloads."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify

from core.errors import DomainError, NotFound
from core.models import Channel
from core.money import validate_amount_precision

#: Who performs a write: an ``account.User``, or None for the system (demo data, tasks).
Actor = Any

M = TypeVar("M", bound=models.Model)


def get_instance(model: type[M], value: M | int | str | None, field: str) -> M:
    """Accept a model instance or its primary key; raise NotFound naming ``field``."""
    if isinstance(value, model):
        return value
    obj = None
    if value is not None and str(value).isdigit():
        obj = model._default_manager.filter(pk=int(value)).first()
    if obj is None:
        raise NotFound(f"{model.__name__} {value!r} does not exist.", field=field)
    return obj


def get_channel(value: Channel | str | int, field: str = "channel") -> Channel:
    """A channel by instance, slug or primary key (unknown: NOT_FOUND on ``field``)."""
    if isinstance(value, Channel):
        return value
    query = Channel.objects.filter(slug=str(value))
    if isinstance(value, int):
        query = Channel.objects.filter(pk=value)
    channel = query.first()
    if channel is None:
        raise NotFound(f"Channel {value!r} does not exist.", field=field)
    return channel


def clean_slug(
    model: type[models.Model], slug: str | None, name: str, exclude_pk: Any = None
) -> str:
    """Use the given slug (refusing duplicates) or derive a free one from the name."""
    manager = model._default_manager
    taken = manager.exclude(pk=exclude_pk) if exclude_pk is not None else manager.all()
    if slug:
        slug = slugify(slug)
        if not slug:
            raise DomainError("Enter a valid slug.", code="INVALID", field="slug")
        if taken.filter(slug=slug).exists():
            raise DomainError(f"The slug {slug!r} is already used.", code="UNIQUE", field="slug")
        return slug
    base = slugify(name)[:240] or "item"
    existing = set(taken.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 2
    while candidate in existing:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def require_name(name: str | None, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("This field is required.", code="REQUIRED", field=field)
    return name


def clean_price(amount: Any, currency: str, field: str, *, required: bool = True) -> Decimal | None:
    """A non-negative amount with no more decimals than the currency allows."""
    if amount is None or amount == "":
        if required:
            raise DomainError("A price is required.", code="REQUIRED", field=field)
        return None
    value = validate_amount_precision(amount, currency, field)
    if value < 0:
        raise DomainError("The amount cannot be negative.", code="NEGATIVE_AMOUNT", field=field)
    return value


def clean_weight(weight: Any, field: str = "weight") -> Decimal | None:
    if weight is None or weight == "":
        return None
    value = Decimal(str(weight))
    if value < 0 or not value.is_finite():
        raise DomainError("The weight cannot be negative.", code="INVALID", field=field)
    return value.quantize(Decimal("0.001"))


def plain_text(rich: Any) -> str:
    """Text of an EditorJS document (``{"blocks": [{"data": {"text"|"items": ...}}]}``)."""
    if not isinstance(rich, dict):
        return ""
    parts: list[str] = []
    for block in rich.get("blocks") or ():
        data = block.get("data") if isinstance(block, dict) else None
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("text"), str):
            parts.append(data["text"])
        for item in data.get("items") or ():
            if isinstance(item, str):
                parts.append(item)
    return re.sub(r"\s+", " ", strip_tags(" ".join(parts))).strip()


def clean_rich_text(value: Any, field: str = "description") -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DomainError("Rich text must be a JSON object.", code="INVALID", field=field)
    return value
