"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.server.conftest import base_env, start_server  # noqa: F401  (re-exported fixtures)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TABLET = {"width": 768, "height": 1024}
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def server_env(sqlite_url: str) -> dict:
    """Browser tests run on SQLite only: what they prove is in the browser, and the server tests
    (tests/server) already run every engine; this halves the time of the e2e folder."""
    # Presence counts for the automatic reveal at once (in production only 15 s after a start).
    return {**base_env(sqlite_url), "PRESENCE_SETTLE_SECONDS": "0"}


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        message = "no `chromium` on PATH (Debian package chromium)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=LAUNCH_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def tablet(browser):
    """A fresh browser context per player, the size of a portrait tablet."""
    contexts = []

    def _new(viewport: dict = TABLET):  # noqa: ANN202
        context = browser.new_context(viewport=viewport, device_scale_factor=1, has_touch=True, locale="nl-NL")
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
