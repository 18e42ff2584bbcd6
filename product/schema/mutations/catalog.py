"""Staff mutations: catalog."""

from __future__ import annotations

from typing import Any

import graphene

from core.graphql.types import BaseMutation
from core.permissions import Perm
from product import services
from product.schema.common import decode_id, decode_ids
from product.schema.mutations._base import actor, channel_ref, channel_refs
from product.schema.scalars import RichTextInput
from product.schema.types import (
    Category,
    Collection,
)

# -- categories and collections -----------------------------------------------------------


class CategoryInput(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    description = RichTextInput()


class CategoryCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    category = graphene.Field(Category)

    class Arguments:
        input = CategoryInput(required=True)
        parent = graphene.ID(description="The parent category; none for a top-level one.")

    @classmethod
    def perform(cls, info: Any, input: dict, parent: str | None = None) -> dict:  # noqa: A002
        category = services.create_category(
            actor=actor(info),
            name=input.get("name"),
            slug=input.get("slug"),
            description=input.get("description"),
            parent=decode_id(parent, "Category", "parent") if parent else None,
        )
        return {"category": category}


class CategoryUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    category = graphene.Field(Category)

    class Arguments:
        id = graphene.ID(required=True)
        input = CategoryInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        category = services.update_category(
            actor=actor(info),
            category=decode_id(id, "Category", "id"),
            name=input.get("name"),
            slug=input.get("slug"),
            description=input.get("description"),
        )
        return {"category": category}


class CategoryDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    category = graphene.Field(Category)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_category(
            actor=actor(info), category=decode_id(id, "Category", "id")
        )
        return {"category": deleted}


class CollectionInput(graphene.InputObjectType):
    name = graphene.String()
    slug = graphene.String()
    description = RichTextInput()
    products = graphene.List(graphene.NonNull(graphene.ID), description="On create only.")


class CollectionCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        input = CollectionInput(required=True)

    @classmethod
    def perform(cls, info: Any, input: dict) -> dict:  # noqa: A002
        collection = services.create_collection(
            actor=actor(info),
            name=input.get("name"),
            slug=input.get("slug"),
            description=input.get("description"),
            products=decode_ids(input.get("products"), "Product", "products"),
        )
        return {"collection": collection}


class CollectionUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        id = graphene.ID(required=True)
        input = CollectionInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        collection = services.update_collection(
            actor=actor(info),
            collection=decode_id(id, "Collection", "id"),
            name=input.get("name"),
            slug=input.get("slug"),
            description=input.get("description"),
        )
        return {"collection": collection}


class CollectionDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        deleted = services.delete_collection(
            actor=actor(info), collection=decode_id(id, "Collection", "id")
        )
        return {"collection": deleted}


class CollectionAddProducts(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        collection_id = graphene.ID(required=True)
        products = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info: Any, collection_id: str, products: list[str]) -> dict:
        collection = services.add_collection_products(
            actor=actor(info),
            collection=decode_id(collection_id, "Collection", "collectionId"),
            products=decode_ids(products, "Product", "products"),
        )
        return {"collection": collection}


class CollectionRemoveProducts(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        collection_id = graphene.ID(required=True)
        products = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info: Any, collection_id: str, products: list[str]) -> dict:
        collection = services.remove_collection_products(
            actor=actor(info),
            collection=decode_id(collection_id, "Collection", "collectionId"),
            products=decode_ids(products, "Product", "products"),
        )
        return {"collection": collection}


class CollectionChannelListingAddInput(graphene.InputObjectType):
    channel_id = graphene.ID()
    channel = graphene.String(description="Channel slug (instead of channelId).")
    is_published = graphene.Boolean()
    published_at = graphene.DateTime()


class CollectionChannelListingUpdateInput(graphene.InputObjectType):
    add_channels = graphene.List(graphene.NonNull(CollectionChannelListingAddInput))
    remove_channels = graphene.List(graphene.NonNull(graphene.ID))


class CollectionChannelListingUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    collection = graphene.Field(Collection)

    class Arguments:
        id = graphene.ID(required=True)
        input = CollectionChannelListingUpdateInput(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, input: dict) -> dict:  # noqa: A002
        collection = services.update_collection_channel_listings(
            actor=actor(info),
            collection=decode_id(id, "Collection", "id"),
            add=[
                {
                    "channel": channel_ref(spec, "addChannels"),
                    "is_published": bool(spec.get("is_published")),
                    "published_at": spec.get("published_at"),
                }
                for spec in input.get("add_channels") or ()
            ],
            remove=channel_refs(input.get("remove_channels"), "removeChannels"),
        )
        return {"collection": collection}
