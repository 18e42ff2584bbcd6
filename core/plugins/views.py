"""Webhook endpoints of plugins: ``/plugins/<plugin-id>/webhook/[<channel>/]``."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.plugins.manager import get_manager

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def plugin_webhook(
    request: HttpRequest, plugin_id: str, channel: str | None = None
) -> HttpResponse:
    manager = get_manager()
    implemented = any(i.plugin_id == plugin_id for i in manager.impls("handle_webhook"))
    if plugin_id not in manager.loaded or not implemented:
        return JsonResponse({"error": "NOT_FOUND"}, status=404)
    if channel is not None and not _channel_exists(channel):
        return JsonResponse({"error": "NOT_FOUND"}, status=404)
    if not manager.config(plugin_id, channel).active:
        return JsonResponse({"error": "PLUGIN_INACTIVE"}, status=404)
    try:
        response = manager.call_plugin(
            plugin_id, "handle_webhook", channel=channel, request=request
        )
    except DomainError as error:
        logger.info("webhook for %s refused: %s", plugin_id, error)
        return JsonResponse({"error": error.code, "message": error.errors[0].message}, status=400)
    if response is None:
        return JsonResponse({"error": "NOT_HANDLED"}, status=404)
    return response


def _channel_exists(slug: str) -> bool:
    from core.models import Channel

    return Channel.objects.filter(slug=slug).exists()
