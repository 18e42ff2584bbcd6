"""Write operations of the loyalty ledger. The hooks call these; nothing else writes."""

from __future__ import annotations

import uuid
from decimal import ROUND_FLOOR, Decimal

from django.db import IntegrityError, transaction

from fashionistar_example_loyalty.models import LoyaltyAccount, PointsEntry


def normalize_email(email: str) -> str:
    return email.strip().lower()


def balance(email: str) -> int:
    """Points of the account of ``email``; 0 when it has none yet."""
    account = LoyaltyAccount.objects.filter(email=normalize_email(email)).first()
    return account.balance() if account is not None else 0


def is_member(email: str) -> bool:
    """A member is anyone holding points."""
    account = LoyaltyAccount.objects.filter(email=normalize_email(email)).first()
    return account is not None and account.balance() > 0


def points_for(amount: Decimal, points_per_unit: Decimal) -> int:
    """Whole points for an amount paid: rounded down, so no one earns a fraction of a unit."""
    return int((amount * points_per_unit).to_integral_value(rounding=ROUND_FLOOR))


@transaction.atomic
def record_points(
    *,
    email: str,
    points: int,
    source: PointsEntry.Source,
    event_id: uuid.UUID | None = None,
    partner_reference: str | None = None,
    channel_slug: str = "",
    order_number: str = "",
    note: str = "",
) -> PointsEntry | None:
    """Append one entry unless its cause was already recorded; return None on a replay.

    The cause is ``event_id`` or ``partner_reference``. The ``exists()`` check is
    the fast path for a plain replay; the unique constraint settles the race of two
    deliveries running at once (after a worker's lease expired, say): the loser's
    insert fails, its savepoint rolls back and it reports a replay.
    """
    if (event_id is None) == (partner_reference is None):
        raise ValueError("give exactly one of event_id and partner_reference")
    cause = (
        {"event_id": event_id} if event_id is not None else {"partner_reference": partner_reference}
    )
    if PointsEntry.objects.filter(**cause).exists():
        return None
    account, _ = LoyaltyAccount.objects.get_or_create(email=normalize_email(email))
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                account=account,
                points=points,
                source=source,
                channel_slug=channel_slug or "",
                order_number=order_number,
                note=note[:255],
                **cause,
            )
    except IntegrityError:
        if PointsEntry.objects.filter(**cause).exists():
            return None
        raise
