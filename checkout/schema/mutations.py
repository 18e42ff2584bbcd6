"""Storefront checkout mutations, at Saleor's shape. Every write goes through checkout.services.

A checkout is named by ``id`` (its global id, or the bare token as Saleor
accepts) or by the deprecated ``token`` argument. Who may touch it is
``checkout.access``: another customer's checkout is NOT_FOUND.
"""

from __future__ import annotations

from typing import Any

import graphene

from checkout import services
from checkout.access import checkout_for
from checkout.complete import complete_checkout
from checkout.models import Checkout as CheckoutModel
from checkout.schema.common import (
    address_data,
    decode_pk,
    decode_token,
    token_type,
)
from checkout.schema.types import Checkout
from checkout.services import LineInput
from core.errors import DomainError, NotFound, PermissionDenied
from core.graphql.schema import registered_type
from core.graphql.types import BaseMutation
from order.access import is_owner
from order.models import Order as OrderModel


def _user(info: Any) -> Any:
    return info.context.user


def _token(data: dict[str, Any]) -> Any:
    value = data.get("id") or data.get("token")
    if not value:
        raise DomainError("Give the checkout's id.", code="REQUIRED", field="id")
    return decode_token(value, "Checkout")


def _checkout(info: Any, data: dict[str, Any]) -> CheckoutModel:
    return checkout_for(_token(data), _user(info))


def arguments(**fields: Any) -> type:
    """A mutation's ``Arguments``: the checkout (``id``, or deprecated ``token``) and ``fields``."""
    return type(
        "Arguments",
        (),
        {
            "id": graphene.ID(description="The checkout's id (or its token)."),
            "token": graphene.UUID(deprecation_reason="Use id."),
            **fields,
        },
    )


class CheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class CheckoutLineUpdateInput(graphene.InputObjectType):
    line_id = graphene.ID(description="The line to change (or name it by variantId).")
    variant_id = graphene.ID()
    quantity = graphene.Int(required=True, description="0 removes the line.")


def _lines(values: list[Any] | None) -> list[LineInput]:
    return [
        LineInput(decode_pk(v["variant_id"], "ProductVariant", "variantId"), v["quantity"])
        for v in values or ()
    ]


class CheckoutCreateInput(graphene.InputObjectType):
    channel = graphene.String(description="Slug of the channel to buy in.")
    email = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
    shipping_address = graphene.InputField(registered_type("AddressInput"))
    billing_address = graphene.InputField(registered_type("AddressInput"))
    language_code = graphene.String(description="e.g. EN or en-us.")


def _language(value: str | None) -> str:
    return (value or "en").replace("_", "-").lower()


class CheckoutMutation(BaseMutation):
    checkout = graphene.Field(Checkout)

    class Meta:
        abstract = True


class CheckoutCreate(CheckoutMutation):
    created = graphene.Boolean(deprecation_reason="Always true.")

    class Arguments:
        input = CheckoutCreateInput(required=True)

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        value = data["input"]
        channel = value.get("channel")
        if not channel:
            raise DomainError("Choose a channel.", code="MISSING_CHANNEL_SLUG", field="channel")
        shipping, billing = value.get("shipping_address"), value.get("billing_address")
        checkout = services.create_checkout(
            user=_user(info),
            channel=channel,
            email=value.get("email"),
            lines=_lines(value.get("lines")),
            shipping_address=address_data(shipping) if shipping is not None else None,
            billing_address=address_data(billing) if billing is not None else None,
            language_code=_language(value.get("language_code")),
        )
        return {"checkout": checkout, "created": True}


