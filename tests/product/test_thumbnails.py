"""Thumbnails: resized on demand with Pillow, stored once, served by redirect."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from product import services
from product.models import Thumbnail
from product.thumbnails import nearest_size


@pytest.fixture
def media(catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 800), (10, 120, 80)).save(buffer, format="PNG")
    return services.add_product_media(
        actor=None,
        product=catalog.red_dress,
        image=ContentFile(buffer.getvalue(), name="dress.png"),
        alt="Red dress, front",
    )


def fetch(url: str, media_root) -> Image.Image:
    response = Client().get(url.replace("http://testserver", ""))
    assert response.status_code == 302
    assert response["Location"].startswith("/media/thumbnails/")
    path = media_root / response["Location"].removeprefix("/media/")
    return Image.open(path)


@pytest.mark.embedded
def test_storefront_thumbnails_are_resized_once_and_kept(gql, media, tmp_path):
    query = """{ product(slug: "red-ankara-dress", channel: "default-channel") {
        thumbnail(size: 200, format: WEBP) { url alt }
        original: thumbnail(size: 5000) { url }
        media { url alt } } }"""
    product = gql(query)["data"]["product"]
    assert product["thumbnail"]["alt"] == "Red dress, front"
    assert product["thumbnail"]["url"] == f"http://testserver/thumbnail/{media.pk}/256/webp/"
    assert product["media"] == [
        {"url": f"http://testserver/media/{media.image.name}", "alt": "Red dress, front"}
    ]
    small = fetch(product["thumbnail"]["url"], tmp_path)
    assert small.format == "WEBP" and small.size == (256, 205)
    fetch(product["thumbnail"]["url"], tmp_path)
    assert Thumbnail.objects.count() == 1
    big = fetch(product["original"]["url"], tmp_path)
    assert big.format == "PNG" and big.size == (1000, 800)  # never upscaled


@pytest.mark.embedded
def test_unknown_media_or_format_is_not_found(media):
    client = Client()
    assert client.get(f"/thumbnail/{media.pk + 99}/256/webp/").status_code == 404
    assert client.get(f"/thumbnail/{media.pk}/256/tiff/").status_code == 404
    assert not Thumbnail.objects.exists()


@pytest.mark.embedded
@pytest.mark.parametrize(("asked", "served"), [(None, 4096), (1, 32), (100, 128), (9999, 4096)])
def test_sizes_snap_to_the_allowed_ones(asked, served):
    assert nearest_size(asked) == served
