"""A facilitator adapts a deck in the browser (add, reorder, save), starts a room on it, and a tablet plays the new card."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, shot
from tests.server.conftest import run_cli

pytestmark = pytest.mark.e2e
PASSWORD = "een-lang-wachtwoord"
LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
NEW_TITLE = "Talent in de jaarplanning"


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Gebruikersnaam").fill("begeleider")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/rooms$"))


def test_a_facilitator_edits_a_deck_and_a_tablet_plays_the_new_card(start_server, server_env, tablet):
    assert run_cli({**server_env, "INZETSPEL_PASSWORD": PASSWORD}, "users", "create", "begeleider").returncode == 0
    server = start_server("gevent")
    laptop = tablet(LAPTOP)
    sign_in(laptop, server.url)

    # The library: bundled decks are read-only; duplicate one to adapt it.
    laptop.get_by_role("link", name="Kaartspellen").click()
    expect(laptop.get_by_role("heading", name="Kaartspellen", level=1)).to_be_visible()
    shot(laptop, "deck-library-1280")
    laptop.locator('.deck-tile[data-slug="talent-en-passie"]').get_by_role("button", name="Kopie maken").click()
    expect(laptop).to_have_url(re.compile(r"/decks/werken-vanuit-talent-en-passie-kopie/edit$"))
    expect(laptop.locator(".card-item")).to_have_count(14)

    # Add a statement: the preview follows the typing.
    laptop.get_by_role("button", name="+ Stelling toevoegen").click()
    card = laptop.locator(".card-form.active")
    card.get_by_label("Kop").fill(NEW_TITLE)
    card.get_by_label("De stelling").fill("Stelling: elk team bespreekt twee keer per jaar welke talenten het nog niet benut.")
    card.get_by_label("Vraag 1").fill("Welk talent van jezelf blijft nu onbenut?")
    expect(laptop.locator("#preview .card h2")).to_have_text(NEW_TITLE)
    expect(laptop.locator("#preview .option")).to_have_count(5)
    expect(laptop.locator("[data-dirty]")).to_be_visible()

    # Reorder by dragging: the new card goes above the card before it.
    items = laptop.locator(".card-item")
    items.nth(14).drag_to(items.nth(13), target_position={"x": 60, "y": 3})
    expect(items.nth(13)).to_contain_text(NEW_TITLE)
    expect(items.nth(13).locator(".num")).to_have_text("14")
    # ... and by keyboard, to the top: Alt+ArrowUp on the card, and the arrow button for the last step.
    laptop.locator(".card-item", has_text=NEW_TITLE).locator("[data-select]").focus()
    for _ in range(12):
        laptop.keyboard.press("Alt+ArrowUp")
    expect(items.nth(1)).to_contain_text(NEW_TITLE)
    items.nth(1).get_by_role("button", name=re.compile("^Omhoog")).click()
    expect(items.nth(0)).to_contain_text(NEW_TITLE)
    expect(laptop.locator("#announce")).to_have_text("Kaart verplaatst naar plaats 1")
    laptop.locator('.card-item').nth(0).locator("[data-select]").click()
    shot(laptop, "deck-editor-1280")
    laptop.evaluate("window.scrollTo(0, 0)")
    laptop.screenshot(path=str(ARTIFACTS / "deck-editor-1280-screen.png"))

    # Leaving with unsaved changes asks first.
    dialogs = []
    laptop.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    laptop.get_by_role("link", name="Kaartspellen").first.click()
    assert dialogs == ["beforeunload"]

    laptop.get_by_role("button", name="Opslaan als versie 2").click()
    shot(laptop, "deck-after-save")
    expect(laptop.locator(".flash")).to_have_text("Opgeslagen als versie 2.")
    expect(laptop.locator(".card-overview > li").first).to_contain_text(NEW_TITLE)

    # A room on the edited deck, cards in deck order: the first card drawn is the new one.
    laptop.get_by_role("link", name="Sessies").click()
    laptop.get_by_label("Kaartspel").select_option("werken-vanuit-talent-en-passie-kopie")
    laptop.get_by_label("Aantal kaarten (leeg = alle)").fill("2")
    laptop.get_by_label("Teams (één naam per regel, 1 tot 20)").fill("Team 1")
    laptop.get_by_label("Kaarten schudden").uncheck()
    laptop.get_by_role("button", name="Sessie aanmaken").click()
    code = laptop.get_by_test_id("join-code").inner_text().strip()

    anna = tablet(TABLET)
    anna.goto(f"{server.url}/")
    anna.get_by_label("Code van de sessie").fill(code)
    anna.get_by_role("button", name="Meedoen").click()
    anna.get_by_label("Jouw naam in het spel").fill("Anna")
    anna.get_by_text("HR", exact=True).click()
    anna.get_by_role("button", name="Meedoen").click()
    laptop.locator("#start-tables").click()  # Anna alone is below the quorum: the facilitator starts the table (issue 16)
    expect(anna.locator(".card h2")).to_have_text(NEW_TITLE)
    expect(anna.locator("[data-vote]")).to_have_count(5)
    shot(anna, "deck-new-card-on-tablet")


def test_the_library_and_editor_at_tablet_size(start_server, server_env, tablet):
    assert run_cli({**server_env, "INZETSPEL_PASSWORD": PASSWORD}, "users", "create", "begeleider").returncode == 0
    server = start_server("gevent")
    page = tablet(TABLET)
    sign_in(page, server.url)
    page.goto(f"{server.url}/decks")
    shot(page, "deck-library-768")
    page.locator('.deck-tile[data-slug="voorbeeld-geven"]').get_by_role("button", name="Kopie maken").click()
    expect(page.locator(".card-item")).to_have_count(14)
    # A save with a problem: the message stands next to the field, in Dutch, and nothing is saved.
    page.locator(".card-form.active").get_by_label("Kop").fill("X")
    page.get_by_role("button", name="Opslaan als versie 2").click()
    expect(page.locator(".problems")).to_contain_text("er is niets opgeslagen")
    expect(page.locator(".card-form.active .has-error .error")).to_have_text("Minstens 3 tekens.")
    expect(page.locator(".card-item.has-error")).to_have_count(1)
    shot(page, "deck-editor-768")
