"""Shared steps of the table-play browser tests (issue 16): a server, signed-in laptop, rooms, tablets."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.server.conftest import Server, base_env, run_cli

PASSWORD = "een-lang-wachtwoord"
IPAD = {"width": 810, "height": 1080}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory, sqlite_template):
    """One server for the module, on a fresh SQLite copy, with one facilitator account."""
    folder = tmp_path_factory.mktemp("table-play")
    shutil.copy(sqlite_template, folder / "game.db")
    env = base_env(f"sqlite:///{folder / 'game.db'}")
    env["PRESENCE_SETTLE_SECONDS"] = "0"  # presence counts for the reveal at once (production: 15 s after a start)
    assert run_cli({**env, "INZETSPEL_PASSWORD": PASSWORD}, "users", "create", "begeleider").returncode == 0
    srv = Server(env, "gevent", folder).start()
    yield srv
    srv.stop()


@pytest.fixture
def contexts(browser):
    """A page in its own browser context (its own localStorage: its own tablet)."""
    made = []

    def _new(viewport: dict = IPAD):  # noqa: ANN202
        context = browser.new_context(viewport=viewport, device_scale_factor=1, has_touch=True, locale="nl-NL")
        made.append(context)
        return context.new_page()

    yield _new
    for context in made:
        context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    """What the screen shows now (the viewport), as a player sees it; or the whole page."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def new_room(laptop, url: str, teams: str = "Team 1", cards: int = 2, second_vote: bool = False,
             deck: str = "dilemmas-korte-termijn") -> str:
    """Sign in (once per laptop) and create a room from the form; the dashboard is left open. Returns the code."""
    laptop.goto(f"{url}/login")
    if "/login" in laptop.url:
        laptop.locator("#username").fill("begeleider")
        laptop.locator("#password").fill(PASSWORD)
        laptop.locator("main form .button.primary").click()
        expect(laptop).to_have_url(re.compile(r"/rooms$"))
    laptop.goto(f"{url}/rooms")
    laptop.locator("#deck").select_option(deck)
    laptop.locator("#cards").fill(str(cards))
    laptop.locator("#teams").fill(teams)
    laptop.locator("#shuffle").uncheck()
    if not second_vote:
        laptop.locator("#second_vote").uncheck()
    laptop.locator("main form .button.primary").click()
    return laptop.get_by_test_id("join-code").inner_text().strip()


def join(page, url: str, code: str, name: str, role: str = "HR", team: str | None = None) -> None:
    page.goto(f"{url}/r/{code.replace('-', '')}")
    expect(page.locator("#join-form")).to_be_visible()
    page.locator("#name").fill(name)
    page.locator(f'input[name="role"][value="{role}"]').check()
    if team:
        page.locator("#join-form label.choice", has_text=team).click()
    page.locator("#join-button").click()
    expect(page.locator(".game-head h1")).to_be_visible()


def phase(page, name: str) -> None:
    expect(page.locator(".phase-pill")).to_have_class(re.compile(rf"\bphase-{name}\b"), timeout=15000)


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def in_view(page, selector: str) -> bool:
    """Is the element's top inside the viewport (no scrolling needed to see it start)?"""
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 120) <= height


def vote(page, option: int, prediction: int | None = 1) -> None:
    """Vote as one act: the option, then the prediction (or explicitly no prediction)."""
    page.locator(f'[data-vote="{option}"]').click()
    if prediction is None:
        page.locator("[data-skip-predict]").click()
    else:
        page.locator(f'[data-predict="{prediction}"]').click()
