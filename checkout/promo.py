from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PromoCode:
    """What a plugin answers when it accepts a promo code (``validate_promo_code``)."""

    code: str
    kind: str = "voucher"
    description: str = ""
