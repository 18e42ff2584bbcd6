"""The signed-in customer: ``me``, profile, address book, deletion."""

from __future__ import annotations

from typing import Any

import graphene

from account import models, services
from account.schema.types import (
    AccountBaseMutation,
    Address,
    AddressInput,
    AddressTypeEnum,
    User,
    address_data,
    decode_id,
    require_user,
)


class AccountInput(graphene.InputObjectType):
    first_name = graphene.String()
    last_name = graphene.String()


class AccountUpdate(AccountBaseMutation):
    user = graphene.Field(User)

    class Arguments:
        input = AccountInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        value = data["input"]
        user = services.update_account(
            require_user(info), first_name=value.get("first_name"), last_name=value.get("last_name")
        )
        return {"user": user}


class AccountAddressCreate(AccountBaseMutation):
    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        input = AddressInput(required=True)
        type = AddressTypeEnum(description="Also make it the default address of this type.")

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = require_user(info)
        kind = data.get("type")
        address = services.create_address(
            user, address_data(data["input"]), getattr(kind, "value", kind)
        )
        return {"user": user, "address": address}


class AccountAddressUpdate(AccountBaseMutation):
    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = require_user(info)
        pk = decode_id(data["id"], "Address", "id")
        address = services.update_address(user, pk, address_data(data["input"]))
        return {"user": user, "address": address}


class AccountAddressDelete(AccountBaseMutation):
    user = graphene.Field(User)
    address = graphene.Field(Address)

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = require_user(info)
        address = services.delete_address(user, decode_id(data["id"], "Address", "id"))
        return {"user": user, "address": address}


class AccountSetDefaultAddress(AccountBaseMutation):
    user = graphene.Field(User)

    class Arguments:
        id = graphene.ID(required=True)
        type = AddressTypeEnum(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = require_user(info)
        kind = data["type"]
        services.set_default_address(
            user, decode_id(data["id"], "Address", "id"), getattr(kind, "value", kind)
        )
        return {"user": user}


class AccountRequestDeletion(AccountBaseMutation):
    class Arguments:
        redirect_url = graphene.String()
        channel = graphene.String()

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        services.request_deletion(
            require_user(info), redirect_url=data.get("redirect_url"), channel=data.get("channel")
        )
        return {}


class AccountDelete(AccountBaseMutation):
    user = graphene.Field(User)

    class Arguments:
        token = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        return {"user": services.delete_own_account(require_user(info), data["token"])}


class Query(graphene.ObjectType):
    me = graphene.Field(User, description="The signed-in user; null when signed out.")

    @staticmethod
    def resolve_me(root: Any, info: Any) -> Any:
        user = info.context.user
        signed_in = getattr(user, "is_authenticated", False) and isinstance(user, models.User)
        return user if signed_in else None


class Mutation(graphene.ObjectType):
    account_update = AccountUpdate.Field()
    account_address_create = AccountAddressCreate.Field()
    account_address_update = AccountAddressUpdate.Field()
    account_address_delete = AccountAddressDelete.Field()
    account_set_default_address = AccountSetDefaultAddress.Field()
    account_request_deletion = AccountRequestDeletion.Field()
    account_delete = AccountDelete.Field()
