from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core import health
from core.graphql.view import GraphQLView
from core.plugins.views import plugin_webhook

urlpatterns = [
    path("graphql/", GraphQLView.as_view(), name="graphql"),
    path("dashboard/", admin.site.urls),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("", include("product.urls")),
    path("plugins/<str:plugin_id>/webhook/", plugin_webhook, name="plugin-webhook"),
    path(
        "plugins/<str:plugin_id>/webhook/<slug:channel>/",
        plugin_webhook,
        name="plugin-webhook-channel",
    ),
]

if not settings.PRODUCTION:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
