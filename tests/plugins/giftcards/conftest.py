"""Gift-card tests sell from the checkout tests' shop (NGN and USD channels)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.checkout.conftest import *  # noqa: F403

GIFT_CARD_FIELDS = """
  id code displayCode last4CodeChars isActive isExpired expiryDate
  initialBalance { amount currency } currentBalance { amount currency }
"""


def issue_card(
    balance: str | Decimal,
    currency: str = "NGN",
    *,
    code: str | None = None,
    expiry_date: date | None = None,
    customer: Any = None,
    is_active: bool = True,
) -> Any:
    from plugins.giftcards.services import IssueInput, issue

    return issue(
        None,
        IssueInput(
            balance=balance,
            currency=currency,
            code=code,
            expiry_date=expiry_date,
            customer=customer,
            is_active=is_active,
        ),
    )


@pytest.fixture
def card_factory(db: Any) -> Any:
    return issue_card
