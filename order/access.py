"""Who may see an order, and who may pay for one.

Customers see their own orders only; staff with MANAGE_ORDERS see every order.
Anybody else is told the order does not exist (NOT_FOUND). An order placed
without an account may still be paid for by whoever holds its id (a UUID, the
secret the buyer was given), as its checkout could be.
"""

from __future__ import annotations

from typing import Any

from core.errors import NotFound
from core.permissions import Perm, has_perm
from order.models import Order


def is_owner(order: Order, user: Any) -> bool:
    return bool(
        order.user_id is not None
        and getattr(user, "is_authenticated", False)
        and user.pk == order.user_id
    )


def may_view(order: Order, user: Any) -> bool:
    return is_owner(order, user) or has_perm(user, Perm.MANAGE_ORDERS)


def may_pay(order: Order, user: Any) -> bool:
    return order.user_id is None or may_view(order, user)


def find_order(token: Any, user: Any) -> Order | None:
    """The order with public id ``token`` if ``user`` may see it, else None."""
    order = Order.objects.select_related("channel").filter(token=token).first()
    if order is None or not may_view(order, user):
        return None
    return order


def order_for(token: Any, user: Any, *, to_pay: bool = False, field: str = "id") -> Order:
    """The order with public id ``token`` for viewing (or paying), else NOT_FOUND."""
    order = Order.objects.select_related("channel").filter(token=token).first()
    allowed = order is not None and (may_pay(order, user) if to_pay else may_view(order, user))
    if not allowed:
        raise NotFound("No such order.", field=field)
    return order
