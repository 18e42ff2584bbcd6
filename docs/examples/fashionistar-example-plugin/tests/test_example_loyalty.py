"""Behaviour of the example loyalty plugin, through the host's public surfaces.

Events go through the real outbox and delivery code (``plugin_kit.emit`` and
``plugin_kit.deliver``), configuration through the real service, GraphQL and the
webhook through HTTP. Nothing of the host is mocked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from fashionistar_example_loyalty.services import balance

from core.errors import DomainError
from core.events import Event
from core.money import TaxedMoney, money

pytestmark = pytest.mark.embedded

PLUGIN_ID = "example.loyalty"
API_KEY = "partner-shared-secret-0123456789"  # noqa: S105 - the conftest's test value
ADA = "ada@example.com"


def paid_order(email: str = ADA, total: str = "1500.75", number: str = "1001") -> dict:
    return {
        "order": {
            "id": f"order-{number}",
            "number": number,
            "user_email": email,
            "total_gross_amount": total,
            "currency": "NGN",
        }
    }


# -- events ---------------------------------------------------------------------------------


def test_a_paid_order_earns_points(loyalty: Any, channel: Any) -> None:
    event_id = loyalty.emit("order_paid", paid_order(total="1500.75"), channel=channel.slug)

    outcome = loyalty.deliver()

    assert outcome[f"{event_id}:{PLUGIN_ID}"] == "delivered"
    assert balance(ADA) == 3001  # 1500.75 NGN x 2 points, rounded down


def test_a_replayed_event_awards_nothing_more(loyalty: Any, channel: Any) -> None:
    event_id = loyalty.emit("order_paid", paid_order(), channel=channel.slug)
    loyalty.deliver()
    [delivery] = loyalty.deliveries(event_id=event_id, plugin_id=PLUGIN_ID)

    # What a worker does when it delivers the same event again (at-least-once).
    replay = Event(
        id=event_id,
        type="order_paid",
        channel=channel.slug,
        payload=delivery.event.payload,
        occurred_at=delivery.event.created_at,
        attempt=2,
    )
    loyalty.manager.call_plugin(PLUGIN_ID, "order_paid", channel=channel.slug, event=replay)

    assert balance(ADA) == 3001


def test_each_paid_order_counts(loyalty: Any, channel: Any) -> None:
    loyalty.emit("order_paid", paid_order(total="100", number="1"), channel=channel.slug)
    loyalty.emit("order_paid", paid_order(total="50", number="2"), channel=channel.slug)

    loyalty.deliver()

    assert balance(ADA) == 300


def test_a_channel_where_the_plugin_is_off_receives_nothing(
    loyalty: Any, other_channel: Any
) -> None:
    loyalty.emit("order_paid", paid_order(), channel=other_channel.slug)

    loyalty.deliver()

    assert not loyalty.called("order_paid", plugin_id=PLUGIN_ID)
    assert loyalty.deliveries(plugin_id=PLUGIN_ID) == []
    assert balance(ADA) == 0


def test_switched_off_before_delivery_the_event_is_skipped(loyalty: Any, channel: Any) -> None:
    event_id = loyalty.emit("order_paid", paid_order(), channel=channel.slug)
    loyalty.deactivate(PLUGIN_ID, channel=channel.slug)

    outcome = loyalty.deliver()

    assert outcome[f"{event_id}:{PLUGIN_ID}"] == "skipped"
    assert balance(ADA) == 0


def test_a_malformed_payload_is_retried_then_dead_lettered(loyalty: Any, channel: Any) -> None:
    payload = {"order": {"number": "1002", "user_email": ADA}}  # no total
    event_id = loyalty.emit("order_paid", payload, channel=channel.slug)

    outcome = loyalty.deliver(rounds=settings.OUTBOX_MAX_ATTEMPTS)

    assert outcome[f"{event_id}:{PLUGIN_ID}"] == "dead"
    [delivery] = loyalty.deliveries(event_id=event_id, plugin_id=PLUGIN_ID)
    assert delivery.attempts == settings.OUTBOX_MAX_ATTEMPTS
    assert "total_gross_amount" in delivery.last_error
    assert balance(ADA) == 0


# -- configuration ------------------------------------------------------------------------------


def test_a_negative_rate_is_refused(plugin_kit: Any, channel: Any) -> None:
    with pytest.raises(DomainError) as refused:
        plugin_kit.activate(PLUGIN_ID, channel=channel.slug, config={"points_per_unit": "-1"})

    assert refused.value.errors[0].field == "points_per_unit"
    assert not plugin_kit.config(PLUGIN_ID, channel.slug).active


def test_the_api_key_is_never_shown_in_full(loyalty: Any, channel: Any, make_user: Any) -> None:
    from django.contrib.auth.models import Permission

    staff = make_user("staff@example.com", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="core", codename="manage_plugins")
    )
    query = """query ($id: ID!) { plugin(id: $id) { channelConfigurations {
        channel configuration { name value isSecret } } } }"""

    body = graphql(query, {"id": PLUGIN_ID}, user=staff)

    [config] = [
        c for c in body["data"]["plugin"]["channelConfigurations"] if c["channel"] == channel.slug
    ]
    items = {item["name"]: item for item in config["configuration"]}
    assert items["api_key"] == {"name": "api_key", "value": "****6789", "isSecret": True}
    assert items["points_per_unit"]["value"] == "2"
    assert loyalty.config(PLUGIN_ID, channel.slug)["api_key"] == API_KEY


def test_the_plugins_command_lists_the_plugin_and_where_it_is_active(loyalty: Any) -> None:
    out = StringIO()
    call_command("plugins", "--json", stdout=out)

    [row] = [p for p in json.loads(out.getvalue())["plugins"] if p["id"] == PLUGIN_ID]
    assert row["source"] == "entry_point"
    assert row["version"] == "0.1.0"
    assert row["active_in"] == ["default-channel"]
    assert row["hooks"] == [
        "calculate_checkout_total",
        "graphql_query_fields",
        "handle_webhook",
        "order_paid",
    ]


# -- GraphQL ------------------------------------------------------------------------------------

BALANCE = """query Balance($email: String!) {
  loyaltyBalance(email: $email) {
    email points
    entries(first: 10) { totalCount edges { node { points source orderNumber channel } } }
  }
}"""


def graphql(query: str, variables: dict, user: Any = None) -> dict:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def test_a_customer_sees_their_own_balance(loyalty: Any, channel: Any, make_user: Any) -> None:
    loyalty.emit("order_paid", paid_order(total="10", number="1003"), channel=channel.slug)
    loyalty.deliver()

    body = graphql(BALANCE, {"email": ADA}, user=make_user(ADA))

    assert body == {
        "data": {
            "loyaltyBalance": {
                "email": ADA,
                "points": 20,
                "entries": {
                    "totalCount": 1,
                    "edges": [
                        {
                            "node": {
                                "points": 20,
                                "source": "order_paid",
                                "orderNumber": "1003",
                                "channel": "default-channel",
                            }
                        }
                    ],
                },
            }
        }
    }


def test_staff_see_any_balance(loyalty: Any, channel: Any, make_user: Any) -> None:
    loyalty.emit("order_paid", paid_order(total="10"), channel=channel.slug)
    loyalty.deliver()

    body = graphql(BALANCE, {"email": ADA}, user=make_user("staff@example.com", is_staff=True))

    assert body["data"]["loyaltyBalance"]["points"] == 20


def test_a_customer_without_points_sees_zero(loyalty: Any, make_user: Any) -> None:
    body = graphql(BALANCE, {"email": ADA}, user=make_user(ADA))

    assert body["data"]["loyaltyBalance"]["points"] == 0
    assert body["data"]["loyaltyBalance"]["entries"]["edges"] == []


@pytest.mark.parametrize("who", ["anonymous", "another customer"])
def test_nobody_else_sees_a_balance(loyalty: Any, channel: Any, make_user: Any, who: str) -> None:
    loyalty.emit("order_paid", paid_order(), channel=channel.slug)
    loyalty.deliver()
    user = make_user("eve@example.com") if who == "another customer" else None

    body = graphql(BALANCE, {"email": ADA}, user=user)

    assert body["data"] == {"loyaltyBalance": None}
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "3001" not in json.dumps(body)


# -- webhook ------------------------------------------------------------------------------------


def post_webhook(
    grant: dict,
    *,
    key: str = API_KEY,
    channel: str = "default-channel",
    signature: str | None = None,
) -> Any:
    raw = json.dumps(grant).encode()
    if signature is None:
        signature = hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()
    return Client().post(
        f"/plugins/{PLUGIN_ID}/webhook/{channel}/",
        data=raw,
        content_type="application/json",
        HTTP_X_LOYALTY_SIGNATURE=signature,
    )


GRANT = {"id": "grant-77", "email": ADA, "points": 100, "note": "Review bonus"}


def test_a_signed_partner_grant_adds_points_once(loyalty: Any) -> None:
    first = post_webhook(GRANT)
    replay = post_webhook(GRANT)

    assert (first.status_code, first.json()) == (200, {"status": "applied"})
    assert (replay.status_code, replay.json()) == (200, {"status": "duplicate"})
    assert balance(ADA) == 100


@pytest.mark.parametrize(
    "signature",
    [None, "", "0" * 64, "é" * 64],
    ids=["signed with another key", "missing", "forged", "not ascii"],
)
def test_a_grant_with_a_bad_signature_is_rejected(loyalty: Any, signature: str | None) -> None:
    response = post_webhook(GRANT, key="someone-elses-key", signature=signature)

    assert response.status_code == 401
    assert response.json() == {"error": "INVALID_SIGNATURE"}
    assert balance(ADA) == 0


def test_a_signed_but_invalid_grant_is_refused(loyalty: Any) -> None:
    response = post_webhook({**GRANT, "points": -5})

    assert response.status_code == 400
    assert response.json()["error"] == "INVALID_PAYLOAD"
    assert balance(ADA) == 0


def test_the_webhook_is_closed_where_the_plugin_is_off(loyalty: Any, other_channel: Any) -> None:
    response = post_webhook(GRANT, channel=other_channel.slug)

    assert response.status_code == 404
    assert balance(ADA) == 0


# -- pipeline -----------------------------------------------------------------------------------


def checkout_total(kit: Any, channel: Any, email: str) -> TaxedMoney:
    # The checkout domain's own object goes here once it exists; the hook reads ``email``.
    checkout = SimpleNamespace(email=email)
    total = TaxedMoney(money("10000", "NGN"), money("10750", "NGN"))
    return kit.manager.pipeline(
        "calculate_checkout_total", total, channel=channel.slug, checkout=checkout
    )


def test_members_get_five_percent_off_when_enabled(loyalty: Any, channel: Any) -> None:
    post_webhook(GRANT)
    assert checkout_total(loyalty, channel, ADA).gross == money("10750", "NGN")

    loyalty.activate(PLUGIN_ID, channel=channel.slug, config={"member_discount": True})

    discounted = checkout_total(loyalty, channel, ADA)
    assert (discounted.net, discounted.gross) == (money("9500", "NGN"), money("10212.50", "NGN"))
    assert checkout_total(loyalty, channel, "eve@example.com").gross == money("10750", "NGN")


# -- dashboard ----------------------------------------------------------------------------------


def test_staff_see_balances_in_the_dashboard(loyalty: Any, channel: Any) -> None:
    from django.contrib.auth import get_user_model

    loyalty.emit("order_paid", paid_order(total="10"), channel=channel.slug)
    loyalty.deliver()
    admin = get_user_model().objects.create_superuser(email="admin@example.com", password=None)
    client = Client()
    client.force_login(admin)

    page = client.get("/dashboard/fashionistar_example_loyalty/loyaltyaccount/")

    assert page.status_code == 200
    assert ADA in page.text
    assert '<td class="field-points">20</td>' in page.text
