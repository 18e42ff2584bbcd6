"""What a voucher allows: validity checks and the discount it gives. No writes here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from prices import Money, TaxedMoney

from core.errors import DomainError
from core.money import money
from plugins.vouchers.models import Voucher, VoucherRedemption


class VoucherError(DomainError):
    default_code = "INVALID_PROMO_CODE"


def find(code: str, channel: Any) -> Voucher | None:
    return Voucher.objects.filter(
        code__iexact=code.strip(), channel=channel, is_active=True
    ).first()


def check_usable(voucher: Voucher, email: str | None, *, locked: bool = False) -> None:
    now = timezone.now()
    if voucher.starts_at and voucher.starts_at > now:
        raise VoucherError(
            "This promo code is not valid yet.", code="VOUCHER_NOT_STARTED", field="promoCode"
        )
    if voucher.ends_at and voucher.ends_at <= now:
        raise VoucherError(
            "This promo code has expired.", code="VOUCHER_EXPIRED", field="promoCode"
        )
    if voucher.usage_limit is not None and voucher.used >= voucher.usage_limit:
        raise VoucherError(
            "This promo code has been used up.", code="VOUCHER_USED_UP", field="promoCode"
        )
    if voucher.once_per_customer and email and _redeemed_by(voucher, email):
        raise VoucherError(
            "You have already used this promo code.",
            code="VOUCHER_ALREADY_USED",
            field="promoCode",
        )


def _redeemed_by(voucher: Voucher, email: str) -> bool:
    return VoucherRedemption.objects.filter(voucher=voucher, customer_email__iexact=email).exists()


def check_min_spend(voucher: Voucher, subtotal: Money) -> None:
    if voucher.min_spend is not None and subtotal.amount < voucher.min_spend:
        raise VoucherError(
            f"This promo code needs a subtotal of at least {voucher.min_spend} "
            f"{subtotal.currency}.",
            code="VOUCHER_MIN_SPEND",
            field="promoCode",
        )


def discount_amount(voucher: Voucher, subtotal: Money) -> Money:
    if voucher.type == Voucher.Type.PERCENTAGE:
        amount = subtotal.amount * voucher.value / Decimal(100)
    else:
        amount = voucher.value
    return money(min(amount, subtotal.amount), subtotal.currency)


def apply_discount(subtotal: TaxedMoney, discount: Money) -> TaxedMoney:
    """Take ``discount`` off the gross; net shrinks in the same proportion (same tax rate)."""
    if discount.amount <= 0 or subtotal.gross.amount <= 0:
        return subtotal
    share = (subtotal.gross.amount - discount.amount) / subtotal.gross.amount
    currency = subtotal.currency
    return TaxedMoney(
        net=money(subtotal.net.amount * share, currency),
        gross=money(subtotal.gross.amount - discount.amount, currency),
    )
