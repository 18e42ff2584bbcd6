"""Order queries: ``order(id)``, staff ``orders(...)``, and ``User.orders`` (``me { orders }``)."""

from __future__ import annotations

import binascii
import datetime as dt
from typing import Any

import graphene
from django.db.models import Exists, OuterRef, Q, QuerySet
from graphql_relay import from_global_id

from core.errors import PermissionDenied
from core.graphql.pagination import Ordering, connection_args, paginate
from core.permissions import Perm, has_perm, require_perm
from order.access import find_order
from order.models import Order as OrderModel
from order.models import OrderLine, OrderStatus

from .common import decode_order
from .loaders import order_loader
from .types import Order, OrderChargeStatusEnum, OrderCountableConnection

OrderStatusFilter = graphene.Enum(
    "OrderStatusFilter",
    [(v, v) for v in (*OrderStatus.values, "READY_TO_FULFILL", "READY_TO_CAPTURE")],
)


class OrderSortField(graphene.Enum):
    NUMBER = "NUMBER"
    CREATED_AT = "CREATED_AT"
    CREATION_DATE = "CREATION_DATE"
    LAST_MODIFIED_AT = "LAST_MODIFIED_AT"
    CUSTOMER = "CUSTOMER"
    PAYMENT = "PAYMENT"
    FULFILLMENT_STATUS = "FULFILLMENT_STATUS"


SORT_FIELDS = {
    "NUMBER": "number",
    "CREATED_AT": "created_at",
    "CREATION_DATE": "created_at",
    "LAST_MODIFIED_AT": "updated_at",
    "CUSTOMER": "user_email",
    "PAYMENT": "charge_status",
    "FULFILLMENT_STATUS": "status",
}


class OrderDirection(graphene.Enum):
    """Same members as the catalog's enum of this name (one type in the schema)."""

    ASC = "ASC"
    DESC = "DESC"


class OrderSortingInput(graphene.InputObjectType):
    field = graphene.InputField(OrderSortField, required=True)
    direction = graphene.InputField(OrderDirection, required=True)


class DateRangeInput(graphene.InputObjectType):
    gte = graphene.Date()
    lte = graphene.Date()


class OrderFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(OrderStatusFilter))
    charge_status = graphene.List(graphene.NonNull(OrderChargeStatusEnum))
    channel = graphene.String(description="A channel's slug.")
    channels = graphene.List(
        graphene.NonNull(graphene.String), description="Channel slugs or Channel ids."
    )
    search = graphene.String(description="Order number, customer email, or a line's SKU.")
    customer = graphene.String(description="Part of the customer's email or name.")
    created = graphene.InputField(DateRangeInput)
    numbers = graphene.List(graphene.NonNull(graphene.String))


def _name(value: Any) -> str:
    """An enum argument's member name, whichever enum class of that name the schema kept."""
    return str(getattr(value, "name", None) or getattr(value, "value", value))


def _status_filter(values: list[Any]) -> Q:
    condition = Q()
    for value in map(_name, values):
        if value == "READY_TO_FULFILL":
            condition |= Q(
                status=OrderStatus.UNFULFILLED, charge_status__in=("FULL", "OVERCHARGED")
            )
        elif value == "READY_TO_CAPTURE":
            condition |= Q(total_authorized__gt=0)
        else:
            condition |= Q(status=value)
    return condition


def _search(text: str) -> Q:
    text = text.strip().lstrip("#")
    condition = Q(user_email__icontains=text) | Exists(
        OrderLine.objects.filter(order=OuterRef("pk"), product_sku__iexact=text)
    )
    if text.isdigit():
        condition |= Q(number=int(text))
    return condition


