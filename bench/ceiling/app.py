"""URLconf and view of the ceiling app: 20 product-like nodes shaped like the catalog listing.

The body has the shape of the ``products(first: 20, channel)`` GraphQL answer
the storefront scenario asks for, built from in-memory rows and serialised with
``json.dumps`` on every request, as a hand-written Django JSON view would.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path

ROWS: tuple[tuple[int, str, str, str, str], ...] = tuple(
    (
        index,
        f"Ankara Wrap Dress {index}",
        f"ankara-wrap-dress-{index}",
        f"{12_500 + 250 * index}.00",
        f"/media/thumbnails/products/ankara-wrap-dress-{index}_thumbnail_256.webp",
    )
    for index in range(1, 21)
)


def product_node(row: tuple[int, str, str, str, str]) -> dict[str, Any]:
    pk, name, slug, amount, thumbnail = row
    return {
        "id": base64.b64encode(f"Product:{pk}".encode()).decode(),
        "name": name,
        "slug": slug,
        "pricing": {
            "priceRange": {"start": {"gross": {"amount": float(amount), "currency": "NGN"}}}
        },
        "thumbnail": {"url": f"http://127.0.0.1{thumbnail}"},
    }


def products(request: HttpRequest) -> HttpResponse:
    body = {"data": {"products": {"edges": [{"node": product_node(row)} for row in ROWS]}}}
    return HttpResponse(json.dumps(body, separators=(",", ":")), content_type="application/json")


urlpatterns = [path("products/", products)]