class CheckoutLinesAdd(CheckoutMutation):
    Arguments = arguments(
        lines=graphene.List(graphene.NonNull(CheckoutLineInput), required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        return {"checkout": services.add_lines(checkout, _lines(data["lines"]))}


class CheckoutLinesUpdate(CheckoutMutation):
    Arguments = arguments(
        lines=graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        variant_of_line = dict(checkout.lines.values_list("pk", "variant_id"))
        items = []
        for value in data["lines"]:
            if value.get("line_id"):
                line = decode_pk(value["line_id"], "CheckoutLine", "lineId")
                if line not in variant_of_line:
                    raise NotFound("No such line in this checkout.", field="lineId")
                variant = variant_of_line[line]
            elif value.get("variant_id"):
                variant = decode_pk(value["variant_id"], "ProductVariant", "variantId")
            else:
                raise DomainError("Give lineId or variantId.", code="REQUIRED", field="lineId")
            items.append(LineInput(variant, value["quantity"]))
        return {"checkout": services.update_lines(checkout, items)}


class CheckoutLinesDelete(CheckoutMutation):
    Arguments = arguments(
        lines_ids=graphene.List(graphene.NonNull(graphene.ID), required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        ids = [decode_pk(v, "CheckoutLine", "linesIds") for v in data["lines_ids"]]
        return {"checkout": services.delete_lines(checkout, ids)}


class CheckoutEmailUpdate(CheckoutMutation):
    Arguments = arguments(
        email=graphene.String(required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        return {"checkout": services.update_email(checkout, data["email"])}


class CheckoutShippingAddressUpdate(CheckoutMutation):
    Arguments = arguments(
        shipping_address=graphene.Argument(registered_type("AddressInput"), required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        value = address_data(data["shipping_address"])
        return {"checkout": services.update_shipping_address(checkout, value)}


class CheckoutBillingAddressUpdate(CheckoutMutation):
    Arguments = arguments(
        billing_address=graphene.Argument(registered_type("AddressInput"), required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        value = address_data(data["billing_address"])
        return {"checkout": services.update_billing_address(checkout, value)}


class CheckoutDeliveryMethodUpdate(CheckoutMutation):
    Arguments = arguments(
        delivery_method_id=graphene.ID(
            description="A ShippingMethod, or a Warehouse to collect from; null clears it."
        ),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        value = data.get("delivery_method_id")
        if value is None:
            return {"checkout": services.update_delivery_method(checkout, None)}
        if token_type(value) == "Warehouse":
            point = decode_pk(value, "Warehouse", "deliveryMethodId")
            return {"checkout": services.update_collection_point(checkout, point)}
        method = decode_pk(value, "ShippingMethod", "deliveryMethodId")
        return {"checkout": services.update_delivery_method(checkout, method)}


class CheckoutAddPromoCode(CheckoutMutation):
    Arguments = arguments(
        promo_code=graphene.String(required=True),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        return {"checkout": services.add_promo_code(checkout, data["promo_code"])}


class CheckoutRemovePromoCode(CheckoutMutation):
    Arguments = arguments(
        promo_code=graphene.String(),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        checkout = _checkout(info, data)
        return {"checkout": services.remove_promo_code(checkout, data.get("promo_code"))}


class CheckoutCustomerAttach(CheckoutMutation):
    Arguments = arguments()

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = _user(info)
        if not getattr(user, "is_authenticated", False):
            raise PermissionDenied("Sign in to attach the checkout to your account.")
        checkout = _checkout(info, data)
        return {"checkout": services.attach_customer(checkout, user)}


class CheckoutComplete(CheckoutMutation):
    """Turn the checkout into an order. Idempotent: a retry returns the same order."""

    order = graphene.Field(registered_type("Order"))
    confirmation_needed = graphene.Boolean(required=True)
    confirmation_data = graphene.JSONString()

    Arguments = arguments(
        payment_data=graphene.JSONString(description="Unused: pay with transactions first."),
        redirect_url=graphene.String(),
        store_source=graphene.Boolean(),
    )

    @classmethod
    def perform(cls, info: Any, **data: Any) -> dict:
        user = _user(info)
        token = _token(data)
        if CheckoutModel.objects.filter(token=token).exists():
            checkout_for(token, user)  # another customer's checkout: NOT_FOUND
        else:
            done = OrderModel.objects.filter(checkout_token=token).first()
            if done is None or (done.user_id is not None and not is_owner(done, user)):
                raise NotFound("No such checkout.", field="id")
        order, _ = complete_checkout(token, user=user)
        return {"order": order, "confirmation_needed": False, "confirmation_data": None}

    @classmethod
    def mutate(cls, root: Any, info: Any, **data: Any) -> CheckoutComplete:
        result = super().mutate(root, info, **data)
        if result.errors:
            result.confirmation_needed = False
        return result


class Mutation(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_lines_update = CheckoutLinesUpdate.Field()
    checkout_lines_delete = CheckoutLinesDelete.Field()
    checkout_email_update = CheckoutEmailUpdate.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_billing_address_update = CheckoutBillingAddressUpdate.Field()
    checkout_delivery_method_update = CheckoutDeliveryMethodUpdate.Field()
    checkout_add_promo_code = CheckoutAddPromoCode.Field()
    checkout_remove_promo_code = CheckoutRemovePromoCode.Field()
    checkout_customer_attach = CheckoutCustomerAttach.Field()
    checkout_complete = CheckoutComplete.Field()
