"""Order lifecycle through the services: fulfil, cancel, return, refund, invoice, replays."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from checkout.complete import complete_checkout
from core.errors import DomainError
from order import services
from order.models import OrderEvent
from order.services import FulfillmentLineInput, ReturnLineInput
from payment.models import TransactionEvent
from plugins.dummy_gateway.plugin import sign
from tests.checkout.conftest import pay, ready_checkout
from warehouse.models import Stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(shop):
    checkout = ready_checkout(shop, sku="RD-M", quantity=3)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    return order


def stock(shop, sku="RD-M"):
    return Stock.objects.get(
        product_variant=shop.catalog.variants[sku], warehouse=shop.warehouses["lagos"]
    )


def test_fulfilment_consumes_allocation_and_stock(shop, paid_order):
    line = paid_order.lines.get()
    services.fulfill(
        paid_order,
        [FulfillmentLineInput(line.pk, 2)],
        warehouse_id=shop.warehouses["lagos"].pk,
        tracking_number="TRK1",
    )
    paid_order.refresh_from_db()
    assert paid_order.status == "PARTIALLY_FULFILLED"
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (8, 1)
    services.fulfill(
        paid_order, [FulfillmentLineInput(line.pk, 1)], warehouse_id=shop.warehouses["lagos"].pk
    )
    paid_order.refresh_from_db()
    assert paid_order.status == "FULFILLED"
    assert (stock(shop).quantity, stock(shop).quantity_allocated) == (7, 0)
    with pytest.raises(DomainError) as excinfo:
        services.fulfill(
            paid_order, [FulfillmentLineInput(line.pk, 1)], warehouse_id=shop.warehouses["lagos"].pk
        )
    assert excinfo.value.code == "FULFILL_ORDER_LINE"


def test_cancel_releases_allocations(shop, paid_order):
    assert stock(shop).quantity_allocated == 3
    services.cancel(paid_order)
    paid_order.refresh_from_db()
    assert paid_order.status == "CANCELED"
    assert stock(shop).quantity_allocated == 0
    assert paid_order.events.filter(type="CANCELED").exists()


def test_a_fulfilled_order_cannot_be_cancelled(shop, paid_order):
    line = paid_order.lines.get()
    services.fulfill(
        paid_order, [FulfillmentLineInput(line.pk, 1)], warehouse_id=shop.warehouses["lagos"].pk
    )
    with pytest.raises(DomainError) as excinfo:
        services.cancel(paid_order)
    assert excinfo.value.code == "CANNOT_CANCEL_FULFILLED_ORDER"


def test_return_with_restock_puts_units_back(shop, paid_order):
    line = paid_order.lines.get()
    services.fulfill(
        paid_order, [FulfillmentLineInput(line.pk, 3)], warehouse_id=shop.warehouses["lagos"].pk
    )
    services.return_lines(paid_order, [ReturnLineInput(line.pk, 1)], restock_items=True)
    paid_order.refresh_from_db()
    assert paid_order.status == "PARTIALLY_RETURNED"
    assert stock(shop).quantity == 8
    with pytest.raises(DomainError):
        services.return_lines(paid_order, [ReturnLineInput(line.pk, 3)], restock_items=False)


def test_partial_refund_and_refund_above_captured(paid_order):
    services.refund(paid_order, "10000.00")
    paid_order.refresh_from_db()
    assert paid_order.total_refunded == Decimal("10000.00")
    assert paid_order.total_charged == paid_order.total_gross - Decimal("10000.00")
    assert paid_order.events.filter(type="PAYMENT_REFUNDED").count() == 1
    with pytest.raises(DomainError) as excinfo:
        services.refund(paid_order, paid_order.total_gross)
    assert excinfo.value.code == "REFUND_ABOVE_CAPTURED"
    paid_order.refresh_from_db()
    assert paid_order.total_refunded == Decimal("10000.00")


def test_note_is_on_the_timeline(paid_order, staff_user):
    services.add_note(paid_order, "Customer asked for gift wrap", user=staff_user)
    event = paid_order.events.get(type="NOTE_ADDED")
    assert event.parameters == {"message": "Customer asked for gift wrap"}
    assert event.user == staff_user
    with pytest.raises(DomainError):
        services.add_note(paid_order, "   ")


def test_invoice_is_generated_as_a_numbered_pdf(paid_order, plugin_kit):
    invoice = services.request_invoice(paid_order)
    plugin_kit.deliver()
    invoice.refresh_from_db()
    assert invoice.status == "SUCCESS"
    assert invoice.number.startswith("INV-") and invoice.number.endswith(f"{invoice.pk:06d}")
    with invoice.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert paid_order.events.filter(type="INVOICE_GENERATED").count() == 1


def test_a_pending_payment_webhook_replayed_five_times_captures_once(shop):
    checkout = ready_checkout(shop, sku="RD-S", quantity=1)
    record, result = pay(checkout, result="pending")
    assert record.charge_pending_value > 0 and record.charged_value == 0
    checkout.channel.allow_unpaid_orders = True
    checkout.channel.save()
    order, _ = complete_checkout(checkout.token)
    assert order.charge_status == "NONE"

    body = json.dumps(
        {
            "id": "evt_42",
            "psp_reference": record.psp_reference,
            "type": "CHARGE_SUCCESS",
            "amount": str(order.total_gross),
        }
    ).encode()
    client = Client()
    for _ in range(5):
        response = client.post(
            "/plugins/fashionistar.payments.dummy/webhook/",
            body,
            content_type="application/json",
            HTTP_X_DUMMY_SIGNATURE=sign("dummy-webhook-secret", body),
        )
        assert response.status_code == 200, response.content
    record.refresh_from_db()
    order.refresh_from_db()
    assert TransactionEvent.objects.filter(transaction=record, type="CHARGE_SUCCESS").count() == 1
    assert record.charged_value == order.total_gross and record.charge_pending_value == 0
    assert order.charge_status == "FULL"
    assert OrderEvent.objects.filter(order=order, type="ORDER_FULLY_PAID").count() == 1


def test_a_forged_webhook_changes_nothing(shop):
    checkout = ready_checkout(shop)
    record, _ = pay(checkout, result="pending")
    body = json.dumps(
        {
            "id": "evt_1",
            "psp_reference": record.psp_reference,
            "type": "CHARGE_SUCCESS",
            "amount": "1",
        }
    ).encode()
    response = Client().post(
        "/plugins/fashionistar.payments.dummy/webhook/",
        body,
        content_type="application/json",
        HTTP_X_DUMMY_SIGNATURE="0" * 64,
    )
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.charged_value == 0


def test_channels_can_hold_new_orders_for_confirmation(shop, channel):
    channel.automatically_confirm_orders = False
    channel.save()
    checkout = ready_checkout(shop)
    pay(checkout)
    order, _ = complete_checkout(checkout.token)
    assert order.status == "UNCONFIRMED"
    line = order.lines.get()
    with pytest.raises(DomainError) as excinfo:
        services.fulfill(
            order, [FulfillmentLineInput(line.pk, 1)], warehouse_id=shop.warehouses["lagos"].pk
        )
    assert excinfo.value.code == "ORDER_NOT_CONFIRMED"
    services.confirm(order)
    order.refresh_from_db()
    assert order.status == "UNFULFILLED"
    assert order.events.filter(type="CONFIRMED").count() == 1
    services.fulfill(
        order, [FulfillmentLineInput(line.pk, 1)], warehouse_id=shop.warehouses["lagos"].pk
    )
