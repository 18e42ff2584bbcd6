"""Staff permissions, checked by every staff GraphQL field and mutation.

Each permission is a Django permission ``app_label.codename`` declared on a
model of its domain; groups of staff hold them (issue "Accounts").
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import PermissionDenied


class Perm(StrEnum):
    MANAGE_CHANNELS = "core.manage_channels"
    MANAGE_PLUGINS = "core.manage_plugins"
    MANAGE_PRODUCTS = "product.manage_products"
    MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES = "product.manage_product_types_and_attributes"
    MANAGE_TRANSLATIONS = "product.manage_translations"
    MANAGE_WAREHOUSES = "warehouse.manage_warehouses"
    MANAGE_SHIPPING = "warehouse.manage_shipping"
    MANAGE_USERS = "account.manage_users"
    MANAGE_STAFF = "account.manage_staff"
    VIEW_AUDIT_LOG = "account.view_audit_log"
    MANAGE_ORDERS = "order.manage_orders"
    MANAGE_PAYMENTS = "payment.manage_payments"
    MANAGE_APPS = "webhooks.manage_apps"
    MANAGE_GIFT_CARDS = "giftcards.manage_gift_cards"
    MANAGE_REVIEWS = "reviews.manage_reviews"


def has_perm(user: object, perm: Perm) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and user.has_perm(perm.value)
    )


def require_perm(user: object, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(
            f"You need the '{perm.name}' permission to do this.", code="PERMISSION_DENIED"
        )


def require_staff(user: object) -> None:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False)):
        raise PermissionDenied("Staff only.", code="PERMISSION_DENIED")
