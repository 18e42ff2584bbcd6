"""What a gift card allows: lookup, validity checks and how cards cover an amount due.

No writes here. Codes are compared ignoring case and surrounding spaces.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from prices import Money

from core.errors import DomainError
from core.money import money
from plugins.giftcards.models import GiftCard

#: Generated codes: 16 characters without look-alikes (0/O, 1/I/L): 32**16 = 2**80 codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
_CODE_SHAPE = re.compile(r"^[A-Z0-9-]{8,64}$")


class GiftCardError(DomainError):
    default_code = "GIFT_CARD_INVALID"


def generate_code() -> str:
    """An unguessable code from the OS's CSPRNG (``secrets``), never from ``random``."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def check_code_shape(code: str, field: str = "code") -> str:
    value = normalise(code)
    if not _CODE_SHAPE.match(value):
        raise GiftCardError(
            "A gift card code has 8 to 64 letters, digits or dashes.",
            code="INVALID",
            field=field,
        )
    return value


def find(code: str) -> GiftCard | None:
    value = normalise(code)
    if not value:
        return None
    return GiftCard.objects.filter(code__iexact=value).first()


def today() -> date:
    return timezone.localdate()


def is_expired(card: GiftCard) -> bool:
    return card.expiry_date is not None and card.expiry_date < today()


def check_usable(card: GiftCard, currency: str, field: str = "promoCode") -> None:
    """Raise a typed error when ``card`` cannot pay for anything in ``currency`` now."""
    if not card.is_active:
        raise GiftCardError("This gift card is not active.", code="GIFT_CARD_INACTIVE", field=field)
    if is_expired(card):
        raise GiftCardError("This gift card has expired.", code="GIFT_CARD_EXPIRED", field=field)
    if card.currency != currency:
        raise GiftCardError(
            f"This gift card is in {card.currency}; this checkout is in {currency}.",
            code="GIFT_CARD_CURRENCY_MISMATCH",
            field=field,
        )
    if card.current_balance <= 0:
        raise GiftCardError(
            "This gift card has no balance left.", code="GIFT_CARD_NO_BALANCE", field=field
        )


def is_usable(card: GiftCard, currency: str) -> bool:
    try:
        check_usable(card, currency)
    except GiftCardError:
        return False
    return True


def cards_for_codes(codes: Iterable[str]) -> list[GiftCard]:
    """The cards named by ``codes``, in the order of the codes (unknown codes are skipped)."""
    wanted = [normalise(c) for c in codes if normalise(c)]
    if not wanted:
        return []
    found = {c.code.upper(): c for c in GiftCard.objects.filter(code__in=wanted)}
    return [found[c] for c in wanted if c in found]


@dataclass(frozen=True)
class Use:
    card: GiftCard
    amount: Money


def plan(cards: Sequence[GiftCard], due: Money) -> list[Use]:
    """How ``cards`` pay ``due``: in order, each up to its balance, never past the amount due.

    Unusable cards (expired, inactive, empty, another currency) take nothing.
    """
    currency = due.currency
    remaining = money(max(due.amount, 0), currency)
    uses: list[Use] = []
    for card in cards:
        if remaining.amount <= 0:
            break
        if not is_usable(card, currency):
            continue
        take = money(min(card.current_balance, remaining.amount), currency)
        if take.amount > 0:
            uses.append(Use(card, take))
            remaining -= take
    return uses
