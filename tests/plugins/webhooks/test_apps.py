"""Apps: tokens shown once and stored hashed; requests act with exactly the app's permissions."""

from __future__ import annotations

import hashlib
import json

import pytest

from account.models import AuditEvent
from core.permissions import Perm
from plugins.webhooks.models import App, AppToken, Webhook, WebhookDelivery
from tests.plugins.webhooks.conftest import SECRET

pytestmark = pytest.mark.django_db

APP_CREATE = """
mutation($input: AppInput!) {
  appCreate(input: $input) {
    authToken
    app { id name permissions tokens { last4 } }
    errors { field code message }
  }
}
"""
APPS = "query { apps(first: 10) { totalCount edges { node { id name tokens { last4 } } } } }"
OUTBOX_STATS = "query { outboxStats { pending } }"
WEBHOOK_CREATE = """
mutation($appId: ID!, $input: WebhookInput!) {
  webhookCreate(appId: $appId, input: $input) {
    secret
    webhook { id targetUrl events isActive }
    errors { field code message }
  }
}
"""


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def create_app(staff_gql, permissions, *staff_perms):
    client = staff_gql(Perm.MANAGE_APPS, *staff_perms)
    body = client(APP_CREATE, {"input": {"name": "Warehouse sync", "permissions": permissions}})
    return body["data"]["appCreate"]


def test_the_token_is_shown_once_and_stored_hashed(staff_gql):
    result = create_app(staff_gql, ["MANAGE_PLUGINS"], Perm.MANAGE_PLUGINS)
    assert result["errors"] == []
    token = result["authToken"]
    assert token.startswith("fca_") and len(token) > 40
    row = AppToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(AppToken.objects.values()))
    assert result["app"]["tokens"] == [{"last4": token[-4:]}]

    listed = staff_gql(Perm.MANAGE_APPS)(APPS)
    assert token not in str(listed)
    assert listed["data"]["apps"]["totalCount"] == 1


def test_an_app_acts_with_exactly_its_permissions(staff_gql, gql):
    token = create_app(staff_gql, ["MANAGE_PLUGINS"], Perm.MANAGE_PLUGINS)["authToken"]

    allowed = gql(OUTBOX_STATS, **bearer(token))
    assert "errors" not in allowed and allowed["data"]["outboxStats"]["pending"] == 0

    refused = gql(APPS, **bearer(token))
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert refused["data"]["apps"] is None

    me = gql("query { me { email } }", **bearer(token))
    assert "PERMISSION_DENIED" not in str(me)


def test_staff_cannot_grant_permissions_they_do_not_hold(staff_gql):
    result = create_app(staff_gql, ["MANAGE_STAFF"])
    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert result["errors"][0]["field"] == "permissions"
    assert not App.objects.exists()


def test_unknown_permissions_are_refused(staff_gql):
    result = create_app(staff_gql, ["MANAGE_EVERYTHING"])
    assert [e["code"] for e in result["errors"]] == ["INVALID"]
    assert not App.objects.exists()


def test_an_app_writing_is_audited_as_the_app_and_cannot_escalate(staff_gql, gql):
    token = create_app(staff_gql, ["MANAGE_APPS"])["authToken"]
    app = App.objects.get()

    escalated = gql(
        APP_CREATE, {"input": {"name": "Sneaky", "permissions": ["MANAGE_STAFF"]}}, **bearer(token)
    )
    assert escalated["data"]["appCreate"]["errors"][0]["code"] == "PERMISSION_DENIED"

    created = gql(
        APP_CREATE, {"input": {"name": "Helper", "permissions": ["MANAGE_APPS"]}}, **bearer(token)
    )
    assert created["data"]["appCreate"]["errors"] == []
    helper = App.objects.get(name="Helper")
    entry = AuditEvent.objects.get(object_pk=str(helper.pk), content_type__model="app")
    assert entry.actor_id is None
    assert entry.actor_email == f"app:{app.pk} Warehouse sync"


