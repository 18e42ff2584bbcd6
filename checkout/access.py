"""Who may read and change a checkout (the API's rule, kept beside the model).

A checkout created anonymously is reached by its token alone: the token is the
secret, as in Saleor. Once attached to a customer it belongs to that customer
only; anybody else is told it does not exist (NOT_FOUND), never that it is
someone else's.
"""

from __future__ import annotations

from typing import Any

from checkout.models import Checkout
from core.errors import NotFound


def may_access(checkout: Checkout, user: Any) -> bool:
    if checkout.user_id is None:
        return True
    return bool(getattr(user, "is_authenticated", False) and user.pk == checkout.user_id)


def find_checkout(token: Any, user: Any) -> Checkout | None:
    """The checkout with ``token`` if ``user`` (possibly anonymous) may use it, else None."""
    checkout = (
        Checkout.objects.select_related("channel", "shipping_method", "collection_point")
        .filter(token=token)
        .first()
    )
    if checkout is None or not may_access(checkout, user):
        return None
    return checkout


def checkout_for(token: Any, user: Any, field: str = "id") -> Checkout:
    """Like ``find_checkout`` but raises NOT_FOUND (for mutations)."""
    checkout = find_checkout(token, user)
    if checkout is None:
        raise NotFound("No such checkout.", field=field)
    return checkout
