"""Sign-up, confirmation, tokens and passwords (Saleor's operation names and payloads)."""

from __future__ import annotations

import json
from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from account import services
from account.schema.types import AccountBaseMutation, User, require_user
from core.errors import DomainError


def _tokens(pair: services.TokenPair) -> dict[str, Any]:
    return {"token": pair.access, "refresh_token": pair.refresh, "user": pair.user}


class AccountRegisterInput(graphene.InputObjectType):
    email = graphene.String(description="Email, or leave it out and give a phone number.")
    phone = graphene.String(description="Phone number in E.164 form, e.g. +2348012345678.")
    password = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    redirect_url = graphene.String(description="Storefront page the confirmation link opens.")
    channel = graphene.String(description="Channel slug whose notification settings apply.")


class AccountRegister(AccountBaseMutation):
    requires_confirmation = graphene.Boolean()
    user = graphene.Field(User)

    class Arguments:
        input = AccountRegisterInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        value = data["input"]
        user, requires_confirmation = services.register(
            services.Registration(
                password=value.get("password") or "",
                email=value.get("email"),
                phone=value.get("phone"),
                first_name=value.get("first_name") or "",
                last_name=value.get("last_name") or "",
                redirect_url=value.get("redirect_url"),
                channel=value.get("channel"),
            )
        )
        return {"user": user, "requires_confirmation": requires_confirmation}


class ConfirmAccount(AccountBaseMutation):
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String()
        phone = graphene.String()
        token = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = services.confirm_account(data.get("email"), data.get("phone"), data["token"])
        return {"user": user}


class TokenCreate(AccountBaseMutation):
    token = graphene.String(description="Access token (JWT), valid a few minutes.")
    refresh_token = graphene.String(description="Refresh token (JWT), valid about a month.")
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String()
        phone = graphene.String()
        password = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pair = services.create_tokens(
            data.get("email"), data.get("phone"), data["password"], request=info.context
        )
        return _tokens(pair)


class TokenRefresh(AccountBaseMutation):
    token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        refresh_token = graphene.String()

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        access, user = services.refresh_access_token(data.get("refresh_token"))
        return {"token": access, "user": user}


class TokenVerify(AccountBaseMutation):
    is_valid = graphene.Boolean(required=True)
    payload = GenericScalar()
    user = graphene.Field(User)

    class Arguments:
        token = graphene.String(required=True)

    @classmethod
    def mutate(cls, root: Any, info: Any, **data: Any) -> TokenVerify:
        result = super().mutate(root, info, **data)
        if result.errors:
            result.is_valid = False
        return result

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        claims, user = services.verify_access_token(data["token"])
        shown = {k: v for k, v in claims.items() if k != "token"}
        return {"is_valid": True, "payload": shown, "user": user}


class TokensDeactivateAll(AccountBaseMutation):
    class Arguments:
        pass

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        services.deactivate_all_tokens(require_user(info))
        return {}


class RequestPasswordReset(AccountBaseMutation):
    class Arguments:
        email = graphene.String()
        phone = graphene.String()
        redirect_url = graphene.String()
        channel = graphene.String()

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        services.request_password_reset(
            data.get("email"),
            data.get("phone"),
            redirect_url=data.get("redirect_url"),
            channel=data.get("channel"),
            request=info.context,
        )
        return {}


class SetPassword(AccountBaseMutation):
    token = graphene.String()
    refresh_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        email = graphene.String()
        phone = graphene.String()
        token = graphene.String(required=True)
        password = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        pair = services.set_password(
            data.get("email"),
            data.get("phone"),
            data["token"],
            data["password"],
            request=info.context,
        )
        return _tokens(pair)


class PasswordChange(AccountBaseMutation):
    user = graphene.Field(User)

    class Arguments:
        old_password = graphene.String(required=True)
        new_password = graphene.String(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = services.change_password(
            require_user(info), data["old_password"], data["new_password"]
        )
        return {"user": user}


class ExternalObtainAccessTokens(AccountBaseMutation):
    token = graphene.String()
    refresh_token = graphene.String()
    user = graphene.Field(User)

    class Arguments:
        plugin_id = graphene.String(required=True)
        input = graphene.JSONString(required=True, description='e.g. {"idToken": "..."}')

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        credentials = data["input"]
        if isinstance(credentials, str):
            try:
                credentials = json.loads(credentials)
            except ValueError as exc:
                raise DomainError(
                    "input must be a JSON object.", code="INVALID", field="input"
                ) from exc
        if not isinstance(credentials, dict):
            raise DomainError("input must be a JSON object.", code="INVALID", field="input")
        pair = services.authenticate_external(data["plugin_id"], credentials, info.context)
        return _tokens(pair)


class Mutation(graphene.ObjectType):
    account_register = AccountRegister.Field()
    confirm_account = ConfirmAccount.Field()
    token_create = TokenCreate.Field()
    token_refresh = TokenRefresh.Field()
    token_verify = TokenVerify.Field()
    tokens_deactivate_all = TokensDeactivateAll.Field()
    request_password_reset = RequestPasswordReset.Field()
    set_password = SetPassword.Field()
    password_change = PasswordChange.Field()
    external_obtain_access_tokens = ExternalObtainAccessTokens.Field()
