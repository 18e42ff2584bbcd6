"""Thumbnail sizes, formats and paths (the view lives in ``product.views``)."""

from __future__ import annotations

from bisect import bisect_left

ALLOWED_SIZES = (32, 64, 128, 256, 512, 1024, 2048, 4096)
FORMATS = ("ORIGINAL", "WEBP")
DEFAULT_SIZE = 4096


def nearest_size(size: int | None) -> int:
    """The smallest allowed size at least ``size`` (the largest when bigger than all)."""
    if size is None:
        return DEFAULT_SIZE
    index = bisect_left(ALLOWED_SIZES, max(size, 1))
    return ALLOWED_SIZES[min(index, len(ALLOWED_SIZES) - 1)]


def thumbnail_path(media_id: int, size: int | None, fmt: str = "ORIGINAL") -> str:
    return f"/thumbnail/{media_id}/{nearest_size(size)}/{fmt.lower()}/"
