"""Demo gift cards (``manage.py populatedb``): deterministic and idempotent.

The codes are public by design (they are in this file): demo data only, and
``populatedb`` refuses to run in production unless told to.
"""

from __future__ import annotations

from decimal import Decimal

from plugins.giftcards.models import GiftCard
from plugins.giftcards.services import IssueInput, issue

DEMO_CARDS = (
    ("DEMO-GIFT-NGN-50000", Decimal("50000"), "NGN", "Demo card for the Nigeria channel"),
    ("DEMO-GIFT-USD-100", Decimal("100"), "USD", "Demo card for the international channel"),
)


def populate() -> None:
    for code, balance, currency, note in DEMO_CARDS:
        if GiftCard.objects.filter(code__iexact=code).exists():
            continue
        issue(None, IssueInput(balance=balance, currency=currency, code=code, note=note))
