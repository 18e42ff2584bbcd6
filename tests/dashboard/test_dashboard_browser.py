"""The merchant dashboard in a real browser: an order placed through the storefront API is
found, fulfilled and partly refunded by staff; a plugin secret is changed and stays masked;
the audit log shows each action; staff without the order permission cannot open orders."""

from __future__ import annotations

from decimal import Decimal

import pytest

from account.models import AuditEvent, User
from core.permissions import Perm
from order.models import Order, OrderStatus
from tests.checkout.conftest import LAGOS
from tests.conftest import grant
from tests.order.storefront import Storefront

DUMMY = "fashionistar.payments.dummy"
PASSWORD = "a-long-staff-password"


def make_staff(email: str, *perms: Perm) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, is_staff=True)
    return grant(user, *[p.value for p in perms])


@pytest.fixture
def placed_order(shop, gql) -> Order:
    """Cart to paid order through the storefront's GraphQL mutations."""
    variants = shop.catalog.variants
    data = Storefront(gql).buy([(variants["RD-S"], 2)], LAGOS, shop.standard)
    return Order.objects.get(number=data["number"])


def test_staff_fulfil_refund_configure_and_audit(dashboard, placed_order, shop):
    order = placed_order
    assert order.status == OrderStatus.UNFULFILLED and order.total_charged == order.total_gross
    make_staff(
        "manager@example.com",
        Perm.MANAGE_ORDERS,
        Perm.MANAGE_PAYMENTS,
        Perm.MANAGE_PLUGINS,
        Perm.MANAGE_PRODUCTS,
        Perm.VIEW_AUDIT_LOG,
    )
    dashboard.sign_in("manager@example.com", PASSWORD)

    # Home: today's sales include the order; it waits for fulfilment.
    home = dashboard.text("#home-panels")
    assert f"{order.total_gross:.2f} NGN" in home
    assert dashboard.all("#panel-chart svg.sales-chart rect")
    assert f"#{order.number}" in dashboard.text("#panel-waiting")
    assert "http" not in "".join(
        e.get_attribute("src") or "" for e in dashboard.all("#home-panels [src]")
    )
    dashboard.screenshot("dashboard-home.png")

    # Find the order by the customer's email, open it.
    dashboard.open("/dashboard/order/order/?q=buyer%40example.com")
    dashboard.submit_and_wait(dashboard.css(f"a[href$='/order/order/{order.number}/change/']"))
    assert dashboard.text("#order-status") == "Unfulfilled"
    assert "RD-S" in dashboard.text("#order-lines")

    # Fulfil both units from the warehouse holding them, with a tracking number.
    dashboard.fill("fulfil-tracking_number", "TRACK-0042")
    dashboard.submit("fulfil-form")
    assert "Fulfilment" in dashboard.text(".messagelist")
    assert dashboard.text("#order-status") == "Fulfilled"
    assert "TRACK-0042" in dashboard.text("#order-fulfilments")

    # A refund above what was captured is refused next to the field; nothing is refunded.
    too_much = order.total_gross + 1
    dashboard.fill("refund-amount", str(too_much))
    dashboard.submit("refund-form")
    assert "can be refunded" in dashboard.text("#refund-form .errorlist")
    order.refresh_from_db()
    assert order.total_refunded == 0

    # Refund part of it.
    dashboard.fill("refund-amount", "1000")
    dashboard.fill("refund-reason", "damaged box")
    dashboard.submit("refund-form")
    assert "Refunded 1000" in dashboard.text(".messagelist")
    assert dashboard.text("#total-refunded").startswith("1000.00")
    timeline = dashboard.text("#order-timeline").lower()
    assert "refund granted by manager@example.com — 1000.00 ngn (damaged box)" in timeline
    order.refresh_from_db()
    assert order.total_refunded == Decimal("1000")
    dashboard.screenshot("dashboard-order.png")

    # Change the dummy gateway's secret: never echoed back, blank keeps it.
    from core.plugins.manager import get_manager

    configure = f"/dashboard/core/pluginconfiguration/configure/{DUMMY}/default-channel/"
    dashboard.open(configure)
    dashboard.fill("webhook_secret", "brand-new-secret-123")
    dashboard.submit_and_wait(dashboard.css("input[type=submit].default"))
    assert "saved" in dashboard.text(".messagelist")
    dashboard.open(configure)
    assert "brand-new-secret-123" not in dashboard.source
    assert "Leave blank to keep it" in dashboard.text("#content-main")
    dashboard.submit_and_wait(dashboard.css("input[type=submit].default"))  # secret left blank
    get_manager().configs.reset()
    config = get_manager().configs.get(DUMMY, "default-channel")
    assert config.values["webhook_secret"] == "brand-new-secret-123"

    # The audit log shows each action, by this staff member.
    dashboard.open("/dashboard/account/auditevent/?q=manager%40example.com")
    log = dashboard.text("#result_list")
    assert f"#{order.number}-1" in log  # the fulfilment
    assert f"REFUND_GRANTED on #{order.number}" in log
    assert f"{DUMMY} @ default-channel" in log
    assert "brand-new-secret-123" not in dashboard.source
    assert AuditEvent.objects.filter(actor_email="manager@example.com").count() >= 3


def test_staff_without_order_permission_cannot_open_orders(dashboard, placed_order):
    make_staff("catalog@example.com", Perm.MANAGE_PRODUCTS)
    dashboard.sign_in("catalog@example.com", PASSWORD)
    assert "Orders" not in dashboard.text("#content-main")
    assert dashboard.all("#panel-sales") == []
    dashboard.open(f"/dashboard/order/order/{placed_order.number}/change/")
    assert f"#{placed_order.number}" not in dashboard.source
    assert "403" in dashboard.driver.title or "Forbidden" in dashboard.source
    dashboard.open(f"/dashboard/order/order/{placed_order.number}/refund/")
    assert "Refund" not in dashboard.text("body")
