"""A real browser (Debian's chromium, driven by Selenium) against pytest-django's live server.

One browser per test module; each test signs in with its own cookies cleared.
Tests are skipped, not failed, only when chromium is absent and cannot be
installed (scripts/test installs it in CI).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.checkout.conftest import *  # noqa: F403

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium and chromium-driver are not installed (scripts/test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="fc-dashboard-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Dashboard:
    """What a person does in the dashboard: open pages, fill and submit forms, read text."""

    def __init__(self, driver: Any, base_url: str) -> None:
        self.driver = driver
        self.base = base_url

    def open(self, path: str) -> Dashboard:
        self.driver.get(self.base + path)
        self.wait_ready()
        return self

    def sign_in(self, email: str, password: str) -> Dashboard:
        self.driver.delete_all_cookies()
        self.open("/dashboard/login/")
        self.fill("username", email)
        self.fill("password", password)
        self.submit_and_wait(self.css("input[type=submit]"))
        return self

    def wait_ready(self, timeout: float = 20) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, timeout).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )

    def submit_and_wait(self, button: Any, timeout: float = 20) -> None:
        """Click and wait for the next page to load completely (redirects included): reading
        or clicking elements of a page that is being replaced fails in Chromium."""
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        self.wait_ready(timeout)
        button.click()
        WebDriverWait(self.driver, timeout).until(expected_conditions.staleness_of(button))
        self.wait_ready(timeout)

    def css(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def fill(self, name: str, value: str) -> None:
        field = self.css(f"[name='{name}']")
        field.clear()
        field.send_keys(value)

    def submit(self, form_id: str) -> None:
        self.submit_and_wait(self.css(f"#{form_id} input[type=submit]"))

    def text(self, selector: str = "body") -> str:
        return self.css(selector).text

    @property
    def source(self) -> str:
        return self.driver.page_source

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / name
        self.driver.save_screenshot(str(target))
        return target


@pytest.fixture
def dashboard(browser: Any, live_server: Any) -> Dashboard:
    return Dashboard(browser, live_server.url)
