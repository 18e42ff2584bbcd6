"""Gift cards in a checkout: accepting a code, lowering the amount due, spending at completion.

How completion stays exact under concurrency: ``checkoutComplete`` prices the
checkout (this plugin's ``calculate_checkout_total`` step reads balances without
locks), then calls ``redeem_promo_codes`` inside its transaction. There the cards
are locked (``SELECT ... FOR UPDATE``, ordered by id so two checkouts sharing
cards cannot deadlock) and the total step is run again on the locked rows. When
the total it gives differs from the order's, a card no longer covers what the
checkout counted on: completion fails with a typed error and rolls back. Else
the planned amounts are taken off the locked rows and written as events.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from prices import Money, TaxedMoney

from account.ratelimit import Limit, Rate
from checkout.promo import PromoCode
from core.money import money, quantize
from core.plugins.manager import get_manager
from plugins.giftcards import services
from plugins.giftcards.models import GiftCard
from plugins.giftcards.rules import (
    GiftCardError,
    Use,
    cards_for_codes,
    check_usable,
    find,
    normalise,
    plan,
)

KIND = "gift_card"

#: Set while completion re-prices on locked rows: the cards to use and where to put the plan.
_locked_cards: ContextVar[list[GiftCard] | None] = ContextVar("giftcards_locked", default=None)
_captured: ContextVar[list[list[Use]] | None] = ContextVar("giftcards_plan", default=None)


@dataclass(frozen=True)
class AttemptLimit(Limit):
    """Failed promo-code attempts per checkout (brute-forcing codes), counted in the cache."""

    attempts: int = 10
    seconds: int = 3600

    @property
    def rate(self) -> Rate:
        return Rate(self.attempts, self.seconds)


def _limit(config: Any) -> AttemptLimit:
    return AttemptLimit(
        "giftcard-code",
        "",
        attempts=int(config.get("code_attempts_per_checkout") or 10),
        seconds=3600,
    )


def validate_code(checkout: Any, code: str, config: Any) -> PromoCode | None:
    """A gift card's code: accept it (kind ``gift_card``) or refuse it with a typed error.

    Every failed attempt on a checkout counts; past the limit even a right code
    is refused for the rest of the hour, so codes cannot be guessed by trying.
    """
    limit = _limit(config)
    key = str(checkout.token)
    limit.check(key, code="RATE_LIMITED", field="promoCode")
    card = find(code)
    if card is None:
        limit.hit(key)
        return None
    try:
        check_usable(card, checkout.currency)
    except GiftCardError:
        limit.hit(key)
        raise
    return PromoCode(card.code, KIND, f"Gift card ****{card.last_4}")


def _codes(checkout: Any) -> list[str]:
    """The gift-card codes on ``checkout`` (none for anything that is not a checkout)."""
    return [normalise(c) for c in getattr(checkout, "gift_card_codes", None) or []]


def applied_cards(checkout: Any) -> list[GiftCard]:
    codes = _codes(checkout)
    return cards_for_codes(codes) if codes else []


def _lower(value: TaxedMoney, amount: Money) -> TaxedMoney:
    """Take ``amount`` off the gross; net shrinks in the same proportion (same tax rate)."""
    gross = value.gross.amount
    if amount.amount <= 0 or gross <= 0:
        return value
    share = (gross - amount.amount) / gross
    currency = value.currency
    return TaxedMoney(
        net=money(value.net.amount * share, currency), gross=money(gross - amount.amount, currency)
    )


def lower_total(checkout: Any, previous_value: TaxedMoney) -> TaxedMoney | None:
    """The ``calculate_checkout_total`` step: what the applied cards pay is no longer due."""
    if not _codes(checkout):
        return None
    cards = _locked_cards.get()
    if cards is None:
        cards = applied_cards(checkout)
    uses = plan(cards, previous_value.gross)
    captured = _captured.get()
    if captured is not None:
        captured.append(uses)
    if not uses:
        return None
    applied = money(sum((u.amount.amount for u in uses), Decimal(0)), previous_value.currency)
    return _lower(previous_value, applied)


def check_applied(checkout: Any) -> None:
    """``validate_checkout``: every applied card must still be usable (typed errors)."""
    codes = _codes(checkout)
    if not codes:
        return
    cards = {card.code: card for card in applied_cards(checkout)}
    for code in codes:
        card = cards.get(code)
        if card is None:
            raise GiftCardError(
                "A gift card on this checkout no longer exists; remove it.",
                code="GIFT_CARD_NOT_FOUND",
                field="promoCode",
            )
        check_usable(card, checkout.currency)


def redeem(checkout: Any, order: Any, channel: Any) -> None:
    """``redeem_promo_codes``: spend the applied cards for ``order``, in its transaction."""
    codes = _codes(checkout)
    if not codes:
        return
    locked = {
        card.code: card
        for card in GiftCard.objects.select_for_update().filter(code__in=codes).order_by("pk")
    }
    cards = [locked[c] for c in codes if c in locked]
    currency = order.currency
    base = TaxedMoney(
        net=money(order.subtotal_net + order.shipping_net, currency),
        gross=money(order.subtotal_gross + order.shipping_gross, currency),
    )
    captured: list[list[Use]] = []
    cards_token = _locked_cards.set(cards)
    plan_token = _captured.set(captured)
    try:
        total = quantize(
            get_manager().pipeline(
                "calculate_checkout_total", base, channel=channel, checkout=checkout
            )
        )
    finally:
        _locked_cards.reset(cards_token)
        _captured.reset(plan_token)
    if total.gross.amount < 0:
        total = TaxedMoney(money(0, currency), money(0, currency))
    if (total.gross.amount, total.net.amount) != (order.total_gross, order.total_net):
        for card in cards:
            check_usable(card, currency)
        raise GiftCardError(
            "A gift card no longer covers what this checkout counted on "
            f"(the total would now be {total.gross.amount} {currency}).",
            code="GIFT_CARD_INSUFFICIENT_BALANCE",
            field="promoCode",
        )
    uses = captured[-1] if captured else []
    services.spend([(u.card, u.amount.amount) for u in uses], order)
