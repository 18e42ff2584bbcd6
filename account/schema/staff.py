"""Staff GraphQL: customers, staff users, permission groups."""

from __future__ import annotations

from typing import Any

import graphene
from django.contrib.auth.models import Group

from account import services
from account.schema.types import (
    AccountBaseMutation,
    PermissionEnum,
    PermissionGroup,
    PermissionGroupCountableConnection,
    User,
    UserCountableConnection,
    decode_id,
    decode_ids,
)
from core.errors import NotFound, PermissionDenied
from core.graphql.pagination import Ordering, connection_args, paginate
from core.permissions import Perm, has_perm, require_perm

USER_ORDER = Ordering(("-date_joined",))
GROUP_ORDER = Ordering(("name",))


def _users(queryset: Any) -> Any:
    """Everything a User node shows, loaded in a fixed number of queries per page."""
    return queryset.select_related(
        "default_shipping_address", "default_billing_address"
    ).prefetch_related(
        "addresses",
        "groups__permissions__content_type",
        "user_permissions__content_type",
    )


class CustomerFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Part of the email, phone or name.")


class StaffUserInput(graphene.InputObjectType):
    search = graphene.String()


class CustomerInput(graphene.InputObjectType):
    email = graphene.String()
    phone = graphene.String()
    first_name = graphene.String()
    last_name = graphene.String()
    is_active = graphene.Boolean()
    redirect_url = graphene.String(description="Where the set-password link leads (create only).")
    channel = graphene.String()


class StaffCreateInput(CustomerInput):
    add_groups = graphene.List(graphene.NonNull(graphene.ID))


class StaffUpdateInput(StaffCreateInput):
    remove_groups = graphene.List(graphene.NonNull(graphene.ID))


def _account_data(value: Any) -> services.AccountData:
    data = services.AccountData(
        redirect_url=value.get("redirect_url"),
        channel=value.get("channel"),
        add_groups=decode_ids(value.get("add_groups"), "Group", "addGroups"),
        remove_groups=decode_ids(value.get("remove_groups"), "Group", "removeGroups"),
    )
    for name in ("email", "phone", "first_name", "last_name", "is_active"):
        if name in value:
            setattr(data, name, value[name])
    return data


class CustomerCreate(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_USERS

    class Arguments:
        input = CustomerInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        return {"user": services.create_customer(info.context.user, _account_data(data["input"]))}


class CustomerUpdate(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_USERS

    class Arguments:
        id = graphene.ID(required=True)
        input = CustomerInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "User", "id")
        user = services.update_customer(info.context.user, pk, _account_data(data["input"]))
        return {"user": user}


class CustomerDelete(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_USERS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "User", "id")
        return {"user": services.delete_customer(info.context.user, pk)}


class StaffCreate(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        input = StaffCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        return {"user": services.create_staff(info.context.user, _account_data(data["input"]))}


class StaffUpdate(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        id = graphene.ID(required=True)
        input = StaffUpdateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "User", "id")
        return {"user": services.update_staff(info.context.user, pk, _account_data(data["input"]))}


class StaffDelete(AccountBaseMutation):
    user = graphene.Field(User)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "User", "id")
        return {"user": services.delete_staff(info.context.user, pk)}


class PermissionGroupCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    add_permissions = graphene.List(graphene.NonNull(PermissionEnum))
    add_users = graphene.List(graphene.NonNull(graphene.ID))


class PermissionGroupUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    add_permissions = graphene.List(graphene.NonNull(PermissionEnum))
    remove_permissions = graphene.List(graphene.NonNull(PermissionEnum))
    add_users = graphene.List(graphene.NonNull(graphene.ID))
    remove_users = graphene.List(graphene.NonNull(graphene.ID))


def _perm_values(values: Any) -> list[str]:
    return [getattr(v, "value", v) for v in values or ()]


def _group_data(value: Any) -> services.GroupData:
    return services.GroupData(
        name=value.get("name"),
        add_permissions=_perm_values(value.get("add_permissions")),
        remove_permissions=_perm_values(value.get("remove_permissions")),
        add_users=decode_ids(value.get("add_users"), "User", "addUsers"),
        remove_users=decode_ids(value.get("remove_users"), "User", "removeUsers"),
    )


class PermissionGroupCreate(AccountBaseMutation):
    group = graphene.Field(PermissionGroup)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        input = PermissionGroupCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        return {"group": services.create_group(info.context.user, _group_data(data["input"]))}


class PermissionGroupUpdate(AccountBaseMutation):
    group = graphene.Field(PermissionGroup)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        id = graphene.ID(required=True)
        input = PermissionGroupUpdateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "Group", "id")
        return {"group": services.update_group(info.context.user, pk, _group_data(data["input"]))}


