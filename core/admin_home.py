"""The dashboard home page: sales, a 30-day chart, work waiting for staff.

Everything is read from the shop's own tables; the chart is an inline SVG built
here, so the page makes no call to a CDN or any other network service. Each
panel only appears for staff allowed to act on it (orders, stock, plugins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.permissions import Perm, has_perm

LOW_STOCK = 5  # units available (quantity - allocated) at or below which a variant is listed
CHART_DAYS = 30


@dataclass
class ChannelSales:
    name: str
    slug: str
    currency: str
    today: Decimal
    today_orders: int
    month: Decimal
    month_orders: int
    chart: SafeString


def _sold() -> Any:
    from order.models import Order, OrderStatus

    return Order.objects.exclude(status__in=(OrderStatus.CANCELED, OrderStatus.UNCONFIRMED))


def _money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def sales_chart(days: list[date], totals: dict[date, Decimal], currency: str) -> SafeString:
    """A bar chart of daily sales as inline SVG (one bar per day, tooltips per bar)."""
    width, height, pad = 600, 160, 24
    highest = max(totals.values(), default=Decimal(0))
    peak = highest or Decimal(1)
    bar = (width - 2 * pad) / len(days)
    bars = []
    for index, day in enumerate(days):
        value = totals.get(day, Decimal(0))
        h = float(value / peak) * (height - 2 * pad)
        bars.append(
            (
                f"{pad + index * bar + 1:.1f}",
                f"{height - pad - h:.1f}",
                f"{max(bar - 2, 1):.1f}",
                f"{h:.1f}",
                f"{day:%d %b}: {_money(value)} {currency}",
            )
        )
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#417690"><title>{}</title></rect>',
        bars,
    )
    return format_html(
        '<svg class="sales-chart" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'aria-label="Daily sales, last {n} days ({c})">'
        '<line x1="{p}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/>{rects}'
        '<text x="{p}" y="{t}" font-size="10">{first}</text>'
        '<text x="{r}" y="{t}" font-size="10" text-anchor="end">{last}</text>'
        '<text x="{p}" y="12" font-size="10">max {peak} {c}</text></svg>',
        w=width,
        h=height,
        n=len(days),
        c=currency,
        p=pad,
        b=height - pad,
        r=width - pad,
        t=height - 8,
        rects=rects,
        first=f"{days[0]:%d %b}",
        last=f"{days[-1]:%d %b}",
        peak=_money(highest),
    )


def channel_sales() -> list[ChannelSales]:
    from core.models import Channel

    now = timezone.localtime()
    today = now.date()
    month_start = today.replace(day=1)
    days = [today - timedelta(days=offset) for offset in range(CHART_DAYS - 1, -1, -1)]
    since = min(days[0], month_start)
    daily: dict[int, dict[date, tuple[Decimal, int]]] = {}
    rows = (
        _sold()
        .filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("channel_id", "day")
        .annotate(total=Sum("total_gross"), orders=Count("pk"))
    )
    for row in rows:
        daily.setdefault(row["channel_id"], {})[row["day"]] = (row["total"], row["orders"])
    result = []
    for channel in Channel.objects.order_by("name"):
        per_day = daily.get(channel.pk, {})
        month = [v for d, v in per_day.items() if d >= month_start]
        result.append(
            ChannelSales(
                name=channel.name,
                slug=channel.slug,
                currency=channel.currency_code,
                today=_money(per_day.get(today, (Decimal(0), 0))[0]),
                today_orders=per_day.get(today, (Decimal(0), 0))[1],
                month=_money(sum((v[0] for v in month), Decimal(0))),
                month_orders=sum(v[1] for v in month),
                chart=sales_chart(
                    days, {d: v[0] for d, v in per_day.items()}, channel.currency_code
                ),
            )
        )
    return result


def waiting_orders(limit: int = 10) -> tuple[int, list]:
    from order.models import Order, OrderStatus

    waiting = Order.objects.filter(
        status__in=(OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)
    ).select_related("channel")
    return waiting.count(), list(waiting.order_by("created_at")[:limit])


def low_stock(limit: int = 10) -> list:
    from warehouse.models import Stock

    return list(
        Stock.objects.annotate(units_left=F("quantity") - F("quantity_allocated"))
        .filter(units_left__lte=LOW_STOCK, product_variant__track_inventory=True)
        .select_related("product_variant__product", "warehouse")
        .order_by("units_left", "pk")[:limit]
    )


def dead_letters(limit: int = 10) -> tuple[int, list]:
    from core.models import EventDelivery

    dead = EventDelivery.objects.filter(status=EventDelivery.Status.DEAD).select_related("event")
    return dead.count(), list(dead.order_by("-pk")[:limit])


def pending_payouts(limit: int = 10) -> tuple[int, list] | None:
    """Payouts waiting for approval, when a marketplace plugin is installed (else None)."""
    try:
        model = apps.get_model("marketplace", "Payout")
    except LookupError:
        return None
    status = getattr(getattr(model, "Status", None), "PENDING", None)
    if status is None:
        return None
    pending = model.objects.filter(status=status)
    return pending.count(), list(pending.order_by("pk")[:limit])


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context of the home page, panel by panel as the user may see them."""
    user = request.user
    if not getattr(user, "is_staff", False):
        return {}
    data: dict[str, Any] = {"home": True}
    if has_perm(user, Perm.MANAGE_ORDERS):
        data["sales"] = channel_sales()
        data["waiting_count"], data["waiting"] = waiting_orders()
    if has_perm(user, Perm.MANAGE_PRODUCTS) or has_perm(user, Perm.MANAGE_WAREHOUSES):
        data["low_stock"] = low_stock()
        data["low_stock_threshold"] = LOW_STOCK
    if has_perm(user, Perm.MANAGE_PLUGINS):
        data["dead_count"], data["dead"] = dead_letters()
    payouts = pending_payouts()
    if payouts is not None:
        data["payouts_count"], data["payouts"] = payouts
    return data
