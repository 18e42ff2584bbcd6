"""Review photos: decode base64 uploads and check them by content before anything is saved.

A JSON GraphQL body carries no files, so photos come as base64 (or ``data:`` URLs) as
product media do. The declared type is not trusted: Pillow must recognise the bytes
as one of the allowed formats, ``verify()`` must pass, and the size and dimensions
must be within bounds. Every photo is checked before the first is written.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from core.errors import DomainError

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 1024 * 1024  # a GraphQL request body is capped at 2 MB as a whole
MIN_SIDE = 64
MAX_SIDE = 6000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class Photo:
    content: ContentFile
    width: int
    height: int


def _invalid(message: str, code: str = "INVALID") -> DomainError:
    return DomainError(message, code=code, field="photos")


def decode_photo(data: str, position: int) -> Photo:
    label = f"Photo {position + 1}"
    payload = data.partition(",")[2] if data.startswith("data:") else data
    if len(payload) > (MAX_PHOTO_BYTES * 4) // 3 + 4:
        raise _invalid(f"{label} is larger than {MAX_PHOTO_BYTES // 1024 // 1024} MB.", "TOO_LARGE")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(f"{label} is not valid base64.") from exc
    if len(raw) > MAX_PHOTO_BYTES:
        raise _invalid(f"{label} is larger than {MAX_PHOTO_BYTES // 1024 // 1024} MB.", "TOO_LARGE")
    try:
        with Image.open(io.BytesIO(raw)) as picture:
            kind, (width, height) = picture.format, picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise _invalid(f"{label} is not an image.", "NOT_AN_IMAGE") from exc
    if kind not in FORMATS:
        raise _invalid(f"{label}: only JPEG, PNG and WebP images are accepted.", "NOT_AN_IMAGE")
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise _invalid(
            f"{label} is {width}x{height} px; each side must be {MIN_SIDE} to {MAX_SIDE} px.",
            "INVALID_DIMENSIONS",
        )
    return Photo(ContentFile(raw, name=f"review.{FORMATS[kind]}"), width, height)


def decode_photos(photos: list[str] | None) -> list[Photo]:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise _invalid(f"At most {MAX_PHOTOS} photos per review.", "TOO_MANY")
    return [decode_photo(data, i) for i, data in enumerate(photos)]
