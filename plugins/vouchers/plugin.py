"""Vouchers: promo codes per channel — percentage or fixed, minimum spend, usage limit,
once per customer, date window. Applied to the checkout subtotal; used up at completion."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from checkout.promo import PromoCode
from core.hookspecs import hookimpl
from core.plugins import BasePlugin
from plugins.vouchers.models import Voucher, VoucherRedemption
from plugins.vouchers.rules import (
    VoucherError,
    apply_discount,
    check_min_spend,
    check_usable,
    discount_amount,
    find,
)


class VouchersPlugin(BasePlugin):
    id = "fashionistar.discounts.vouchers"
    name = "Vouchers"
    description = "Promo codes: percentage or fixed discounts with limits and date windows."
    version = "1.0.0"
    default_active = True

    @hookimpl
    def validate_promo_code(self, checkout, code, channel):
        from checkout.fetch import fetch_lines
        from checkout.pricing import calculate

        voucher = find(code, channel)
        if voucher is None:
            return None
        check_usable(voucher, checkout.email)
        check_min_spend(
            voucher, calculate(checkout, fetch_lines(checkout)).undiscounted_subtotal.gross
        )
        return PromoCode(voucher.code, "voucher", voucher.name)

    @hookimpl
    def calculate_checkout_subtotal(self, checkout, channel, previous_value):
        if not checkout.voucher_code:
            return None
        voucher = find(checkout.voucher_code, channel)
        if voucher is None:
            return None
        if voucher.min_spend is not None and previous_value.gross.amount < voucher.min_spend:
            return None
        return apply_discount(previous_value, discount_amount(voucher, previous_value.gross))

    @hookimpl
    def redeem_promo_codes(self, checkout, order, channel) -> None:
        if not checkout.voucher_code:
            return
        voucher = (
            Voucher.objects.select_for_update()
            .filter(code__iexact=checkout.voucher_code, channel=channel, is_active=True)
            .first()
        )
        if voucher is None:
            raise VoucherError("This promo code is no longer valid.", field="promoCode")
        check_usable(voucher, order.user_email)
        voucher.used += 1
        voucher.save(update_fields=["used"])
        try:
            with transaction.atomic():
                VoucherRedemption.objects.create(
                    voucher=voucher, order_number=order.number, customer_email=order.user_email
                )
        except IntegrityError as exc:
            raise VoucherError("This promo code was already redeemed.", field="promoCode") from exc
