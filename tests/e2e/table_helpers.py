"""Shared steps of the table-play browser tests (issue 16): signed-in laptop, rooms, tablets. The server is
tests/e2e/conftest.py's module server."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, PASSWORD

IPAD = {"width": 810, "height": 1080}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def contexts(tablet):
    """contexts(viewport) -> a page in its own browser context (its own localStorage: its own tablet), an
    iPad's size unless told."""
    return lambda viewport=IPAD: tablet(viewport)


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
