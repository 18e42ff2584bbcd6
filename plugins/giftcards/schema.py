"""GraphQL of gift cards (added through start-up hooks).

* ``GiftCard`` is registered under that name (``extendable``), so the core's
  ``checkout.giftCards`` uses it; the code is shown in full only to staff with
  MANAGE_GIFT_CARDS and to the card's owner, masked (last 4) to anyone else.
* Staff (MANAGE_GIFT_CARDS): ``giftCards(filter)``, ``giftCard(id)``,
  ``giftCardCreate``, ``giftCardUpdate``, ``giftCardActivate``, ``giftCardDeactivate``.
* Customers: ``me { giftCards }`` (their own cards); ``order.giftCards`` (cards
  that paid for an order, for whoever may see the order).
"""

from __future__ import annotations

import binascii
from typing import Any

import graphene
from django.db.models import Prefetch, Q
from graphene.relay import Node
from graphql import GraphQLResolveInfo
from graphql_relay import from_global_id
from prices import Money as PricesMoney

from core.errors import DomainError, NotFound
from core.graphql.pagination import CountableConnection, Ordering, connection_args, paginate
from core.graphql.schema import extendable, registered_type
from core.graphql.types import BaseMutation, Money
from core.permissions import Perm, has_perm, require_perm
from plugins.giftcards import services
from plugins.giftcards.models import GiftCard, GiftCardEvent
from plugins.giftcards.rules import is_expired, normalise, today


def _may_see_code(card: GiftCard, user: Any) -> bool:
    owner = (
        card.customer_id is not None
        and getattr(user, "is_authenticated", False)
        and user.pk == card.customer_id
    )
    return owner or has_perm(user, Perm.MANAGE_GIFT_CARDS)


