"""The dashboard's plugin pages: forms from declared fields, secrets never echoed."""

from __future__ import annotations

import pytest
from django.test import Client

from core.plugins.manager import get_manager
from tests.conftest import grant
from tests.core.sample_plugins import Gatekeeper

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

URL = "/dashboard/core/pluginconfiguration/"
FORM = URL + "configure/test.gatekeeper/default-channel/"


@pytest.fixture
def dashboard(plugin_kit, staff_user, channel):
    plugin_kit.register(Gatekeeper())
    client = Client()
    client.force_login(grant(staff_user, "core.manage_plugins"))
    return client


def form_data(**overrides):
    data = {
        "active": "on",
        "blocked": "",
        "api_key": "",
        "mode": "strict",
        "endpoint": "https://fraud.example.com",
        "max_items": "10",
        "enabled_checks": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_plugins_and_their_activation(dashboard):
    page = dashboard.get(URL).content.decode()
    assert "test.gatekeeper" in page
    assert "validate_checkout" in page
    assert FORM in page


def test_saving_a_secret_stores_it_and_never_shows_it_again(dashboard):
    response = dashboard.post(FORM, form_data(api_key="sk_live_dashboard_secret_9876"))
    assert response.status_code == 302
    get_manager().configs.invalidate()
    assert (
        get_manager().config("test.gatekeeper", "default-channel")["api_key"]
        == "sk_live_dashboard_secret_9876"
    )
    page = dashboard.get(FORM).content.decode()
    assert "sk_live_dashboard_secret_9876" not in page
    assert "****9876" in page

    dashboard.post(FORM, form_data(mode="lenient"))  # blank secret keeps the old value
    get_manager().configs.invalidate()
    config = get_manager().config("test.gatekeeper", "default-channel")
    assert config["api_key"] == "sk_live_dashboard_secret_9876"
    assert config["mode"] == "lenient"


def test_invalid_values_are_shown_on_the_field_and_nothing_is_written(dashboard):
    from core.models import PluginConfiguration

    response = dashboard.post(FORM, form_data(max_items="lots", endpoint="ftp://x"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a whole number." in page and "Enter a valid http(s) URL." in page
    assert not PluginConfiguration.objects.exists()


def test_staff_without_the_permission_cannot_open_plugins(plugin_kit, db, channel):
    from account.models import User

    plugin_kit.register(Gatekeeper())
    client = Client()
    client.force_login(
        User.objects.create_user(email="clerk@example.com", password="x", is_staff=True)
    )
    assert client.get(URL).status_code == 403
    assert client.post(FORM, form_data(api_key="sk_live_zzzzzzzzzzzz")).status_code == 403
