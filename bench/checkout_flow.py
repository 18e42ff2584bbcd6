"""The storefront checkout, serial, against the running server: what issue 6 asks to measure.

Each checkout: ``checkoutCreate`` (1 line, email, addresses) → ``checkoutDeliveryMethodUpdate``
→ ``transactionInitialize`` (dummy gateway) → ``checkoutComplete``. One client, one request
at a time, keep-alive off (like the rest of the harness). Reports completed checkouts per
second, p50/p99 per step and the gunicorn workers' CPU per checkout.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

ADDRESS = {
    "firstName": "Ada",
    "lastName": "Obi",
    "streetAddress1": "12 Admiralty Way",
    "city": "Lekki",
    "country": "NG",
    "countryArea": "Lagos",
}

VARIANTS_QUERY = """
query Variants($channel: String, $after: String) {
  products(first: 100, channel: $channel, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { variants { id quantityAvailable } } }
  }
}
"""
CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id shippingMethods { id } totalPrice { gross { amount } } }
    errors { field code message }
  }
}
"""
DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { totalPrice { gross { amount } } }
    errors { field code message }
  }
}
"""
PAY = """
mutation Pay($id: ID!, $gateway: PaymentGatewayToInitialize!) {
  transactionInitialize(id: $id, paymentGateway: $gateway) {
    transaction { id }
    errors { field code message }
  }
}
"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) { order { number } errors { field code message } }
}
"""
STEPS = (
    "checkoutCreate",
    "checkoutDeliveryMethodUpdate",
    "transactionInitialize",
    "checkoutComplete",
)


def post(port: int, query: str, variables: dict[str, Any]) -> tuple[float, dict]:
    body = json.dumps({"query": query, "variables": variables})
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/graphql/", body, {"Content-Type": "application/json"})
        data = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, data


def payload(data: dict, field: str) -> dict:
    if data.get("errors"):
        raise RuntimeError(f"{field}: {data['errors'][0].get('message')}")
    result = data["data"][field]
    if result.get("errors"):
        raise RuntimeError(f"{field}: {result['errors'][0]}")
    return result


def in_stock_variants(port: int, channel: str, wanted: int) -> list[str]:
    """Variant ids with stock, each used as often as it has units (first pages only)."""
    ids: list[str] = []
    after = None
    while len(ids) < wanted:
        _, data = post(port, VARIANTS_QUERY, {"channel": channel, "after": after})
        page = data["data"]["products"]
        for edge in page["edges"]:
            for variant in edge["node"]["variants"]:
                ids.extend([variant["id"]] * max(variant["quantityAvailable"] or 0, 0))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return ids[:wanted]


def run(port: int, channel: str, count: int, cpu_of_workers: Callable[[], float]) -> dict[str, Any]:
    variants = in_stock_variants(port, channel, count)
    if not variants:
        return {"note": "skipped: no variant in stock in the channel"}
    timings: dict[str, list[float]] = {step: [] for step in STEPS}
    completed = 0
    errors: list[str] = []
    cpu_before = cpu_of_workers()
    started = time.perf_counter()
    for index, variant in enumerate(variants):
        try:
            ms, data = post(
                port,
                CREATE,
                {
                    "input": {
                        "channel": channel,
                        "email": f"bench{index}@example.com",
                        "lines": [{"variantId": variant, "quantity": 1}],
                        "shippingAddress": ADDRESS,
                        "billingAddress": ADDRESS,
                    }
                },
            )
            checkout = payload(data, "checkoutCreate")["checkout"]
            timings["checkoutCreate"].append(ms)
            method = checkout["shippingMethods"][0]["id"]
            ms, data = post(port, DELIVERY, {"id": checkout["id"], "method": method})
            payload(data, "checkoutDeliveryMethodUpdate")
            timings["checkoutDeliveryMethodUpdate"].append(ms)
            gateway = {"id": "fashionistar.payments.dummy", "data": {"result": "success"}}
            ms, data = post(port, PAY, {"id": checkout["id"], "gateway": gateway})
            payload(data, "transactionInitialize")
            timings["transactionInitialize"].append(ms)
            ms, data = post(port, COMPLETE, {"id": checkout["id"]})
            payload(data, "checkoutComplete")
            timings["checkoutComplete"].append(ms)
            completed += 1
        except (RuntimeError, KeyError, IndexError, TypeError, OSError) as exc:
            errors.append(str(exc)[:200])
    elapsed = time.perf_counter() - started
    cpu = cpu_of_workers() - cpu_before
    return {
        "checkouts": completed,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "checkouts_per_s": completed / elapsed if elapsed else 0.0,
        "server_cpu_ms_per_checkout": cpu * 1000 / max(completed, 1),
        "steps": {
            step: {
                "p50_ms": statistics.median(values),
                "p99_ms": sorted(values)[min(len(values) - 1, int(len(values) * 0.99))],
            }
            for step, values in timings.items()
            if values
        },
    }


def report(result: dict[str, Any]) -> list[str]:
    if "note" in result:
        return ["", "### Checkout flow", "", f"- {result['note']}"]
    rows = "\n".join(
        f"| `{step}` | {v['p50_ms']:.1f} | {v['p99_ms']:.1f} |"
        for step, v in result["steps"].items()
    )
    return [
        "",
        "### Checkout flow (serial, one client)",
        "",
        f"- {result['checkouts']} checkouts completed, {result['errors']} errors"
        + (f" (first: {result['first_error']})" if result["errors"] else "")
        + f"; {result['checkouts_per_s']:.2f} checkouts/s; "
        f"server CPU {result['server_cpu_ms_per_checkout']:.1f} ms per checkout (4 requests)",
        "",
        "| step | p50 ms | p99 ms |",
        "| --- | --- | --- |",
        rows,
    ]
