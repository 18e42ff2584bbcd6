"""Staff work on accounts: customers, staff users, permission groups.

Staff cannot hand out more than they hold: adding or removing a permission
needs that permission; touching a group (its users, its name, deleting it)
needs every permission of the group; changing or deleting a staff user needs
every permission that user has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import Q

from account import notifications
from account.models import OneTimeToken, User
from account.services import codes
from account.services._common import Actor, check_unique, emit_customer, get_user
from account.services.profile import anonymize
from account.validation import clean_email, clean_phone
from core.errors import DomainError, NotFound
from core.permissions import Perm

_UNSET: Any = object()


# -- permissions ----------------------------------------------------------------------------


def held_permissions(user: Actor) -> set[str]:
    """The Perm values ``user`` holds (all of them for a superuser)."""
    return {perm.value for perm in Perm if user.has_perm(perm.value)}


def group_permissions(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def user_permissions(user: User) -> set[str]:
    if user.is_superuser:
        return {perm.value for perm in Perm}
    return {value for value in user.get_all_permissions() if value in set(Perm)}


def permission_rows(values: Iterable[str], field_name: str) -> list[Permission]:
    rows = []
    for value in values:
        app_label, _, codename = str(value).partition(".")
        row = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if row is None or value not in set(Perm):
            raise DomainError(f"Unknown permission {value}.", code="INVALID", field=field_name)
        rows.append(row)
    return rows


def _require_scope(actor: Actor, needed: set[str], code: str, field_name: str, what: str) -> None:
    missing = needed - held_permissions(actor)
    if missing and not actor.is_superuser:
        names = ", ".join(sorted(Perm(value).name for value in missing))
        raise DomainError(
            f"You cannot {what}: it needs permissions you do not have ({names}).",
            code=code,
            field=field_name,
        )


def _groups(ids: Iterable[Any], field_name: str) -> list[Group]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    groups = list(Group.objects.filter(pk__in=wanted))
    if len(groups) != len(set(wanted)) or len(wanted) != len(list(ids)):
        raise NotFound("Unknown permission group.", field=field_name)
    return groups


def _check_groups_scope(actor: Actor, groups: Iterable[Group], field_name: str) -> None:
    for group in groups:
        _require_scope(
            actor,
            group_permissions(group),
            "OUT_OF_SCOPE_GROUP",
            field_name,
            f"manage group {group.name}",
        )


# -- customers ------------------------------------------------------------------------------


@dataclass
class AccountData:
    email: Any = _UNSET
    phone: Any = _UNSET
    first_name: Any = _UNSET
    last_name: Any = _UNSET
    is_active: Any = _UNSET
    redirect_url: str | None = None
    channel: str | None = None
    add_groups: list[Any] = field(default_factory=list)
    remove_groups: list[Any] = field(default_factory=list)


def _apply(user: User, data: AccountData) -> None:
    email = (
        user.email if data.email is _UNSET else (clean_email(data.email) if data.email else None)
    )
    phone = (
        user.phone if data.phone is _UNSET else (clean_phone(data.phone) if data.phone else None)
    )
    if not email and not phone:
        raise DomainError(
            "Enter an email address or a phone number.", code="REQUIRED", field="email"
        )
    check_unique(
        email if email != user.email else None,
        phone if phone != user.phone else None,
        exclude=user if user.pk else None,
    )
    user.email, user.phone = email, phone
    for name in ("first_name", "last_name"):
        value = getattr(data, name)
        if value is not _UNSET and value is not None:
            setattr(user, name, str(value).strip()[:256])
    if data.is_active is not _UNSET and data.is_active is not None:
        user.is_active = bool(data.is_active)


def _send_set_password(user: User, redirect_url: str | None, channel: str | None) -> None:
    token = codes.issue(user, OneTimeToken.Purpose.PASSWORD_RESET)
    notifications.notify("set_password", user, token, redirect_url=redirect_url, channel=channel)


def create_customer(actor: Actor, data: AccountData) -> User:
    """A customer account without a password; they choose one through the link sent."""
    redirect_url = notifications.clean_redirect_url(data.redirect_url)
    channel = notifications.clean_channel(data.channel)
    user = User(registration_method=User.RegistrationMethod.EMAIL)
    _apply(user, data)
    if not user.email:
        user.registration_method = User.RegistrationMethod.PHONE
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            emit_customer("customer_created", user)
            _send_set_password(user, redirect_url, channel)
    except IntegrityError as exc:
        raise DomainError(
            "An account with this identifier already exists.", code="UNIQUE", field="email"
        ) from exc
    return user


@transaction.atomic
def update_customer(actor: Actor, user_id: Any, data: AccountData) -> User:
    user = get_user(user_id, staff=False)
    _apply(user, data)
    user.save()
    emit_customer("customer_updated", user)
    return user


def delete_customer(actor: Actor, user_id: Any) -> User:
    """Erase a customer's personal data (orders keep their totals)."""
    return anonymize(get_user(user_id, staff=False))


# -- staff ------------------------------------------------------------------------------------


def _check_target(actor: Actor, user: User, what: str) -> None:
    if user.is_superuser and not actor.is_superuser:
        raise DomainError(
            f"Only a superuser can {what} a superuser.", code="OUT_OF_SCOPE_USER", field="id"
        )
    _require_scope(actor, user_permissions(user), "OUT_OF_SCOPE_USER", "id", f"{what} this user")


