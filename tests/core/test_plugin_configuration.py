"""Per-plugin configuration: validated, secrets encrypted and masked, cached and invalidated."""

from __future__ import annotations

import io

import pytest

from core.models import PluginConfiguration
from core.plugins.config import ConfigStore
from core.plugins.crypto import decrypt
from core.plugins.manager import get_manager
from tests.core.sample_plugins import Gatekeeper

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

PLUGIN_QUERY = """
query($id: ID!) { plugin(id: $id) {
  id name perChannel hooks
  globalConfiguration { active configuration { name value type isSecret } }
  channelConfigurations { active channel configuration { name value } }
} }
"""

UPDATE = """
mutation($id: ID!, $channel: String, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, channel: $channel, input: $input) {
    plugin { id channelConfigurations { channel active configuration { name value } } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def gatekeeper(plugin_kit):
    return plugin_kit.register(Gatekeeper())


def values(config_items):
    return {item["name"]: item["value"] for item in config_items}


def test_staff_update_stores_secret_encrypted_and_returns_it_masked(staff_gql, gatekeeper, channel):
    gql = staff_gql("core.manage_plugins")
    body = gql(
        UPDATE,
        {
            "id": "test.gatekeeper",
            "channel": "default-channel",
            "input": {
                "active": True,
                "configuration": [
                    {"name": "api_key", "value": "sk_live_0123456789abcdef"},
                    {"name": "blocked", "value": "a@x.com, b@x.com"},
                    {"name": "max_items", "value": "20"},
                ],
            },
        },
    )
    payload = body["data"]["pluginUpdate"]
    assert payload["errors"] == []
    ngn = next(
        c for c in payload["plugin"]["channelConfigurations"] if c["channel"] == "default-channel"
    )
    assert ngn["active"] is True
    shown = values(ngn["configuration"])
    assert shown["api_key"] == "****cdef"
    assert shown["blocked"] == "a@x.com,b@x.com"
    assert shown["max_items"] == "20"

    row = PluginConfiguration.objects.get(plugin_id="test.gatekeeper", channel=channel)
    assert "sk_live" not in str(row.values) and "sk_live" not in str(row.secrets)
    assert decrypt(row.secrets["api_key"]) == "sk_live_0123456789abcdef"
    assert (
        get_manager().config("test.gatekeeper", "default-channel")["api_key"]
        == "sk_live_0123456789abcdef"
    )
    assert "sk_live_0123456789abcdef" not in str(gql(PLUGIN_QUERY, {"id": "test.gatekeeper"}))


def test_blank_secret_keeps_the_stored_one(staff_gql, gatekeeper, channel):
    gql = staff_gql("core.manage_plugins")
    first = {"name": "api_key", "value": "sk_live_0123456789abcdef"}
    gql(
        UPDATE,
        {
            "id": "test.gatekeeper",
            "channel": "default-channel",
            "input": {"configuration": [first]},
        },
    )
    gql(
        UPDATE,
        {
            "id": "test.gatekeeper",
            "channel": "default-channel",
            "input": {
                "configuration": [
                    {"name": "api_key", "value": ""},
                    {"name": "mode", "value": "lenient"},
                ]
            },
        },
    )
    get_manager().configs.invalidate()  # what the commit of each change does
    config = get_manager().config("test.gatekeeper", "default-channel")
    assert config["api_key"] == "sk_live_0123456789abcdef"
    assert config["mode"] == "lenient"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"name": "mode", "value": "yolo"}, "mode"),
        ({"name": "max_items", "value": "many"}, "max_items"),
        ({"name": "endpoint", "value": "ftp://nope"}, "endpoint"),
        ({"name": "enabled_checks", "value": "perhaps"}, "enabled_checks"),
        ({"name": "no_such_field", "value": "1"}, "no_such_field"),
        ({"name": "max_items", "value": "5000"}, "max_items"),
    ],
)
def test_invalid_values_are_typed_errors_and_nothing_is_written(
    staff_gql, gatekeeper, channel, item, field
):
    gql = staff_gql("core.manage_plugins")
    body = gql(
        UPDATE,
        {
            "id": "test.gatekeeper",
            "channel": "default-channel",
            "input": {
                "active": True,
                "configuration": [{"name": "api_key", "value": "sk_live_zzzzzzzzzzzzzz"}, item],
            },
        },
    )
    errors = body["data"]["pluginUpdate"]["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["code"] in {"INVALID", "REQUIRED"}
    assert not PluginConfiguration.objects.filter(plugin_id="test.gatekeeper").exists()


def test_unknown_plugin_and_channel_are_not_found(staff_gql, gatekeeper, channel):
    gql = staff_gql("core.manage_plugins")
    body = gql(UPDATE, {"id": "nope", "input": {"active": True}})
    assert body["data"]["pluginUpdate"]["errors"][0]["code"] == "NOT_FOUND"
    body = gql(UPDATE, {"id": "test.gatekeeper", "channel": "atlantis", "input": {"active": True}})
    assert body["data"]["pluginUpdate"]["errors"][0] == {
        "field": "channel",
        "code": "NOT_FOUND",
        "message": "No channel with slug 'atlantis'.",
    }


def test_plugins_require_the_permission(gql, staff_gql, gatekeeper):
    anonymous = gql("{ plugins { id } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    staff_without = staff_gql()
    assert (
        staff_without("{ plugins { id } }")["errors"][0]["extensions"]["code"]
        == "PERMISSION_DENIED"
    )
    refused = staff_without(UPDATE, {"id": "test.gatekeeper", "input": {"active": False}})
    assert refused["data"]["pluginUpdate"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert not PluginConfiguration.objects.exists()


def test_plugin_listing_shows_hooks_and_activation(staff_gql, gatekeeper, channel, channel_usd):
    gql = staff_gql("core.manage_plugins")
    gql(UPDATE, {"id": "test.gatekeeper", "channel": "channel-usd", "input": {"active": False}})
    plugin = gql(PLUGIN_QUERY, {"id": "test.gatekeeper"})["data"]["plugin"]
    assert plugin["hooks"] == ["payment_gateways", "validate_checkout"]
    assert plugin["perChannel"] is True
    assert {c["channel"]: c["active"] for c in plugin["channelConfigurations"]} == {
        "channel-usd": False,
        "default-channel": True,
    }
    listed = gql("{ plugins { id } }")["data"]["plugins"]
    assert "test.gatekeeper" in [p["id"] for p in listed]
    assert "fashionistar.notifications.email" in [p["id"] for p in listed]


def test_a_change_is_seen_at_once_by_this_process(plugin_kit, gatekeeper, channel):
    manager = get_manager()
    assert manager.config("test.gatekeeper", "default-channel")["mode"] == "strict"
    plugin_kit.activate("test.gatekeeper", channel="default-channel", config={"mode": "lenient"})
    assert manager.config("test.gatekeeper", "default-channel")["mode"] == "lenient"


def test_other_processes_see_a_change_after_the_recheck_interval(
    plugin_kit, gatekeeper, channel, settings, django_capture_on_commit_callbacks
):
    """A second ConfigStore stands for another process sharing the cache."""
    other = ConfigStore(
        get_manager().loaded and {p: lp.plugin for p, lp in get_manager().loaded.items()}
    )
    settings.PLUGIN_CONFIG_RECHECK_SECONDS = 3600
    assert other.get("test.gatekeeper", "default-channel")["mode"] == "strict"
    from core.plugins.services import update_plugin_configuration

    with django_capture_on_commit_callbacks(execute=True):
        update_plugin_configuration(
            "test.gatekeeper", "default-channel", values={"mode": "lenient"}
        )
    assert (
        other.get("test.gatekeeper", "default-channel")["mode"] == "strict"
    )  # within the interval
    settings.PLUGIN_CONFIG_RECHECK_SECONDS = 0
    assert other.get("test.gatekeeper", "default-channel")["mode"] == "lenient"


def test_secret_key_rotation(plugin_kit, gatekeeper, channel, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from core.plugins import crypto

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PLUGIN_SECRET_KEYS = [old_key]
    crypto.reset_keys()
    try:
        plugin_kit.activate(
            "test.gatekeeper",
            channel="default-channel",
            config={"api_key": "sk_live_rotate_me_1234"},
        )
        settings.PLUGIN_SECRET_KEYS = [new_key, old_key]
        crypto.reset_keys()
        call_command("rotate_plugin_secrets", stdout=io.StringIO())
        settings.PLUGIN_SECRET_KEYS = [new_key]
        crypto.reset_keys()
        get_manager().configs.reset()
        assert (
            get_manager().config("test.gatekeeper", "default-channel")["api_key"]
            == "sk_live_rotate_me_1234"
        )
    finally:
        crypto.reset_keys()


def test_null_clears_a_secret_and_omitted_keeps_it(staff_gql, gatekeeper, channel):
    gql = staff_gql("core.manage_plugins")
    variables = {"id": "test.gatekeeper", "channel": "default-channel"}
    gql(
        UPDATE,
        {
            **variables,
            "input": {"configuration": [{"name": "api_key", "value": "sk_live_leaked_key_0000"}]},
        },
    )
    gql(UPDATE, {**variables, "input": {"configuration": [{"name": "api_key"}]}})
    row = PluginConfiguration.objects.get(plugin_id="test.gatekeeper")
    assert decrypt(row.secrets["api_key"]) == "sk_live_leaked_key_0000"
    body = gql(
        UPDATE, {**variables, "input": {"configuration": [{"name": "api_key", "value": None}]}}
    )
    assert body["data"]["pluginUpdate"]["errors"] == []
    row.refresh_from_db()
    assert "api_key" not in row.secrets
