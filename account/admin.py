"""Dashboard pages: customers and staff, permission groups, the audit log (read-only).

Every page checks our permissions (MANAGE_USERS, MANAGE_STAFF, VIEW_AUDIT_LOG),
not Django's per-model defaults. Staff cannot grant, in the dashboard either,
permissions or groups beyond their own. Writes made here are recorded in the
audit log by the same signals as GraphQL writes.
"""

from __future__ import annotations

from typing import Any

from auditlog.admin import LogEntryAdmin
from django.contrib import admin, messages
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from account.models import AuditEvent, User
from core.permissions import Perm, has_perm


def _services():  # noqa: ANN202 - the account.services package
    """Imported on use: admin modules load at every start-up, workers included."""
    from account import services

    return services


def _perm_q(values: set[str]) -> Q:
    condition = Q(pk__in=[])
    for value in values:
        app_label, _, codename = value.partition(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return condition


def _in_scope(actor: Any, group: Group) -> bool:
    return actor.is_superuser or _services().group_permissions(
        group
    ) <= _services().held_permissions(actor)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("__str__", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active", "is_confirmed", "registration_method", "groups")
    search_fields = ("email", "phone", "first_name", "last_name")
    ordering = ("-date_joined",)
    fields = (
        "email",
        "phone",
        "first_name",
        "last_name",
        "is_active",
        "is_confirmed",
        "is_staff",
        "groups",
        "registration_method",
        "date_joined",
        "last_login",
        "anonymized_at",
    )
    readonly_fields = ("registration_method", "date_joined", "last_login", "anonymized_at")
    filter_horizontal = ("groups",)
    actions = ("erase_customers",)

    def _can(self, request: HttpRequest, obj: User | None) -> bool:
        user = request.user
        if obj is None:
            return has_perm(user, Perm.MANAGE_USERS) or has_perm(user, Perm.MANAGE_STAFF)
        return has_perm(user, Perm.MANAGE_STAFF if obj.is_staff else Perm.MANAGE_USERS)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._can(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return self._can(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created through sign-up or customerCreate/staffCreate

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # personal data is erased (anonymised), never hard-deleted here

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        users = super().get_queryset(request).filter(anonymized_at=None)
        if not has_perm(request.user, Perm.MANAGE_STAFF):
            users = users.filter(is_staff=False)
        if not has_perm(request.user, Perm.MANAGE_USERS):
            users = users.filter(is_staff=True)
        return users

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        fields = self.readonly_fields
        if not has_perm(request.user, Perm.MANAGE_STAFF):
            fields = (*fields, "is_staff", "groups")
        return fields

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            held = _services().held_permissions(request.user)
            allowed = [
                g.pk for g in Group.objects.all() if _services().group_permissions(g) <= held
            ]
            kwargs["queryset"] = Group.objects.filter(pk__in=allowed)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Groups the editor may not manage stay as they were (the form could not show them)."""
        kept = [g for g in form.instance.groups.all() if not _in_scope(request.user, g)]
        super().save_related(request, form, formsets, change)
        if kept:
            form.instance.groups.add(*kept)

    @admin.action(description="Erase the personal data of the selected customers")
    def erase_customers(self, request: HttpRequest, queryset: QuerySet) -> None:
        if not has_perm(request.user, Perm.MANAGE_USERS):
            self.message_user(request, "You cannot erase customers.", messages.ERROR)
            return
        erased = 0
        for user in queryset.filter(is_staff=False):
            _services().delete_customer(request.user, user.pk)
            erased += 1
        self.message_user(request, f"{erased} customers erased.", messages.SUCCESS)


admin.site.unregister(Group)


@admin.register(Group)
class PermissionGroupAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("permissions",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_STAFF)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.MANAGE_STAFF)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.MANAGE_STAFF)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = has_perm(request.user, Perm.MANAGE_STAFF)
        return allowed and (obj is None or _in_scope(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "permissions":
            held = (
                {perm.value for perm in Perm}
                if request.user.is_superuser
                else _services().held_permissions(request.user)
            )
            kwargs["queryset"] = Permission.objects.filter(_perm_q(held)).select_related(
                "content_type"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(AuditEvent)


@admin.register(AuditEvent)
class AuditEventAdmin(LogEntryAdmin):
    """Browse the audit log. Nobody, superusers included, can add, change or delete entries."""

    list_display = [
        "created",
        "resource_url",
        "action",
        "msg_short",
        "user_url",
        "remote_addr",
        "cid",
    ]
    search_fields = ["object_repr", "actor_email", "cid", "remote_addr"]
    readonly_fields = [
        "created",
        "resource_url",
        "action",
        "user_url",
        "msg",
        "remote_addr",
        "user_agent",
        "cid",
    ]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "resource_url", "cid"]}),
        ("Client", {"fields": ["remote_addr", "user_agent"]}),
        ("Changes", {"fields": ["action", "msg"]}),
    ]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_perm(request.user, Perm.VIEW_AUDIT_LOG)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_perm(request.user, Perm.VIEW_AUDIT_LOG)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