def create_staff(actor: Actor, data: AccountData) -> User:
    redirect_url = notifications.clean_redirect_url(data.redirect_url)
    channel = notifications.clean_channel(data.channel)
    groups = _groups(data.add_groups, "addGroups")
    _check_groups_scope(actor, groups, "addGroups")
    user = User(
        is_staff=True, registration_method=User.RegistrationMethod.STAFF, is_confirmed=False
    )
    _apply(user, data)
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            user.groups.add(*groups)
            _send_set_password(user, redirect_url, channel)
    except IntegrityError as exc:
        raise DomainError(
            "An account with this identifier already exists.", code="UNIQUE", field="email"
        ) from exc
    return user


@transaction.atomic
def update_staff(actor: Actor, user_id: Any, data: AccountData) -> User:
    user = get_user(user_id, staff=True)
    _check_target(actor, user, "change")
    if user.pk == actor.pk and data.is_active is False:
        raise DomainError(
            "You cannot deactivate your own account.",
            code="DEACTIVATE_OWN_ACCOUNT",
            field="isActive",
        )
    add = _groups(data.add_groups, "addGroups")
    remove = _groups(data.remove_groups, "removeGroups")
    _check_groups_scope(actor, add, "addGroups")
    _check_groups_scope(actor, remove, "removeGroups")
    _apply(user, data)
    user.save()
    if add:
        user.groups.add(*add)
    if remove:
        user.groups.remove(*remove)
    return user


@transaction.atomic
def delete_staff(actor: Actor, user_id: Any) -> User:
    user = get_user(user_id, staff=True)
    if user.pk == actor.pk:
        raise DomainError(
            "You cannot delete your own account.", code="DELETE_OWN_ACCOUNT", field="id"
        )
    _check_target(actor, user, "delete")
    deleted_pk = user.pk
    user.delete()
    user.pk = deleted_pk
    return user


# -- permission groups ---------------------------------------------------------------------------


def _staff_members(ids: Iterable[Any], field_name: str) -> list[User]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    users = list(User.objects.filter(pk__in=wanted, anonymized_at=None))
    if len(users) != len(set(wanted)) or len(wanted) != len(list(ids)):
        raise NotFound("Unknown user.", field=field_name)
    outsiders = [u for u in users if not u.is_staff]
    if outsiders:
        raise DomainError(
            "Only staff users can join a permission group.",
            code="ASSIGN_NON_STAFF_MEMBER",
            field=field_name,
        )
    return users


def _clean_group_name(name: str | None, exclude: Group | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name.", code="REQUIRED", field="name")
    taken = Group.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise DomainError("A group with this name exists.", code="UNIQUE", field="name")
    return name[:150]


@dataclass
class GroupData:
    name: str | None = None
    add_permissions: list[str] = field(default_factory=list)
    remove_permissions: list[str] = field(default_factory=list)
    add_users: list[Any] = field(default_factory=list)
    remove_users: list[Any] = field(default_factory=list)


def get_group(group_id: Any) -> Group:
    group = Group.objects.filter(pk=int(group_id)).first() if str(group_id).isdigit() else None
    if group is None:
        raise NotFound("No such permission group.", field="id")
    return group


@transaction.atomic
def create_group(actor: Actor, data: GroupData) -> Group:
    name = _clean_group_name(data.name)
    add = permission_rows(data.add_permissions, "addPermissions")
    _require_scope(
        actor,
        set(data.add_permissions),
        "OUT_OF_SCOPE_PERMISSION",
        "addPermissions",
        "grant these permissions",
    )
    users = _staff_members(data.add_users, "addUsers")
    group = Group.objects.create(name=name)
    group.permissions.add(*add)
    group.user_set.add(*users)
    return group


@transaction.atomic
def update_group(actor: Actor, group_id: Any, data: GroupData) -> Group:
    group = get_group(group_id)
    _check_groups_scope(actor, [group], "id")
    overlap = set(data.add_permissions) & set(data.remove_permissions)
    if overlap:
        raise DomainError(
            "A permission cannot be added and removed at once.",
            code="DUPLICATED_INPUT_ITEM",
            field="addPermissions",
        )
    add = permission_rows(data.add_permissions, "addPermissions")
    remove = permission_rows(data.remove_permissions, "removePermissions")
    _require_scope(
        actor,
        set(data.add_permissions),
        "OUT_OF_SCOPE_PERMISSION",
        "addPermissions",
        "grant these permissions",
    )
    _require_scope(
        actor,
        set(data.remove_permissions),
        "OUT_OF_SCOPE_PERMISSION",
        "removePermissions",
        "revoke these permissions",
    )
    add_users = _staff_members(data.add_users, "addUsers")
    remove_users = _staff_members(data.remove_users, "removeUsers")
    if data.name is not None:
        group.name = _clean_group_name(data.name, exclude=group)
        group.save()
    if add:
        group.permissions.add(*add)
    if remove:
        group.permissions.remove(*remove)
    if add_users:
        group.user_set.add(*add_users)
    if remove_users:
        group.user_set.remove(*remove_users)
    return group


@transaction.atomic
def delete_group(actor: Actor, group_id: Any) -> Group:
    group = get_group(group_id)
    _check_groups_scope(actor, [group], "id")
    deleted_pk = group.pk
    group.delete()
    group.pk = deleted_pk
    return group


def staff_queryset(search: str | None = None) -> Any:
    users = User.objects.filter(is_staff=True, anonymized_at=None)
    return _search(users, search)


def customer_queryset(search: str | None = None) -> Any:
    users = User.objects.filter(is_staff=False, anonymized_at=None)
    return _search(users, search)


def _search(users: Any, search: str | None) -> Any:
    if search:
        users = users.filter(
            Q(email__icontains=search)
            | Q(phone__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return users
