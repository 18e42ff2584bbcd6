"""``/thumbnail/<media_id>/<size>/<format>/``: a resized image, made once, then redirected to."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from core.errors import NotFound
from product.services import get_or_create_thumbnail


@require_GET
def thumbnail(request: HttpRequest, media_id: int, size: int, format: str) -> HttpResponse:  # noqa: A002
    """Redirect to the stored rendition; browsers and CDNs may keep the answer for a day."""
    try:
        found = get_or_create_thumbnail(media_id, size, format)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponseRedirect(found.image.url)
    response["Cache-Control"] = "public, max-age=86400"
    return response
