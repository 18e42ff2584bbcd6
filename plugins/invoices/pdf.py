"""Render an order's invoice as PDF bytes with fpdf2 (pure Python, no network, no fonts)."""

from __future__ import annotations

from fpdf import FPDF

from order.models import Invoice, Order


def _text(value: object) -> str:
    # The core PDF fonts are Latin-1; keep everything printable (e.g. the naira sign).
    return str(value).replace("\u20a6", "NGN ").encode("latin-1", "replace").decode("latin-1")


def render(invoice: Invoice, order: Order, seller: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _text(seller), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, _text(f"Invoice {invoice.number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        6,
        _text(f"Order #{order.number} - {order.created_at:%Y-%m-%d}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    address = order.billing_address or order.shipping_address or {}
    for line in (
        f"{address.get('first_name', '')} {address.get('last_name', '')}".strip(),
        address.get("street_address_1", ""),
        f"{address.get('city', '')} {address.get('postal_code', '')}".strip(),
        address.get("country", ""),
        order.user_email,
    ):
        if line:
            pdf.cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    for title, width in (("Item", 90), ("SKU", 30), ("Qty", 15), ("Unit", 25), ("Total", 30)):
        pdf.cell(width, 7, title, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for line in order.lines.all():
        name = (
            f"{line.product_name} ({line.variant_name})" if line.variant_name else line.product_name
        )
        pdf.cell(90, 6, _text(name[:55]), border=1)
        pdf.cell(30, 6, _text(line.product_sku), border=1)
        pdf.cell(15, 6, str(line.quantity), border=1, align="R")
        pdf.cell(25, 6, str(line.unit_price_gross), border=1, align="R")
        pdf.cell(30, 6, str(line.total_price_gross), border=1, align="R")
        pdf.ln()
    pdf.ln(2)
    for label, amount in (
        ("Subtotal", order.subtotal_gross),
        ("Discount", -order.discount_amount),
        ("Shipping", order.shipping_gross),
        ("Tax included", order.total_gross - order.total_net),
        ("Total", order.total_gross),
    ):
        pdf.cell(160, 6, label, align="R")
        pdf.cell(30, 6, _text(f"{amount} {order.currency}"), align="R")
        pdf.ln()
    return bytes(pdf.output())
