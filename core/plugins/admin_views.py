"""Dashboard pages for plugins: list with activation per channel, a configuration form."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.errors import DomainError
from core.plugins.config import ConfigStore
from core.plugins.forms import configuration_form
from core.plugins.manager import get_manager
from core.plugins.services import update_plugin_configuration

GLOBAL_SCOPE = "global"


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("core.manage_plugins"):
        raise DjangoPermissionDenied


def _store() -> ConfigStore:
    return ConfigStore({pid: lp.plugin for pid, lp in get_manager().loaded.items()})


def plugin_list(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    from core.models import Channel

    _require(request)
    manager = get_manager()
    store = _store()
    channels = list(Channel.objects.order_by("slug").values_list("slug", flat=True))
    rows = []
    for plugin_id, loaded in sorted(manager.loaded.items()):
        scopes = channels if loaded.plugin.per_channel else [GLOBAL_SCOPE]
        rows.append(
            {
                "plugin": loaded.plugin,
                "source": loaded.source,
                "hooks": manager.implemented_hooks(plugin_id),
                "scopes": [
                    {
                        "name": scope,
                        "active": store.get(
                            plugin_id, None if scope == GLOBAL_SCOPE else scope
                        ).active,
                        "url": reverse("admin:core_plugin_configure", args=[plugin_id, scope]),
                    }
                    for scope in scopes
                ],
            }
        )
    context = {
        **admin.site.each_context(request),
        "title": "Plugins",
        "rows": rows,
        "failures": manager.failures,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/plugins/list.html", context)


def plugin_configure(
    request: HttpRequest, model_admin: admin.ModelAdmin, plugin_id: str, scope: str
) -> HttpResponse:
    _require(request)
    loaded = get_manager().loaded.get(plugin_id)
    if loaded is None:
        raise Http404("No such plugin")
    channel = None if scope == GLOBAL_SCOPE else scope
    config = _store().get(plugin_id, channel)
    values = {**config.values, "__active__": config.active}
    form = configuration_form(
        loaded.plugin, values, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        submitted = {k: v for k, v in form.cleaned_data.items() if k != "active"}
        try:
            update_plugin_configuration(
                plugin_id, channel, active=form.cleaned_data["active"], values=submitted
            )
        except DomainError as error:
            for detail in error.errors:
                form.add_error(
                    detail.field if detail.field in form.fields else None, detail.message
                )
        else:
            messages.success(request, f"{loaded.plugin.name} saved for {scope}.")
            return HttpResponseRedirect(reverse("admin:core_pluginconfiguration_changelist"))
    context = {
        **admin.site.each_context(request),
        "title": f"{loaded.plugin.name} — {scope}",
        "plugin": loaded.plugin,
        "scope": scope,
        "form": form,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/plugins/configure.html", context)
