"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.server.conftest import Server, base_env, run_cli, start_server  # noqa: F401  (re-exported fixtures)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TABLET = {"width": 768, "height": 1024}
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "een-lang-wachtwoord"  # the facilitator "begeleider" of the module servers
# Presence counts for the automatic reveal at once (in production only 15 s after a start).
NO_PRESENCE_SETTLING = {"PRESENCE_SETTLE_SECONDS": "0"}


@pytest.fixture
def server_env(sqlite_url: str) -> dict:
    """Browser tests run on SQLite only: what they prove is in the browser, and the server tests
    (tests/server) already run every engine; this halves the time of the e2e folder."""
    return {**base_env(sqlite_url), **NO_PRESENCE_SETTLING}


def sqlite_server(folder: Path, sqlite_template: Path, facilitator: bool = True) -> Server:
    """A started `inzetspel serve` on a fresh copy of the migrated SQLite template in `folder`; with
    `facilitator`, the account "begeleider" (PASSWORD) is created first."""
    shutil.copy(sqlite_template, folder / "game.db")
    env = {**base_env(f"sqlite:///{folder / 'game.db'}"), **NO_PRESENCE_SETTLING}
    if facilitator:
        assert run_cli({**env, "INZETSPEL_PASSWORD": PASSWORD}, "users", "create", "begeleider").returncode == 0
    return Server(env, "gevent", folder).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    """One server for a module whose tests need no fresh install (each makes its own room), with the
    facilitator account. A module that needs an install without accounts defines its own `server`."""
    srv = sqlite_server(tmp_path_factory.mktemp("module-server"), sqlite_template)
    yield srv
    srv.stop()


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
    """tablet(viewport) -> a new page in its own browser context (its own localStorage: its own device),
    a portrait tablet unless told. `tablet.blocked` collects what a page's Content-Security-Policy refused
    (an inline style or script would silently not work); a test that cares asserts it stays empty."""
    contexts = []

    def _new(viewport: dict = TABLET):  # noqa: ANN202
        context = browser.new_context(viewport=viewport, device_scale_factor=1, has_touch=True, locale="nl-NL")
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: _new.blocked.append(f"{page.url}: {msg.text}")
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        return page

    _new.blocked = []
    yield _new
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
