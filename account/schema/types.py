"""GraphQL types of accounts: User, Address, permission groups, errors with retry-after."""

from __future__ import annotations

import binascii
import logging
from typing import Any

import graphene
from graphql import GraphQLResolveInfo
from graphql_relay import from_global_id

from account import models
from core.errors import DomainError, ErrorDetail
from core.graphql.pagination import CountableConnection
from core.graphql.schema import extendable
from core.graphql.types import BaseMutation
from core.permissions import Perm, require_perm
from core.schema import CountryDisplay

logger = logging.getLogger("core.graphql")

PermissionEnum = graphene.Enum("PermissionEnum", [(perm.name, perm.value) for perm in Perm])
AddressTypeEnum = graphene.Enum(
    "AddressTypeEnum", [("SHIPPING", "SHIPPING"), ("BILLING", "BILLING")]
)


def gid(type_name: str, pk: Any) -> str:
    return graphene.relay.Node.to_global_id(type_name, pk)


def decode_id(value: Any, type_name: str, field: str) -> int:
    """A global id of ``type_name`` (or a plain primary key) -> primary key."""
    text = str(value or "")
    if text.isdigit():
        return int(text)
    try:
        found_type, pk = from_global_id(text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        found_type, pk = "", ""
    if found_type != type_name or not str(pk).isdigit():
        raise DomainError(f"{text!r} is not a valid {type_name} id.", code="INVALID", field=field)
    return int(pk)


def decode_ids(values: list[Any] | None, type_name: str, field: str) -> list[int]:
    return [decode_id(v, type_name, field) for v in values or ()]


class AccountError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about, if any.")
    code = graphene.String(required=True, description="Stable machine-readable code.")
    message = graphene.String(required=True, description="Human-readable explanation.")
    retry_after = graphene.Int(description="Seconds to wait before trying again (rate limits).")

    @classmethod
    def from_detail(cls, detail: ErrorDetail) -> AccountError:
        extra = detail.extra or {}
        return cls(
            field=detail.field,
            code=detail.code,
            message=detail.message,
            retry_after=extra.get("retry_after"),
        )


class AccountBaseMutation(BaseMutation):
    """BaseMutation whose errors are ``AccountError`` (``retryAfter`` on rate limits)."""

    errors = graphene.List(graphene.NonNull(AccountError), required=True)

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root: Any, info: GraphQLResolveInfo, **data: Any) -> AccountBaseMutation:
        try:
            if cls.permission is not None:
                require_perm(info.context.user, cls.permission)
            result = cls.perform(info, **data)
        except DomainError as error:
            return cls(errors=[AccountError.from_detail(d) for d in error.errors])
        return cls(errors=[], **result)


def require_user(info: GraphQLResolveInfo) -> models.User:
    """The signed-in person. An app token is a principal but not a person: it has no
    account to read or change, so it gets the same typed refusal as anonymous."""
    user = info.context.user
    if not getattr(user, "is_authenticated", False) or not isinstance(user, models.User):
        from core.errors import PermissionDenied

        raise PermissionDenied("Sign in as a customer or staff member.", code="PERMISSION_DENIED")
    return user


@extendable
class Address(graphene.ObjectType):
    id = graphene.ID(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String(required=True)
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String(required=True)
    city = graphene.String(required=True)
    city_area = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.Field(CountryDisplay, required=True)
    country_area = graphene.String(required=True)
    phone = graphene.String()

    @staticmethod
    def resolve_id(root: models.Address, info: Any) -> str:
        return gid("Address", root.pk)

    @staticmethod
    def resolve_country(root: models.Address, info: Any) -> CountryDisplay:
        return CountryDisplay(code=root.country.code, country=root.country.name)


class Permission(graphene.ObjectType):
    code = graphene.Field(PermissionEnum, required=True)
    name = graphene.String(required=True)


def permission_list(values: set[str]) -> list[Permission]:
    return [
        Permission(code=Perm(v).value, name=Perm(v).name.replace("_", " ").capitalize())
        for v in sorted(values)
    ]


class PermissionGroup(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    permissions = graphene.List(graphene.NonNull(Permission), required=True)
    users = graphene.List(graphene.NonNull(lambda: User), required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return gid("Group", root.pk)

    @staticmethod
    def resolve_permissions(root: Any, info: Any) -> list[Permission]:
        values = {f"{p.content_type.app_label}.{p.codename}" for p in root.permissions.all()}
        return permission_list(values & set(Perm))

    @staticmethod
    def resolve_users(root: Any, info: Any) -> Any:
        return root.user_set.all()


@extendable
class User(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String()
    phone = graphene.String()
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    is_active = graphene.Boolean(required=True)
    is_confirmed = graphene.Boolean(required=True)
    registration_method = graphene.String(required=True)
    date_joined = graphene.DateTime(required=True)
    last_login = graphene.DateTime()
    addresses = graphene.List(graphene.NonNull(Address), required=True)
    default_shipping_address = graphene.Field(Address)
    default_billing_address = graphene.Field(Address)
    permission_groups = graphene.List(graphene.NonNull(PermissionGroup), required=True)
    user_permissions = graphene.List(
        graphene.NonNull(Permission), required=True, description="Effective staff permissions."
    )

    @staticmethod
    def resolve_id(root: models.User, info: Any) -> str:
        return gid("User", root.pk)

    @staticmethod
    def resolve_addresses(root: models.User, info: Any) -> Any:
        return root.addresses.all()

    @staticmethod
    def resolve_permission_groups(root: models.User, info: Any) -> Any:
        return root.groups.all()

    @staticmethod
    def resolve_user_permissions(root: models.User, info: Any) -> list[Permission]:
        """From the user's and their groups' permissions (prefetched by lists)."""
        if not root.is_staff or not root.is_active:
            return []
        if root.is_superuser:
            return permission_list({perm.value for perm in Perm})
        rows = [*root.user_permissions.all()]
        for group in root.groups.all():
            rows.extend(group.permissions.all())
        values = {f"{row.content_type.app_label}.{row.codename}" for row in rows}
        return permission_list(values & set(Perm))


class UserCountableConnection(CountableConnection):
    class Meta:
        node = User


class PermissionGroupCountableConnection(CountableConnection):
    class Meta:
        node = PermissionGroup


@extendable
class AddressInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    company_name = graphene.String()
    street_address_1 = graphene.String()
    street_address_2 = graphene.String()
    city = graphene.String()
    city_area = graphene.String()
    postal_code = graphene.String()
    country = graphene.String(description="ISO 3166-1 alpha-2 code, e.g. NG.")
    country_area = graphene.String()
    phone = graphene.String()


def address_data(value: Any) -> dict[str, Any]:
    return {key: val for key, val in dict(value or {}).items()}
