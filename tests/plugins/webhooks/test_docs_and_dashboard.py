"""docs/webhooks.md covers every event and its receiver snippet verifies real requests;
the dashboard pages work for staff who manage apps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from core.events.outbox import emit
from core.hookspecs import HookKind
from core.permissions import Perm
from plugins.webhooks.models import App, AppToken, Webhook
from tests.conftest import grant
from tests.plugins.webhooks.conftest import SECRET, send_due

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def test_every_event_hook_is_documented_with_an_example():
    from core.plugins.manager import get_manager

    text = DOC.read_text()
    for name in get_manager().hooks_of_kind(HookKind.EVENT):
        section = re.search(rf"### `{name}`\n(.*?)(?=\n### |\n## )", text, re.S)
        assert section, name
        assert f'"type": "{name}"' in section.group(1), name


@pytest.mark.django_db
def test_the_documented_receiver_snippet_accepts_a_real_request(plugin_kit, make_webhook, receiver):
    snippet = re.search(
        r"### Verifying a request \(Python\)\n\n```python\n(.*?)```", DOC.read_text(), re.S
    )
    namespace: dict = {}
    exec(snippet.group(1).replace("the webhook's secret", SECRET), namespace)  # noqa: S102
    make_webhook(["customer_created"])
    emit("customer_created", {"user": {"id": 1, "email": "ada@example.com", "phone": ""}})
    plugin_kit.deliver()
    send_due()

    [request] = receiver.requests
    assert namespace["verify"](request.headers, request.body)
    assert not namespace["verify"](request.headers, request.body + b" ")


@pytest.fixture
def dashboard(staff_user):
    user = grant(staff_user, Perm.MANAGE_APPS)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_manage_apps_and_webhooks_on_the_dashboard(dashboard, receiver, staff_user):
    response = dashboard.post(
        "/dashboard/webhooks/app/add/", {"name": "Dash app", "is_active": "on"}, follow=True
    )
    assert response.status_code == 200
    app = App.objects.get(name="Dash app")
    token_messages = [str(m) for m in response.context["messages"] if "shown once" in str(m)]
    [shown] = token_messages
    token = shown.rsplit(" ", 1)[1]
    assert AppToken.objects.get(app=app).last_4 == token[-4:]

    refused = dashboard.post(
        "/dashboard/webhooks/app/add/", {"name": "Too strong", "permissions": ["MANAGE_STAFF"]}
    )
    assert refused.status_code == 200 and not App.objects.filter(name="Too strong").exists()

    created = dashboard.post(
        "/dashboard/webhooks/webhook/add/",
        {
            "app": app.pk,
            "name": "Dash hook",
            "target_url": receiver.url,
            "events": ["order_paid", "order_created"],
            "channels": "",
            "custom_headers": "{}",
            "is_active": "on",
        },
        follow=True,
    )
    assert created.status_code == 200
    webhook = Webhook.objects.get(name="Dash hook")
    assert webhook.events == ["order_paid", "order_created"]
    for page in ("app", "webhook", "webhookdelivery"):
        assert dashboard.get(f"/dashboard/webhooks/{page}/").status_code == 200


@pytest.mark.django_db
def test_the_dashboard_refuses_staff_without_the_permission(staff_user):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/dashboard/webhooks/app/").status_code == 403
