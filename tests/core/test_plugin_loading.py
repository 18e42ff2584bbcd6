"""Discovery of third-party plugins through the entry point group, and broken plugins."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from tests.core.subprocess_env import ROOT, run_django


def make_distribution(
    site: Path, name: str, version: str, files: dict[str, str], entry: str
) -> None:
    """A minimal installed distribution: package files plus a .dist-info with the entry point."""
    for relative, text in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[fashionistar.plugins]\n{entry}\n")
    (info / "RECORD").write_text("")


GOOD_PLUGIN = """
    from core.hookspecs import hookimpl
    from core.plugins import BasePlugin


    class GiftWrap(BasePlugin):
        id = "acme.giftwrap"
        name = "Gift wrap"

        @hookimpl
        def order_created(self, event):
            pass

        @hookimpl
        def calculate_checkout_total(self, previous_value):
            return previous_value
"""


def run_with_site(site: Path, code: str, **env: str):
    return run_django(
        code,
        {
            "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
            "VAR_DIR": str(site / "var"),
            **env,
        },
    )


LIST_PLUGINS = (
    "import io\nfrom django.core.management import call_command\n"
    "call_command('migrate', verbosity=0)\n"
    "out = io.StringIO()\ncall_command('plugins', '--json', stdout=out)\nprint(out.getvalue())\n"
)


def test_an_entry_point_plugin_is_discovered_with_its_version(tmp_path):
    make_distribution(
        tmp_path,
        "acme-giftwrap",
        "2.3.1",
        {"acme_giftwrap/__init__.py": "", "acme_giftwrap/plugin.py": GOOD_PLUGIN},
        "giftwrap = acme_giftwrap.plugin:GiftWrap",
    )
    result = run_with_site(tmp_path, LIST_PLUGINS)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    plugin = next(p for p in listing["plugins"] if p["id"] == "acme.giftwrap")
    assert plugin["source"] == "entry_point"
    assert plugin["version"] == "2.3.1"
    assert plugin["hooks"] == ["calculate_checkout_total", "order_created"]
    assert listing["failed"] == []


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ({"acme_broken/__init__.py": "import not_installed_dependency\n"}, "ModuleNotFoundError"),
        (
            {
                "acme_broken/__init__.py": "",
                "acme_broken/plugin.py": "raise RuntimeError('bad config at import')\n",
            },
            "RuntimeError: bad config at import",
        ),
        (
            {"acme_broken/__init__.py": "", "acme_broken/plugin.py": "class Broken:\n    pass\n"},
            "must define 'id' and 'name'",
        ),
    ],
)
def test_a_broken_plugin_is_reported_and_the_server_still_starts(tmp_path, files, error):
    make_distribution(tmp_path, "acme-broken", "0.1", files, "broken = acme_broken.plugin:Broken")
    result = run_with_site(
        tmp_path,
        LIST_PLUGINS
        + "from django.test import Client\nprint(Client().get('/health/live').status_code)\n",
    )
    assert result.returncode == 0, result.stderr
    listing_text, status = result.stdout.rsplit("\n", 2)[0], result.stdout.split()[-1]
    listing = json.loads(listing_text)
    assert status == "200"
    assert [f["reference"] for f in listing["failed"]] == ["acme_broken.plugin:Broken"]
    assert error in listing["failed"][0]["error"]
    assert "acme_broken.plugin:Broken" in result.stderr  # reported in the start-up log
    assert any(p["id"] == "fashionistar.notifications.email" for p in listing["plugins"])


def test_a_required_plugin_that_fails_stops_start_up(tmp_path):
    make_distribution(
        tmp_path,
        "acme-broken",
        "0.1",
        {"acme_broken/__init__.py": "", "acme_broken/plugin.py": "raise RuntimeError('nope')\n"},
        "broken = acme_broken.plugin:Broken",
    )
    result = run_with_site(
        tmp_path, "print('started')", PLUGINS_REQUIRED="acme_broken.plugin:Broken"
    )
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "required plugin acme_broken.plugin:Broken failed" in result.stderr


def test_a_disabled_plugin_is_not_loaded(tmp_path):
    make_distribution(
        tmp_path,
        "acme-giftwrap",
        "2.3.1",
        {"acme_giftwrap/__init__.py": "", "acme_giftwrap/plugin.py": GOOD_PLUGIN},
        "giftwrap = acme_giftwrap.plugin:GiftWrap",
    )
    result = run_with_site(tmp_path, LIST_PLUGINS, PLUGINS_DISABLED="acme.giftwrap")
    assert result.returncode == 0, result.stderr
    assert "acme.giftwrap" not in [p["id"] for p in json.loads(result.stdout)["plugins"]]


TYPO_PLUGIN = """
    from core.hookspecs import hookimpl
    from core.plugins import BasePlugin


    class Typo(BasePlugin):
        id = "acme.typo"
        name = "Typo"

        @hookimpl
        def order_payed(self, event):
            pass
"""


def test_a_misspelled_hook_is_reported_not_silently_ignored(tmp_path):
    make_distribution(
        tmp_path,
        "acme-typo",
        "1.0",
        {"acme_typo/__init__.py": "", "acme_typo/plugin.py": TYPO_PLUGIN},
        "typo = acme_typo.plugin:Typo",
    )
    result = run_with_site(tmp_path, LIST_PLUGINS)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert "acme.typo" not in [p["id"] for p in listing["plugins"]]
    assert "'order_payed', which is not a hook" in listing["failed"][0]["error"]


def test_a_required_plugin_that_is_not_installed_stops_start_up(tmp_path):
    result = run_with_site(tmp_path, "print('started')", PLUGINS_REQUIRED="acme.paystack")
    assert result.returncode != 0
    assert "required plugins are not installed: acme.paystack" in result.stderr
