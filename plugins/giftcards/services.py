"""The only code that writes gift cards. Every balance change writes a GiftCardEvent in the
same transaction; staff writes go through here (GraphQL and dashboard) and are audited by
the model log (account/audit.py), with the code masked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.events.outbox import emit
from core.money import currency_precision, validate_amount_precision
from plugins.giftcards.models import GiftCard, GiftCardEvent
from plugins.giftcards.rules import (
    GiftCardError,
    check_code_shape,
    generate_code,
    today,
)

UNSET: Any = object()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _record(
    card: GiftCard, kind: str, *, amount: Decimal = Decimal(0), user: Any = None, **extra: Any
) -> GiftCardEvent:
    return GiftCardEvent.objects.create(
        gift_card=card,
        type=kind,
        amount=amount,
        balance_after=card.current_balance,
        currency=card.currency,
        user=_user(user),
        **extra,
    )


def _currency(value: str) -> str:
    currency = (value or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise GiftCardError(
            "Give a three-letter ISO currency code.", code="INVALID", field="currency"
        )
    try:
        currency_precision(currency)
    except (ValueError, KeyError) as exc:
        raise GiftCardError(
            f"{currency} is not a known currency.", code="INVALID", field="currency"
        ) from exc
    return currency


def check_expiry(value: date | None) -> date | None:
    if value is not None and value < today():
        raise GiftCardError("The expiry date is in the past.", code="INVALID", field="expiryDate")
    return value


@dataclass(frozen=True)
class IssueInput:
    balance: Decimal | str
    currency: str
    code: str | None = None
    expiry_date: date | None = None
    customer: Any = None
    note: str = ""
    is_active: bool = True


def _create(card: GiftCard, *, generated: bool) -> GiftCard:
    """Insert ``card``; a generated code that collides (2**-80 odds) is drawn again."""
    for _ in range(5):
        try:
            with transaction.atomic():
                card.save()
            return card
        except IntegrityError as exc:
            if GiftCard.objects.filter(code__iexact=card.code).exists():
                if not generated:
                    raise GiftCardError(
                        "A gift card with this code exists.",
                        code="GIFT_CARD_CODE_TAKEN",
                        field="code",
                    ) from exc
                card.code = generate_code()
                continue
            raise
    raise DomainError("Could not draw a free gift card code.", code="GIFT_CARD_CODE_TAKEN")


def check_issue(data: IssueInput) -> tuple[str, Decimal, str | None]:
    """Validate what staff entered (typed errors, nothing written): currency, balance, code."""
    currency = _currency(data.currency)
    balance = validate_amount_precision(data.balance, currency, "balance")
    if balance <= 0:
        raise GiftCardError("The balance must be positive.", code="INVALID", field="balance")
    code = check_code_shape(data.code) if data.code else None
    if code and GiftCard.objects.filter(code__iexact=code).exists():
        raise GiftCardError(
            "A gift card with this code exists.", code="GIFT_CARD_CODE_TAKEN", field="code"
        )
    check_expiry(data.expiry_date)
    return currency, balance, code


@transaction.atomic
def issue(actor: Any, data: IssueInput) -> GiftCard:
    """Staff issue a card: balance and currency, optional code, expiry and owner."""
    currency, balance, code = check_issue(data)
    card = GiftCard(
        code=code or generate_code(),
        currency=currency,
        initial_balance=balance,
        current_balance=balance,
        expiry_date=data.expiry_date,
        is_active=data.is_active,
        customer=data.customer,
        created_by=_user(actor),
        note=(data.note or "")[:255],
        source=GiftCard.Source.STAFF,
    )
    _create(card, generated=code is None)
    _record(card, GiftCardEvent.Type.ISSUED, amount=balance, user=actor)
    return card


def lock(card: GiftCard | int) -> GiftCard:
    pk = card.pk if isinstance(card, GiftCard) else card
    return GiftCard.objects.select_for_update().get(pk=pk)


@transaction.atomic
def update(
    actor: Any,
    card: GiftCard,
    *,
    expiry_date: Any = UNSET,
    customer: Any = UNSET,
    note: Any = UNSET,
    is_active: Any = UNSET,
) -> GiftCard:
    """Change what staff may change; the balance changes only by use, refund or issue."""
    card = lock(card)
    changed: list[str] = []
    if expiry_date is not UNSET and expiry_date != card.expiry_date:
        old = card.expiry_date
        card.expiry_date = check_expiry(expiry_date)
        changed.append("expiry_date")
        _record(
            card,
            GiftCardEvent.Type.EXPIRY_DATE_UPDATED,
            user=actor,
            parameters={"old": str(old or ""), "new": str(expiry_date or "")},
        )
    if customer is not UNSET and getattr(customer, "pk", None) != card.customer_id:
        card.customer = customer
        changed.append("customer")
        _record(
            card,
            GiftCardEvent.Type.CUSTOMER_UPDATED,
            user=actor,
            parameters={"customer_id": getattr(customer, "pk", None)},
        )
    if note is not UNSET and (note or "") != card.note:
        card.note = (note or "")[:255]
        changed.append("note")
        _record(card, GiftCardEvent.Type.NOTE_UPDATED, user=actor)
    if is_active is not UNSET and bool(is_active) != card.is_active:
        card.is_active = bool(is_active)
        changed.append("is_active")
        kind = GiftCardEvent.Type.ACTIVATED if card.is_active else GiftCardEvent.Type.DEACTIVATED
        _record(card, kind, user=actor)
    if changed:
        card.save(update_fields=changed)
    return card


def set_active(actor: Any, card: GiftCard, active: bool) -> GiftCard:
    return update(actor, card, is_active=active)


# -- checkout completion -----------------------------------------------------------------------


def spend(uses: list[tuple[GiftCard, Decimal]], order: Any) -> None:
    """Take the planned amounts off locked cards, in the completion's transaction.

    The caller locked the cards and re-checked the plan; the check constraint
    (balance >= 0) is the last line of defence.
    """
    now = timezone.now()
    for card, amount in uses:
        if amount <= 0:
            continue
        card.current_balance -= amount
        card.last_used_at = now
        card.save(update_fields=["current_balance", "last_used_at"])
        _record(
            card,
            GiftCardEvent.Type.USED_IN_ORDER,
            amount=-amount,
            order_number=order.number,
            parameters={"order_id": str(order.token), "customer_email": order.user_email},
        )


# -- order events ------------------------------------------------------------------------------


@transaction.atomic
def refund_order(order_number: int, event_id: uuid.UUID | str) -> list[GiftCardEvent]:
    """Give back what an order took from cards (the order was cancelled). Once per card."""
    used = list(
        GiftCardEvent.objects.filter(
            order_number=order_number, type=GiftCardEvent.Type.USED_IN_ORDER
        ).order_by("gift_card_id")
    )
    refunded = set(
        GiftCardEvent.objects.filter(
            order_number=order_number, type=GiftCardEvent.Type.REFUNDED
        ).values_list("gift_card_id", flat=True)
    )
    written = []
    for use in used:
        if use.gift_card_id in refunded:
            continue
        card = lock(use.gift_card_id)
        card.current_balance += -use.amount
        card.save(update_fields=["current_balance"])
        written.append(
            _record(
                card,
                GiftCardEvent.Type.REFUNDED,
                amount=-use.amount,
                order_number=order_number,
                event_id=event_id,
                parameters={"reason": "order_cancelled"},
            )
        )
    return written


@dataclass(frozen=True)
class BoughtLine:
    line_id: int
    quantity: int
    unit_price: Decimal


@transaction.atomic
def issue_bought(
    *,
    order: dict[str, Any],
    lines: list[BoughtLine],
    event_id: uuid.UUID | str,
    channel: str | None,
    expiry_days: int = 0,
) -> list[GiftCard]:
    """One card per unit of each gift-card line of a paid order, owned by the buyer.

    Idempotent: a unit that already has its card (unique line/unit) is skipped,
    so a replayed ``order_paid`` issues and notifies nothing new.
    """
    from account.models import User

    currency = order["currency"]
    owner = User.objects.filter(pk=order.get("user_id")).first() if order.get("user_id") else None
    expiry = today() + timedelta(days=expiry_days) if expiry_days > 0 else None
    have = set(
        GiftCard.objects.filter(order_line_id__in=[line.line_id for line in lines]).values_list(
            "order_line_id", "order_line_unit"
        )
    )
    issued: list[GiftCard] = []
    for line in lines:
        for unit in range(1, line.quantity + 1):
            if (line.line_id, unit) in have or line.unit_price <= 0:
                continue
            card = GiftCard(
                code=generate_code(),
                currency=currency,
                initial_balance=line.unit_price,
                current_balance=line.unit_price,
                expiry_date=expiry,
                customer=owner,
                source=GiftCard.Source.PURCHASE,
                order_number=order["number"],
                order_line_id=line.line_id,
                order_line_unit=unit,
            )
            _create(card, generated=True)
            _record(
                card,
                GiftCardEvent.Type.BOUGHT,
                amount=card.initial_balance,
                order_number=order["number"],
                event_id=event_id,
            )
            issued.append(card)
    recipient = order.get("user_email")
    if issued and recipient:
        _notify_bought(issued, recipient, order, channel)
    return issued


def _notify_bought(cards: list[GiftCard], recipient: str, order: dict, channel: Any) -> None:
    emit(
        "notification_requested",
        {
            "template": "gift_card_bought",
            "channel_type": "email",
            "recipient": recipient,
            "subject": "Your gift card{{ plural }} from order #{{ number }}",
            "body": (
                "Thank you for your order #{{ number }}.\n"
                "{% for card in cards %}Gift card {{ card.code }}: {{ card.balance }} "
                "{{ card.currency }}{% if card.expiry_date %}, valid until "
                "{{ card.expiry_date }}{% endif %}\n{% endfor %}"
                "Enter the code as a promo code at checkout."
            ),
            "context": {
                "number": order["number"],
                "plural": "s" if len(cards) > 1 else "",
                "cards": [
                    {
                        "code": card.code,
                        "balance": str(card.initial_balance),
                        "currency": card.currency,
                        "expiry_date": str(card.expiry_date or ""),
                    }
                    for card in cards
                ],
            },
        },
        channel=channel,
    )
    for card in cards:
        _record(card, GiftCardEvent.Type.SENT_TO_CUSTOMER, parameters={"email": recipient})