def _pk(value: Any, field: str = "id") -> int:
    text = str(value or "")
    if text.isdigit():
        return int(text)
    try:
        kind, pk = from_global_id(text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        kind, pk = "", ""
    if kind != "GiftCard" or not str(pk).isdigit():
        raise NotFound("No gift card with this id.", field=field)
    return int(pk)


def _card(value: Any, field: str = "id") -> GiftCard:
    card = GiftCard.objects.filter(pk=_pk(value, field)).first()
    if card is None:
        raise NotFound("No gift card with this id.", field=field)
    return card


class GiftCardEventType(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.String(required=True)
    date = graphene.DateTime(required=True)
    amount = graphene.Field(Money, required=True, description="Negative when spent.")
    balance = graphene.Field(Money, required=True, description="The balance after the event.")
    order_number = graphene.String()
    email = graphene.String(description="Who acted (staff), when known.")

    class Meta:
        name = "GiftCardEvent"

    @staticmethod
    def resolve_id(root: GiftCardEvent, info: GraphQLResolveInfo) -> str:
        return Node.to_global_id("GiftCardEvent", root.pk)

    @staticmethod
    def resolve_date(root: GiftCardEvent, info: GraphQLResolveInfo) -> Any:
        return root.created_at

    @staticmethod
    def resolve_amount(root: GiftCardEvent, info: GraphQLResolveInfo) -> PricesMoney:
        return PricesMoney(root.amount, root.currency)

    @staticmethod
    def resolve_balance(root: GiftCardEvent, info: GraphQLResolveInfo) -> PricesMoney:
        return PricesMoney(root.balance_after, root.currency)

    @staticmethod
    def resolve_order_number(root: GiftCardEvent, info: GraphQLResolveInfo) -> str | None:
        return None if root.order_number is None else str(root.order_number)

    @staticmethod
    def resolve_email(root: GiftCardEvent, info: GraphQLResolveInfo) -> str | None:
        return root.user.email if root.user_id and root.user else None


@extendable
class GiftCardType(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(
        required=True, description="In full for staff and the owner; else masked but the last 4."
    )
    display_code = graphene.String(required=True, description="Always masked: ****1234.")
    last_4_code_chars = graphene.String(required=True)
    initial_balance = graphene.Field(Money, required=True)
    current_balance = graphene.Field(Money, required=True)
    expiry_date = graphene.Date()
    is_active = graphene.Boolean(required=True)
    is_expired = graphene.Boolean(required=True)
    created = graphene.DateTime(required=True)
    last_used_on = graphene.DateTime()
    bought_in_order = graphene.String(description="Number of the order it was bought in.")
    customer_email = graphene.String(description="Owner's email (staff and the owner).")
    events = graphene.List(
        graphene.NonNull(GiftCardEventType),
        required=True,
        description="Every change, oldest first (staff and the owner; empty for others).",
    )

    class Meta:
        name = "GiftCard"

    @staticmethod
    def resolve_id(root: GiftCard, info: GraphQLResolveInfo) -> str:
        return Node.to_global_id("GiftCard", root.pk)

    @staticmethod
    def resolve_code(root: GiftCard, info: GraphQLResolveInfo) -> str:
        return root.code if _may_see_code(root, info.context.user) else root.masked_code

    @staticmethod
    def resolve_display_code(root: GiftCard, info: GraphQLResolveInfo) -> str:
        return root.masked_code

    @staticmethod
    def resolve_last_4_code_chars(root: GiftCard, info: GraphQLResolveInfo) -> str:
        return root.last_4

    @staticmethod
    def resolve_initial_balance(root: GiftCard, info: GraphQLResolveInfo) -> PricesMoney:
        return PricesMoney(root.initial_balance, root.currency)

    @staticmethod
    def resolve_current_balance(root: GiftCard, info: GraphQLResolveInfo) -> PricesMoney:
        return PricesMoney(root.current_balance, root.currency)

    @staticmethod
    def resolve_is_expired(root: GiftCard, info: GraphQLResolveInfo) -> bool:
        return is_expired(root)

    @staticmethod
    def resolve_created(root: GiftCard, info: GraphQLResolveInfo) -> Any:
        return root.created_at

    @staticmethod
    def resolve_last_used_on(root: GiftCard, info: GraphQLResolveInfo) -> Any:
        return root.last_used_at

    @staticmethod
    def resolve_bought_in_order(root: GiftCard, info: GraphQLResolveInfo) -> str | None:
        return None if root.order_number is None else str(root.order_number)

    @staticmethod
    def resolve_customer_email(root: GiftCard, info: GraphQLResolveInfo) -> str | None:
        if root.customer_id is None or not _may_see_code(root, info.context.user):
            return None
        return root.customer.email

    @staticmethod
    def resolve_events(root: GiftCard, info: GraphQLResolveInfo) -> Any:
        if not _may_see_code(root, info.context.user):
            return []
        if "events" in getattr(root, "_prefetched_objects_cache", {}):
            return root.events.all()
        return root.events.select_related("user")


class GiftCardCountableConnection(CountableConnection):
    class Meta:
        node = GiftCardType


# -- mutations ---------------------------------------------------------------------------------


class PriceInput(graphene.InputObjectType):
    amount = graphene.InputField(registered_type("PositiveDecimal"), required=True)
    currency = graphene.String(required=True)

    class Meta:
        name = "GiftCardBalanceInput"


class GiftCardCreateInput(graphene.InputObjectType):
    balance = PriceInput(required=True)
    code = graphene.String(description="Omit to generate an unguessable one.")
    expiry_date = graphene.Date()
    user_email = graphene.String(description="The customer who owns the card.")
    is_active = graphene.Boolean(default_value=True)
    note = graphene.String()


class GiftCardUpdateInput(graphene.InputObjectType):
    expiry_date = graphene.Date(description="null: never expires.")
    user_email = graphene.String(description='The owner; "" removes the owner.')
    is_active = graphene.Boolean()
    note = graphene.String()


def _customer(email: str | None, field: str = "userEmail") -> Any:
    from account.models import User

    if not email:
        return None
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise NotFound("No customer with this email.", field=field)
    return user


class GiftCardCreate(BaseMutation):
    gift_card = graphene.Field(GiftCardType)
    permission = Perm.MANAGE_GIFT_CARDS

    class Arguments:
        input = GiftCardCreateInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        values = data["input"]
        balance = values["balance"]
        card = services.issue(
            info.context.user,
            services.IssueInput(
                balance=balance["amount"],
                currency=balance["currency"],
                code=values.get("code") or None,
                expiry_date=values.get("expiry_date"),
                customer=_customer(values.get("user_email")),
                note=values.get("note") or "",
                is_active=values.get("is_active", True) is not False,
            ),
        )
        return {"gift_card": card}


class GiftCardUpdate(BaseMutation):
    gift_card = graphene.Field(GiftCardType)
    permission = Perm.MANAGE_GIFT_CARDS

    class Arguments:
        id = graphene.ID(required=True)
        input = GiftCardUpdateInput(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        values = data["input"]
        changes: dict[str, Any] = {}
        if "expiry_date" in values:
            changes["expiry_date"] = values["expiry_date"]
        if "user_email" in values:
            changes["customer"] = _customer(values["user_email"])
        if values.get("is_active") is not None:
            changes["is_active"] = values["is_active"]
        if values.get("note") is not None:
            changes["note"] = values["note"]
        card = services.update(info.context.user, _card(data["id"]), **changes)
        return {"gift_card": card}


class GiftCardActivate(BaseMutation):
    gift_card = graphene.Field(GiftCardType)
    permission = Perm.MANAGE_GIFT_CARDS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        return {"gift_card": services.set_active(info.context.user, _card(data["id"]), True)}


class GiftCardDeactivate(BaseMutation):
    gift_card = graphene.Field(GiftCardType)
    permission = Perm.MANAGE_GIFT_CARDS

    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info: GraphQLResolveInfo, **data: Any) -> dict:
        return {"gift_card": services.set_active(info.context.user, _card(data["id"]), False)}


# -- queries ----------------------------------------------------------------------------------


class GiftCardFilterInput(graphene.InputObjectType):
    code = graphene.String(description="The full code, any case; or its last 4 characters.")
    is_active = graphene.Boolean()
    is_expired = graphene.Boolean()
    currency = graphene.String()
    user_email = graphene.String(description="Cards owned by this customer.")
    used_in_order = graphene.String(description="Cards that paid for this order number.")


def _listed() -> Any:
    """Cards as lists show them: owner and events fetched with the page, not per card."""
    events = GiftCardEvent.objects.select_related("user")
    return GiftCard.objects.select_related("customer").prefetch_related(
        Prefetch("events", queryset=events)
    )


def _filtered(filter: dict | None) -> Any:
    queryset = _listed()
    values = filter or {}
    code = normalise(values.get("code") or "")
    if code:
        condition = Q(code__iexact=code)
        if len(code) == 4:
            condition |= Q(code__iendswith=code)
        queryset = queryset.filter(condition)
    if values.get("is_active") is not None:
        queryset = queryset.filter(is_active=values["is_active"])
    if values.get("is_expired") is not None:
        expired = Q(expiry_date__lt=today())
        queryset = queryset.filter(expired if values["is_expired"] else ~expired)
    if values.get("currency"):
        queryset = queryset.filter(currency=values["currency"].strip().upper())
    if values.get("user_email"):
        queryset = queryset.filter(customer__email__iexact=values["user_email"].strip())
    if values.get("used_in_order"):
        number = str(values["used_in_order"]).strip().lstrip("#")
        if not number.isdigit():
            raise DomainError("An order number is digits.", code="INVALID", field="usedInOrder")
        queryset = queryset.filter(
            events__type=GiftCardEvent.Type.USED_IN_ORDER, events__order_number=int(number)
        )
    return queryset


def resolve_gift_cards(
    root: Any, info: GraphQLResolveInfo, filter: dict | None = None, **page: Any
) -> Any:
    require_perm(info.context.user, Perm.MANAGE_GIFT_CARDS)
    return paginate(
        _filtered(filter), GiftCardCountableConnection, Ordering(("-created_at",)), **page
    )


def resolve_gift_card(root: Any, info: GraphQLResolveInfo, id: str) -> GiftCard | None:
    require_perm(info.context.user, Perm.MANAGE_GIFT_CARDS)
    try:
        return GiftCard.objects.filter(pk=_pk(id)).first()
    except NotFound:
        return None


def resolve_user_gift_cards(root: Any, info: GraphQLResolveInfo, **page: Any) -> Any:
    """A customer's own cards; staff with MANAGE_GIFT_CARDS see anyone's (``user(id)``)."""
    user = info.context.user
    mine = getattr(user, "is_authenticated", False) and user.pk == root.pk
    queryset = _listed().filter(customer_id=root.pk)
    if not (mine or has_perm(user, Perm.MANAGE_GIFT_CARDS)):
        queryset = queryset.none()
    return paginate(queryset, GiftCardCountableConnection, Ordering(("-created_at",)), **page)


def resolve_order_gift_cards(root: Any, info: GraphQLResolveInfo) -> list[GiftCard]:
    """Cards that paid for the order (whoever may see the order sees them, codes masked)."""
    return list(
        GiftCard.objects.filter(
            events__type=GiftCardEvent.Type.USED_IN_ORDER, events__order_number=root.number
        ).order_by("pk")
    )


def query_fields() -> dict[str, graphene.Field]:
    return {
        "gift_cards": graphene.Field(
            GiftCardCountableConnection,
            filter=GiftCardFilterInput(),
            resolver=resolve_gift_cards,
            description="Staff only (MANAGE_GIFT_CARDS). Newest first.",
            **connection_args(),
        ),
        "gift_card": graphene.Field(
            GiftCardType,
            id=graphene.ID(required=True),
            resolver=resolve_gift_card,
            description="Staff only (MANAGE_GIFT_CARDS).",
        ),
    }


def mutation_fields() -> dict[str, graphene.Field]:
    return {
        "gift_card_create": GiftCardCreate.Field(),
        "gift_card_update": GiftCardUpdate.Field(),
        "gift_card_activate": GiftCardActivate.Field(),
        "gift_card_deactivate": GiftCardDeactivate.Field(),
    }


def type_fields() -> dict[str, dict[str, Any]]:
    return {
        "User": {
            "gift_cards": graphene.Field(
                GiftCardCountableConnection,
                resolver=resolve_user_gift_cards,
                description="The person's gift cards (the owner, or MANAGE_GIFT_CARDS).",
                **connection_args(),
            )
        },
        "Order": {
            "gift_cards": graphene.List(
                graphene.NonNull(GiftCardType),
                required=True,
                resolver=resolve_order_gift_cards,
                description="Gift cards that paid for this order.",
            )
        },
    }
