"""Staff mutations: media."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import graphene
from django.core.files.base import ContentFile

from core.errors import DomainError
from core.graphql.types import BaseMutation
from core.permissions import Perm
from product import services
from product.schema.common import decode_id, decode_ids
from product.schema.media import ProductMedia
from product.schema.mutations._base import MAX_IMAGE_BYTES, actor
from product.schema.types import (
    Product,
)

# -- media ------------------------------------------------------------------------------------


def _decode_image(data: str) -> ContentFile:
    """``data:image/png;base64,...`` or bare base64 -> a file (JSON bodies carry no uploads)."""
    header, _, payload = data.partition(",") if data.startswith("data:") else ("", "", data)
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError("The image is not valid base64.", code="INVALID", field="image") from exc
    if len(raw) > MAX_IMAGE_BYTES:
        raise DomainError("The image is larger than 10 MB.", code="INVALID", field="image")
    extension = header.split("/")[-1].split(";")[0] if header else "png"
    return ContentFile(raw, name=f"upload.{extension or 'png'}")


class ProductMediaCreate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)
    media = graphene.Field(ProductMedia)

    class Arguments:
        product = graphene.ID(required=True)
        image = graphene.String(required=True, description="Base64 image or a data: URL.")
        alt = graphene.String()

    @classmethod
    def perform(cls, info: Any, product: str, image: str, alt: str | None = None) -> dict:
        media = services.add_product_media(
            actor=actor(info),
            product=decode_id(product, "Product", "product"),
            image=_decode_image(image),
            alt=alt or "",
        )
        return {"product": media.product, "media": media}


class ProductMediaUpdate(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    media = graphene.Field(ProductMedia)

    class Arguments:
        id = graphene.ID(required=True)
        alt = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, id: str, alt: str) -> dict:  # noqa: A002
        media = services.update_product_media(
            actor=actor(info), media=decode_id(id, "ProductMedia", "id"), alt=alt
        )
        return {"media": media}


class ProductMediaDelete(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    media = graphene.Field(ProductMedia)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, id: str) -> dict:  # noqa: A002
        media = services.delete_product_media(
            actor=actor(info), media=decode_id(id, "ProductMedia", "id")
        )
        return {"media": media}


class ProductMediaReorder(BaseMutation):
    permission = Perm.MANAGE_PRODUCTS
    product = graphene.Field(Product)

    class Arguments:
        product_id = graphene.ID(required=True)
        media_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def perform(cls, info: Any, product_id: str, media_ids: list[str]) -> dict:
        product = services.reorder_product_media(
            actor=actor(info),
            product=decode_id(product_id, "Product", "productId"),
            media_ids=decode_ids(media_ids, "ProductMedia", "mediaIds"),
        )
        return {"product": product}