def _channels(values: list[str]) -> Q:
    """Channel slugs, or Channel global ids as Saleor's dashboard sends them."""
    slugs, pks = [], []
    for value in values:
        try:
            kind, pk = from_global_id(value)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            kind, pk = "", ""
        if kind == "Channel" and pk.isdigit():
            pks.append(int(pk))
        else:
            slugs.append(value)
    return Q(channel__slug__in=slugs) | Q(channel_id__in=pks)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def filter_orders(queryset: QuerySet, value: dict[str, Any] | None) -> QuerySet:
    value = value or {}
    if value.get("status"):
        queryset = queryset.filter(_status_filter(value["status"]))
    if value.get("charge_status"):
        queryset = queryset.filter(charge_status__in=[_name(v) for v in value["charge_status"]])
    if value.get("channel"):
        queryset = queryset.filter(channel__slug=value["channel"])
    if value.get("channels"):
        queryset = queryset.filter(_channels(value["channels"]))
    if value.get("search"):
        queryset = queryset.filter(_search(value["search"]))
    if value.get("customer"):
        text = value["customer"].strip()
        queryset = queryset.filter(
            Q(user_email__icontains=text)
            | Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
        )
    created = value.get("created") or {}
    if created.get("gte"):
        queryset = queryset.filter(created_at__gte=_day_start(created["gte"]))
    if created.get("lte"):
        queryset = queryset.filter(created_at__lt=_day_start(created["lte"] + dt.timedelta(1)))
    if value.get("numbers"):
        numbers = [int(n) for n in value["numbers"] if str(n).isdigit()]
        queryset = queryset.filter(number__in=numbers)
    return queryset


def ordering(sort_by: dict[str, Any] | None) -> Ordering:
    if not sort_by:
        return Ordering(("-number",))
    field = SORT_FIELDS[_name(sort_by["field"])]
    descending = _name(sort_by.get("direction") or "ASC") == "DESC"
    return Ordering((f"-{field}" if descending else field,))


def order_page(info: Any, queryset: QuerySet, sort_by: Any = None, **args: Any) -> Any:
    """A keyset page of orders, registered with the request's loader (prefetch per page)."""
    page = paginate(
        queryset.select_related("channel", "user"),
        OrderCountableConnection,
        ordering(sort_by),
        **args,
    )
    order_loader(info).saw(edge.node for edge in page.edges)
    return page


def resolve_user_orders(root: Any, info: Any, **args: Any) -> Any:
    """``User.orders``: the user's own orders (staff with MANAGE_ORDERS: anybody's)."""
    user = info.context.user
    own = getattr(user, "is_authenticated", False) and user.pk == root.pk
    if not own and not has_perm(user, Perm.MANAGE_ORDERS):
        raise PermissionDenied("You can only see your own orders.", code="PERMISSION_DENIED")
    return order_page(info, OrderModel.objects.filter(user=root), **args)


class Query(graphene.ObjectType):
    order = graphene.Field(
        Order,
        id=graphene.ID(required=True),
        description="An order by id: your own, or any with MANAGE_ORDERS. Null otherwise.",
    )
    orders = graphene.Field(
        OrderCountableConnection,
        filter=OrderFilterInput(),
        sort_by=OrderSortingInput(),
        channel=graphene.String(description="Only orders of this channel (slug)."),
        search=graphene.String(),
        description="All orders, newest first. Needs MANAGE_ORDERS.",
        **connection_args(),
    )

    @staticmethod
    def resolve_order(root: Any, info: Any, id: str) -> OrderModel | None:  # noqa: A002
        found = find_order(decode_order(id), info.context.user)
        if found is not None:
            order_loader(info).saw([found])
        return found

    @staticmethod
    def resolve_orders(
        root: Any,
        info: Any,
        filter: dict | None = None,  # noqa: A002
        sort_by: dict | None = None,
        channel: str | None = None,
        search: str | None = None,
        **args: Any,
    ) -> Any:
        require_perm(info.context.user, Perm.MANAGE_ORDERS)
        queryset = filter_orders(OrderModel.objects.all(), filter)
        if channel:
            queryset = queryset.filter(channel__slug=channel)
        if search:
            queryset = queryset.filter(_search(search))
        return order_page(info, queryset, sort_by, **args)