class PermissionGroupDelete(AccountBaseMutation):
    group = graphene.Field(PermissionGroup)
    permission = Perm.MANAGE_STAFF

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pk = decode_id(data["id"], "Group", "id")
        return {"group": services.delete_group(info.context.user, pk)}


class Query(graphene.ObjectType):
    customers = graphene.Field(
        UserCountableConnection,
        filter=CustomerFilterInput(),
        **connection_args(),
        description="Customer accounts. Needs MANAGE_USERS.",
    )
    staff_users = graphene.Field(
        UserCountableConnection,
        filter=StaffUserInput(),
        **connection_args(),
        description="Staff accounts. Needs MANAGE_STAFF.",
    )
    user = graphene.Field(
        User,
        id=graphene.ID(required=True),
        description="A customer (MANAGE_USERS) or a staff user (MANAGE_STAFF).",
    )
    permission_groups = graphene.Field(
        PermissionGroupCountableConnection, **connection_args(), description="Needs MANAGE_STAFF."
    )
    permission_group = graphene.Field(
        PermissionGroup, id=graphene.ID(required=True), description="Needs MANAGE_STAFF."
    )

    @staticmethod
    def resolve_customers(root: Any, info: Any, filter: Any = None, **page: Any) -> Any:
        require_perm(info.context.user, Perm.MANAGE_USERS)
        queryset = services.customer_queryset((filter or {}).get("search"))
        return paginate(_users(queryset), UserCountableConnection, USER_ORDER, **page)

    @staticmethod
    def resolve_staff_users(root: Any, info: Any, filter: Any = None, **page: Any) -> Any:
        require_perm(info.context.user, Perm.MANAGE_STAFF)
        queryset = services.staff_queryset((filter or {}).get("search"))
        return paginate(_users(queryset), UserCountableConnection, USER_ORDER, **page)

    @staticmethod
    def resolve_user(root: Any, info: Any, id: str) -> Any:
        from account.models import User as UserModel

        actor = info.context.user
        if not (has_perm(actor, Perm.MANAGE_USERS) or has_perm(actor, Perm.MANAGE_STAFF)):
            raise PermissionDenied("You need the 'MANAGE_USERS' or 'MANAGE_STAFF' permission.")
        pk = decode_id(id, "User", "id")
        user = UserModel.objects.filter(pk=pk, anonymized_at=None).first()
        if user is None:
            raise NotFound("No such user.", field="id")
        require_perm(actor, Perm.MANAGE_STAFF if user.is_staff else Perm.MANAGE_USERS)
        return user

    @staticmethod
    def resolve_permission_groups(root: Any, info: Any, **page: Any) -> Any:
        require_perm(info.context.user, Perm.MANAGE_STAFF)
        groups = Group.objects.prefetch_related("permissions__content_type", "user_set")
        return paginate(groups, PermissionGroupCountableConnection, GROUP_ORDER, **page)

    @staticmethod
    def resolve_permission_group(root: Any, info: Any, id: str) -> Any:
        require_perm(info.context.user, Perm.MANAGE_STAFF)
        group = Group.objects.filter(pk=decode_id(id, "Group", "id")).first()
        if group is None:
            raise NotFound("No such permission group.", field="id")
        return group


class Mutation(graphene.ObjectType):
    customer_create = CustomerCreate.Field()
    customer_update = CustomerUpdate.Field()
    customer_delete = CustomerDelete.Field()
    staff_create = StaffCreate.Field()
    staff_update = StaffUpdate.Field()
    staff_delete = StaffDelete.Field()
    permission_group_create = PermissionGroupCreate.Field()
    permission_group_update = PermissionGroupUpdate.Field()
    permission_group_delete = PermissionGroupDelete.Field()