def test_staff_app_writes_are_audited_with_secrets_masked(staff_gql, staff_user):
    create_app(staff_gql, [])
    token_row = AppToken.objects.get()
    entry = AuditEvent.objects.get(object_pk=str(token_row.pk), content_type__model="apptoken")
    assert entry.actor_id == staff_user.pk
    assert entry.changes["token_hash"][1] == "********"


def test_invalid_revoked_and_deactivated_tokens_are_refused(staff_gql, gql):
    token = create_app(staff_gql, ["MANAGE_APPS"])["authToken"]
    response = gql.raw({"query": OUTBOX_STATS}, **bearer("fca_not-a-real-token"))
    assert response.status_code == 401

    app = App.objects.get()
    staff_gql(Perm.MANAGE_APPS)(
        "mutation($id: ID!) { appUpdate(id: $id, input: {isActive: false}) { errors { code } } }",
        {"id": app.pk},
    )
    assert gql.raw({"query": APPS}, **bearer(token)).status_code == 401

    second = staff_gql(Perm.MANAGE_APPS)(
        'mutation($id: ID!) { appTokenCreate(appId: $id, name: "ci") { authToken '
        "appToken { id } errors { code } } }",
        {"id": app.pk},
    )["data"]["appTokenCreate"]
    assert second["authToken"].startswith("fca_")
    staff_gql(Perm.MANAGE_APPS)(
        "mutation($id: ID!) { appTokenDelete(id: $id) { errors { code } } }",
        {"id": second["appToken"]["id"]},
    )
    assert not AppToken.objects.filter(pk=second["appToken"]["id"]).exists()


def test_webhook_targets_are_checked_against_ssrf(staff_gql, settings, channel):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    create_app(staff_gql, [])
    app = App.objects.get()
    client = staff_gql(Perm.MANAGE_APPS)
    for url in (
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "http://user:pw@example.com/hook",
    ):
        result = client(
            WEBHOOK_CREATE,
            {"appId": app.pk, "input": {"name": "x", "targetUrl": url, "events": ["order_paid"]}},
        )["data"]["webhookCreate"]
        assert [e["code"] for e in result["errors"]] == ["INVALID_URL"], url
    assert not Webhook.objects.exists()

    public = client(
        WEBHOOK_CREATE,
        {
            "appId": app.pk,
            "input": {"name": "x", "targetUrl": "http://93.184.215.14/h", "events": ["order_paid"]},
        },
    )["data"]["webhookCreate"]
    assert public["errors"] == []
    assert len(public["secret"]) >= 32  # generated, shown once
    assert public["secret"] not in str(Webhook.objects.values())


def test_webhook_input_is_validated(staff_gql, receiver):
    create_app(staff_gql, [])
    app = App.objects.get()
    client = staff_gql(Perm.MANAGE_APPS)

    def create(**input_):
        data = {"name": "x", "targetUrl": receiver.url, "events": ["order_paid"], **input_}
        result = client(WEBHOOK_CREATE, {"appId": app.pk, "input": data})["data"]
        return [(e["field"], e["code"]) for e in result["webhookCreate"]["errors"]]

    assert create(events=["order_teleported"]) == [("events", "INVALID")]
    assert create(events=[]) == [("events", "REQUIRED")]
    assert create(channels=["nowhere"]) == [("channels", "NOT_FOUND")]
    assert create(secret="short") == [("secret", "INVALID")]
    assert create(customHeaders='{"X-Fashionistar-Signature": "forged"}') == [
        ("customHeaders", "INVALID")
    ]
    assert create(customHeaders='{"X-Api-Key": "a\\nb"}') == [("customHeaders", "INVALID")]
    assert not Webhook.objects.exists()
    assert create(customHeaders='{"X-Api-Key": "k-123"}', secret=SECRET) == []


