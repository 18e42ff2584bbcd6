"""Gift cards on the dashboard: staff who manage them issue, list and deactivate cards;
balances change only through events; staff without the permission see nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from account.models import AuditEvent
from core.permissions import Perm
from plugins.giftcards.models import GiftCard
from tests.conftest import grant
from tests.plugins.giftcards.conftest import issue_card

pytestmark = pytest.mark.django_db

INLINE = {
    "events-TOTAL_FORMS": "0",
    "events-INITIAL_FORMS": "0",
    "events-MIN_NUM_FORMS": "0",
    "events-MAX_NUM_FORMS": "1000",
}


def dashboard(user):
    client = Client()
    client.force_login(user)
    return client


def test_staff_issue_list_and_deactivate_cards(staff_user):
    client = dashboard(grant(staff_user, Perm.MANAGE_GIFT_CARDS))

    response = client.post(
        "/dashboard/giftcards/giftcard/add/",
        {"code": "", "balance": "2500.50", "currency": "NGN", "is_active": "on", **INLINE},
        follow=True,
    )

    assert response.status_code == 200
    card = GiftCard.objects.get()
    assert card.current_balance == Decimal("2500.50") and card.created_by == staff_user
    assert list(card.events.values_list("type", flat=True)) == ["ISSUED"]
    listing = client.get("/dashboard/giftcards/giftcard/").content.decode()
    assert card.masked_code in listing and card.code not in listing
    page = client.get(f"/dashboard/giftcards/giftcard/{card.pk}/change/").content.decode()
    assert card.code in page and "ISSUED" in page

    response = client.post(
        f"/dashboard/giftcards/giftcard/{card.pk}/change/",
        {"expiry_date": "", "customer": "", "note": "lost", **INLINE},
        follow=True,
    )
    assert response.status_code == 200
    card.refresh_from_db()
    assert not card.is_active and card.note == "lost"
    assert card.current_balance == Decimal("2500.50")
    assert list(card.events.values_list("type", flat=True)) == [
        "ISSUED",
        "NOTE_UPDATED",
        "DEACTIVATED",
    ]
    assert AuditEvent.objects.filter(content_type__model="giftcard", actor=staff_user).count() == 2


def test_bad_input_is_shown_on_the_form(staff_user):
    issue_card("10", code="TAKEN-CODE-1")
    client = dashboard(grant(staff_user, Perm.MANAGE_GIFT_CARDS))
    for values, message in (
        ({"code": "taken-code-1", "balance": "10"}, "A gift card with this code exists."),
        ({"code": "", "balance": "10.001"}, "NGN amounts take at most 2 decimal places"),
        ({"code": "", "balance": ""}, "Give the card&#x27;s balance."),
    ):
        response = client.post(
            "/dashboard/giftcards/giftcard/add/", {**values, "currency": "NGN", **INLINE}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert GiftCard.objects.count() == 1


def test_staff_without_the_permission_are_refused(staff_user):
    card = issue_card("10")
    client = dashboard(staff_user)
    assert client.get("/dashboard/giftcards/giftcard/").status_code == 403
    assert client.get(f"/dashboard/giftcards/giftcard/{card.pk}/change/").status_code == 403
    assert client.get("/dashboard/giftcards/giftcardevent/").status_code == 403
