"""Fixtures of the example plugin's tests.

Only what the host's own ``tests/conftest.py`` would give us and a plugin's
repository cannot see: channels and users. ``plugin_kit`` comes from the host
(pytest11 entry point). Everything runs on the real database of the run.
"""

from __future__ import annotations

from typing import Any

import pytest

API_KEY = "partner-shared-secret-0123456789"  # noqa: S105 - a test value


@pytest.fixture
def channel(db: Any) -> Any:
    from core.models import Channel

    return Channel.objects.create(
        name="Nigeria", slug="default-channel", currency_code="NGN", default_country="NG"
    )


@pytest.fixture
def other_channel(db: Any) -> Any:
    from core.models import Channel

    return Channel.objects.create(
        name="International", slug="channel-usd", currency_code="USD", default_country="US"
    )


@pytest.fixture
def loyalty(plugin_kit: Any, channel: Any, other_channel: Any) -> Any:
    """The plugin active in ``default-channel`` only: 2 points per naira, a partner key."""
    plugin_kit.activate(
        "example.loyalty",
        channel=channel.slug,
        config={"points_per_unit": "2", "api_key": API_KEY},
    )
    return plugin_kit


@pytest.fixture
def make_user(db: Any) -> Any:
    def make(email: str, *, is_staff: bool = False) -> Any:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.create_user(email=email, password=None, is_staff=is_staff)

    return make