def test_dry_run_shows_the_payload_and_sends_nothing(
    staff_gql, make_webhook, receiver, plugin_kit, channel
):
    from core.events.outbox import emit

    webhook = make_webhook(["order_paid"])
    client = staff_gql(Perm.MANAGE_APPS)
    dry = "mutation($w: ID, $e: String!) { webhookDryRun(webhookId: $w, eventType: $e) { payload errors { code } } }"

    sample = client(dry, {"w": webhook.pk, "e": "order_paid"})["data"]["webhookDryRun"]
    assert sample["errors"] == []
    payload = json.loads(sample["payload"])
    assert payload["type"] == "order_paid" and payload["version"] == 1
    assert "order" in payload["data"]

    event_id = emit("order_paid", {"order": {"id": "o-1", "number": "7"}}, channel=channel)
    real = client(dry, {"w": webhook.pk, "e": "order_paid"})["data"]["webhookDryRun"]
    assert json.loads(real["payload"])["id"] == str(event_id)
    assert json.loads(real["payload"])["data"] == {"order": {"id": "o-1", "number": "7"}}
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()

    unknown = client(dry, {"w": None, "e": "calculate_checkout_total"})["data"]["webhookDryRun"]
    assert [e["code"] for e in unknown["errors"]] == ["INVALID"]


def test_staff_list_deliveries_and_re_send(staff_gql, make_webhook, receiver, plugin_kit, channel):
    from core.events.outbox import emit
    from tests.plugins.webhooks.conftest import send_due

    webhook = make_webhook(["order_paid"])
    receiver.respond_with(410)
    event_id = emit("order_paid", {"order": {"id": "o-1"}}, channel=channel)
    plugin_kit.deliver()
    send_due()
    client = staff_gql(Perm.MANAGE_APPS)
    listing = client(
        "query($w: ID) { webhookDeliveries(webhookId: $w, first: 5) { edges { node { "
        "id eventId status attempts { statusCode responseBody } } } } }",
        {"w": webhook.pk},
    )["data"]["webhookDeliveries"]["edges"]
    [node] = [edge["node"] for edge in listing]
    assert node["status"] == "FAILED"
    assert node["attempts"] == [{"statusCode": 410, "responseBody": "answer 410"}]

    resent = client(
        "mutation($id: ID!) { webhookDeliveryResend(id: $id) { delivery { status } errors { code } } }",
        {"id": node["id"]},
    )["data"]["webhookDeliveryResend"]
    assert resent == {"delivery": {"status": "PENDING"}, "errors": []}
    send_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "success"
    assert [r.headers["X-Fashionistar-Delivery"] for r in receiver.requests] == [str(event_id)] * 2
    assert [a.number for a in delivery.tries.all()] == [1, 2]


def test_the_plugin_listens_only_while_an_active_webhook_exists(make_webhook, channel):
    from core.events.outbox import emit
    from core.models import EventDelivery
    from plugins.webhooks import services

    def listens() -> bool:
        """Whether an order_paid emitted now gets a delivery for this plugin (other built-in
        plugins, e.g. gift cards, may listen to order_paid too)."""
        event_id = emit("order_paid", {"order": {}}, channel=channel)
        return EventDelivery.objects.filter(
            event_id=event_id, plugin_id="fashionistar.webhooks"
        ).exists()

    webhook = make_webhook(["order_paid"])
    assert listens()
    services.update_webhook(webhook, services.WebhookInput(is_active=False))
    assert not listens()
    services.update_webhook(webhook, services.WebhookInput(is_active=True))
    services.delete_webhook(webhook)
    assert not listens()


def test_everything_requires_manage_apps(staff_gql, gql):
    refused = staff_gql()(APPS)
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    anonymous = gql(APP_CREATE, {"input": {"name": "x"}})["data"]["appCreate"]
    assert [e["code"] for e in anonymous["errors"]] == ["PERMISSION_DENIED"]
