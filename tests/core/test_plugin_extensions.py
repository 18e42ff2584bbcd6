"""Plugins extend the API: root fields, fields on core types, webhook endpoints."""

from __future__ import annotations

import graphene
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from core.graphql.schema import get_schema, reset_schema
from core.hookspecs import hookimpl
from core.plugins import BasePlugin
from tests.core.sample_plugins import Extender, WebhookReceiver

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


@pytest.fixture
def extended_schema(plugin_kit):
    plugin_kit.register(Extender())
    reset_schema()
    yield
    reset_schema()


def test_plugin_adds_root_and_core_type_fields(extended_schema, gql, channel):
    body = gql('{ greeting(name: "Ada") channel(slug: "default-channel") { slug currencySymbol } }')
    assert body == {
        "data": {
            "greeting": "hello Ada",
            "channel": {"slug": "default-channel", "currencySymbol": "₦"},
        }
    }


def test_type_extensions_are_removed_with_the_plugin(plugin_kit, gql, channel):
    plugin_kit.register(Extender())
    reset_schema()
    plugin_kit.close()
    reset_schema()
    body = gql('{ channel(slug: "default-channel") { currencySymbol } }')
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


class Clash(BasePlugin):
    id = "test.clash"
    name = "Clash"

    @hookimpl
    def graphql_type_fields(self) -> dict:
        return {"Channel": {"slug": graphene.String()}}


def test_a_field_clash_is_refused_at_start_up(plugin_kit):
    plugin_kit.register(Clash())
    reset_schema()
    try:
        with pytest.raises(ImproperlyConfigured, match="Channel.slug, which already exists"):
            get_schema()
    finally:
        reset_schema()


@pytest.fixture
def receiver(plugin_kit, channel):
    plugin = plugin_kit.register(WebhookReceiver())
    plugin_kit.activate(
        "test.webhooks", channel="default-channel", config={"token": "s3cret-token-value"}
    )
    return plugin


def test_webhook_is_routed_to_the_named_plugin_in_its_channel(client, receiver):
    response = client.post(
        "/plugins/test.webhooks/webhook/default-channel/",
        '{"event": "charge.success"}',
        content_type="application/json",
        HTTP_X_TOKEN="s3cret-token-value",
    )
    assert response.status_code == 200
    assert response.content == b"ok default-channel"
    assert receiver.handled == ['{"event": "charge.success"}']


def test_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, receiver):
    response = client.post(
        "/plugins/test.webhooks/webhook/default-channel/",
        "{}",
        content_type="application/json",
        HTTP_X_TOKEN="guess",
    )
    assert response.status_code == 400
    assert response.json() == {"error": "INVALID_SIGNATURE", "message": "Bad signature."}
    assert receiver.handled == []


def test_webhook_for_unknown_or_inactive_plugins_is_404(client, receiver, channel_usd):
    assert (
        client.post("/plugins/nope/webhook/", "{}", content_type="application/json").status_code
        == 404
    )
    assert (
        client.post(
            "/plugins/fashionistar.notifications.email/webhook/",
            "{}",
            content_type="application/json",
        ).status_code
        == 404
    )
    inactive = client.post(
        "/plugins/test.webhooks/webhook/channel-usd/", "{}", content_type="application/json"
    )
    assert inactive.status_code == 404
    assert client.get("/plugins/test.webhooks/webhook/default-channel/").status_code == 405


def test_plugins_command_lists_hooks_and_activation(receiver, capsys):
    call_command("plugins")
    out = capsys.readouterr().out
    assert "test.webhooks" in out
    assert "hooks:  handle_webhook" in out
    assert "active: default-channel" in out


class Scheduled(BasePlugin):
    id = "test.scheduled"
    name = "Scheduled"

    @hookimpl
    def celery_beat_schedule(self) -> dict:
        return {"reconcile": {"task": "test.reconcile", "schedule": 300.0}}


def test_plugin_beat_entries_join_the_schedule(plugin_kit):
    from core.apps import register_beat_schedules
    from core.celery import app
    from core.plugins.manager import get_manager

    plugin_kit.register(Scheduled())
    before = dict(app.conf.beat_schedule)
    try:
        register_beat_schedules(get_manager())
        assert app.conf.beat_schedule["test.scheduled:reconcile"] == {
            "task": "test.reconcile",
            "schedule": 300.0,
        }
        assert app.conf.beat_schedule["outbox-sweep"]["task"] == "core.sweep_outbox"
    finally:
        app.conf.beat_schedule = before


class Usurper(BasePlugin):
    id = "test.usurper"
    name = "Usurper"

    @hookimpl
    def graphql_query_fields(self) -> dict:
        return {"channel": graphene.String()}


def test_a_plugin_cannot_replace_a_core_root_field(plugin_kit):
    plugin_kit.register(Usurper())
    reset_schema()
    try:
        with pytest.raises(ImproperlyConfigured, match="redefines GraphQL field 'channel'"):
            get_schema()
    finally:
        reset_schema()


class Wrapper(BasePlugin):
    id = "test.wrapper"
    name = "Wrapper"

    @hookimpl(wrapper=True)
    def calculate_checkout_total(self, previous_value):
        return (yield)


def test_hook_wrappers_are_refused_at_registration(plugin_kit):
    with pytest.raises(ImproperlyConfigured, match="hook wrappers are not supported"):
        plugin_kit.register(Wrapper())
    from core.plugins.manager import get_manager

    assert "test.wrapper" not in get_manager().loaded


def test_webhook_for_a_channel_that_does_not_exist_is_404(client, receiver):
    response = client.post(
        "/plugins/test.webhooks/webhook/atlantis/",
        "{}",
        content_type="application/json",
        HTTP_X_TOKEN="s3cret-token-value",
    )
    assert response.status_code == 404
    assert receiver.handled == []
