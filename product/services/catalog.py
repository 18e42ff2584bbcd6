"""Categories (a tree) and collections with their channel listings and product order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.errors import DomainError, NotFound
from product.models import (
    Category,
    Collection,
    CollectionChannelListing,
    CollectionProduct,
    Product,
)
from product.services._common import (
    Actor,
    clean_rich_text,
    clean_slug,
    get_channel,
    get_instance,
    plain_text,
    require_name,
)

_UNSET: Any = object()


def _set_parent(category: Category, parent: Category | int | None) -> None:
    if parent is None:
        category.parent, category.level = None, 0
        return
    parent = get_instance(Category, parent, "parent")
    ancestor: Category | None = parent
    while ancestor is not None:
        if category.pk is not None and ancestor.pk == category.pk:
            raise DomainError(
                "A category cannot be placed under itself.",
                code="CANNOT_ADD_TO_ITSELF",
                field="parent",
            )
        ancestor = ancestor.parent
    category.parent, category.level = parent, parent.level + 1


def _relevel_descendants(category: Category) -> None:
    children = list(category.children.all())
    for child in children:
        child.level = category.level + 1
        child.save(update_fields=["level"])
        _relevel_descendants(child)


@transaction.atomic
def create_category(
    *,
    actor: Actor,
    name: str,
    slug: str | None = None,
    description: dict | None = None,
    parent: Category | int | None = None,
) -> Category:
    name = require_name(name)
    category = Category(name=name, slug=clean_slug(Category, slug, name))
    category.description = clean_rich_text(description)
    category.description_plaintext = plain_text(category.description)
    _set_parent(category, parent)
    category.save()
    return category


@transaction.atomic
def update_category(
    *,
    actor: Actor,
    category: Category | int,
    name: str | None = None,
    slug: str | None = None,
    description: dict | None = None,
    parent: Any = _UNSET,
) -> Category:
    category = get_instance(Category, category, "id")
    if name is not None:
        category.name = require_name(name)
    if slug is not None:
        category.slug = clean_slug(Category, slug, category.name, exclude_pk=category.pk)
    if description is not None:
        category.description = clean_rich_text(description)
        category.description_plaintext = plain_text(category.description)
    relevel = parent is not _UNSET
    if relevel:
        _set_parent(category, parent)
    category.save()
    if relevel:
        _relevel_descendants(category)
    return category


@transaction.atomic
def delete_category(*, actor: Actor, category: Category | int) -> Category:
    """Delete a category and its subcategories; their products stay, uncategorised."""
    category = get_instance(Category, category, "id")
    pk = category.pk
    category.delete()
    category.pk = pk
    return category


def descendant_ids(category_ids: Iterable[int]) -> set[int]:
    """The given categories and every category below them (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(category_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


@transaction.atomic
def create_collection(
    *,
    actor: Actor,
    name: str,
    slug: str | None = None,
    description: dict | None = None,
    products: Iterable[Product | int] = (),
) -> Collection:
    name = require_name(name)
    collection = Collection.objects.create(
        name=name, slug=clean_slug(Collection, slug, name), description=clean_rich_text(description)
    )
    add_collection_products(actor=actor, collection=collection, products=products)
    return collection


@transaction.atomic
def update_collection(
    *,
    actor: Actor,
    collection: Collection | int,
    name: str | None = None,
    slug: str | None = None,
    description: dict | None = None,
) -> Collection:
    collection = get_instance(Collection, collection, "id")
    if name is not None:
        collection.name = require_name(name)
    if slug is not None:
        collection.slug = clean_slug(Collection, slug, collection.name, exclude_pk=collection.pk)
    if description is not None:
        collection.description = clean_rich_text(description)
    collection.save()
    return collection


@transaction.atomic
def delete_collection(*, actor: Actor, collection: Collection | int) -> Collection:
    collection = get_instance(Collection, collection, "id")
    pk = collection.pk
    collection.delete()
    collection.pk = pk
    return collection


def _product_ids(products: Iterable[Product | int], field: str = "products") -> list[int]:
    ids = list(dict.fromkeys(p.pk if isinstance(p, Product) else int(p) for p in products))
    found = set(Product.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFound(f"Products {missing} do not exist.", field=field)
    return ids


@transaction.atomic
def add_collection_products(
    *, actor: Actor, collection: Collection | int, products: Iterable[Product | int]
) -> Collection:
    """Append products to the end of the collection (those already in it keep their place)."""
    collection = get_instance(Collection, collection, "collectionId")
    ids = _product_ids(products)
    present = set(collection.collection_products.values_list("product_id", flat=True))
    start = (collection.collection_products.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    CollectionProduct.objects.bulk_create(
        CollectionProduct(collection=collection, product_id=pk, sort_order=start + i)
        for i, pk in enumerate(pk for pk in ids if pk not in present)
    )
    return collection


@transaction.atomic
def remove_collection_products(
    *, actor: Actor, collection: Collection | int, products: Iterable[Product | int]
) -> Collection:
    collection = get_instance(Collection, collection, "collectionId")
    collection.collection_products.filter(product_id__in=_product_ids(products)).delete()
    return collection


@transaction.atomic
def update_collection_channel_listings(
    *,
    actor: Actor,
    collection: Collection | int,
    add: Iterable[dict] = (),
    remove: Iterable[Any] = (),
) -> Collection:
    """``add``: ``{"channel", "is_published", "published_at"}``; ``remove``: channels."""
    collection = get_instance(Collection, collection, "id")
    for spec in add:
        channel = get_channel(spec["channel"], "addChannels")
        published = bool(spec.get("is_published", False))
        published_at: datetime | None = spec.get("published_at")
        if published and published_at is None:
            published_at = timezone.now()
        CollectionChannelListing.objects.update_or_create(
            collection=collection,
            channel=channel,
            defaults={"is_published": published, "published_at": published_at},
        )
    channels = [get_channel(c, "removeChannels") for c in remove]
    if channels:
        collection.channel_listings.filter(channel__in=channels).delete()
    return collection
