from __future__ import annotations

from dataclasses import dataclass

#: The kind of a gift card's code: kept in ``Checkout.gift_card_codes``, several per checkout.
GIFT_CARD = "gift_card"


@dataclass(frozen=True)
class PromoCode:
    """What a plugin answers when it accepts a promo code (``validate_promo_code``).

    ``kind`` ``gift_card`` (``GIFT_CARD``) adds the code to the checkout's gift
    cards; any other kind makes it the checkout's voucher code.
    """

    code: str
    kind: str = "voucher"
    description: str = ""
