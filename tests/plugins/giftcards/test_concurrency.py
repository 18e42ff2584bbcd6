"""Two checkouts racing for one gift card on PostgreSQL: the balance is spent once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from checkout import services
from checkout.complete import complete_checkout
from checkout.models import Checkout
from core.errors import DomainError
from order.models import Order
from plugins.giftcards.models import GiftCard, GiftCardEvent
from tests.checkout.conftest import ready_checkout
from tests.plugins.giftcards.conftest import issue_card

pytestmark = pytest.mark.django_db(transaction=True)


def run_concurrently(functions):
    """Each function in its own thread, hence its own database connection, started together."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = ("ok", function())
        except DomainError as error:
            results[index] = ("error", error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_checkouts_with_a_card_covering_one_make_one_order(shop, round_):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this proves")
    card = issue_card("30000")  # covers one 27500 checkout, not two
    checkouts = []
    for _ in range(2):
        checkout = ready_checkout(shop)
        services.add_promo_code(checkout, card.code)
        checkouts.append(checkout)  # nothing left to pay: the card covers each alone

    results = run_concurrently([lambda c=c: complete_checkout(c.token) for c in checkouts])

    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["error", "ok"], results
    [error] = [r[1] for r in results if r[0] == "error"]
    assert error in {"GIFT_CARD_NO_BALANCE", "GIFT_CARD_INSUFFICIENT_BALANCE"}
    assert Order.objects.count() == 1
    card.refresh_from_db()
    assert card.current_balance == Decimal("2500")
    assert card.events.filter(type=GiftCardEvent.Type.USED_IN_ORDER).count() == 1
    assert not GiftCard.objects.filter(current_balance__lt=0).exists()
    assert Checkout.objects.count() == 1  # the loser keeps its cart


def test_many_checkouts_share_a_card_and_never_overspend(shop):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this proves")
    card = issue_card("60000")  # two full checkouts of 27500, then 5000 left
    checkouts = []
    for _ in range(4):
        checkout = ready_checkout(shop)
        services.add_promo_code(checkout, card.code)
        checkouts.append(checkout)

    results = run_concurrently([lambda c=c: complete_checkout(c.token) for c in checkouts])

    assert [r[0] for r in results].count("ok") == 2, results
    card.refresh_from_db()
    assert card.current_balance == Decimal("5000")
    spent = sum(e.amount for e in card.events.filter(type="USED_IN_ORDER"))
    assert spent == Decimal("-55000")
    assert Order.objects.count() == 2
