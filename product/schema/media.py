"""Images: the original file and resized renditions served by ``/thumbnail/...``."""

from __future__ import annotations

from typing import Any

import graphene

from product.schema.common import gid
from product.schema.loaders import MediaRow, loaders
from product.thumbnails import FORMATS, thumbnail_path

ThumbnailFormatEnum = graphene.Enum("ThumbnailFormatEnum", [(name, name) for name in FORMATS])


class Image(graphene.ObjectType):
    url = graphene.String(required=True)
    alt = graphene.String()


def image_url(info: Any, media: Any, size: int | None, fmt: Any) -> str:
    """Absolute URL: the original without ``size`` (and ORIGINAL format), else a thumbnail."""
    fmt_name = str(getattr(fmt, "value", fmt or "ORIGINAL"))
    if size is None and fmt_name == "ORIGINAL":
        url = media.url if isinstance(media, MediaRow) else media.image.url
        return loaders(info).absolute(url)
    return loaders(info).absolute(thumbnail_path(media.pk, size, fmt_name))


class ProductMedia(graphene.ObjectType):
    id = graphene.ID(required=True)
    alt = graphene.String(required=True)
    sort_order = graphene.Int()
    type = graphene.String(required=True)
    url = graphene.String(
        required=True,
        size=graphene.Int(description="Longest side in pixels; the nearest allowed size."),
        format=graphene.Argument(ThumbnailFormatEnum, default_value="ORIGINAL"),
    )

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return gid("ProductMedia", root.pk)

    @staticmethod
    def resolve_url(root: Any, info: Any, size: int | None = None, format: Any = None) -> str:  # noqa: A002
        return image_url(info, root, size, format)
