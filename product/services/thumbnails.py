"""Resized renditions of product images, made on first request and kept in the storage."""

from __future__ import annotations

import io
import posixpath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from core.errors import NotFound
from product.models import ProductMedia, Thumbnail
from product.thumbnails import FORMATS, nearest_size

PIL_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _render(media: ProductMedia, size: int, fmt: str) -> ContentFile:
    try:
        with media.image.open("rb") as source, Image.open(source) as picture:
            picture.load()
            original_format = picture.format or "PNG"
            picture.thumbnail((size, size), Image.Resampling.LANCZOS)
            target = "WEBP" if fmt == "WEBP" else original_format
            if target not in PIL_FORMATS:
                target = "PNG"
            if target == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            buffer = io.BytesIO()
            options = {"quality": 85} if target in ("JPEG", "WEBP") else {}
            picture.save(buffer, format=target, **options)
    except (FileNotFoundError, UnidentifiedImageError, OSError) as exc:
        raise NotFound("The image file is missing or unreadable.", field="media") from exc
    stem = posixpath.splitext(posixpath.basename(media.image.name))[0]
    return ContentFile(buffer.getvalue(), name=f"{stem}_{size}.{PIL_FORMATS[target]}")


def get_or_create_thumbnail(media_id: int, size: int | None, fmt: str) -> Thumbnail:
    """The stored thumbnail of a media in the nearest allowed size, created if needed.

    Two requests racing for the same new thumbnail both succeed: the loser of the
    insert reads the winner's row (its file stays orphaned, harmless).
    """
    fmt = fmt.upper()
    if fmt not in FORMATS:
        raise NotFound(f"Unknown thumbnail format {fmt!r}.", field="format")
    size = nearest_size(size)
    found = Thumbnail.objects.filter(media_id=media_id, size=size, format=fmt).first()
    if found is not None:
        return found
    media = ProductMedia.objects.filter(pk=media_id).first()
    if media is None:
        raise NotFound("No such media.", field="media")
    thumbnail = Thumbnail(media=media, size=size, format=fmt)
    rendered = _render(media, size, fmt)
    thumbnail.image.save(rendered.name, rendered, save=False)
    try:
        with transaction.atomic():
            thumbnail.save()
    except IntegrityError:
        return Thumbnail.objects.get(media_id=media_id, size=size, format=fmt)
    return thumbnail
