"""Dashboard pages: apps (tokens shown once), webhooks, deliveries (re-send).

Every write goes through ``plugins.webhooks.services`` (validation, SSRF check,
activation sync); the model log audits it as a staff write. Pages need the
MANAGE_APPS permission.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from core.errors import DomainError
from core.permissions import Perm, has_perm
from plugins.webhooks import services
from plugins.webhooks.models import App, Webhook, WebhookAttempt, WebhookDelivery


class _ManageApps:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_APPS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_APPS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return has_perm(request.user, Perm.MANAGE_APPS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_APPS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_APPS)


def _domain_error_to_form(exc: DomainError) -> ValidationError:
    return ValidationError([f"{d.field or ''}: {d.message}".lstrip(": ") for d in exc.errors])


class AppForm(forms.ModelForm):
    permissions = forms.MultipleChoiceField(
        choices=[(p.name, p.name) for p in Perm], required=False
    )

    actor: Any = None

    class Meta:
        model = App
        fields = ("name", "permissions", "is_active")

    def clean(self) -> dict:
        data = super().clean()
        try:
            services.check_permissions_grantable(data.get("permissions") or [], self.actor)
        except DomainError as exc:
            raise _domain_error_to_form(exc) from exc
        return data


@admin.register(App)
class AppAdmin(_ManageApps, admin.ModelAdmin):
    form = AppForm
    list_display = ("name", "is_active", "permissions", "created_at")
    actions = ("create_token",)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        return type("ActorAppForm", (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: App, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.update_app(
                request.user,
                App.objects.get(pk=obj.pk),
                name=data["name"],
                permissions=data["permissions"],
                is_active=data["is_active"],
            )
            return
        app, token = services.create_app(request.user, data["name"], data["permissions"])
        obj.pk = app.pk
        messages.warning(request, f"Token for {app.name} (shown once): {token}")

    def delete_model(self, request: HttpRequest, obj: App) -> None:
        services.delete_app(obj)

    @admin.action(description="Create a new token (shown once)")
    def create_token(self, request: HttpRequest, queryset: QuerySet) -> None:
        for app in queryset:
            _, token = services.create_token(app, "dashboard")
            messages.warning(request, f"Token for {app.name} (shown once): {token}")


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(choices=())
    new_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput,
        help_text="16+ characters. Blank: keep the current one (or generate one on creation).",
    )
    channels = forms.CharField(required=False, help_text="Comma-separated slugs; blank: all.")

    class Meta:
        model = Webhook
        fields = ("app", "name", "target_url", "events", "channels", "custom_headers", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e, e) for e in services.event_types()]
        if self.instance.pk:
            self.initial["channels"] = ", ".join(self.instance.channels)

    def clean(self) -> dict:
        data = super().clean()
        data["channels"] = [s.strip() for s in (data.get("channels") or "").split(",") if s]
        self.webhook_input = services.WebhookInput(
            name=data.get("name"),
            target_url=data.get("target_url"),
            secret=data.get("new_secret") or None,
            events=data.get("events"),
            channels=data["channels"],
            custom_headers=data.get("custom_headers") or {},
            is_active=data.get("is_active"),
        )
        try:
            services.validate_webhook_input(self.webhook_input)
        except DomainError as exc:
            raise _domain_error_to_form(exc) from exc
        return data


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "status_code", "duration_ms", "error", "response_body")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Webhook)
class WebhookAdmin(_ManageApps, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "app", "target_url", "is_active", "failing_since")
    list_filter = ("is_active", "app")
    readonly_fields = ("disabled_reason", "failing_since")

    def save_model(self, request: HttpRequest, obj: Webhook, form: Any, change: bool) -> None:
        if change:
            services.update_webhook(Webhook.objects.get(pk=obj.pk), form.webhook_input)
            return
        webhook, secret = services.create_webhook(form.cleaned_data["app"], form.webhook_input)
        obj.pk = webhook.pk
        if secret:
            messages.warning(request, f"Signing secret of {webhook.name} (shown once): {secret}")

    def delete_model(self, request: HttpRequest, obj: Webhook) -> None:
        services.delete_webhook(obj)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_ManageApps, admin.ModelAdmin):
    list_display = ("event_type", "webhook", "sequence", "status", "attempts", "updated_at")
    list_filter = ("status", "event_type", "webhook")
    search_fields = ("event_id",)
    inlines = (AttemptInline,)
    actions = ("resend",)
    readonly_fields = (
        "webhook",
        "event_id",
        "event_type",
        "channel_slug",
        "occurred_at",
        "sequence",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Re-send")
    def resend(self, request: HttpRequest, queryset: QuerySet) -> None:
        sent = 0
        for delivery in queryset:
            try:
                services.resend(delivery)
                sent += 1
            except DomainError as exc:
                messages.error(request, f"{delivery}: {exc}")
        messages.success(request, f"{sent} deliveries queued again.")
